"""The base of every staff screen: idle logout, one handler for worker errors, shared styles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.events import Key, MouseDown
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from noticeboard.app.staff.context import StaffContext
from noticeboard.desk.errors import DeskError, SessionEnded
from noticeboard.i18n import catalog, t
from noticeboard.store.errors import StoreError

IDLE_CHECK_SECONDS = 2.0
IDLE_WARNING = dt.timedelta(seconds=30)
log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    """A sentence for an error a staff member can meet."""
    if isinstance(error, DeskError):
        values = dict(error.values)
        if "state" in values and f"desk.state.{values['state']}" in catalog():
            values["state"] = t(f"desk.state.{values['state']}")
        return t(error.text_key, None, **values)  # lang given (None: current), so a value named lang cannot take its place
    if isinstance(error, StoreError):
        return t(error.text_key, ref=str(error))
    return t("staff.error.unexpected")


def translate_bindings(node: Any) -> None:
    """Turn binding descriptions (text keys) into sentences in the current language.

    Textual merges BINDINGS once per class; ours hold text keys, translated per instance so
    the footer follows the language chosen at the kiosk. Uses the pinned Textual's BindingsMap.
    """
    mapping = node._bindings.key_to_bindings
    for key, bindings in list(mapping.items()):
        mapping[key] = [dataclasses.replace(b, description=t(b.description)) if b.description in catalog() else b
                        for b in bindings]


class _StaffBehaviour:
    """Shared by full screens and modals: activity, idle end, worker errors."""

    ctx: StaffContext

    def _staff_mount(self: Any) -> None:
        self.set_interval(IDLE_CHECK_SECONDS, self.end_if_idle)

    def end_if_idle(self: Any) -> None:
        """Warn 30 seconds before; end the session when it idled too long: back to where residents are."""
        if self.ctx.idle_over():
            logout(self.app, self.ctx, t("desk.error.session_ended"))
            return
        left = self.ctx.idle_left()
        if left is not None and left <= IDLE_WARNING and not self.ctx.warned:
            self.ctx.warned = True
            self.app.notify(t("staff.idle.warning", seconds=max(1, int(left.total_seconds()))), severity="warning",
                            timeout=max(1.0, left.total_seconds()))

    def _activity(self) -> None:
        self.ctx.activity()


class StaffScreen(Screen[None], _StaffBehaviour):
    """A full staff screen."""

    CSS_PATH = "staff.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "staff.key.back", id="staff.back"),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__()
        self.ctx = ctx
        translate_bindings(self)

    def on_mount(self) -> None:
        """Start watching for idle."""
        self._staff_mount()

    def on_key(self, event: Key) -> None:
        """Any key counts as activity."""
        self._activity()

    def on_mouse_down(self, event: MouseDown) -> None:
        """Any click counts as activity."""
        self._activity()

    def action_back(self) -> None:
        """Back to the previous staff screen."""
        self.app.pop_screen()

    @on(Worker.StateChanged)
    def worker_failed(self, event: Worker.StateChanged) -> None:
        """One place for every worker error: a sentence for the person, logout when the session ended."""
        if event.state is not WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        if isinstance(error, SessionEnded):
            logout(self.app, self.ctx, error_text(error))
            return
        if not isinstance(error, StoreError):
            # Only the kind and where: exception texts may hold what someone typed.
            log.error("staff task %s failed: %s", event.worker.name, type(error).__name__)
        self.notify(error_text(error), severity="error", timeout=8)


class StaffModal(ModalScreen[Any], _StaffBehaviour):
    """A small staff dialog over a staff screen."""

    CSS_PATH = "staff.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "staff.key.cancel", id="staff.cancel"),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__()
        self.ctx = ctx
        translate_bindings(self)

    def on_mount(self) -> None:
        """Start watching for idle."""
        self._staff_mount()

    def on_key(self, event: Key) -> None:
        """Any key counts as activity."""
        self._activity()

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


def logout(app: Any, ctx: StaffContext, message: str | None = None) -> None:
    """End the session and take every staff screen off the stack; a half-typed intake is kept sealed."""
    if ctx.session is not None:
        _keep_drafts(app, ctx, ctx.session.actor)
        ctx.session.end()
    ctx.session = None
    while len(app.screen_stack) > 1 and isinstance(app.screen, StaffScreen | StaffModal | _StaffBehaviour):
        app.pop_screen()
    if message:
        app.notify(message, timeout=6)
    if ctx.on_logout is not None:
        ctx.on_logout()


def _keep_drafts(app: Any, ctx: StaffContext, actor: str) -> None:
    """Seal what this volunteer had typed in the intake, so it is back when they log in again."""
    from noticeboard.app.staff.intake import IntakeScreen, draft_secret

    drafts = [d for d in (s.draft() for s in app.screen_stack if isinstance(s, IntakeScreen)) if d]
    if not drafts:
        return
    value = json.dumps(drafts[-1], ensure_ascii=False).encode()

    def keep() -> None:
        ctx.node.store.put_secret(draft_secret(actor), value)

    # An app worker: it outlives the screens that are being taken off the stack.
    app.run_worker(keep, thread=True, group="staff-draft", exit_on_error=False)
