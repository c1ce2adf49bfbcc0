"""Posting a request or an offer in three screens: category, what and when, how to reach you."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import Footer, Input, Static

from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.acts.posts import Posted
from noticeboard.app.kiosk.base import Choice, KioskScreen
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.categories import CATEGORIES, URGENCY
from noticeboard.contact import Contact, Way
from noticeboard.entry import MAX_TITLE
from noticeboard.i18n import current_language, t
from noticeboard.node import PostDraft

TILES_PER_PAGE = 8
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
        return PostDraft(self.kind, self.category, self.title, when=t(f"kiosk.when.{self.urgency}"),
                         lang=current_language(), tags={"urgency": self.urgency})


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
        lang = current_language()
        tiles = [Choice(str(n), f"{c.icon}  {c.label(lang)}", f"pick({n})", id=f"tile-{c.code}", classes="tile")
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
        yield Input(placeholder=t("kiosk.what.placeholder"), id="own", max_length=MAX_TITLE)
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
            await box.mount_all([Choice("1", sentence, "pick(1)", id="say"),
                                 Choice("2", t("kiosk.what.own"), "pick(2)", id="type-own")])
            self.query_one("#say", Choice).focus()
            return
        self.query_one("#prompt", Static).update(
            t("kiosk.what.chosen", title=self.draft.title) + "\n" + t("kiosk.when.pick"))
        self.query_one("#own", Input).display = False
        await box.mount_all([Choice(str(n), t(f"kiosk.when.{u}"), f"pick({n})", id=f"when-{u}")
                             for n, u in enumerate(URGENCY, 1)])
        self.query_one(f"#when-{URGENCY[0]}", Choice).focus()

    async def action_pick(self, n: int) -> None:
        """Number keys: a sentence or own words first, then when."""
        if self.phase == "what":
            if n == 1:
                await self.chose_title(t(f"kiosk.say.{self.draft.kind}.{self.draft.category}"))
            elif n == 2:
                self.query_one("#own", Input).focus()
            return
        if 1 <= n <= len(URGENCY):
            self.app.push_screen(ContactScreen(self.ctx, replace(self.draft, urgency=URGENCY[n - 1])))

    @on(Input.Submitted, "#own")
    async def own_words(self, event: Input.Submitted) -> None:
        """Enter after typing: that is the title."""
        if event.value.strip():
            await self.chose_title(event.value.strip())

    async def chose_title(self, title: str) -> None:
        """Keep the title and ask when."""
        self.draft = replace(self.draft, title=title)
        self.phase = "when"
        await self.show_options()


class ContactScreen(KioskScreen):
    """Step 3: first name and phone, or 'I'll come back here'; with where the data stays."""

    BINDINGS: ClassVar[list[BindingType]] = _number_bindings("pick", 2)

    def __init__(self, ctx: KioskContext, draft: Draft) -> None:
        super().__init__(ctx)
        self.draft = draft
        self.mode = ""

    def compose(self) -> ComposeResult:
        """Two ways to be reached, the fields, the consent line and the button."""
        yield Static(t("kiosk.step", n=3), classes="step")
        yield Static(t("kiosk.contact.title"), classes="title")
        with Vertical(id="options"):
            yield Choice("1", t("kiosk.contact.call"), "pick(1)", id="call")
            yield Choice("2", t("kiosk.contact.back"), "pick(2)", id="come-back")
        with Vertical(id="fields"):
            yield Input(placeholder=t("kiosk.contact.name"), id="name", max_length=30)
            yield Input(placeholder=t("kiosk.contact.phone"), id="phone", max_length=20,
                        restrict=r"[0-9 +\-]*")
        yield Static("", id="consent", classes="consent")
        yield Static("", id="message", classes="message")
        yield Choice("", t("kiosk.contact.post"), "post", id="post", classes="primary")
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
        """1: name and phone; 2: I'll come back here."""
        if n == 1:
            self.mode = "call"
            self.query_one("#fields").display = True
            self.query_one("#name", Input).focus()
        elif n == 2:
            self.mode = "back"
            self.query_one("#fields").display = False
            self.query_one("#post", Choice).focus()

    @on(Input.Submitted, "#name")
    def to_phone(self) -> None:
        """Enter on the name goes to the phone."""
        self.query_one("#phone", Input).focus()

    @on(Input.Submitted, "#phone")
    def phone_done(self) -> None:
        """Enter on the phone posts."""
        self.action_post()

    def action_post(self) -> None:
        """Post with the chosen way of contact."""
        name = self.query_one("#name", Input).value.strip()
        phone = self.query_one("#phone", Input).value.strip()
        if self.mode == "call" and name and phone:
            contact = Contact.phone(name, phone)
        elif self.mode == "back":
            contact = Contact.come_back("kiosk")
        else:
            self.query_one("#message", Static).update(t("kiosk.contact.need_name"))
            return
        self.query_one("#post", Choice).disabled = True
        self.post(contact)

    @work(thread=True, exclusive=True, group="contact", exit_on_error=False)
    def post(self, contact: Contact) -> None:
        """Sign and store the post; the contact details stay here, sealed (the screen asked consent)."""
        try:
            posted = acts.post(self.ctx.node, Actor.resident(), self.draft.to_post(), contact=contact, agreed=True,
                               now=self.ctx.now())
        finally:
            self.app.call_from_thread(setattr, self.query_one("#post", Choice), "disabled", False)
        self.app.call_from_thread(self.kiosk.after_flow, DoneScreen(self.ctx, posted, contact))


