"""Acceptance 1 and 6 on screen: PIN login, keyboard-only phone intake, a suggested helper, both agree,
done, feedback; the figures and the audit log show it; residents cannot get in; idle ends the session."""

from __future__ import annotations

import datetime as dt

from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.app.staff.intake import IntakeScreen
from noticeboard.app.staff.login import StaffLoginScreen
from noticeboard.app.staff.matches import FeedbackModal, MatchesScreen, SuggestScreen
from noticeboard.app.staff.stats import StatsScreen
from noticeboard.desk import matches
from tests.desk.fixtures import PASSPHRASE, PIN, Village
from tests.desk.staff_support import Clock, settle, table_rows, type_text

SIZE = (110, 40)


async def _login(pilot, number: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, secret)
    await pilot.press("enter")
    await settle(pilot)


async def test_volunteer_takes_a_phone_call_through_to_feedback(village: Village) -> None:
    clock = Clock()
    app = StaffApp(village.node, StaffContext(village.node, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        await _login(pilot, str(village.volunteer_number), PIN)
        assert isinstance(app.screen, StaffHomeScreen)

        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, IntakeScreen)
        keys_before = 0
        presses = [village.ans.id, "\n", "\n", "verv", "→", "\n", "Naar de fysiotherapeut", "\n",
                   "di", "\n", "m", "\n", "\n", "\n", "\n"]
        for part in presses:
            if part == "\n":
                await pilot.press("enter")
                await settle(pilot)
            elif part == "→":
                await pilot.press("right")
            else:
                await type_text(pilot, part)
            keys_before += 1 if part in ("\n", "→") else len(part)
        await settle(pilot)
        intake_screen = app.screen
        assert isinstance(intake_screen, IntakeScreen) and intake_screen.posted_ref is not None
        ref = intake_screen.posted_ref
        # Keyboard only, about 60 keys for a whole call's details: well within a minute's typing.
        assert keys_before <= 60 + len(village.ans.id)
        request = village.node.find(ref)
        assert (request.body["category"], request.body["title"]) == ("vervoer", "Naar de fysiotherapeut")

        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, SuggestScreen)
        rows = table_rows(app, "#suggestions")
        assert [r[1] for r in rows] == ["Bram"]
        reasons = str(app.screen.query_one("#reasons").render())
        assert "VOG gecontroleerd op 2026-01-15" in reasons
        assert "Dirk" in str(app.screen.query_one("#blocked").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatchesScreen)
        (match,) = matches.all_matches(village.node)
        assert match.state == "proposed" and match.helper == village.bram.id

        for key in ("r", "h"):
            clock.advance(dt.timedelta(minutes=2))
            await pilot.press(key)
            await settle(pilot)
        assert matches.get(village.node, match.id).state == "agreed"
        await pilot.press("o")
        await settle(pilot)
        assert "0594-111111" in str(app.screen.query_one("#detail").render())
        # A day later would be a new session (the idle limit is minutes); same call, a few minutes on.
        clock.advance(dt.timedelta(minutes=3))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FeedbackModal)
        await pilot.press("j", "1")
        await type_text(pilot, "Fijn geholpen")
        await pilot.press("enter")
        await settle(pilot)
        done = matches.get(village.node, match.id)
        assert (done.state, done.happened, done.face, done.private["note"]) == ("done", True, "good", "Fijn geholpen")
        assert village.node.find(ref).body["status"] == "done"
        assert table_rows(app, "#matches")[0][2:5] == ["gedaan", "Ans", "Bram · kaartenbak"]

        await pilot.press("escape")
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StaffHomeScreen)
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        figures = table_rows(app, "#table")
        assert ["2026-03", "Ezinge", "vervoer", "1", "1", "1", "1", "0.1"] in figures
        assert "Gedane hulp per maand" in str(app.screen.query_one("#charts").render())

        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        await _login(pilot, "", PASSPHRASE)
        assert isinstance(app.screen, StaffHomeScreen)
        await pilot.press("7")
        await settle(pilot)
        log = table_rows(app, "#audit")
        steps = [(row[1], row[2]) for row in reversed(log)]
        expected = [("volunteer:1", "login"), ("volunteer:1", "intake"), ("volunteer:1", "suggest"),
                    ("volunteer:1", "match_propose"), ("volunteer:1", "match_agree_resident"),
                    ("volunteer:1", "match_agree_helper"), ("system", "match_agreed"),
                    ("volunteer:1", "match_reveal"), ("volunteer:1", "match_done"),
                    ("volunteer:1", "match_feedback"), ("coordinator", "login")]
        found = [s for s in steps if s in expected]
        assert found[-len(expected):] == expected
        intake_line = next(row for row in log if row[2] == "intake")
        assert f"for={village.ans.id}" in intake_line[4] and "entered_by=volunteer:1" in intake_line[4]


async def test_residents_cannot_reach_staff_screens_without_the_pin(village: Village) -> None:
    app = StaffApp(village.node, StaffContext(village.node, clock=Clock()))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "5", "6", "7", "ctrl+g", "ctrl+s"):
            await pilot.press(key)
        await pilot.press("tab")
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        assert "Die code klopt niet" in str(app.screen.query_one("#message").render())
        assert app.ctx.session is None


async def test_staff_session_ends_on_idle_and_returns_to_the_login(village: Village) -> None:
    clock = Clock()
    app = StaffApp(village.node, StaffContext(village.node, clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _login(pilot, str(village.volunteer_number), PIN)
        await pilot.press("1")
        await settle(pilot)
        assert len(table_rows(app, "#cards")) == 6
        clock.advance(dt.timedelta(minutes=4))
        await pilot.press("down")
        app.screen.end_if_idle()  # type: ignore[attr-defined]
        assert app.ctx.session is not None
        clock.advance(dt.timedelta(minutes=5, seconds=1))
        app.screen.end_if_idle()  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        assert app.ctx.session is None and len(app.screen_stack) == 2
