"""The coordinator's menu at the desk: accounts, VOG, hide, reciprocity mode, referral contacts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.i18n import t


class ManageScreen(StaffScreen):
    """Coordinator only."""

    def compose(self) -> ComposeResult:
        """Title and the tasks."""
        yield Static(t("staff.menu.manage"), classes="staff-title")
        yield Footer()

    def on_mount(self) -> None:
        """Coordinator only."""
        super().on_mount()
        self.ctx.session_or_raise.touch(self.ctx.now(), coordinator=True)
