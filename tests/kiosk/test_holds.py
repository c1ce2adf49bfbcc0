"""Kiosk mode holds whatever happens: an unexpected error starts afresh, logged without what was typed;
outside kiosk mode a crash ends the app with status 1; the exit PIN locks out with a growing wait."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from textual.widgets import Input

from noticeboard.app.kiosk import exitlock
from noticeboard.app.kiosk.app import make_app
from noticeboard.app.kiosk.faults import FAULT_ENV, InjectedFault
from noticeboard.app.kiosk.mine import MineScreen
from noticeboard.app.kiosk.pin import ExitPinModal
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.desk.exitpin import set_exit_pin
from tests.app.conftest import FakeIdle, kiosk
from tests.app.fixtures import NOW, KioskBoard
from tests.app.support import screen_text, settle, type_text

TYPED = "Tjitske"


async def test_an_error_in_a_screen_handler_starts_afresh_and_logs_no_typed_text(
        board: KioskBoard, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(self: MineScreen, event: Input.Changed) -> None:
        if event.value == TYPED:
            raise ValueError(f"the resident typed {event.value}")

    # A handler the screen's message loop runs (Textual looks on_<message> methods up by name).
    monkeypatch.setattr(MineScreen, "on_input_changed", broken, raising=False)
    app = kiosk(board, kiosk_mode=True, language="nl")
    with caplog.at_level(logging.ERROR):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            assert isinstance(app.screen, MineScreen)
            await type_text(pilot, TYPED)
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            assert "Er ging iets mis. We beginnen opnieuw." in screen_text(app)
            assert TYPED not in screen_text(app)
            assert app.faults == ["ValueError"]
            # Still answering: the board opens.
            await pilot.press("3")
            await settle(pilot)
            assert not isinstance(app.screen, StartScreen)
            assert app.return_code is None
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError at test_holds.py" in logged and "MineScreen handling Changed" in logged
    assert TYPED not in logged


async def test_an_injected_fault_in_an_action_starts_afresh_in_kiosk_mode(
        board: KioskBoard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULT_ENV, "board")
    app = kiosk(board, kiosk_mode=True, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(3):
            await pilot.press("3")
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            assert "Something went wrong. We start again." in screen_text(app)
        await pilot.press("1")
        await settle(pilot)
        assert not isinstance(app.screen, StartScreen)
    assert app.faults == ["InjectedFault"] * 3
    assert app.return_code in (None, 0)


async def test_outside_kiosk_mode_a_crash_ends_the_app_with_status_1(
        board: KioskBoard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAULT_ENV, "board")
    app = kiosk(board)
    with pytest.raises(InjectedFault):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("3")
            await settle(pilot)
    assert app.return_code == 1


class Clock:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


async def test_ten_wrong_exit_pins_lock_out_with_a_growing_wait_and_the_right_pin_waits_too(
        board: KioskBoard) -> None:
    set_exit_pin(board.node.store, "4821")
    clock = Clock()
    app = make_app(board.node, clock=clock, monotonic=FakeIdle(), kiosk_mode=True, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ExitPinModal)
        said = []
        for _ in range(10):
            await type_text(pilot, "1111")
            await pilot.press("enter")
            await settle(pilot)
            said.append(str(app.screen.query_one("#message").render()))
        assert said[:4] == [f"Die PIN klopt niet. Nog {n} keer, daarna moet u wachten." for n in (4, 3, 2, 1)]
        # noticeboard.lockout: 5 minutes, doubling.
        assert [s.removeprefix("Die PIN klopt niet. ") for s in said[4:]] == [
            f"Wacht {w} en probeer het dan opnieuw." for w in
            ("5 minuten", "10 minuten", "20 minuten", "40 minuten", "80 minuten", "3 uur")]
        # While it waits, even the right PIN is not checked (and the wait grows).
        await type_text(pilot, "4821")
        await pilot.press("enter")
        await settle(pilot)
        assert app.return_code is None and "Wacht 6 uur" in str(app.screen.query_one("#message").render())
        clock.now += dt.timedelta(hours=6, minutes=1)
        await type_text(pilot, "4821")
        await pilot.press("enter")
        # Not settle(): the app is ending, and its workers are cancelled on the way out.
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
        assert app.return_code == 0
    with board.node.store.read() as conn:
        acts = [row[0] for row in conn.execute("SELECT act FROM desk_audit WHERE actor = 'kiosk' ORDER BY seq")]
    assert acts == ["kiosk_exit_failed"] * 4 + ["kiosk_exit_locked"] * 7 + ["kiosk_exit"]
    assert exitlock.current(board.node.store).failed == 0
