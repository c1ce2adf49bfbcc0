"""'Mijn vraag': a post's status by its reference code, and taking it away ("Weghalen")."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.errors import ActRefused
from noticeboard.app.kiosk.base import Choice, KioskModal, KioskScreen, error_text
from noticeboard.app.kiosk.cards import category_line, shown_title
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.app.kiosk.keys import Field
from noticeboard.entry import Entry
from noticeboard.i18n import t
from noticeboard.node import NotFound, NotOwn
from noticeboard.refcode import normalise_ref


class MineScreen(KioskScreen):
    """Type the code; see the status; take it away after 'Weet u het zeker?'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+w", "withdraw", "kiosk.key.withdraw", id="kiosk.withdraw"),
    ]

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__(ctx)
        self.found: Entry | None = None

    def compose(self) -> ComposeResult:
        """The code field with its answer beside it, the post's status, and 'Weghalen' (once found)."""
        yield Static(t("kiosk.mine.title"), classes="title")
        yield Static(t("kiosk.mine.code"), classes="subtitle")
        yield Field(id="code", max_length=10, keys="letters", title=t("kiosk.mine.code_keys"))
        yield Static("", id="code-error", classes="field-error")
        yield Static("", id="answer", classes="detail")
        yield Field(placeholder=t("acts.owner_code.field"), id="owner", max_length=4, restrict=r"[0-9]*",
                    password=True, keys="digits")
        yield Choice("", t("kiosk.key.withdraw"), "withdraw", id="withdraw", classes="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Start in the code field."""
        self.query_one("#withdraw", Choice).display = False
        self.query_one("#owner", Input).display = False
        self.query_one("#code", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Withdraw only once an own open post is shown."""
        if action == "withdraw":
            return self.found is not None
        return True

    @on(Input.Submitted, "#code")
    def look_up(self, event: Input.Submitted) -> None:
        """Find the post for the typed code; what was shown for the code before goes at once."""
        self.show(None, "")
        if event.value.strip():
            self.find(normalise_ref(event.value))

    @work(thread=True, exclusive=True, group="mine", exit_on_error=False)
    def find(self, ref: str) -> None:
        """Node.find_own: our own post by code, or a sentence why not."""
        try:
            post = self.ctx.node.find_own(ref)
        except NotOwn:
            self.app.call_from_thread(self.show, None, t("kiosk.mine.not_here"))
            return
        except NotFound:
            self.app.call_from_thread(self.show, None, t("kiosk.mine.unknown"))
            return
        self.app.call_from_thread(self.show, post, "")

    def show(self, post: Entry | None, message: str) -> None:
        """The post's status in words (never its contact details), or why there is none, next to the field."""
        self.found = post if post is not None and post.body["status"] in ("open", "matched") else None
        self.query_one("#code-error", Static).update(message)
        answer = self.query_one("#answer", Static)
        if post is None:
            answer.update("")
        else:
            status = t(f"kiosk.status.{post.body['status']}")
            answer.update(Text("\n".join([post.body["ref"], category_line(post), shown_title(post),
                                          t("kiosk.detail.status", status=status)])))
        self.query_one("#withdraw", Choice).display = self.found is not None
        owner = self.query_one("#owner", Input)
        owner.value = ""
        owner.display = self.found is not None
        if self.found is not None:
            owner.focus()
        self.refresh_bindings()

    @on(Input.Submitted, "#owner")
    def owner_done(self) -> None:
        """Enter after the wijzigcode withdraws."""
        self.action_withdraw()

    def action_withdraw(self) -> None:
        """Ask 'Weet u het zeker?' first; the wijzigcode typed goes with the yes."""
        if self.found is not None:
            self.app.push_screen(ConfirmWithdraw(self.ctx), self.confirmed)

    def confirmed(self, sure: bool | None) -> None:
        """Yes: take it away, if the wijzigcode is right."""
        if sure and self.found is not None:
            self.withdraw(str(self.found.body["ref"]), self.query_one("#owner", Input).value)

    @work(thread=True, exclusive=True, group="mine", exit_on_error=False)
    def withdraw(self, ref: str, owner_code: str) -> None:
        """Only the owner's act: a tombstone erases it here and everywhere it went."""
        try:
            acts.withdraw(self.ctx.node, Actor.resident(), ref, owner_code=owner_code, now=self.ctx.now())
        except ActRefused as exc:
            self.app.call_from_thread(self.refused, error_text(exc))
            return
        self.app.call_from_thread(self.withdrawn)

    def refused(self, message: str) -> None:
        """Say why, next to the field, and let them try again."""
        self.query_one("#answer", Static).update(message)
        owner = self.query_one("#owner", Input)
        owner.value = ""
        owner.focus()

    def withdrawn(self) -> None:
        """Say so."""
        self.found = None
        self.query_one("#answer", Static).update(t("kiosk.mine.withdrawn"))
        self.query_one("#withdraw", Choice).display = False
        self.query_one("#owner", Input).display = False
        self.refresh_bindings()


class ConfirmWithdraw(KioskModal):
    """'Weet u het zeker? 1 Ja 2 Nee': dismisses with True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "answer(True)", show=False, id="kiosk.confirm.yes"),
        Binding("2", "answer(False)", show=False, id="kiosk.confirm.no"),
    ]

    def compose(self) -> ComposeResult:
        """The question, what it means, and the two answers."""
        with Vertical(classes="dialog"):
            yield Static(t("kiosk.mine.sure"), classes="title")
            yield Static(t("kiosk.mine.sure_means"), classes="subtitle")
            with Horizontal(classes="choices-row"):
                yield Choice("1", t("kiosk.mine.yes"), "answer(True)", id="yes", classes="primary", focusable=False)
                yield Choice("2", t("kiosk.mine.no"), "answer(False)", id="no", classes="primary", focusable=False)

    def action_answer(self, sure: bool) -> None:
        """Close with the answer."""
        self.dismiss(sure)
