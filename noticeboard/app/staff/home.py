"""The desk's start screen: what a volunteer (or the coordinator) can do, one key each."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from noticeboard.app.staff.base import StaffScreen, logout
from noticeboard.i18n import t

COORDINATOR_ONLY = ("audit", "peers", "manage", "evaluation")
# Fixed keys, so a volunteer's fingers learn them; the coordinator's tasks come last.
MENU = (("1", "cards"), ("2", "intake"), ("3", "requests"), ("4", "matches"), ("5", "followup"), ("6", "stats"),
        ("7", "audit"), ("8", "peers"), ("9", "manage"), ("0", "evaluation"))


class StaffHomeScreen(StaffScreen):
    """A menu of numbered tasks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(key, f"open('{item}')", f"staff.menu.{item}", id=f"staff.{item}", show=False) for key, item in MENU],
        Binding("escape", "logout", "staff.key.logout", id="staff.logout"),
    ]

    def compose(self) -> ComposeResult:
        """The menu, with the coordinator's items only for the coordinator."""
        session = self.ctx.session_or_raise
        who = t("staff.role.coordinator") if session.is_coordinator else t(
            "staff.role.volunteer", number=session.actor.split(":")[-1])
        yield Static(t("staff.home.title", who=who), classes="staff-title")
        with Vertical(classes="staff-menu"):
            for key, item in MENU:
                if item not in COORDINATOR_ONLY or session.is_coordinator:
                    yield Static(f"{key}  {t('staff.menu.' + item)}", id=f"menu-{item}")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the coordinator's tasks from volunteers."""
        if action == "open" and parameters and parameters[0] in COORDINATOR_ONLY:
            return self.ctx.session is not None and self.ctx.session.is_coordinator
        return True

    def action_open(self, name: str) -> None:
        """Open one task's screen."""
        from noticeboard.app.staff import screens

        self.app.push_screen(screens.make(name, self.ctx))

    def action_logout(self) -> None:
        """Log out: back to where residents are."""
        logout(self.app, self.ctx, t("staff.logged_out"))
