"""The audit log on screen (coordinator only): who did what, when."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Input, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.desk import audit, local
from noticeboard.i18n import t


class AuditScreen(StaffScreen):
    """Newest first."""

    def compose(self) -> ComposeResult:
        """Title, a filter line, and the table."""
        yield Static(t("staff.audit.title"), classes="staff-title")
        yield Input(id="filter", placeholder=t("staff.audit.filter"))
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then load."""
        super().on_mount()
        self.query_one(DataTable).add_columns(t("staff.col.when"), t("staff.col.who"), t("staff.col.act"),
                                              t("staff.col.subject"), t("staff.col.details"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Read the log."""
        lines = audit.read(self.ctx.node.store, self.ctx.session_or_raise, now=self.ctx.now(), limit=500)
        self.app.call_from_thread(self.fill, lines)

    def fill(self, lines: list[audit.AuditRecord]) -> None:
        """Keep the lines, show them (filtered)."""
        self.lines = lines
        self.show(self.query_one("#filter", Input).value)
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#filter")
    def filtered(self, event: Input.Changed) -> None:
        """Only lines whose time, who, act, subject or details hold every word typed."""
        self.show(event.value)

    def show(self, text: str) -> None:
        """Fill the table with the lines that fit."""
        words = text.casefold().split()
        table = self.query_one(DataTable)
        table.clear()
        for line in getattr(self, "lines", []):
            details = " ".join(f"{k}={v}" for k, v in sorted(line.details.items()))
            cells = (local.when_text(line.at), audit.actor_text(line.actor), audit.act_text(line.act),
                     line.subject[:16], details)
            if all(any(w in c.casefold() for c in (*cells, line.act)) for w in words):
                table.add_row(*cells)
