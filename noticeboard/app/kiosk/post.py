"""Posting a request or an offer in three screens: category, what and when, how to reach you."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Footer, Input, Static

from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.posts import Posted
from noticeboard.app.kiosk.base import Choice, KioskScreen
from noticeboard.app.kiosk.cards import tile_label
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.app.kiosk.keys import Field
from noticeboard.categories import BY_CODE, CATEGORIES, URGENCY
from noticeboard.contact import Contact, Way
from noticeboard.entry import MAX_TITLE, contains_contact_data
from noticeboard.i18n import current_language, t
from noticeboard.node import PostDraft

TILES_PER_PAGE = 8
TYPE_PAST = 40
# A Dutch number has 10 digits (06 12345678); with a country code up to 15.
PHONE_DIGITS = (10, 15)
# The code screen stays at least this long, even when the kiosk's idle time is shorter.
HOLD_CODE_SECONDS = 60.0
# One tap after a request: something small the resident could do in return.
RETURN_OFFERS: tuple[tuple[str, str], ...] = (("coffee", "gezelschap"), ("bake", "overig"), ("walk", "samen"))


@dataclass(frozen=True)
class Draft:
    """What has been chosen so far in the flow."""

    kind: str
    category: str = ""
    title: str = ""
    urgency: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def to_post(self) -> PostDraft:
        """The node's draft for this choice (names stay out of the public entry)."""
        return PostDraft(self.kind, self.category, self.title, when=t(f"kiosk.when.{self.kind}.{self.urgency}"),
                         lang=current_language(), tags={"urgency": self.urgency})


def title_problem(text: str, *, typing: bool = False) -> str:
    """Why these own words cannot be the title, or "" (while typing, an empty field is no problem yet)."""
    title = text.strip()
    if not title:
        return "" if typing else t("kiosk.what.empty")
    if len(title) > MAX_TITLE:
        return t("kiosk.what.too_long", limit=MAX_TITLE, now=len(title))
    if contains_contact_data(title):
        return t("kiosk.what.contact")
    return ""


def phone_problem(phone: str) -> str:
    """Why this is not a phone number we can call, or ""."""
    digits = sum(c.isdigit() for c in phone)
    return "" if PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1] else t("kiosk.contact.bad_phone")


def _number_bindings(action: str, count: int) -> list[BindingType]:
    return [Binding(str(n), f"{action}({n})", show=False, id=f"kiosk.{action}.{n}") for n in range(1, count + 1)]


