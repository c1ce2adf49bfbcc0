"""The base of every resident screen: big choices as buttons and keys, one handler for worker errors."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input
from textual.worker import Worker, WorkerState

from noticeboard.app.kiosk.faults import Resilient
from noticeboard.entry import EntryError
from noticeboard.i18n import catalog, t
from noticeboard.store.errors import StoreError

if TYPE_CHECKING:
    from noticeboard.app.kiosk.app import KioskApp
    from noticeboard.app.kiosk.context import KioskContext

log = logging.getLogger(__name__)


def error_text(error: BaseException) -> str:
    """A sentence for an error a resident can meet."""
    if isinstance(error, StoreError):
        return t(error.text_key, ref=str(error), **getattr(error, "values", {}))
    if isinstance(error, EntryError):
        if error.reason == "contact_data":
            return t("error.contact_in_text")
        if error.reason == "too_large":
            return t("error.too_long")
        return t("error.entry", detail=error.reason)
    return t("kiosk.error.unexpected")


def report_worker_error(node: Any, event: Worker.StateChanged) -> None:
    """The one place worker errors go: a sentence for the person, the kind of error in the log."""
    if event.state is not WorkerState.ERROR or event.worker.error is None:
        return
    error = event.worker.error
    # Only the kind: an exception's text may hold what a resident typed.
    log.error("kiosk task %s failed: %s", event.worker.name, type(error).__name__)
    node.notify(error_text(error), severity="error", timeout=8)


def translate_bindings(node: Any) -> None:
    """Binding descriptions hold text keys; show them in the language chosen at the start screen."""
    mapping = node._bindings.key_to_bindings
    for key, bindings in list(mapping.items()):
        mapping[key] = [dataclasses.replace(b, description=t(b.description)) if b.description in catalog() else b
                        for b in bindings]


def steady_cursor(screen: Screen[Any]) -> None:
    """No blinking cursors: blinking distracts (WCAG 2.2.2), and screenshots must not depend on timing."""
    for field in screen.query(Input):
        field.cursor_blink = False


class Choice(Button):
    """A big button that runs a screen action, shown with its number key."""

    def __init__(self, key: str, label: str, action: str, *, id: str | None = None,
                 classes: str = "choice", focusable: bool = True) -> None:
        super().__init__(f"{key}  {label}" if key else label, action=action if action.startswith("app.") else f"screen.{action}", id=id, classes=classes)
        # Off where Enter must not choose (the check and code screens): number keys and taps only.
        self.can_focus = focusable


class KioskScreen(Resilient, Screen[None]):
    """A full resident screen; Escape goes back, F10 ("Klaar") ends the visit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "kiosk.key.back", id="kiosk.back"),
        Binding("f10", "app.done", "kiosk.key.done", id="kiosk.done"),
    ]

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self.ctx = ctx
        translate_bindings(self)

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed."""
        return self.app

    def action_back(self) -> None:
        """Back one screen."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        report_worker_error(self, event)

    @on(events.Mount)
    def _steady_cursor(self) -> None:
        steady_cursor(self)

    @on(events.Mount)
    async def _touch_bar(self) -> None:
        """On a touch screen the footer's keys give way to big 'Terug' and 'Klaar' buttons, where they apply."""
        if not getattr(self.app, "touch", False):
            return
        buttons = [Choice("", f"←  {t('kiosk.key.back')}", "back", id="touch-back", classes="touch", focusable=False)
                   if self.check_action("back", ()) else None,
                   Choice("", t("kiosk.key.done"), "app.done", id="touch-done", classes="touch", focusable=False)
                   if self.check_action("app.done", ()) else None]
        shown = [b for b in buttons if b is not None]
        if shown and len(self.app.screen_stack) > 1:
            await self.mount(Horizontal(*shown, id="touch-bar"))

    def type_into(self, field: Input) -> None:
        """Put the cursor in a field; on a touch screen the on-screen keys come up for it."""
        field.focus()
        if getattr(self.app, "touch", False):
            from noticeboard.app.kiosk.keys import open_keys

            open_keys(field)


class KioskModal(Resilient, ModalScreen[Any]):
    """A small dialog over a resident screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "kiosk.key.back", id="kiosk.cancel"),
    ]

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self.ctx = ctx
        translate_bindings(self)

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        report_worker_error(self, event)

    @on(events.Mount)
    def _steady_cursor(self) -> None:
        steady_cursor(self)
