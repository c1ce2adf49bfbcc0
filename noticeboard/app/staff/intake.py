"""Phone intake, keyboard only: card (or a new caller), kind of help, what, when; Enter to post."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Footer, Input, Label, Select, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.context import StaffContext
from noticeboard.app.staff.dialogs import ReasonModal
from noticeboard.categories import BY_CODE
from noticeboard.desk import cards, intake, safeguarding
from noticeboard.desk.errors import BadInput
from noticeboard.i18n import current_language, t
from noticeboard.node import PostDraft


class IntakeScreen(StaffScreen):
    """Create a request on behalf of a caller in well under a minute."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "post", "staff.intake.post", id="staff.intake.post", priority=True),
        Binding("ctrl+g", "suggest", "staff.intake.suggest", id="staff.intake.suggest", priority=True),
        Binding("ctrl+r", "refer", "staff.intake.refer", id="staff.intake.refer", priority=True),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__(ctx)
        self.posted_ref: str | None = None

    def compose(self) -> ComposeResult:
        """The form, in the order a phone call goes."""
        lang = current_language()
        yield Static(t("staff.intake.title"), classes="staff-title")
        with VerticalScroll(classes="staff-form"):
            yield Label(t("staff.intake.card"))
            yield Input(id="card", placeholder="K-7Q3M")
            yield Label(t("staff.intake.new_caller"))
            yield Input(id="first_name", placeholder=t("desk.field.first_name"))
            yield Input(id="phone", placeholder=t("desk.field.phone"))
            yield Label(t("staff.intake.category"))
            yield Input(id="category", suggester=SuggestFromList(list(BY_CODE), case_sensitive=False),
                        placeholder=", ".join(list(BY_CODE)[:5]) + ", …")
            yield Label(t("staff.intake.what"))
            yield Input(id="title", max_length=80)
            yield Label(t("staff.intake.when"))
            yield Input(id="when", max_length=120)
            yield Label(t("staff.intake.channel"))
            yield Select([(t(f"staff.channel.{c}"), c) for c in intake.CHANNELS], value="phone",
                         allow_blank=False, id="channel")
            yield Static("", id="guide", classes="staff-hint")
            yield Static(t("staff.intake.hint", label=BY_CODE["boodschappen"].label(lang)), id="message",
                         classes="staff-message")
        yield Footer()

    def on_mount(self) -> None:
        """Start in the first field."""
        super().on_mount()
        self.query_one("#card", Input).focus()

    @on(Input.Changed, "#category")
    def show_guidance(self, event: Input.Changed) -> None:
        """What buurthulp does not do in this kind of help, and where to refer (achterwacht)."""
        lines = [f"{guide} {refer}" for guide, refer in safeguarding.category_guidance(event.value.strip().lower())]
        self.query_one("#guide", Static).update("\n".join(lines))

    @on(Input.Submitted)
    def next_or_post(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it posts."""
        if event.input.id == "when":
            self.action_post()
        else:
            self.focus_next()

    def action_post(self) -> None:
        """Check the form and post in a thread."""
        values = {name: self.query_one(f"#{name}", Input).value.strip()
                  for name in ("card", "first_name", "phone", "category", "title", "when")}
        channel = str(self.query_one("#channel", Select).value)
        self.post(values, channel)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def post(self, values: dict[str, str], channel: str) -> None:
        """Make a card for a new caller if needed, then the request."""
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        category = values["category"].lower()
        if category not in BY_CODE:
            raise BadInput("category", field=t("staff.intake.category"))
        if not values["title"]:
            raise BadInput("title", field=t("staff.intake.what"))
        card = values["card"].upper()
        if not card:
            if not values["first_name"]:
                raise BadInput("card", field=t("staff.intake.card"))
            card = cards.add(node.store, session, cards.Person(values["first_name"], values["phone"],
                                                                village=node.profile().place.village), now=now).id
        draft = PostDraft("request", category, values["title"], when=values["when"], lang=current_language())
        made = intake.intake(node, session, card, draft, channel=channel, now=now)
        self.app.call_from_thread(self.posted, made.body["ref"], card)

    def posted(self, ref: str, card: str) -> None:
        """Say it worked; offer suggestions next."""
        self.posted_ref = ref
        self.query_one("#message", Static).update(t("desk.intake.done", ref=ref, id=card) + " "
                                                  + t("staff.intake.next"))
        self.notify(t("desk.intake.done", ref=ref, id=card))

    def action_refer(self) -> None:
        """Flag the request just posted "doorverwijzen / zorgsignaal", with a reason."""
        ref = self.posted_ref
        if ref is not None:
            def given(reason: str | None) -> None:
                if reason:
                    self.refer(ref, reason)

            self.app.push_screen(ReasonModal(self.ctx, t("staff.intake.refer_reason")), given)

    @work(thread=True, exclusive=True, exit_on_error=False, group="refer")
    def refer(self, ref: str, reason: str) -> None:
        """Flag it: its text goes to the coordinator only."""
        safeguarding.flag(self.ctx.node, self.ctx.session_or_raise, ref, reason, now=self.ctx.now())
        self.app.call_from_thread(self.notify, t("desk.flag.done", ref=ref))

    def action_suggest(self) -> None:
        """Open suggestions for the request just posted."""
        if self.posted_ref is not None:
            from noticeboard.app.staff.matches import SuggestScreen

            self.app.push_screen(SuggestScreen(self.ctx, self.posted_ref))
