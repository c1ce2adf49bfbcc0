"""'Bent u er nog?': the last seconds before an idle kiosk forgets the visit, with a countdown; a key keeps all."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from noticeboard.app.kiosk.base import KioskModal
from noticeboard.i18n import t, tn

WARN_SECONDS = 15


class StillThere(KioskModal):
    """Over the screen of the visit; any key or tap closes it and nothing is lost."""

    def __init__(self, ctx: object, left: int) -> None:
        super().__init__(ctx)  # type: ignore[arg-type]
        self.left = left

    def compose(self) -> ComposeResult:
        """The question, big, and how long until the kiosk starts again."""
        with Vertical(classes="dialog"):
            yield Static(t("kiosk.idle.still_there"), classes="title")
            yield Static(tn("kiosk.idle.left", self.left), id="left", classes="subtitle")

    def count(self, left: int) -> None:
        """A second less."""
        self.left = left
        # Not there yet when the dialog is still being put up: compose then uses self.left.
        for shown in self.query("#left").results(Static):
            shown.update(tn("kiosk.idle.left", left))

    def on_key(self, event: events.Key) -> None:
        """Any key: still there. The key does nothing else."""
        event.stop()
        event.prevent_default()
        self.dismiss(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A tap: still there."""
        event.stop()
        self.dismiss(None)
