"""Small staff dialogs shared by several screens."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label

from noticeboard.app.staff.base import StaffModal
from noticeboard.app.staff.context import StaffContext


class ReasonModal(StaffModal):
    """Ask for the reason of a moderation act (it goes into the audit log)."""

    def __init__(self, ctx: StaffContext, question: str) -> None:
        super().__init__(ctx)
        self.question = question

    def compose(self) -> ComposeResult:
        """One question, one field."""
        with Vertical(classes="staff-dialog"):
            yield Label(self.question)
            yield Input(id="reason")
        yield Footer()

    @on(Input.Submitted)
    def done(self, event: Input.Submitted) -> None:
        """Hand the reason back (a reason is required)."""
        if event.value.strip():
            self.dismiss(event.value.strip())
