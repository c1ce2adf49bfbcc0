"""Acceptance 6 at the kiosk: the staff desk is behind an unadvertised key and the PIN; it leaves no trace."""

from __future__ import annotations

import datetime as dt

from noticeboard.app.kiosk.app import make_app
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.app.staff.home import StaffHomeScreen
from noticeboard.app.staff.login import StaffLoginScreen
from tests.desk.fixtures import PIN, Village
from tests.desk.staff_support import Clock, settle, type_text

SIZE = (110, 40)


async def test_residents_reach_staff_screens_only_with_the_pin(village: Village) -> None:
    clock = Clock()
    app = make_app(village.node, kiosk_mode=True, clock=clock, monotonic=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        staff_keys = [b for b in app.screen.active_bindings.values() if b.binding.action == "staff"]
        assert staff_keys and not any(b.binding.show for b in staff_keys)
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen)
        await type_text(pilot, str(village.volunteer_number))
        await pilot.press("enter")
        await type_text(pilot, "9999")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffLoginScreen) and app.staff_ctx.session is None
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)

        await pilot.press("f11")
        await type_text(pilot, str(village.volunteer_number))
        await pilot.press("enter")
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StaffHomeScreen)
        await pilot.press("1")
        await settle(pilot)
        # Five idle minutes end the staff session: back to the kiosk's start, nothing of the desk left.
        clock.advance(dt.timedelta(minutes=5, seconds=1))
        app.screen.end_if_idle()  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and app.staff_ctx.session is None
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert isinstance(app.screen, StartScreen)
