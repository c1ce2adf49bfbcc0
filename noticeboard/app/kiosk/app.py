"""The kiosk app and its one factory (used by the CLI, the tests and the benchmark)."""

from __future__ import annotations

import datetime as dt
import gc
import logging
import math
import time
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from noticeboard.app.kiosk.base import report_worker_error
from noticeboard.app.kiosk.context import DEFAULT_IDLE_SECONDS, KioskContext
from noticeboard.app.kiosk.faults import Resilient, check_injected_fault, where
from noticeboard.app.kiosk.start import StartScreen
from noticeboard.app.kiosk.status import SyncStatus, seconds_since, sync_status
from noticeboard.clock import utcnow
from noticeboard.i18n import current_language, set_language, t, tn
from noticeboard.node import Node

POLL_SECONDS = 0.5
# Posts read per part when the board is first built: the first part is enough for a first
# page; the rest are small enough that a keystroke's page query waits little for the lock.
FIRST_PART = 1_000
BOARD_PART = 2_000
FREEZE_FROM = 10_000
IDLE_CHECK_SECONDS = 1.0
NORMAL_THEME = "buurthulp"
CONTRAST_THEME = "buurthulp-contrast"
THEMES = (
    Theme(name=NORMAL_THEME, primary="#1d5f8a", secondary="#2e7d32", accent="#b35c00", warning="#8a5a00",
          error="#b00020", success="#2e7d32", foreground="#1a1a1a", background="#faf7f0", surface="#ffffff",
          panel="#e8e2d4", dark=False),
    Theme(name=CONTRAST_THEME, primary="#ffff00", secondary="#00ffff", accent="#ffff00", warning="#ffff00",
          error="#ff6060", success="#00ff00", foreground="#ffffff", background="#000000", surface="#000000",
          panel="#000000", dark=True),
)
ACTIVITY = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)
log = logging.getLogger(__name__)


