"""The desk's start screen: what a volunteer (or the coordinator) can do, one key each."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from noticeboard.app.staff.base import StaffScreen, logout
from noticeboard.i18n import t

COORDINATOR_ONLY = ("audit", "peers")


class StaffHomeScreen(StaffScreen):
    """A menu of numbered tasks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "open('cards')", "staff.menu.cards", id="staff.cards"),
        Binding("2", "open('intake')", "staff.menu.intake", id="staff.intake"),
        Binding("3", "open('matches')", "staff.menu.matches", id="staff.matches"),
        Binding("4", "open('followup')", "staff.menu.followup", id="staff.followup"),
        Binding("5", "open('stats')", "staff.menu.stats", id="staff.stats"),
        Binding("6", "open('audit')", "staff.menu.audit", id="staff.audit"),
        Binding("7", "open('peers')", "staff.menu.peers", id="staff.peers"),
        Binding("escape", "logout", "staff.key.logout", id="staff.logout"),
    ]

    def compose(self) -> ComposeResult:
        """The menu, with the coordinator's items only for the coordinator."""
        session = self.ctx.session_or_raise
        who = t("staff.role.coordinator") if session.is_coordinator else t(
            "staff.role.volunteer", number=session.actor.split(":")[-1])
        yield Static(t("staff.home.title", who=who), classes="staff-title")
        items = ["cards", "intake", "matches", "followup", "stats"]
        if session.is_coordinator:
            items += list(COORDINATOR_ONLY)
        with Vertical(classes="staff-menu"):
            for n, item in enumerate(items, 1):
                yield Static(f"{n}  {t('staff.menu.' + item)}", id=f"menu-{item}")
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
