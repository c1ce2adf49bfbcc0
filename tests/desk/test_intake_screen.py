"""The phone intake on screen (acceptance 1, 2 and 4): the caller is found by phone in the first field, a
new caller's whole intake with address and structured days is at most 110 keys, Enter twice makes one
request and one card, the first name is public only after a yes, and the caller line stays at 80x24."""

from __future__ import annotations

from textual.pilot import Pilot

from noticeboard.app.staff.app import StaffApp
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.intake import IntakeScreen
from noticeboard.desk import cards, intake, places
from noticeboard.node import Node
from tests.desk.fixtures import PIN, T0, Village
from tests.desk.staff_support import Clock, settle, type_text


class Keys:
    """Presses keys through Pilot and counts them, as a volunteer's fingers would."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *parts: str) -> None:
        for part in parts:
            if part in ("enter", "right", "down", "up", "n", "escape", "ctrl+g"):
                await self.pilot.press(part)
                self.count += 1
            else:
                await type_text(self.pilot, part)
                self.count += len(part)
            await self.pilot.pause()


async def _intake(app: StaffApp, pilot: Pilot[None], village: Village) -> Keys:
    # A village without a centre of its own, known to the desk with its location.
    places.add(village.node, village.coordinator, "Winsum", (5333, 652), now=T0)
    await settle(pilot)
    await type_text(pilot, str(village.volunteer_number))
    await pilot.press("enter")
    await type_text(pilot, PIN)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(app.screen, IntakeScreen)
    return Keys(pilot)


def _requests(node: Node) -> list[tuple[str, str]]:
    with node.store.read() as conn:
        return conn.execute("SELECT resident, id FROM desk_requests ORDER BY created").fetchall()


def _caller_line(app: StaffApp) -> str:
    return str(app.screen.query_one("#caller").render())


async def test_a_new_callers_whole_intake_in_at_most_110_keys_and_enter_twice_makes_one(village: Village) -> None:
    node = village.node
    app = StaffApp(node, StaffContext(node, clock=Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _intake(app, pilot, village)
        await keys("enter")  # nobody to search: a new caller
        await keys("Truus", "enter", "050 1234567", "enter")
        await settle(pilot)
        await keys("Kerkstraat 4", "enter", "Win", "right", "enter")
        assert _caller_line(app).startswith("Beller: nieuw")
        await keys("verv", "right", "enter", "Naar de huisarts", "enter", "do", "enter", "m", "enter",
                   "14 uur", "enter", "enter")
        # The caller line is still on screen at 80x24, however far the form scrolled.
        assert app.screen.query_one("#caller").region.y == 1
        await keys("enter")  # the zorgsignaal field left empty: post
        await settle(pilot)
        assert keys.count <= 110, keys.count
        message = str(app.screen.query_one("#message").render())
        assert "staat op het bord" in message
        # The form cleared: a second Enter (and a third) makes nothing new.
        await keys("enter", "enter")
        await settle(pilot)
        assert app.screen.query_one("#find").value == ""
    (made,) = _requests(node)
    truus = cards.load(node.store, made[0])
    assert (truus.first_name, truus.phone, truus.address, truus.village) == ("Truus", "050 1234567",
                                                                            "Kerkstraat 4", "Winsum")
    assert len([p for p in cards.load_all(node.store) if p.first_name == "Truus"]) == 1
    entry = node.store.get(node.node_id, made[1])
    assert entry is not None
    assert entry.body["when"] == {"text": "14 uur", "days": ["thu"], "slots": ["afternoon"]}
    assert "name" not in entry.body and "Truus" not in entry.canonical().decode()
    assert intake.resident_of(node, entry) == truus.id


async def test_a_returning_caller_is_found_by_phone_in_the_first_field(village: Village) -> None:
    node = village.node
    app = StaffApp(node, StaffContext(node, clock=Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _intake(app, pilot, village)
        await keys("+31 594 111111", "enter")
        await settle(pilot)
        await keys("enter")  # the one card found: Ans
        await settle(pilot)
        assert _caller_line(app) == f"Beller: {village.ans.id} Ans · Ezinge · 0594-111111"
        await keys("tuin", "enter", "Heg knippen", "enter", "enter", "enter", "enter", "j", "enter", "enter")
        await settle(pilot)
        # The same again within the minute is refused with a sentence; still one request.
        await keys(village.ans.id, "enter")
        await settle(pilot)
        await keys("enter", "tuin", "enter", "Heg knippen", "enter", "enter", "enter", "enter", "j", "enter",
                   "enter")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert any("net al ingevoerd" in n for n in notes), notes
    (made,) = _requests(node)
    entry = node.store.get(node.node_id, made[1])
    assert entry is not None and entry.body["name"] == "Ans"


async def test_a_known_phone_on_a_new_caller_offers_the_existing_card(village: Village) -> None:
    node = village.node
    app = StaffApp(node, StaffContext(node, clock=Clock()))
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _intake(app, pilot, village)
        await keys("enter", "Ans", "enter", "0594 111 111", "enter")
        await settle(pilot)
        assert "staat al op een kaart" in str(app.screen.query_one("#message").render())
        await keys("enter")
        await settle(pilot)
        assert _caller_line(app).startswith(f"Beller: {village.ans.id} Ans")
    assert len([p for p in cards.load_all(node.store) if p.first_name == "Ans"]) == 1


async def test_idle_logout_warns_30_seconds_before_and_keeps_the_draft_sealed(village: Village) -> None:
    import datetime as dt

    from noticeboard.app.staff.intake import draft_secret
    from noticeboard.app.staff.login import StaffLoginScreen

    node = village.node
    clock = Clock()
    app = StaffApp(node, StaffContext(node, clock=clock))
    async with app.run_test(size=(80, 24)) as pilot:
        keys = await _intake(app, pilot, village)
        await keys("enter", "Truus", "enter", "050 1234567", "enter")
        await settle(pilot)
        clock.advance(dt.timedelta(minutes=4, seconds=35))
        app.screen.end_if_idle()  # type: ignore[attr-defined]
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("Over 25 seconden logt de balie u uit" in n for n in notes), notes
        assert app.ctx.session is not None
        clock.advance(dt.timedelta(seconds=30))
        app.screen.end_if_idle()  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        # Kept sealed for this volunteer only, under the data key like every secret.
        kept = node.store.secret(draft_secret(village.volunteer.actor))
        assert kept is not None and b"Truus" in kept
        with node.store.read() as conn:
            sealed = conn.execute("SELECT sealed FROM secrets WHERE name = ?",
                                  (draft_secret(village.volunteer.actor),)).fetchone()[0]
        assert b"Truus" not in sealed
        await type_text(pilot, str(village.volunteer_number))
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.query_one("#first_name").value == "Truus"
        assert app.screen.query_one("#phone").value == "050 1234567"
        assert "terug" in str(app.screen.query_one("#message").render())
    assert node.store.secret(draft_secret(village.volunteer.actor)) is None
