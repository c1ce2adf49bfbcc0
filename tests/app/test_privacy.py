"""Acceptance 2 and 3: a visit is forgotten after the idle time or 'Klaar'; contact data is never shown;
'Ik kan helpen' on another centre's post becomes a message sealed to that centre."""

from __future__ import annotations

import json

from textual.widgets import Input

from crypto import sealing
from crypto.encoding import b64u_decode
from noticeboard.app.kiosk.board import BoardScreen, DetailScreen, HelpScreen, ThanksScreen
from noticeboard.app.kiosk.mine import MineScreen
from noticeboard.app.kiosk.post import ContactScreen, WhatScreen
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.node import message_info
from noticeboard.privacy import consent
from tests.app.conftest import FakeIdle, kiosk
from tests.app.fixtures import CONTACT_SECRETS, KioskBoard
from tests.app.support import screen_text, settle, type_text

TYPED = "Mijn buurvrouw Tjitske"


async def _typed_visit(pilot: object, app: object) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("1", "1", "2")  # type: ignore[attr-defined]
    await type_text(pilot, TYPED)  # type: ignore[arg-type]
    assert isinstance(app.screen, WhatScreen)  # type: ignore[attr-defined]
    assert app.screen.query_one("#own", Input).value == TYPED  # type: ignore[attr-defined]


async def _nothing_comes_back(pilot: object, app: object, visited: list[object]) -> None:
    assert isinstance(app.screen, StartScreen)  # type: ignore[attr-defined]
    assert len(app.screen_stack) == 2  # type: ignore[attr-defined]
    assert TYPED not in screen_text(app)  # type: ignore[arg-type]
    for keys in (("escape",), ("escape", "escape"), ("backspace",), ("f10",), ("1",), ("escape", "escape")):
        await pilot.press(*keys)  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]
        assert TYPED not in screen_text(app)  # type: ignore[arg-type]
        assert not any(screen in app.screen_stack for screen in visited)  # type: ignore[attr-defined]
        assert not any(isinstance(s, WhatScreen) and s.draft.title for s in app.screen_stack)  # type: ignore[attr-defined]


async def test_idle_time_forgets_everything_typed(board: KioskBoard, idle_clock: FakeIdle) -> None:
    app = kiosk(board, idle_clock, idle_seconds=90)
    async with app.run_test(size=(100, 34)) as pilot:
        await _typed_visit(pilot, app)
        visited = list(app.screen_stack[2:])
        idle_clock.now += 89
        app.forget_if_idle()
        await settle(pilot)
        # Not idle long enough yet: "Bent u er nog?" over the screen, which is still there.
        assert isinstance(app.screen_stack[-2], WhatScreen), "not idle long enough yet"
        idle_clock.now += 2
        app.forget_if_idle()
        await settle(pilot)
        await _nothing_comes_back(pilot, app, visited)


async def test_klaar_forgets_everything_typed(board: KioskBoard) -> None:
    app = kiosk(board)
    async with app.run_test(size=(100, 34)) as pilot:
        await _typed_visit(pilot, app)
        visited = list(app.screen_stack[2:])
        await pilot.press("f10")
        await settle(pilot)
        await _nothing_comes_back(pilot, app, visited)


async def _open_card(pilot: object, app: object, title: str) -> None:
    await pilot.press("3")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, BoardScreen)
    index = [e.body["title"] for e in screen.shown].index(title)
    for _ in range(index):
        await pilot.press("down")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, DetailScreen)  # type: ignore[attr-defined]


async def test_i_can_help_on_a_remote_request_is_sealed_to_its_home_node(board: KioskBoard) -> None:
    store = board.node.store
    before = list(store.entries(types=["message"]))
    app = kiosk(board)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await _open_card(pilot, app, board.remote.body["title"])
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Dorpshuis Winsum" in screen_text(app)
        await type_text(pilot, "Sanne")
        await pilot.press("enter")
        await type_text(pilot, "0698765432")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        assert "0698765432" not in screen_text(app)
    messages = [m for m in store.entries(types=["message"]) if m not in before]
    assert len(messages) == 1
    (message,) = messages
    assert message.author == board.node.node_id
    assert message.body["to"] == board.neighbour.node_id
    assert b"0698765432" not in message.canonical() and b"Sanne" not in message.canonical()
    # Only the home centre can open it, and it says who offers help on which post.
    opened = json.loads(sealing.open_sealed(board.neighbour.sealing_key, b64u_decode(message.body["sealed"]),
                                            message_info(board.neighbour.node_id, message.author)))
    assert opened["re"]["id"] == board.remote.id
    assert (opened["name"], opened["contact"]) == ("Sanne", "0698765432")
    assert store.responses(board.node.node_id) == [r for r in store.responses(board.node.node_id)
                                                  if r.get("name") != "Sanne"]
    # The helper's consent to share name and contact with that centre is recorded here.
    [sent] = [c for c in consent.consents(store) if c.subject == consent.message_subject(*message.key)]
    assert sent.purposes == ("share_with_centre",) and sent.shared_with == (board.neighbour.node_id,)


async def test_i_can_help_on_our_own_post_stays_here(board: KioskBoard) -> None:
    store = board.node.store
    app = kiosk(board)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await _open_card(pilot, app, "Medicijnen ophalen bij de apotheek")
        await pilot.press("1")
        await settle(pilot)
        await type_text(pilot, "Sanne")
        await pilot.press("enter")
        await type_text(pilot, "0698765432")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
    post = board.node.find_own(board.local_ref)
    assert {"name": "Sanne", "contact": "0698765432", "via": "local"}.items() <= store.responses(
        post.author, post.id)[-1].items()
    assert not [m for m in store.entries(types=["message"]) if m.author == board.node.node_id]


async def test_no_screen_ever_shows_contact_data(board: KioskBoard) -> None:
    app = kiosk(board)
    seen: list[str] = []

    async def look() -> None:
        await settle(pilot)
        seen.append(screen_text(app))
        seen.append(app.export_screenshot())

    async with app.run_test(size=(100, 34)) as pilot:
        await look()
        for keys in (("1",), ("1",), ("1",), ("1",)):
            await pilot.press(*keys)
            await look()
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("f10")
        await _open_card(pilot, app, "Medicijnen ophalen bij de apotheek")
        await look()
        await pilot.press("1")
        await look()
        await pilot.press("f10", "3", "1", "2", "3")
        await look()
        await pilot.press("f10", "4")
        await type_text(pilot, board.local_ref)
        await pilot.press("enter")
        await look()
        assert isinstance(app.screen, MineScreen) and board.local_ref in screen_text(app)
    for text in seen:
        for secret in CONTACT_SECRETS:
            assert secret not in text and secret.replace(" ", "&#160;") not in text, secret
