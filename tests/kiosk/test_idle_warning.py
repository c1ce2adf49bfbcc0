"""'Bent u er nog? Druk op een toets' for the last 15 seconds, counting down; a key keeps everything."""

from __future__ import annotations

from textual.widgets import Input

from noticeboard.app.kiosk.idle import StillThere
from noticeboard.app.kiosk.post import WhatScreen
from noticeboard.app.kiosk.start import StartScreen
from tests.app.conftest import FakeIdle, kiosk
from tests.app.fixtures import KioskBoard
from tests.app.support import screen_text, settle, type_text

TYPED = "Hulp bij de heg"


async def test_a_countdown_before_the_wipe_and_a_key_keeps_what_was_typed(board: KioskBoard) -> None:
    idle = FakeIdle()
    app = kiosk(board, idle, idle_seconds=60, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "2")
        await type_text(pilot, TYPED)
        await settle(pilot)
        idle.now += 44
        app.forget_if_idle()
        await settle(pilot)
        assert not isinstance(app.screen, StillThere), "not yet: 16 s left"
        idle.now += 2
        app.forget_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, StillThere)
        assert "Bent u er nog? Druk op een toets." in screen_text(app)
        assert "Over 14 seconden" in screen_text(app)
        idle.now += 4
        app.forget_if_idle()
        await settle(pilot)
        assert "Over 10 seconden" in screen_text(app)
        await pilot.press("x")  # any key: still there, and the key types nothing
        await settle(pilot)
        assert isinstance(app.screen, WhatScreen)
        assert app.screen.query_one("#own", Input).value == TYPED
        # Then quiet again, all the way: the wipe itself is as before.
        for _ in range(61):
            idle.now += 1
            app.forget_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and len(app.screen_stack) == 2
        assert TYPED not in screen_text(app)
