"""Snapshot tests of every staff screen: fixed terminal size, pinned clock, pinned randomness."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from crypto.encoding import b64u_encode
from crypto.identity import NodeKeys
from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.matches import SuggestScreen
from noticeboard.desk import intake, matches
from noticeboard.i18n import set_language
from noticeboard.node import Node, PostDraft
from noticeboard.store import BoardQuery
from noticeboard.trust import Trust
from tests.desk.fixtures import PASSPHRASE, PIN, T0, Village, make_desk_node, populate
from tests.desk.staff_support import Clock, login, settle, type_text
from tests.helpers import seed_codes

SIZE = (110, 36)
LATER = T0 + dt.timedelta(days=4)


@pytest.fixture
def pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Village]:
    """The fixture village with every random code and key pinned, plus some requests and matches."""
    seed_codes(monkeypatch)
    # The desk shows local time: pin the zone, so the audit log looks the same on every machine.
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    monkeypatch.setattr(NodeKeys, "generate", classmethod(lambda cls: cls(b"\x01" * 32, b"\x02" * 32)))
    nd = make_desk_node(tmp_path)
    node: Node = nd.open()
    try:
        village = populate(node)
        vol = village.volunteer
        shop = intake.intake(node, vol, village.ans.id, PostDraft(
            "request", "boodschappen", "Boodschappen op dinsdag",
            tags={"when": {"text": "dinsdagmiddag", "days": ["tue"], "slots": ["afternoon"]}}), now=T0)
        ride = intake.intake(node, vol, village.piotr.id, PostDraft("request", "vervoer", "Naar het ziekenhuis"),
                             channel="proxy", now=T0)
        m = matches.propose(node, vol, ride.body["ref"], "person", village.bram.id, now=T0 + dt.timedelta(hours=2))
        matches.agree(node, vol, m.id, "resident", now=T0 + dt.timedelta(hours=3))
        matches.agree(node, vol, m.id, "helper", now=T0 + dt.timedelta(hours=3))
        matches.done(node, vol, m.id, now=T0 + dt.timedelta(days=1))
        matches.propose(node, vol, shop.body["ref"], "person", village.carla.id, now=T0 + dt.timedelta(days=1))
        intake.intake(node, vol, village.ans.id, PostDraft("request", "tuin", "Heg knippen"), now=T0)
        Trust(node).note_seen(b64u_encode(b"\x03" * 32), "Dorpshuis Winsum", "192.0.2.7:8443", b"\x04" * 32, now=T0)
        yield village
    finally:
        node.close()
        monkeypatch.undo()
        time.tzset()


def _app(village: Village) -> StaffApp:
    return StaffApp(village.node, StaffContext(village.node, clock=Clock(LATER)))


def _logged_in(number: str, secret: str, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot, number, secret)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
    return run_before


def test_login_screen(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=settle)


def test_volunteer_home(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN))


def test_card_index_with_a_card_open(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "1", "enter"))


def test_phone_intake(pinned: Village, snap_compare: Any) -> None:
    async def fill(pilot: Pilot[Any]) -> None:
        await _logged_in("1", PIN, "2")(pilot)
        await type_text(pilot, pinned.ans.id)
        await pilot.press("enter", "enter", "enter")
        await type_text(pilot, "boo")
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=fill)


def test_suggestions_with_reasons(pinned: Village, snap_compare: Any) -> None:
    (shop,) = pinned.node.store.board(BoardQuery(category="boodschappen"), now=T0)[0]

    async def open_suggestions(pilot: Pilot[Any]) -> None:
        await _logged_in("1", PIN)(pilot)
        await pilot.app.push_screen(SuggestScreen(pilot.app.ctx, shop.body["ref"]))
        await settle(pilot)
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=open_suggestions)


def test_matches(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "4"))


def test_feedback_dialog(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "4", "f", "j", "1"))


def test_followup_queue(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "5"))


def test_statistics(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "6"))


def test_audit_log(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("", PASSPHRASE, "7"))


def test_peers_with_pairing_code_and_qr(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("", PASSPHRASE, "8"))


def test_volunteer_home_in_english(pinned: Village, snap_compare: Any) -> None:
    set_language("en")
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN))


def test_card_form(pinned: Village, snap_compare: Any) -> None:
    assert snap_compare(_app(pinned), terminal_size=SIZE, run_before=_logged_in("1", PIN, "1", "e"))