class KioskApp(Resilient, App[None]):
    """The resident kiosk: start screen at the bottom, every visit above it, forgotten on 'Klaar' or idle."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "Buurthulp"
    BINDINGS: ClassVar[list[BindingType]] = [
        # In kiosk mode these do nothing (the actions check); priority so no widget takes them first.
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="kiosk.quit"),
        Binding("ctrl+c", "help_quit", show=False, priority=True, id="kiosk.ctrl_c"),
        Binding("ctrl+z", "suspend_process", show=False, priority=True, id="kiosk.suspend"),
        Binding("ctrl+backslash", "locked", show=False, priority=True, id="kiosk.ctrl_backslash"),
        Binding("ctrl+p", "command_palette", show=False, priority=True, id="kiosk.palette"),
        # Unadvertised staff keys: the exit PIN, and the staff desk's own login.
        Binding("f12", "exit_pin", "kiosk.key.exit", show=False, priority=True, id="kiosk.exit"),
        Binding("f11", "staff", "kiosk.key.staff", show=False, priority=True, id="kiosk.staff"),
    ]
    board_version: reactive[int] = reactive(0, init=False)

    def __init__(self, ctx: KioskContext, *, theme_name: str = NORMAL_THEME, large: bool = False,
                 touch: bool | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        # A touch screen (the kiosk in a browser): no footer of keys, but big 'Terug' and 'Klaar' buttons.
        self._touch = touch
        self.use_command_palette = not ctx.kiosk_mode
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = theme_name
        self.large = large
        # What a fresh visit starts with; a resident's choices are forgotten with the rest.
        self.fresh = (current_language(), theme_name, large)
        self.last_active = ctx.monotonic()
        self.board_shown = 0
        self._seen_seq = -1
        self.staff_ctx: Any = None
        # The kinds of unexpected errors kiosk mode recovered from (the exploration test wants none).
        self.faults: list[str] = []
        self._recovering = False

    # ---- visits ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        """The start screen, the live poll and the idle check."""
        self.set_class(self.touch, "-touch")
        self.show_large()
        self.push_screen(StartScreen(self.ctx))
        self.set_interval(POLL_SECONDS, self.poll_store)
        self.set_interval(IDLE_CHECK_SECONDS, self.forget_if_idle)
        # The first (possibly long) board load starts once the start screen is up, not before it.
        self.call_after_refresh(self.poll_store)

    async def on_event(self, event: events.Event) -> None:
        """Any key, tap or scroll counts as someone being there."""
        if isinstance(event, ACTIVITY):
            self.last_active = self.ctx.monotonic()
        await super().on_event(event)

    def forget_if_idle(self) -> None:
        """After the idle time, forget the visit; for the last seconds before, ask 'Bent u er nog?'."""
        from noticeboard.app.kiosk.idle import WARN_SECONDS, StillThere

        now = self.ctx.monotonic()
        warning = self.screen if isinstance(self.screen, StillThere) else None
        below = self.screen_stack[-2] if warning is not None else self.screen
        held = getattr(below, "hold_until", 0.0) > now  # the code screen stays its first minute
        visiting = len(self.screen_stack) - (warning is not None) > 2 or \
            (current_language(), self.theme, self.large) != self.fresh
        left = self.ctx.idle_seconds - (now - self.last_active)
        if held or not visiting:
            if warning is not None:
                warning.dismiss(None)
            if not visiting:
                self.last_active = now
            return
        if left <= 0:
            self.last_active = now
            self.action_done()
        elif left <= WARN_SECONDS:
            if warning is None:
                self.push_screen(StillThere(self.ctx, math.ceil(left)))
            else:
                warning.count(math.ceil(left))

    def action_done(self, notice: str = "") -> None:
        """'Klaar': back to a fresh start screen; every screen of this visit is thrown away."""
        staff = self.staff_ctx
        if staff is not None and staff.session is not None:
            staff.session.end()
            staff.session = None
        set_language(self.fresh[0])
        self.theme, self.large = self.fresh[1], self.fresh[2]
        self.show_large()
        self._fresh_start(notice)

    def _fresh_start(self, notice: str = "") -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(StartScreen(self.ctx, notice=notice))
        self.clear_notifications()

    # ---- kiosk mode holds whatever happens ------------------------------------------------

    def recover(self, error: Exception, during: str = "") -> bool:
        """In kiosk mode: log where it happened, then a fresh start screen that says so. Else False."""
        if not self.ctx.kiosk_mode:
            return False
        self.faults.append(type(error).__name__)
        log.error("kiosk: unexpected %s%s; back to the start screen", where(error), f" ({during})" if during else "")
        if not self._recovering:
            self._recovering = True
            # Not now: the loop that raised may be half-way through changing screens.
            self.call_later(self._start_afresh)
        return True

    def _start_afresh(self) -> None:
        try:
            self.action_done(notice=t("kiosk.error.restart"))
        finally:
            self._recovering = False

    def _handle_exception(self, error: Exception) -> None:
        """Errors from timers, widgets and callbacks: kiosk mode starts afresh; otherwise the app ends (status 1)."""
        if not self.recover(error):
            super()._handle_exception(error)

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        check_injected_fault(action_name)
        return await super()._dispatch_action(namespace, action_name, params)

    def after_flow(self, screen: Screen[Any]) -> None:
        """End of a flow: the flow's screens go, so Escape cannot lead back into them."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(screen)

    def switch_language(self) -> None:
        """Nederlands <-> English, shown at once on a fresh start screen."""
        set_language("en" if current_language() == "nl" else "nl")
        self._fresh_start()

    @property
    def touch(self) -> bool:
        """Drawn on a touch screen: asked for, or running in a browser page."""
        return self.is_web if self._touch is None else self._touch

    def action_toggle_large(self) -> None:
        """Larger text layout: bigger buttons with more room (and, in a browser, bigger letters)."""
        self.large = not self.large
        self.show_large()

    def show_large(self) -> None:
        """The larger-text layout on or off; a browser page is told too, and changes its font size."""
        self.set_class(self.large, "-large")
        if self.is_web:
            # The only message a Textual app can send its page; the kiosk page takes this one and opens nothing.
            self.open_url(f"buurthulp:font?large={int(self.large)}", new_tab=False)

    def action_toggle_contrast(self) -> None:
        """High contrast: one theme switch."""
        self.theme = NORMAL_THEME if self.theme == CONTRAST_THEME else CONTRAST_THEME

    def sync_line(self, status: SyncStatus) -> str:
        """A discreet sentence on the last sync; honest when there is none."""
        since = seconds_since(status)
        if since is None:
            return t("kiosk.sync.none")
        minutes = int(since // 60)
        when = t("kiosk.ago.now") if minutes < 2 else tn("kiosk.ago.minutes", minutes) if minutes < 120 else \
            tn("kiosk.ago.hours", minutes // 60)
        return tn("kiosk.sync.last", status.peers, ago=when)

    # ---- live board -----------------------------------------------------------------------

    def poll_store(self) -> None:
        """Twice a second: has anything changed in the store (sync, another process)?"""
        # A thread worker cannot be cancelled: while one poll still loads (50k posts take seconds),
        # starting another would load the same board twice, side by side.
        if any(w.group == "poll" and w.is_running for w in self.workers):
            return
        self.watch_store()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def watch_store(self) -> None:
        """Compare the change sequence; bring the in-memory board up to date when it moved."""
        store = self.ctx.node.store
        seq = store.last_seq
        if seq == self._seen_seq:
            return
        first = self._seen_seq < 0
        if first:
            # Newest first, a part at a time: the first page can be shown from the first part
            # while the rest is filled in behind (a board query takes the lock between parts).
            # The board is told only when all is in: telling it after the first part asked a
            # board screen that was opening for its page again, and that page waited a part.
            parts = 0
            while True:
                with self.ctx.board_lock:
                    done = store.backfill_board(FIRST_PART if parts == 0 else BOARD_PART)
                parts += 1
                if done:
                    break
                # The lock is not fair: without a pause this loop takes it straight back and a
                # page query waits for the whole build.
                time.sleep(0.01)
        with self.ctx.board_lock:
            store.refresh_board()
        if first and store.count(types=["request", "offer"]) >= FREEZE_FROM:
            # The board's posts live as long as the kiosk: keep the collector from walking them
            # again and again (at 50k posts a full collection paused typing for 150-300 ms).
            gc.collect()
            gc.freeze()
        self._seen_seq = seq
        if not first or parts > 1:
            self.call_from_thread(setattr, self, "board_version", self.board_version + 1)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        report_worker_error(self, event)

    # ---- locked down ----------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, unless in kiosk mode (staff leave with the PIN)."""
        if not self.ctx.kiosk_mode:
            self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C: nothing in kiosk mode."""
        if not self.ctx.kiosk_mode:
            super().action_help_quit()

    def action_suspend_process(self) -> None:
        """Ctrl+Z: nothing in kiosk mode."""
        if not self.ctx.kiosk_mode:
            super().action_suspend_process()

    def action_command_palette(self) -> None:
        """The command palette: not for residents in kiosk mode."""
        if not self.ctx.kiosk_mode:
            super().action_command_palette()

    def action_locked(self) -> None:
        """Keys that would reach a shell do nothing here."""

    def action_exit_pin(self) -> None:
        """Staff leave with the PIN (outside kiosk mode, at once)."""
        from noticeboard.app.kiosk.pin import ExitPinModal

        if not self.ctx.kiosk_mode:
            self.exit()
            return
        self.push_screen(ExitPinModal(self.ctx), self._pin_answered)

    def _pin_answered(self, right: bool | None) -> None:
        if right:
            self.exit()

    def action_staff(self) -> None:
        """Open the staff desk's login over the kiosk (volunteers and the coordinator)."""
        from noticeboard.app.staff.app import open_staff
        from noticeboard.app.staff.context import StaffContext

        self.staff_ctx = StaffContext(self.ctx.node, clock=self.ctx.clock)
        self.staff_ctx.on_logout = self.action_done
        open_staff(self, self.staff_ctx)


def make_app(node: Node, *, kiosk_mode: bool = False, idle_seconds: float = DEFAULT_IDLE_SECONDS,
             clock: Callable[[], dt.datetime] = utcnow, monotonic: Callable[[], float] = time.monotonic,
             language: str | None = None, contrast: bool = False, large: bool = False,
             status: Callable[[Node], SyncStatus] = sync_status, touch: bool | None = None) -> KioskApp:
    """The kiosk for an open node: the CLI, the tests and the benchmark all start it here."""
    if language is not None:
        set_language(language)
    ctx = KioskContext(node, clock=clock, monotonic=monotonic, idle_seconds=idle_seconds, kiosk_mode=kiosk_mode,
                       status=status)
    return KioskApp(ctx, theme_name=CONTRAST_THEME if contrast else NORMAL_THEME, large=large, touch=touch)
