"""The card index on screen: a table of cards, and one card's details (each view audited)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.categories import BY_CODE
from noticeboard.desk import cards, reciprocity
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
    """Every card; Enter shows one."""

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
