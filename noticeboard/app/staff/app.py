"""The staff desk as an app of its own (a volunteer's PC), and the hook the kiosk uses to open it."""

from __future__ import annotations

from typing import Any

from textual.app import App

from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.login import StaffLoginScreen
from noticeboard.i18n import t
from noticeboard.node import Node


def open_staff(app: App[Any], ctx: StaffContext) -> None:
    """Push the staff login over whatever the app shows (the kiosk binds an unadvertised key to this)."""
    app.push_screen(StaffLoginScreen(ctx))


class StaffApp(App[None]):
    """Only the desk: login, then the tasks; logging out comes back to the login."""

    TITLE = "Buurthulp"
    # Nothing to reach around the login: no command palette.
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, node: Node, ctx: StaffContext | None = None) -> None:
        super().__init__()
        self.ctx = ctx or StaffContext(node)
        self.ctx.on_logout = self.login_again
        self.ctx.login_is_home = True

    def on_mount(self) -> None:
        """Start at the login."""
        self.title = t("staff.app.title")
        open_staff(self, self.ctx)

    def login_again(self) -> None:
        """After logout or idle: a fresh login screen."""
        open_staff(self, self.ctx)
