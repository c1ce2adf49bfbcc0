"""The staff PIN dialog that leaves a locked-down kiosk."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from noticeboard.app.kiosk import exitlock
from noticeboard.app.kiosk.base import KioskModal
from noticeboard.app.kiosk.keys import Field, open_keys
from noticeboard.desk.exitpin import check_staff_exit, has_exit_pin
from noticeboard.i18n import t, tn


class ExitPinModal(KioskModal):
    """Asks for the PIN; dismisses with True when it is right."""

    def compose(self) -> ComposeResult:
        """One masked field and a message line."""
        with Vertical(classes="dialog"):
            yield Static(t("kiosk.pin.title"), classes="subtitle")
            # Digits for the exit PIN or "number PIN"; any text for the coordinator's passphrase (by a keyboard:
            # the on-screen keys are a keypad).
            yield Field(id="pin", password=True, max_length=128, keys="digits",
                        title=t("kiosk.pin.title"))
            yield Static("", id="message", classes="message")

    def on_mount(self) -> None:
        """Start in the PIN field; on a touch screen with the keypad up."""
        field = self.query_one("#pin", Field)
        field.focus()
        if getattr(self.app, "touch", False):
            open_keys(field)

    @on(Input.Submitted, "#pin")
    def submit(self, event: Input.Submitted) -> None:
        """Check the PIN in a thread (slow hash by design)."""
        event.input.value = ""
        self.check(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, pin: str) -> None:
        """Right: leave. Wrong: say so; after five wrong tries, wait (longer after each further one)."""
        store, now = self.ctx.node.store, self.ctx.now()
        if exitlock.wait_left(store, now):
            # Not checked while waiting: a try now only makes the wait longer.
            wait = exitlock.wrong_try(store, now)
            message = t("kiosk.pin.locked", wait=exitlock.wait_text(wait))
        elif check_staff_exit(store, pin, now=now):
            exitlock.right_try(store, now)
            self.app.call_from_thread(self.dismiss, True)
            return
        elif not has_exit_pin(store) and pin.strip().isdigit():
            message = t("kiosk.pin.none")
        else:
            wait = exitlock.wrong_try(store, now)
            left = exitlock.current(store).left
            message = t("kiosk.pin.locked", wait=exitlock.wait_text(wait)) if wait else tn("kiosk.pin.wrong", left)
        self.app.call_from_thread(self.query_one("#message", Static).update, message)
