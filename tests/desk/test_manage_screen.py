"""The coordinator's menu at the desk (9): accounts (add with the PIN rule, new PIN, unlock), a VOG date
(the future refused), the VOG term, hide, reciprocity mode and referral contacts; volunteers never see it."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot

from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.app.staff.manage import ManageScreen
from noticeboard.desk import accounts, cards, reciprocity, safeguarding
from noticeboard.desk.errors import WrongPin
from noticeboard.node import PostDraft
from noticeboard.store import BoardQuery
from tests.desk.fixtures import PASSPHRASE, PIN, T0, Village
from tests.desk.staff_support import Clock, login, settle, table_rows, type_text


async def _ask(pilot: Pilot[None], key: str, answer: str) -> None:
    await pilot.press(key)
    await type_text(pilot, answer)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_coordinator_manages_accounts_vog_and_settings_at_the_desk(village: Village) -> None:
    node = village.node
    offer = node.post(PostDraft("offer", "lenen", "Gratis spullen, bel mij"), now=T0).body["ref"]
    app = StaffApp(node, StaffContext(node, clock=Clock()))
    async with app.run_test(size=(100, 30)) as pilot:
        await login(pilot, "", PASSPHRASE)
        await pilot.press("9")
        await settle(pilot)
        assert isinstance(app.screen, ManageScreen)
        assert table_rows(app, "#accounts")[0][:2] == ["1", "Greet"]
        await _ask(pilot, "a", "Henk 1111")  # refused by the PIN rule: nothing made
        await _ask(pilot, "a", "Henk 4826")
        assert [r[1] for r in table_rows(app, "#accounts")] == ["Greet", "Henk"]
        await pilot.press("down")
        await _ask(pilot, "p", "5937")
        await _ask(pilot, "v", f"{village.carla.id} 2031-01-01")
        assert any("toekomst" in n.message for n in app._notifications)
        await _ask(pilot, "v", f"{village.carla.id} 2026-02-01")
        await _ask(pilot, "y", "4")
        await _ask(pilot, "h", f"{offer} reclame")
        await _ask(pilot, "r", "counter")
        await _ask(pilot, "c", "Wijkteam=0594-123456; Huisartsenpost=0900-1234")
        assert "Wijkteam, 0594-123456" in str(app.screen.query_one("#settings").render())
    accounts.login_volunteer(node.store, 2, "5937", now=T0 + dt.timedelta(minutes=1))
    try:
        accounts.login_volunteer(node.store, 2, "4826", now=T0 + dt.timedelta(minutes=1))
        raise AssertionError("the old PIN still works")
    except WrongPin:
        pass
    assert cards.load(node.store, village.carla.id).screened().on == "2026-02-01"  # type: ignore[union-attr]
    assert cards.vog_years(node.store) == 4 and reciprocity.mode(node.store) == "counter"
    posts, _ = node.store.board(BoardQuery(), now=T0)
    assert offer not in [p.body["ref"] for p in posts]
    assert [c["name"] for c in safeguarding.referral_contacts(node)] == ["Wijkteam", "Huisartsenpost"]


async def test_volunteers_do_not_get_the_coordinators_menu(village: Village) -> None:
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        await login(pilot, "1", PIN)
        await pilot.press("9")
        await settle(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        assert not app.screen.query("#menu-manage")
