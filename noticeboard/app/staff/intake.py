"""The phone call at the desk, keyboard only, on one screen: find the caller first, then what they need.

Order of a call: search (phone in any spelling, name or card id) -> pick the card, or a new
caller (name, phone, address, village) -> kind of help (with what buurthulp does not do) ->
what -> days and part of the day -> when in words -> may the first name be shown -> zorgsignaal.
The caller line above the form always says who is on the line. After posting the form clears
and says so; posting the same again within a minute is refused by the desk.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Input, Label, Select, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.context import StaffContext
from noticeboard.categories import BY_CODE
from noticeboard.desk import cards, intake, local, places, safeguarding
from noticeboard.desk.errors import BadInput
from noticeboard.i18n import current_language, t
from noticeboard.node import PostDraft

NEW_CALLER = ("first_name", "phone", "address", "village")
REQUEST = ("category", "title", "days", "slots", "when", "show_name", "flag")
FIELDS = ("find", *NEW_CALLER, *REQUEST)
YES = ("j", "ja", "y", "yes")


class Field(Input):
    """An input whose Enter moves the focus at once: a fast typist's next keys land in the next field."""

    async def action_submit(self) -> None:
        """Move on first (synchronously), then tell the screen."""
        screen = self.screen
        if isinstance(screen, IntakeScreen):
            screen.advance(self)
        await super().action_submit()


def draft_secret(actor: str) -> str:
    """Where a volunteer's half-typed intake waits (sealed) after an idle logout."""
    return f"desk.intake_draft|{actor}"


