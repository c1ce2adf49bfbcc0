"""The audit log on screen (coordinator only): who did what, when."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.clock import format_time
from noticeboard.desk import audit
from noticeboard.i18n import t


class AuditScreen(StaffScreen):
    """Newest first."""

    def compose(self) -> ComposeResult:
        """Title and table."""
        yield Static(t("staff.audit.title"), classes="staff-title")
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
        """Show it."""
        table = self.query_one(DataTable)
        table.clear()
        for line in lines:
            details = " ".join(f"{k}={v}" for k, v in sorted(line.details.items()))
            table.add_row(format_time(line.at), line.actor, line.act, line.subject[:16], details)
        table.focus()