class CategoryScreen(KioskScreen):
    """Step 1: big tiles with a pictogram and a plain label; 9 shows the other tiles."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_number_bindings("pick", TILES_PER_PAGE),
        Binding("9", "more", "kiosk.key.more", id="kiosk.more"),
    ]

    def __init__(self, ctx: KioskContext, kind: str) -> None:
        super().__init__(ctx)
        self.draft = Draft(kind)
        self.page = 0

    def compose(self) -> ComposeResult:
        """The question and a grid of tiles."""
        yield Static(t("kiosk.step", n=1), classes="step")
        yield Static(t("kiosk.need.category" if self.draft.kind == "request" else "kiosk.give.category"),
                     classes="title")
        yield Grid(id="tiles")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        """Show the first page of tiles."""
        await self.show_page()

    def _page_categories(self) -> list[str]:
        start = self.page * TILES_PER_PAGE
        return [c.code for c in CATEGORIES[start:start + TILES_PER_PAGE]]

    async def show_page(self) -> None:
        """Put this page's tiles in the grid, numbered 1-8, and 9 for the rest."""
        grid = self.query_one("#tiles", Grid)
        # Awaited: the old page's tiles carry the same ids as the new page's "9".
        await grid.remove_children()
        tiles = [Choice(str(n), f"{c.icon}  {tile_label(c.code)}", f"pick({n})", id=f"tile-{c.code}", classes="tile")
                 for n, c in enumerate(CATEGORIES[self.page * TILES_PER_PAGE:(self.page + 1) * TILES_PER_PAGE], 1)]
        more = t("kiosk.category.first" if self.page else "kiosk.category.more")
        tiles.append(Choice("9", more, "more", id="tile-more", classes="tile more"))
        await grid.mount_all(tiles)

    def action_pick(self, n: int) -> None:
        """Choose the nth tile on this page."""
        codes = self._page_categories()
        if 1 <= n <= len(codes):
            self.app.push_screen(WhatScreen(self.ctx, replace(self.draft, category=codes[n - 1])))

    async def action_more(self) -> None:
        """The other page of tiles."""
        self.page = (self.page + 1) % ((len(CATEGORIES) + TILES_PER_PAGE - 1) // TILES_PER_PAGE)
        await self.show_page()


class WhatScreen(KioskScreen):
    """Step 2: a ready-made sentence or one's own words, then when."""

    BINDINGS: ClassVar[list[BindingType]] = _number_bindings("pick", 3)

    def __init__(self, ctx: KioskContext, draft: Draft) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.phase = "what"

    def compose(self) -> ComposeResult:
        """The sentence choices, an input for one's own words, and room for the 'when' choices."""
        yield Static(t("kiosk.step", n=2), classes="step")
        yield Static(t("kiosk.what.title"), classes="title")
        yield Static(t("kiosk.what.pick"), id="prompt", classes="subtitle")
        yield Vertical(id="options")
        # Room to type past the limit: the limit is then said next to the field, nothing is cut.
        yield Field(placeholder=t("kiosk.what.placeholder"), id="own", max_length=MAX_TITLE + TYPE_PAST, keys="words")
        yield Static("", id="own-error", classes="field-error")
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        """Offer the sentence for this category."""
        await self.show_options()

    async def show_options(self) -> None:
        """The numbered choices of the current phase."""
        box = self.query_one("#options", Vertical)
        await box.remove_children()
        if self.phase == "what":
            sentence = t(f"kiosk.say.{self.draft.kind}.{self.draft.category}")
            self.query_one("#prompt", Static).update(t("kiosk.what.pick"))
            self.query_one("#own", Input).display = True
            await box.mount_all([Choice("1", sentence, "pick(1)", id="say"),
                                 Choice("2", t("kiosk.what.own"), "pick(2)", id="type-own")])
            self.query_one("#say", Choice).focus()
            return
        self.query_one("#prompt", Static).update(
            t("kiosk.what.chosen", title=self.draft.title) + "\n" + t(f"kiosk.when.{self.draft.kind}.pick"))
        self.query_one("#own", Input).display = False
        await box.mount_all([Choice(str(n), t(f"kiosk.when.{self.draft.kind}.{u}"), f"pick({n})", id=f"when-{u}")
                             for n, u in enumerate(URGENCY, 1)])
        self.query_one(f"#when-{URGENCY[0]}", Choice).focus()

    def action_back(self) -> None:
        """From 'when' back to 'what' (own words typed stay in the field); from 'what' the screen before."""
        if self.phase == "when":
            self.phase = "what"
            self.call_later(self.show_options)
            return
        super().action_back()

    async def action_pick(self, n: int) -> None:
        """Number keys: a sentence or own words first, then when."""
        if self.phase == "what":
            if n == 1:
                await self.chose_title(t(f"kiosk.say.{self.draft.kind}.{self.draft.category}"))
            elif n == 2:
                self.type_into(self.query_one("#own", Input))
            return
        if 1 <= n <= len(URGENCY):
            self.app.push_screen(ContactScreen(self.ctx, replace(self.draft, urgency=URGENCY[n - 1])))

    @on(Input.Changed, "#own")
    def own_changed(self, event: Input.Changed) -> None:
        """Say what is wrong the moment it can be known (a phone number, too long); nothing is cut."""
        problem = title_problem(event.value, typing=True)
        self.query_one("#own-error", Static).update(problem)

    @on(Input.Submitted, "#own")
    async def own_words(self, event: Input.Submitted) -> None:
        """Enter after typing: that is the title, unless it cannot be (then say why, text kept)."""
        problem = title_problem(event.value)
        self.query_one("#own-error", Static).update(problem)
        if not problem:
            await self.chose_title(event.value.strip())

    async def chose_title(self, title: str) -> None:
        """Keep the title and ask when."""
        self.draft = replace(self.draft, title=title)
        self.phase = "when"
        await self.show_options()


class ContactScreen(KioskScreen):
    """Step 3: first name and phone, or 'I'll come back here'; with where the data stays."""

    BINDINGS: ClassVar[list[BindingType]] = _number_bindings("pick", 3)

    def __init__(self, ctx: KioskContext, draft: Draft) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.mode = ""

    def compose(self) -> ComposeResult:
        """Two ways to be reached, the fields with their errors beside them, the consent line."""
        yield Static(t("kiosk.step", n=3), classes="step")
        yield Static(t("kiosk.contact.title"), classes="title")
        with Vertical(id="options"):
            yield Choice("1", t("kiosk.contact.call"), "pick(1)", id="call")
            yield Choice("2", t("kiosk.contact.back"), "pick(2)", id="come-back")
        with Vertical(id="fields"):
            yield Field(placeholder=t("kiosk.contact.name"), id="name", max_length=30, keys="words")
            yield Static("", id="name-error", classes="field-error")
            yield Field(placeholder=t("kiosk.contact.phone"), id="phone", max_length=20,
                        restrict=r"[0-9 +\-]*", keys="phone")
            yield Static("", id="phone-error", classes="field-error")
            yield Choice("3", t("kiosk.contact.next"), "pick(3)", id="next", classes="primary")
        yield Static("", id="consent", classes="consent")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Fill in the centre's name in the consent line (off the UI loop)."""
        self.query_one("#fields").display = False
        self.load_name()

    @work(thread=True, exclusive=True, group="contact", exit_on_error=False)
    def load_name(self) -> None:
        """The centre's name for the consent line."""
        name = self.ctx.node.profile().name
        self.app.call_from_thread(self.query_one("#consent", Static).update, t("kiosk.contact.consent", name=name))

    def action_pick(self, n: int) -> None:
        """1: name and phone; 2: I'll come back here (on to the check); 3: on to the check."""
        if n == 1:
            self.mode = "call"
            self.query_one("#fields").display = True
            self.query_one("#options").display = False
            self.type_into(self.query_one("#name", Input))
        elif n == 2 and self.mode != "call":
            self.mode = "back"
            self.to_check(Contact.come_back("kiosk"))
        elif n == 3 and self.mode == "call":
            self.phone_done()

    def action_back(self) -> None:
        """From the fields back to the two choices (what was typed stays); else the screen before."""
        if self.mode == "call":
            self.mode = ""
            self.query_one("#fields").display = False
            self.query_one("#options").display = True
            self.query_one("#call", Choice).focus()
            return
        super().action_back()

    @on(Input.Submitted, "#name")
    def to_phone(self) -> None:
        """Enter on the name goes to the phone."""
        self.type_into(self.query_one("#phone", Input))

    @on(Input.Submitted, "#phone")
    def phone_done(self) -> None:
        """Enter on the phone: on to the check, or say next to the field what is missing."""
        name = self.query_one("#name", Input).value.strip()
        phone = self.query_one("#phone", Input).value.strip()
        name_error = "" if name else t("kiosk.contact.need_name")
        phone_error = phone_problem(phone)
        self.query_one("#name-error", Static).update(name_error)
        self.query_one("#phone-error", Static).update(phone_error)
        if name_error:
            self.query_one("#name", Input).focus()
        elif phone_error:
            self.query_one("#phone", Input).focus()
        else:
            self.to_check(Contact.phone(name, phone))

    def to_check(self, contact: Contact) -> None:
        """Show what will be public and what stays here, before anything is posted."""
        self.app.push_screen(CheckScreen(self.ctx, self.draft, contact))


class CheckScreen(KioskScreen):
    """'Dit komt op het prikbord': exactly what becomes public and what stays here; 1 post, 2 change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_number_bindings("pick", 2),
        # Enter (a second one after the phone number) must not post unseen.
        Binding("enter", "nothing", show=False, id="kiosk.check.enter"),
    ]

    def __init__(self, ctx: KioskContext, draft: Draft, contact: Contact) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.contact = contact
        self.posting = False

    def compose(self) -> ComposeResult:
        """The public card as it will read, the private part, and the two choices."""
        category = BY_CODE[self.draft.category]
        kind = t(f"kiosk.kind.{self.draft.kind}")
        yield Static(t("kiosk.check.public"), classes="title")
        yield Static(Text(f"{category.icon}  {kind} · {category.label(current_language())}\n"
                          f"{self.draft.title}\n{t(f'kiosk.when.{self.draft.kind}.{self.draft.urgency}')}"),
                     id="public", classes="card")
        yield Static(t("kiosk.check.private"), classes="subtitle")
        if self.contact.way is Way.PHONE:
            private = Text(f"{self.contact.name} · {self.contact.phone_number}")
        else:
            private = Text(t("kiosk.check.come_back"))
        yield Static(private, id="private", classes="card")
        with Horizontal(classes="choices-row"):
            yield Choice("1", t("kiosk.check.post"), "pick(1)", id="post", classes="primary", focusable=False)
            yield Choice("2", t("kiosk.check.change"), "pick(2)", id="change", classes="primary", focusable=False)
        yield Footer(show_command_palette=False)

    def action_nothing(self) -> None:
        """A key that does nothing here."""

    def action_pick(self, n: int) -> None:
        """1: post it; 2: back to change it (nothing typed is lost)."""
        if n == 1 and not self.posting:
            self.posting = True
            self.post()
        elif n == 2 and not self.posting:
            self.app.pop_screen()

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def post(self) -> None:
        """Sign and store the post; the contact details stay here, sealed (the screens asked consent)."""
        try:
            posted = acts.post(self.ctx.node, Actor.resident(), self.draft.to_post(), contact=self.contact,
                               agreed=True, now=self.ctx.now())
        finally:
            self.app.call_from_thread(setattr, self, "posting", False)
        self.app.call_from_thread(self.kiosk.after_flow, DoneScreen(self.ctx, posted, self.contact))


class DoneScreen(KioskScreen):
    """The reference code, big, and where to use it; stays until a number key (or tap), at least a minute."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "app.done", "kiosk.key.done", id="kiosk.finish"),
        Binding("2", "give_back", "kiosk.key.give_back", id="kiosk.give_back"),
        # Not Enter: an Enter meant for the field before must not take the code away.
        Binding("enter", "nothing", show=False, id="kiosk.done.enter"),
    ]

    def __init__(self, ctx: KioskContext, posted: Posted, contact: Contact) -> None:
        super().__init__(ctx)
        self.post = posted.entry
        self.owner_code = posted.owner_code
        self.contact = contact
        self.hold_until = ctx.monotonic() + HOLD_CODE_SECONDS

    def compose(self) -> ComposeResult:
        """Code first (always in view), then what next, then the choices."""
        yield Static(t("kiosk.done.title"), classes="code-title")
        yield Static(self.post.body["ref"], id="code", classes="code")
        yield Static(t("kiosk.done.keep"), id="keep", classes="subtitle")
        if self.owner_code:
            yield Static(t("acts.post.owner_code", code=self.owner_code), id="owner-code", classes="subtitle")
        if self.post.type == "offer":
            nxt = "kiosk.done.next_offer"
        else:
            nxt = "kiosk.done.next_call" if self.contact.way is Way.PHONE else "kiosk.done.next_back"
        yield Static(t(nxt), id="next", classes="subtitle")
        with Horizontal(classes="choices-row"):
            yield Choice("1", t("kiosk.key.done"), "app.done", id="finish", classes="primary", focusable=False)
            if self.post.type == "request":
                yield Choice("2", t("kiosk.done.return"), "give_back", id="give-back", classes="primary",
                             focusable=False)
        yield Footer(show_command_palette=False)

    def action_back(self) -> None:
        """The flow behind this screen is gone: nothing to go back to."""

    def action_nothing(self) -> None:
        """A key that does nothing here."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No 'back' in the footer: the flow behind is gone; 'iets terugdoen' only after a request."""
        if action == "give_back":
            return self.post.type == "request"
        return action != "back"

    def action_give_back(self) -> None:
        """The optional offer in return: a second post, on its own screen."""
        if self.post.type == "request":
            self.app.push_screen(ReturnScreen(self.ctx, self.contact))