class DoneScreen(KioskScreen):
    """The reference code, big, with what happens next; after a request, a one-tap offer in return."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_number_bindings("give_back", len(RETURN_OFFERS)),
        Binding("enter", "app.done", "kiosk.key.done", id="kiosk.finish"),
    ]

    def __init__(self, ctx: KioskContext, posted: Posted, contact: Contact) -> None:
        super().__init__(ctx)
        self.post = posted.entry
        self.owner_code = posted.owner_code
        self.contact = contact
        self.gave_back = False

    def compose(self) -> ComposeResult:
        """Code, next step, and the optional return offer."""
        yield Static(t("kiosk.done.title"), classes="title")
        yield Static(self.post.body["ref"], id="code", classes="code")
        yield Static(t("kiosk.done.keep"), classes="subtitle")
        if self.owner_code:
            yield Static(t("acts.post.owner_code", code=self.owner_code), id="owner-code", classes="subtitle")
        if self.post.type == "offer":
            nxt = "kiosk.done.next_offer"
        else:
            nxt = "kiosk.done.next_call" if self.contact.way is Way.PHONE else "kiosk.done.next_back"
        yield Static(t(nxt), id="next", classes="subtitle")
        if self.post.type == "request":
            yield Static(t("kiosk.done.return"), id="return-title", classes="subtitle")
            with Vertical(id="options"):
                for n, (key, _) in enumerate(RETURN_OFFERS, 1):
                    yield Choice(str(n), t(f"kiosk.return.{key}"), f"give_back({n})", id=f"return-{key}",
                                 classes="small")
        yield Choice("", t("kiosk.key.done"), "app.done", id="finish", classes="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Enter means 'Klaar'; the offer in return is a number key or a tap."""
        self.query_one("#finish", Choice).focus()

    def action_back(self) -> None:
        """The flow behind this screen is gone: nothing to go back to."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No 'back' in the footer: the flow behind is gone."""
        return action != "back"

    def action_give_back(self, n: int) -> None:
        """Post the small offer in return, once."""
        if self.post.type != "request" or self.gave_back or not 1 <= n <= len(RETURN_OFFERS):
            return
        self.gave_back = True
        key, category = RETURN_OFFERS[n - 1]
        draft = Draft("offer", category, t(f"kiosk.return.{key}"), "any")
        self.give_back(draft)

    @work(thread=True, exclusive=True, group="done", exit_on_error=False)
    def give_back(self, draft: Draft) -> None:
        """Sign and store the offer in return, with the same way of contact; it has its own wijzigcode."""
        posted = acts.post(self.ctx.node, Actor.resident(), draft.to_post(), contact=self.contact, agreed=True,
                           now=self.ctx.now())
        self.app.call_from_thread(self.returned, posted)

    def returned(self, posted: Posted) -> None:
        """Say it worked, with the offer's own codes, and take the choices away."""
        self.query_one("#options").remove()
        text = t("kiosk.done.returned", ref=posted.entry.body["ref"])
        if posted.owner_code:
            text += "\n" + t("acts.post.owner_code", code=posted.owner_code)
        self.query_one("#return-title", Static).update(text)
