"""The board: newest first, filters, search as you type, a page at a time; a post's detail and 'Ik kan helpen'."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from noticeboard.acts import posts as acts
from noticeboard.acts.actor import Actor
from noticeboard.app.kiosk.base import Choice, KioskScreen
from noticeboard.app.kiosk.cards import ago, card_text, category_line, kind_word, shown_title, tile_label, when_text
from noticeboard.app.kiosk.context import KioskContext
from noticeboard.app.kiosk.keys import Field
from noticeboard.app.kiosk.pick import PickScreen
from noticeboard.categories import BY_CODE, CATEGORIES
from noticeboard.entry import Entry
from noticeboard.i18n import current_language, t
from noticeboard.store import BoardQuery

PAGE = 20
KINDS: tuple[str | None, ...] = (None, "request", "offer")
DISTANCES: tuple[int | None, ...] = (None, 5, 10, 25)


class BoardScreen(KioskScreen):
    """Posts as cards, one page at a time; every filter is a button and a number key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "kind", "kiosk.key.kind", id="kiosk.filter.kind"),
        Binding("2", "category", "kiosk.key.category", id="kiosk.filter.category"),
        Binding("3", "village", "kiosk.key.village", id="kiosk.filter.village"),
        Binding("4", "distance", "kiosk.key.distance", id="kiosk.filter.distance"),
        Binding("5", "search", "kiosk.key.search", id="kiosk.search"),
        Binding("pagedown,9", "page(1)", "kiosk.key.next_page", show=False, id="kiosk.next_page"),
        Binding("pageup,8", "page(-1)", "kiosk.key.prev_page", show=False, id="kiosk.prev_page"),
    ]

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__(ctx)
        self.query_state = BoardQuery()
        self.page_start = 0
        self.total = 0
        self.generation = 0
        self.shown: list[Entry] = []
        self._shown_as: tuple[object, ...] = ()
        self.villages: list[object] = [None]
        self.home: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        """Search, filters, the list and where we are in it."""
        yield Static(t("kiosk.board.title"), classes="title")
        yield Field(placeholder=t("kiosk.board.search"), id="search", keys="letters")
        with Horizontal(id="filters"):
            yield Choice("1", "", "kind", id="filter-kind", classes="filter")
            yield Choice("2", "", "category", id="filter-category", classes="filter")
            yield Choice("3", "", "village", id="filter-village", classes="filter")
            yield Choice("4", "", "distance", id="filter-distance", classes="filter")
        yield Static("", id="filters-now", classes="filters-now")
        yield OptionList(id="cards")
        with Horizontal(id="pager"):
            yield Choice("8", t("kiosk.key.prev_page"), "page(-1)", id="prev", classes="small")
            yield Static(t("kiosk.board.loading"), id="count", classes="count")
            yield Choice("9", t("kiosk.key.next_page"), "page(1)", id="next", classes="small")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Show the filters, load the first page, follow the live board."""
        self.show_filters()
        self.load_places()
        self.refresh_list()
        self.watch(self.kiosk, "board_version", self.live_update, init=False)
        self.query_one("#cards", OptionList).focus()

    @work(thread=True, exclusive=True, group="places", exit_on_error=False)
    def load_places(self) -> None:
        """Villages we know (centres' profiles) and where this centre is, for the filters."""
        node = self.ctx.node
        here = node.profile().place
        names = sorted({str(e.body["place"]["village"]) for e in node.store.entries(types=["node"])})
        self.app.call_from_thread(self.places_loaded, (here.lat_cdeg, here.lon_cdeg), names)

    def places_loaded(self, home: tuple[int, int], villages: list[str]) -> None:
        """Keep the village list for cycling."""
        self.home = home
        self.villages = [None, *villages]

    def show_filters(self) -> None:
        """The buttons say what they filter; the line below them says what is chosen now, in words."""
        q, lang = self.query_state, current_language()
        for button_id, text_key, key in (("kind", "kiosk.key.kind", "1"), ("category", "kiosk.key.category", "2"),
                                         ("village", "kiosk.key.village", "3"),
                                         ("distance", "kiosk.key.distance", "4")):
            self.query_one(f"#filter-{button_id}", Choice).label = f"{key}  {t(text_key)}"
        chosen = [kind_word(q.kind), BY_CODE[q.category].label(lang) if q.category else "", q.village or "",
                  t("kiosk.board.km", km=int(q.within_km)) if q.within_km else ""]
        shown = " · ".join(c for c in chosen if c)
        self.query_one("#filters-now", Static).update(t("kiosk.board.showing", what=shown or t("kiosk.board.all")))

    def set_query(self, query: BoardQuery) -> None:
        """A new filter: back to the first page."""
        self.query_state = query
        self.page_start = 0
        self.show_filters()
        self.refresh_list()

    def pick(self, title_key: str, options: list[tuple[str, object]], chosen: object, field: str) -> None:
        """One screen of numbered choices for one filter."""
        def chose(value: object) -> None:
            if field == "within_km":
                self.set_query(replace(self.query_state, near=self.home if value else None,
                                       within_km=float(value) if value else None))  # type: ignore[arg-type]
            else:
                # field names one of BoardQuery's fields and value comes from that field's own pick list.
                self.set_query(replace(self.query_state, **{field: value}))  # type: ignore[arg-type]
        self.app.push_screen(PickScreen(self.ctx, t(title_key), options, chosen, chose))

    def action_kind(self) -> None:
        """All, requests, offers."""
        self.pick("kiosk.board.pick_kind", [(kind_word(k), k) for k in KINDS if k], self.query_state.kind, "kind")

    def action_category(self) -> None:
        """Every category, short labels."""
        options: list[tuple[str, object]] = [(f"{c.icon}  {tile_label(c.code)}", c.code) for c in CATEGORIES]
        self.pick("kiosk.board.pick_category", options, self.query_state.category, "category")

    def action_village(self) -> None:
        """Every village we know."""
        options: list[tuple[str, object]] = [(str(v), v) for v in self.villages if v]
        self.pick("kiosk.board.pick_village", options, self.query_state.village, "village")

    def action_distance(self) -> None:
        """Up to 5, 10, 25 km from this centre."""
        if self.home is None:
            return
        current = int(self.query_state.within_km) if self.query_state.within_km else None
        self.pick("kiosk.board.pick_distance", [(t("kiosk.board.km", km=km), km) for km in DISTANCES if km],
                  current, "within_km")

    def action_search(self) -> None:
        """Put the cursor in the search field (on a touch screen, with the keys for it)."""
        self.type_into(self.query_one("#search", Input))

    def action_page(self, step: int) -> None:
        """The next or previous page."""
        offset = self.page_start + step * PAGE
        if 0 <= offset < max(self.total, 1):
            self.page_start = offset
            self.refresh_list()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        """Search as you type."""
        self.query_state = replace(self.query_state, text=event.value)
        self.page_start = 0
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        """Enter in the search field goes to the list."""
        self.query_one("#cards", OptionList).focus()

    def live_update(self) -> None:
        """Something arrived or changed: show the same page again."""
        self.refresh_list()

    def refresh_list(self) -> None:
        """Ask for the current page; an older answer that arrives late is dropped."""
        self.generation += 1
        self.load_page(self.generation, self.query_state, self.page_start)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def load_page(self, generation: int, query: BoardQuery, offset: int) -> None:
        """One page of the board from the store's in-memory index."""
        with self.ctx.board_lock:
            # From what is read so far while the board is first built (newest first, issue 16).
            found, total = self.ctx.node.store.board(query, now=self.ctx.now(), limit=PAGE, offset=offset,
                                                     complete=False)
        self.app.call_from_thread(self.show_page, generation, found, total)

    def show_page(self, generation: int, found: list[Entry], total: int) -> None:
        """Put one page of cards in the list."""
        if generation != self.generation:
            return
        now = self.ctx.now()
        # The same cards as shown (typing on often keeps the newest page): leave the list be,
        # since building and drawing it again is most of a keystroke's time at any board size.
        shown_as = ([(e.key, e.version) for e in found], total, self.page_start, now.replace(second=0))
        if shown_as == self._shown_as:
            self.shown = found
            self.kiosk.board_shown = generation
            return
        self._shown_as = shown_as
        self.total = total
        self.shown = found
        cards = self.query_one("#cards", OptionList)
        highlighted = cards.highlighted
        cards.clear_options()
        cards.add_options([Option(Text(card_text(e, now)), id=str(i)) for i, e in enumerate(found)])
        if found:
            cards.highlighted = min(highlighted or 0, len(found) - 1)
        count = self.query_one("#count", Static)
        if total:
            count.update(t("kiosk.board.count", first=self.page_start + 1, last=self.page_start + len(found), total=total))
        else:
            count.update(self.nothing_found())
        self.kiosk.board_shown = generation

    def nothing_found(self) -> str:
        """'Niets gevonden', and which filter to loosen (the ones set, by their key)."""
        q = self.query_state
        loosen = [t(f"kiosk.board.loosen_{name}") for name, value in
                  (("kind", q.kind), ("category", q.category), ("village", q.village), ("distance", q.within_km))
                  if value]
        if q.text.strip():
            loosen.append(t("kiosk.board.loosen_text"))
        if not loosen:
            return t("kiosk.board.empty_board")
        return t("kiosk.board.empty", loosen=t("kiosk.board.or").join(loosen))

    @on(OptionList.OptionSelected, "#cards")
    def open_card(self, event: OptionList.OptionSelected) -> None:
        """Enter or a tap on a card opens it."""
        self.app.push_screen(DetailScreen(self.ctx, self.shown[int(event.option.id or 0)]))


class DetailScreen(KioskScreen):
    """One post in full (public fields only), with 'Ik kan helpen'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "help", "kiosk.key.help", id="kiosk.help"),
    ]

    def __init__(self, ctx: KioskContext, post: Entry) -> None:
        super().__init__(ctx)
        self.post = post

    def compose(self) -> ComposeResult:
        """Category, title, text, where, when, how long ago, code."""
        body = self.post.body
        yield Static(Text(category_line(self.post)), classes="subtitle")
        yield Static(Text(shown_title(self.post)), classes="title")
        with Vertical(classes="detail"):
            if body.get("text"):
                yield Static(Text(str(body["text"])))
            yield Static(Text(t("kiosk.detail.where", village=body["place"]["village"])))
            if when_text(self.post):
                yield Static(Text(t("kiosk.detail.when", when=when_text(self.post))))
            yield Static(Text(ago(self.post.created, self.ctx.now())))
            yield Static(Text(t("kiosk.detail.code", ref=body["ref"])))
        # An offer is accepted ("Dit wil ik graag"); a request is answered ("Ik kan helpen").
        yield Choice("1", t("kiosk.key.accept" if self.post.type == "offer" else "kiosk.key.help"), "help", id="help",
                     classes="primary")
        yield Footer(show_command_palette=False)

    def action_help(self) -> None:
        """Say 'I can help'."""
        self.app.push_screen(HelpScreen(self.ctx, self.post))


class HelpScreen(KioskScreen):
    """The helper's first name and contact, with where they go; then sent (local or sealed)."""

    def __init__(self, ctx: KioskContext, post: Entry) -> None:
        super().__init__(ctx)
        self.post = post

    def compose(self) -> ComposeResult:
        """Two fields, the consent line, a send button."""
        yield Static(t("kiosk.help.title_offer" if self.post.type == "offer" else "kiosk.help.title"), classes="title")
        yield Static(Text(shown_title(self.post)), classes="subtitle")
        with Vertical(id="fields"):
            yield Field(placeholder=t("kiosk.contact.name"), id="name", max_length=30, keys="words")
            yield Field(placeholder=t("kiosk.help.contact"), id="contact", max_length=60, keys="letters")
        yield Static("", id="consent", classes="consent")
        yield Static("", id="message", classes="message")
        yield Choice("", t("kiosk.key.send"), "send", id="send", classes="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Say where the details go, and start at the name."""
        self.query_one("#name", Input).focus()
        self.load_consent()

    @work(thread=True, exclusive=True, group="help", exit_on_error=False)
    def load_consent(self) -> None:
        """Ours: stays here. Another centre's: sealed to that centre only."""
        node = self.ctx.node
        if self.post.author == node.node_id:
            text = t("kiosk.help.consent_local", name=node.profile().name)
        else:
            home = node.node_profile(self.post.author)
            text = t("kiosk.help.consent_remote", home=home.body["name"] if home else "?")
        self.app.call_from_thread(self.query_one("#consent", Static).update, Text(text))

    @on(Input.Submitted, "#name")
    def to_contact(self) -> None:
        """Enter on the name goes to the contact."""
        self.type_into(self.query_one("#contact", Input))

    @on(Input.Submitted, "#contact")
    def contact_done(self) -> None:
        """Enter on the contact sends."""
        self.action_send()

    def action_send(self) -> None:
        """Send, when both fields are filled in."""
        name = self.query_one("#name", Input).value.strip()
        contact = self.query_one("#contact", Input).value.strip()
        if not (name and contact):
            self.query_one("#message", Static).update(t("kiosk.help.need"))
            return
        self.send(name, contact)

    @work(thread=True, exclusive=True, group="help", exit_on_error=False)
    def send(self, name: str, contact: str) -> None:
        """Kept here for our own post, or sealed to the post's home centre (the screen asked consent)."""
        acts.respond(self.ctx.node, Actor.resident(), self.post, name=name, contact=contact, agreed=True,
                     now=self.ctx.now())
        self.app.call_from_thread(self.kiosk.after_flow, ThanksScreen(self.ctx))


class ThanksScreen(KioskScreen):
    """Sent: thank you, and 'Klaar'."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.done", "kiosk.key.done", id="kiosk.finish"),
    ]

    def compose(self) -> ComposeResult:
        """One sentence and the done button."""
        yield Static(t("kiosk.help.sent"), classes="title")
        yield Choice("", t("kiosk.key.done"), "app.done", id="finish", classes="primary")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        """Enter means 'Klaar'."""
        self.query_one("#finish", Choice).focus()

    def action_back(self) -> None:
        """Nothing to go back to."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No 'back' in the footer: the form behind is gone."""
        return action != "back"
