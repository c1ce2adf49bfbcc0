"""The card index on screen: a table of cards, and one card's details (each view audited)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.app.staff.dialogs import CardFormModal, ReasonModal, apply_values, person_values
from noticeboard.categories import BY_CODE
from noticeboard.desk import cards, reciprocity
from noticeboard.desk.errors import BadInput
from noticeboard.i18n import current_language, t


def card_text(person: cards.Person, counter: reciprocity.Counter, nudge: bool) -> str:
    """One card as lines of text."""
    lang = current_language()
    rows = [
        (t("desk.field.first_name"), person.first_name), (t("desk.field.phone"), person.phone),
        (t("desk.field.address"), person.address), (t("desk.field.village"), person.village),
        (t("desk.field.languages"), ", ".join(person.languages)),
        (t("desk.field.skills"), ", ".join(BY_CODE[s].label(lang) for s in person.skills)),
        (t("desk.field.availability"), ", ".join([t(f"desk.day.{d}") for d in person.days]
                                                 + [t(f"desk.slot.{s}") for s in person.slots])),
        (t("desk.field.preferences"), person.preferences
         + (f" ({t('desk.field.same_helper')})" if person.same_helper else "")),
        (t("desk.field.screening"), ", ".join(f"{t('desk.screening.' + s.kind)} {s.on}" for s in person.screening)),
        (t("desk.field.pause"), str(person.pause_until or "")), (t("desk.field.notes"), person.notes),
        (t("desk.field.reciprocity"), t("desk.person.counter", gave=counter.gave, got=counter.got)),
    ]
    lines = [f"{label}: {value}" for label, value in rows if value]
    if nudge:
        lines.append(t("desk.nudge"))
    return "\n".join([person.id, *lines])


class CardIndexScreen(StaffScreen):
    """Every card; Enter shows one; n makes a card, e changes the highlighted one, p pauses it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "staff.card.new", id="staff.card.new"),
        Binding("e", "edit", "staff.card.edit", id="staff.card.edit"),
        Binding("p", "pause", "staff.card.pause", id="staff.card.pause"),
    ]

    def compose(self) -> ComposeResult:
        """Table and detail panel."""
        yield Static(t("staff.cards.title"), classes="staff-title")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static(t("staff.cards.hint"), id="detail", classes="staff-detail")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load the cards in a thread."""
        super().on_mount()
        self.query_one(DataTable).add_columns(t("staff.col.card"), t("desk.field.first_name"),
                                              t("desk.field.village"), t("staff.col.role"), t("staff.col.note"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read the card index (one audit line)."""
        now = self.ctx.now()
        people = cards.listing(self.ctx.node.store, self.ctx.session_or_raise, now=now)
        rows = []
        for p in people:
            roles = "/".join(t(k) for k, on_ in (("desk.person.resident", p.is_resident),
                                                 ("desk.person.helper", p.is_helper)) if on_)
            note = t("desk.reason.paused", until=str(p.pause_until)) if p.paused(now.date()) else ""
            rows.append((p.id, p.first_name, p.village, roles, note))
        self.app.call_from_thread(self.fill, rows)

    def fill(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """Put the rows in the table."""
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row, key=row[0])
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def action_new(self) -> None:
        """A new card."""
        def given(values: dict[str, str] | None) -> None:
            if values:
                self.save(None, values)

        self.app.push_screen(CardFormModal(self.ctx), given)

    def action_edit(self) -> None:
        """Change the highlighted card."""
        pid = self._selected()
        if pid is not None:
            self.open_form(pid)

    @work(thread=True, exclusive=True, exit_on_error=False, group="card")
    def open_form(self, pid: str) -> None:
        """Read the card (audited), then show the form."""
        person = cards.show(self.ctx.node.store, self.ctx.session_or_raise, pid, now=self.ctx.now())
        self.app.call_from_thread(self.app.push_screen, CardFormModal(self.ctx, person_values(person)),
                                  lambda values: self.save(pid, values) if values else None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def save(self, pid: str | None, values: dict[str, str]) -> None:
        """Write the card; the desk refuses a BSN or unknown codes with a sentence."""
        store, session, now = self.ctx.node.store, self.ctx.session_or_raise, self.ctx.now()
        if pid is None:
            person = cards.add(store, session, apply_values(cards.Person(""), values), now=now)
        else:
            person = apply_values(cards.load(store, pid), values)
            cards.save(store, session, person, now=now)
        self.app.call_from_thread(self.notify, t("desk.person.saved", id=person.id))
        self.app.call_from_thread(self.load)

    def action_pause(self) -> None:
        """Pause the highlighted card until a date (empty: take part again)."""
        pid = self._selected()
        if pid is not None:
            def given(text: str | None) -> None:
                if text is not None:
                    self.pause(pid, text)

            self.app.push_screen(ReasonModal(self.ctx, t("staff.card.pause_until"), required=False), given)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def pause(self, pid: str, text: str) -> None:
        """Set or lift the pause."""
        try:
            until = dt.date.fromisoformat(text) if text else None
        except ValueError as exc:
            raise BadInput("pause", field=t("desk.field.pause")) from exc
        cards.pause(self.ctx.node.store, self.ctx.session_or_raise, pid, until, now=self.ctx.now())
        self.app.call_from_thread(self.load)

    @on(DataTable.RowSelected)
    def selected(self, event: DataTable.RowSelected) -> None:
        """Show the chosen card."""
        if event.row_key.value:
            self.show_card(event.row_key.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="card")
    def show_card(self, pid: str) -> None:
        """Read one card (audited) and its counter."""
        store = self.ctx.node.store
        person = cards.show(store, self.ctx.session_or_raise, pid, now=self.ctx.now())
        text = card_text(person, reciprocity.counter(store, pid), reciprocity.should_nudge(store, pid))
        self.app.call_from_thread(self.query_one("#detail", Static).update, text)
