"""The phone call as volunteers work it, on screen and by keyboard only, in one test: search, new card,
intake, suggestions, propose, appointment, agree, reveal, done, feedback, keys counted; the figures and the
readable audit log show it; residents cannot get in; idle warns, ends the session and keeps the draft."""

from __future__ import annotations

import datetime as dt

from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.app.staff.intake import IntakeScreen
from noticeboard.app.staff.login import StaffLoginScreen
from noticeboard.app.staff.matches import FeedbackModal, MatchesScreen, SuggestScreen
from noticeboard.app.staff.requests import OpenRequestsScreen
from noticeboard.app.staff.stats import StatsScreen
from noticeboard.desk import cards, local, matches, places
from tests.desk.fixtures import PASSPHRASE, PIN, T0, Village
from tests.desk.staff_support import Clock, settle, table_rows, type_text

SIZE = (110, 40)


async def _login(pilot, number: str, secret: str) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, number)
    await pilot.press("enter")
    await type_text(pilot, secret)
    await pilot.press("enter")
    await settle(pilot)


class Keys:
    """Presses keys through Pilot, waits for the desk's workers after each, and counts them."""

    def __init__(self, pilot) -> None:  # type: ignore[no-untyped-def]
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *parts: str) -> None:
        for part in parts:
            if part in ("enter", "right", "down", "up", "escape", "ctrl+g") or len(part) == 1:
                await self.pilot.press(part)
                self.count += 1
            else:
                await type_text(self.pilot, part)
                self.count += len(part)
            await settle(self.pilot)


async def test_the_phone_call_flow_from_search_to_feedback(village: Village) -> None:
    """Search, new card, intake, suggestions, propose, appointment, agree, reveal, done, feedback; keys counted."""
    clock = Clock()
    node = village.node
    places.add(node, village.coordinator, "Winsum", (5333, 652), now=T0)
    app = StaffApp(node, StaffContext(node, clock=clock))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _login(pilot, str(village.volunteer_number), PIN)
        assert isinstance(app.screen, StaffHomeScreen)
        keys = Keys(pilot)
        await keys("2")
        assert isinstance(app.screen, IntakeScreen)
        # The caller is not in the card index: the search says so and the phone goes into the new card.
        await keys("050 1234567", "enter")
        assert "Niemand gevonden" in str(app.screen.query_one("#message").render())
        await keys("Truus", "enter", "enter", "Kerkstraat 4", "enter", "Win", "right", "enter")
        await keys("verv", "right", "enter", "Naar de huisarts", "enter", "do", "enter", "m", "enter",
                   "14 uur", "enter", "enter", "enter")
        intake_keys = keys.count
        screen = app.screen
        assert isinstance(screen, IntakeScreen) and screen.posted_ref is not None
        ref = screen.posted_ref
        (truus,) = [p for p in cards.load_all(node.store) if p.first_name == "Truus"]
        assert (truus.phone, truus.village, truus.address) == ("050 1234567", "Winsum", "Kerkstraat 4")

        await keys("ctrl+g")
        assert isinstance(app.screen, SuggestScreen)
        rows = table_rows(app, "#suggestions")
        assert [r[1] for r in rows] == ["Bram"]
        reasons = str(app.screen.query_one("#reasons").render())
        # Truus lives in Winsum, Bram in Ezinge: the distance is real now, and Thursday afternoon fits.
        assert "+15  beschikbaar: donderdag, middag" in reasons and "0 km" not in reasons
        assert "Dirk" in str(app.screen.query_one("#blocked").render())
        await keys("enter")
        assert isinstance(app.screen, MatchesScreen)
        (match,) = matches.all_matches(node)
        assert match.state == "proposed" and match.helper == village.bram.id

        # The appointment, from the open requests.
        await keys("escape", "escape", "3")
        assert isinstance(app.screen, OpenRequestsScreen)
        assert table_rows(app, "#requests")[0][0] == ref
        await keys("a", "5-3 14:00", "enter")
        assert matches.get(node, match.id).appointment == local.parse_at("2026-03-05 14:00", now=T0)
        await keys("m")
        assert isinstance(app.screen, MatchesScreen)
        for key in ("r", "h"):
            clock.advance(dt.timedelta(minutes=1))
            await keys(key)
        assert matches.get(node, match.id).state == "agreed"
        await keys("o")
        assert "050 1234567" in str(app.screen.query_one("#detail").render())
        # Done asks first, with how it went; Escape would leave it as it is.
        await keys("d")
        assert "Weet u het zeker?" in str(app.screen.query_one("Label").render())
        await keys("escape")
        assert matches.get(node, match.id).state == "agreed"
        await keys("d", "Goed gegaan", "enter")
        assert matches.get(node, match.id).state == "done"
        await keys("f")
        assert isinstance(app.screen, FeedbackModal)
        assert "[j] / [n]" in str(app.screen.query_one("#q1").render())
        await keys("j", "1", "Fijn geholpen", "enter")
        done = matches.get(node, match.id)
        assert (done.state, done.happened, done.face, done.private["note"]) == ("done", True, "good", "Fijn geholpen")
        assert node.find(ref).body["status"] == "done"
        # The whole call's intake (new caller with address and structured when) and the rest of the flow.
        assert intake_keys <= 110, intake_keys
        assert keys.count <= 200, keys.count

        await keys("escape", "escape", "6")
        assert isinstance(app.screen, StatsScreen)
        figures = table_rows(app, "#table")
        assert figures[0][:7] == ["2026-03", "Winsum", "vervoer", "1", "1", "1", "1"], figures

        await keys("escape", "escape")
        assert isinstance(app.screen, StaffLoginScreen)
        await _login(pilot, "", PASSPHRASE)
        await keys("7")
        log = table_rows(app, "#audit")
        steps = [(row[1], row[2]) for row in reversed(log)]
        expected = [("vrijwilliger 1", "zoekt een kaart"), ("vrijwilliger 1", "maakt een kaart"),
                    ("vrijwilliger 1", "neemt een hulpvraag aan"), ("vrijwilliger 1", "vraagt suggesties"),
                    ("vrijwilliger 1", "stelt een helper voor"), ("vrijwilliger 1", "legt een afspraak vast"),
                    ("vrijwilliger 1", "bewoner zegt ja"), ("vrijwilliger 1", "helper zegt ja"),
                    ("systeem", "koppeling afgesproken"), ("vrijwilliger 1", "bekijkt contactgegevens"),
                    ("vrijwilliger 1", "sluit af als gedaan"), ("vrijwilliger 1", "legt terugkoppeling vast")]
        found = [step for step in steps if step in expected]
        assert found == expected, steps


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