class ReturnScreen(KioskScreen):
    """After a request: something small to offer in return, as a second post with its own code."""

    BINDINGS: ClassVar[list[BindingType]] = _number_bindings("pick", len(RETURN_OFFERS))

    def __init__(self, ctx: KioskContext, contact: Contact) -> None:
        super().__init__(ctx)
        self.contact = contact
        self.posting = False

    def compose(self) -> ComposeResult:
        """What it is, and the small offers."""
        yield Static(t("kiosk.return.title"), classes="title")
        yield Static(t("kiosk.return.second"), classes="subtitle")
        with Vertical(id="options"):
            for n, (key, _) in enumerate(RETURN_OFFERS, 1):
                yield Choice(str(n), t(f"kiosk.return.{key}"), f"pick({n})", id=f"return-{key}")
        yield Footer(show_command_palette=False)

    def action_pick(self, n: int) -> None:
        """Post this offer, once."""
        if self.posting or not 1 <= n <= len(RETURN_OFFERS):
            return
        self.posting = True
        key, category = RETURN_OFFERS[n - 1]
        self.give_back(Draft("offer", category, t(f"kiosk.return.{key}"), "any"))

    @work(thread=True, exclusive=True, group="return", exit_on_error=False)
    def give_back(self, draft: Draft) -> None:
        """Sign and store the offer in return, with the same way of contact; its code is shown next."""
        try:
            posted = acts.post(self.ctx.node, Actor.resident(), draft.to_post(), contact=self.contact, agreed=True,
                               now=self.ctx.now())
        finally:
            self.app.call_from_thread(setattr, self, "posting", False)
        self.app.call_from_thread(self.kiosk.after_flow, DoneScreen(self.ctx, posted, self.contact))
