"""Staff login: a volunteer's number and PIN, or (number left empty) the coordinator's passphrase."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, Static

from noticeboard.app.staff.base import StaffScreen, error_text
from noticeboard.app.staff.context import StaffContext
from noticeboard.desk import accounts
from noticeboard.desk.errors import DeskError
from noticeboard.desk.session import Session
from noticeboard.i18n import t


class NumberInput(Input):
    """The login number: Enter moves to the PIN at once, so a PIN typed quickly lands in the PIN field."""

    async def action_submit(self) -> None:
        """Move on first, then tell the screen."""
        self.screen.set_focus(self.screen.query_one("#secret", Input))
        await super().action_submit()


class StaffLoginScreen(StaffScreen):
    """Asks who is there; nothing else of the desk is reachable without it."""

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__(ctx)

    def compose(self) -> ComposeResult:
        """Two fields and a message line."""
        yield Static(t("staff.login.title"), classes="staff-title")
        with Vertical(classes="staff-form"):
            yield Label(t("staff.login.number"))
            yield NumberInput(id="number", restrict=r"[0-9]*", max_length=4)
            yield Label(t("staff.login.secret"))
            yield Input(id="secret", password=True)
            yield Static("", id="message", classes="staff-message")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No way back where the login is the bottom screen."""
        return not (action == "back" and self.ctx.login_is_home)

    def action_back(self) -> None:
        """Leave the login (back to the kiosk), unless the login is all there is."""
        if not self.ctx.login_is_home:
            self.app.pop_screen()

    def end_if_idle(self) -> None:
        """Nobody is logged in here yet: the kiosk's own idle timer covers this screen."""

    @on(Input.Submitted, "#number")
    def next_field(self) -> None:
        """Enter on the number goes to the PIN."""
        self.query_one("#secret", Input).focus()

    @on(Input.Submitted, "#secret")
    def submit(self) -> None:
        """Check the PIN or passphrase (slow by design, so in a thread)."""
        number = self.query_one("#number", Input).value.strip()
        secret = self.query_one("#secret", Input).value
        self.query_one("#secret", Input).value = ""
        self.query_one("#message", Static).update(t("staff.login.checking"))
        self.check(int(number) if number else None, secret)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, number: int | None, secret: str) -> None:
        """Log in; on success hand over to the desk's start screen."""
        store, now = self.ctx.node.store, self.ctx.now()
        try:
            if number is None:
                session = accounts.login_coordinator(store, secret, now=now)
            else:
                session = accounts.login_volunteer(store, number, secret, now=now)
        except DeskError as exc:
            self.app.call_from_thread(self.query_one("#message", Static).update, error_text(exc))
            return
        self.app.call_from_thread(self.logged_in, session)

    def logged_in(self, session: Session) -> None:
        """Replace this screen by the desk's start screen."""
        from noticeboard.app.staff.home import StaffHomeScreen

        self.ctx.session = session
        self.app.switch_screen(StaffHomeScreen(self.ctx))
