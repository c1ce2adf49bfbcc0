"""The start screen: three big choices, the language, 'Mijn vraag', and the centre's name and hours."""

from __future__ import annotations

from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from noticeboard.app.kiosk.base import Choice, KioskScreen
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.app.kiosk.status import SyncStatus
from noticeboard.i18n import t
from noticeboard.node import Profile

# Staff without a keyboard (a touch screen) ask for the exit PIN by tapping the welcome line this often, quickly.
STAFF_TAPS = 5
STAFF_TAP_SECONDS = 4.0


class StartScreen(KioskScreen):
    """Where every visit starts and ends."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "need", "kiosk.key.need", id="kiosk.need"),
        Binding("2", "give", "kiosk.key.give", id="kiosk.give"),
        Binding("3", "board", "kiosk.key.board", id="kiosk.board"),
        Binding("4", "mine", "kiosk.key.mine", id="kiosk.mine"),
        Binding("5", "language", "kiosk.key.language", id="kiosk.language"),
        # On their buttons; the footer has no room for them.
        Binding("6", "app.toggle_large", "kiosk.key.large", show=False, id="kiosk.large"),
        Binding("7", "app.toggle_contrast", "kiosk.key.contrast", show=False, id="kiosk.contrast"),
    ]

    def __init__(self, ctx: KioskContext, *, notice: str = "") -> None:
        super().__init__(ctx)
        self.notice = notice
        self.staff_taps: list[float] = []

    def compose(self) -> ComposeResult:
        """Welcome, the three choices, and the small extras below."""
        yield Static("", id="centre", classes="title")
        yield Static("", id="hours", classes="subtitle")
        with Vertical(id="choices"):
            yield Choice("1", t("kiosk.start.need"), "need", id="choice-need")
            yield Choice("2", t("kiosk.start.give"), "give", id="choice-give")
            yield Choice("3", t("kiosk.start.board"), "board", id="choice-board")
        with Horizontal(classes="extras"):
            yield Choice("4", t("kiosk.start.mine"), "mine", id="choice-mine", classes="small")
            yield Choice("5", t("kiosk.start.language"), "language", id="choice-language", classes="small")
            yield Choice("6", t("kiosk.start.large"), "app.toggle_large", id="choice-large", classes="small")
            yield Choice("7", t("kiosk.start.contrast"), "app.toggle_contrast", id="choice-contrast", classes="small")
        if self.notice:
            # Why the resident is back here (after an unexpected error), where the hint would be.
            yield Static(self.notice, id="notice", classes="message")
        else:
            yield Static(t("kiosk.start.hint"), classes="hint")
        yield Static("", id="sync", classes="sync")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Load the centre's profile off the UI loop."""
        self.load_profile()

    def action_back(self) -> None:
        """Nothing lies behind the start screen."""

    def on_click(self, event: events.Click) -> None:
        """Five quick taps on the welcome line: the exit PIN, as F12 (kiosk mode only; not shown anywhere)."""
        if event.widget is None or event.widget.id != "centre" or not self.ctx.kiosk_mode:
            return
        now = self.ctx.monotonic()
        self.staff_taps = [at for at in self.staff_taps if now - at < STAFF_TAP_SECONDS] + [now]
        if len(self.staff_taps) >= STAFF_TAPS:
            self.staff_taps = []
            self.kiosk.action_exit_pin()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No 'back' or 'done' in the footer here: this is where every visit starts."""
        return action not in ("back", "app.done", "done")

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def load_profile(self) -> None:
        """Read the profile and the sync status (store and file reads)."""
        profile = self.ctx.node.profile()
        status = self.ctx.status(self.ctx.node)
        self.app.call_from_thread(self.show_profile, profile, status)

    def show_profile(self, profile: Profile, status: SyncStatus) -> None:
        """Fill in the centre's name, hours and the sync line."""
        self.query_one("#centre", Static).update(t("kiosk.welcome", name=profile.name))
        self.query_one("#hours", Static).update(t("kiosk.hours", hours=profile.hours) if profile.hours else "")
        self.query_one("#sync", Static).update(self.kiosk.sync_line(status))

    def action_need(self) -> None:
        """Start asking for help."""
        from noticeboard.app.kiosk.post import CategoryScreen

        self.app.push_screen(CategoryScreen(self.ctx, "request"))

    def action_give(self) -> None:
        """Start offering help."""
        from noticeboard.app.kiosk.post import CategoryScreen

        self.app.push_screen(CategoryScreen(self.ctx, "offer"))

    def action_board(self) -> None:
        """Look at the board."""
        from noticeboard.app.kiosk.board import BoardScreen

        self.app.push_screen(BoardScreen(self.ctx))

    def action_mine(self) -> None:
        """Look up my request by code."""
        from noticeboard.app.kiosk.mine import MineScreen

        self.app.push_screen(MineScreen(self.ctx))

    def action_language(self) -> None:
        """Switch between Dutch and English."""
        self.kiosk.switch_language()