class IntakeScreen(StaffScreen):
    """Take a whole phone call in well under a minute of typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "post", "staff.intake.post", id="staff.intake.post", priority=True),
        Binding("ctrl+g", "suggest", "staff.intake.suggest", id="staff.intake.suggest", priority=True),
        Binding("ctrl+n", "new_caller", "staff.intake.new", id="staff.intake.new", priority=True),
    ]

    def __init__(self, ctx: StaffContext) -> None:
        super().__init__(ctx)
        self.posted_ref: str | None = None
        self.caller: cards.Person | None = None
        self.anyway = False
        self.busy = False
        self.villages: list[str] = []

    def compose(self) -> ComposeResult:
        """Caller line and messages stay put; the form scrolls under them."""
        yield Static(t("staff.intake.title"), classes="staff-title")
        yield Static(t("staff.intake.no_caller"), id="caller", classes="intake-caller")
        yield Static(t("staff.intake.start"), id="message", classes="staff-message")
        with VerticalScroll(classes="intake-form", id="form"):
            yield self._row("find", Field(id="find", placeholder=t("staff.intake.find_hint")))
            yield DataTable(id="found", cursor_type="row", classes="intake-found")
            for name in NEW_CALLER:
                yield self._row(name, Field(id=name, placeholder=t(f"staff.intake.ph.{name}")))
            yield self._row("category", Field(id="category", suggester=SuggestFromList(list(BY_CODE),
                                                                                    case_sensitive=False),
                                              placeholder=", ".join(list(BY_CODE)[:4]) + ", …"))
            yield Static("", id="guide", classes="staff-hint")
            yield self._row("title", Field(id="title", max_length=80))
            yield self._row("days", Field(id="days", placeholder=t("staff.intake.ph.days")))
            yield self._row("slots", Field(id="slots", placeholder=t("staff.intake.ph.slots")))
            yield self._row("when", Field(id="when", max_length=120, placeholder=t("staff.intake.ph.when")))
            yield self._row("show_name", Field(id="show_name", max_length=3, placeholder=t("staff.intake.ph.no")))
            yield self._row("flag", Field(id="flag", placeholder=t("staff.intake.ph.flag")))
            with Horizontal(classes="intake-row"):
                yield Label(t("staff.intake.channel"))
                yield Select([(t(f"staff.channel.{c}"), c) for c in intake.CHANNELS], value="phone",
                             allow_blank=False, id="channel")
        yield Footer()

    def _row(self, name: str, field: Field) -> Horizontal:
        return Horizontal(Label(t(f"staff.intake.label.{name}")), field, classes="intake-row", id=f"row-{name}")

    def on_mount(self) -> None:
        """Start in the search; bring back a draft this volunteer left when the desk logged them out."""
        super().on_mount()
        table = self.query_one("#found", DataTable)
        table.add_columns(t("staff.col.card"), t("desk.field.first_name"), t("desk.field.village"),
                          t("desk.field.phone"), t("staff.col.last_contact"))
        table.display = False
        self.query_one("#find", Input).focus()
        self.load_start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="start")
    def load_start(self) -> None:
        """Known villages for the village field, and a draft kept sealed at an idle logout."""
        node, session = self.ctx.node, self.ctx.session_or_raise
        names = list(places.known(node))
        kept = node.store.secret(draft_secret(session.actor))
        draft: dict[str, Any] | None = None
        if kept is not None:
            draft = json.loads(kept)
            with node.store.write() as conn:
                conn.execute("DELETE FROM secrets WHERE name = ?", (draft_secret(session.actor),))
        self.app.call_from_thread(self.started, names, draft)

    def started(self, names: list[str], draft: dict[str, Any] | None) -> None:
        """Fill the village list; restore a kept draft."""
        self.villages = names
        village = self.query_one("#village", Input)
        village.suggester = SuggestFromList(names, case_sensitive=False)
        village.placeholder = t("staff.intake.ph.village", village=names[0] if names else "")
        if draft:
            for name in FIELDS:
                self.query_one(f"#{name}", Input).value = str(draft.get("values", {}).get(name, ""))
            if draft.get("caller"):
                self.pick(str(draft["caller"]))
            self.say(t("staff.intake.draft_back"))

    def draft(self) -> dict[str, Any] | None:
        """What is typed so far (for keeping it at an idle logout), or None when the form is empty."""
        values = {name: self.query_one(f"#{name}", Input).value for name in FIELDS}
        if not any(v.strip() for v in values.values()) and self.caller is None:
            return None
        return {"values": values, "caller": self.caller.id if self.caller else ""}

    def say(self, text: str) -> None:
        """One line of feedback above the form."""
        self.query_one("#message", Static).update(text)

    def show_caller(self) -> None:
        """The caller line: who is on the phone."""
        line = self.query_one("#caller", Static)
        if self.caller is None:
            if not self._typing_new():
                line.update(t("staff.intake.no_caller"))
                return
            typed = [self.query_one(f"#{n}", Input).value.strip() for n in ("first_name", "village", "phone")]
            line.update(" · ".join([t("staff.intake.new_caller_line"), *[v for v in typed if v]]))
            return
        p = self.caller
        line.update(t("staff.intake.caller", id=p.id, name=p.first_name, village=p.village or "-",
                      phone=p.phone or "-"))

    def _typing_new(self) -> bool:
        return any(self.query_one(f"#{n}", Input).value.strip() for n in NEW_CALLER)

    # ---- finding the caller ------------------------------------------------------------------

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        """Enter on the search: look the caller up; empty means a new caller."""
        if event.value.strip():
            self.search(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def search(self, text: str) -> None:
        """Search the card index (audited)."""
        found = cards.search(self.ctx.node.store, self.ctx.session_or_raise, text, now=self.ctx.now())
        self.app.call_from_thread(self.show_found, text, found, False)

    def show_found(self, text: str, found: list[cards.Found], known_phone: bool) -> None:
        """The cards found, to tell people apart; Enter picks one."""
        table = self.query_one("#found", DataTable)
        table.clear()
        for f in found:
            last = local.date_text(f.last_contact) if f.last_contact else t("desk.find.never")
            table.add_row(f.person.id, f.person.first_name, f.person.village, f.person.phone, last, key=f.person.id)
        table.display = bool(found)
        if found:
            self.say(t("staff.intake.known_phone" if known_phone else "staff.intake.found", n=len(found)))
            table.focus()
            return
        # Nobody: a new caller, with what was searched already in the right field.
        self.say(t("desk.find.none"))
        self.action_new_caller()
        digits = cards.phone_digits(text)
        target = "phone" if len(digits) >= 4 and not any(c.isalpha() for c in text) else "first_name"
        if not self.query_one(f"#{target}", Input).value:
            self.query_one(f"#{target}", Input).value = text
        if target == "phone":
            self.query_one("#first_name", Input).focus()

    @on(DataTable.RowSelected, "#found")
    def chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a card: that is the caller."""
        if event.row_key.value is not None:
            self.pick(str(event.row_key.value))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pick")
    def pick(self, pid: str) -> None:
        """Read the chosen card (audited)."""
        person = cards.show(self.ctx.node.store, self.ctx.session_or_raise, pid, now=self.ctx.now())
        self.app.call_from_thread(self.picked, person)

    def picked(self, person: cards.Person) -> None:
        """Caller known: straight on to the request."""
        self.caller = person
        for name in NEW_CALLER:
            self.query_one(f"#{name}", Input).value = ""
        self.query_one("#found", DataTable).display = False
        self.show_caller()
        self.say("")
        self.query_one("#category", Input).focus()

    def action_new_caller(self) -> None:
        """A caller without a card: the new-caller fields (also from the list of found cards)."""
        self.caller = None
        self.query_one("#found", DataTable).display = False
        self.show_caller()
        self.query_one("#first_name", Input).focus()

    def on_key(self, event: Any) -> None:
        """In the list of found cards, 'n' means: none of these, a new caller (the desk may warn on the phone)."""
        super().on_key(event)
        table = self.query_one("#found", DataTable)
        if event.key == "n" and table.has_focus:
            event.stop()
            if self.query_one("#phone", Input).value.strip():
                self.anyway = True
                self.query_one("#address", Input).focus()
            else:
                self.action_new_caller()

    @on(Input.Submitted, "#phone")
    def phone_given(self, event: Input.Submitted) -> None:
        """A known phone number on a new caller: show those cards first."""
        self.anyway = False
        if event.value.strip():
            self.check_phone(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def check_phone(self, phone: str) -> None:
        """Cards with this number already (the view of them is audited)."""
        known = cards.same_phone(self.ctx.node.store, phone)
        if not known:
            return
        found = [f for f in cards.search(self.ctx.node.store, self.ctx.session_or_raise, phone, now=self.ctx.now())
                 if f.person.id in {p.id for p in known}]
        self.app.call_from_thread(self.show_found, phone, found, True)

    # ---- the request -------------------------------------------------------------------------

    @on(Input.Changed, "#category")
    def show_guidance(self, event: Input.Changed) -> None:
        """What buurthulp does not do in this kind of help, and where to refer (achterwacht)."""
        lines = [f"{guide} {refer}" for guide, refer in safeguarding.category_guidance(event.value.strip().lower())]
        self.query_one("#guide", Static).update("\n".join(lines))

    @on(Input.Changed, "#first_name, #phone, #village")
    def typing_new(self) -> None:
        """The caller line follows."""
        if self.caller is None:
            self.show_caller()

    def advance(self, field: Input) -> None:
        """Enter moves to the next field at once; the search and the phone check move on when they finish."""
        if field.id == "find":
            if not field.value.strip():
                self.action_new_caller()
            return
        if field.id == "flag":
            self.action_post()
        elif field.id == "village":
            self.set_focus(self.query_one("#category", Input))
        else:
            self.focus_next()

    def action_post(self) -> None:
        """Check the form and post in a thread (once: a second Enter while it runs does nothing)."""
        if self.busy:
            return
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}
        channel = str(self.query_one("#channel", Select).value)
        self.busy = True
        self.post(values, channel, self.caller.id if self.caller else "", self.anyway)

    @work(thread=True, exclusive=True, exit_on_error=False, group="post")
    def post(self, values: dict[str, str], channel: str, card: str, anyway: bool) -> None:
        """Make a card for a new caller if needed, then the request (or keep it home as a zorgsignaal)."""
        try:
            self._post(values, channel, card, anyway)
        finally:
            self.app.call_from_thread(setattr, self, "busy", False)

    def _post(self, values: dict[str, str], channel: str, card: str, anyway: bool) -> None:
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        lang = current_language()
        category = values["category"].lower()
        if category not in BY_CODE:
            raise BadInput("category", field=t("staff.intake.label.category"))
        if not values["title"]:
            raise BadInput("title", field=t("staff.intake.label.title"))
        tags = intake.when_tags(values["when"], intake.parse_days(values["days"], lang),
                                intake.parse_slots(values["slots"], lang))
        draft = PostDraft("request", category, values["title"], when=values["when"], lang=lang, tags=tags)
        shown = values["show_name"].lower() in YES
        if not card:
            if not values["first_name"]:
                raise BadInput("first_name", field=t("staff.intake.label.first_name"))
            village = places.find(node, values["village"])
            if values["village"] and village is None:
                raise BadInput("village", field=t("staff.intake.label.village"))
            person = cards.Person(values["first_name"], values["phone"], values["address"],
                                  village.village if village else node.profile().place.village)
            intake.check_not_duplicate_new(node, person, draft, now=now)
            card = cards.add(node.store, session, person, now=now, anyway=anyway).id
        if values["flag"]:
            ref = intake.intake_flagged(node, session, card, draft, values["flag"], channel=channel, now=now,
                                        name_shown=shown)
            self.app.call_from_thread(self.posted, ref, card, True)
            return
        made = intake.intake(node, session, card, draft, channel=channel, now=now, name_shown=shown)
        self.app.call_from_thread(self.posted, made.body["ref"], card, False)

    def posted(self, ref: str, card: str, held: bool) -> None:
        """It worked: the form clears, the line above says what happened, ready for the next call."""
        self.posted_ref = None if held else ref
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        self.caller, self.anyway = None, False
        self.show_caller()
        done = t("desk.intake.held" if held else "desk.intake.done", ref=ref, id=card)
        self.say(done + ("" if held else " " + t("staff.intake.next")))
        self.notify(done)
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)
        self.query_one("#find", Input).focus()

    def action_suggest(self) -> None:
        """Open suggestions for the request just posted."""
        if self.posted_ref is not None:
            from noticeboard.app.staff.matches import SuggestScreen

            self.app.push_screen(SuggestScreen(self.ctx, self.posted_ref))
