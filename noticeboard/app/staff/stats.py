"""Statistics on screen: requests and help per month as bars, and the table per village and category."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.desk import charts, stats
from noticeboard.i18n import t, tn


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class StatsScreen(StaffScreen):
    """Figures for evaluation (no personal data)."""

    def compose(self) -> ComposeResult:
        """Charts, summary, table."""
        yield Static(t("desk.stats.title"), classes="staff-title")
        with VerticalScroll(classes="staff-body"):
            yield Static("", id="charts")
            yield Static("", id="summary")
            yield DataTable(id="table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, then compute."""
        super().on_mount()
        self.query_one(DataTable).add_columns(
            t("staff.col.month"), t("desk.field.village"), t("staff.col.category"), t("staff.col.requests"),
            t("staff.col.responses"), t("staff.col.agreed"), t("staff.col.done"), t("desk.stats.head.withdrawn"),
            t("desk.stats.head.referred"), t("desk.stats.head.unanswered"), t("staff.col.median_match"))
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        """Compute the figures."""
        self.ctx.session_or_raise.touch(self.ctx.now())
        rows = stats.compute(self.ctx.node, now=self.ctx.now())
        self.app.call_from_thread(self.fill, rows)

    def fill(self, rows: list[stats.StatRow]) -> None:
        """Show charts and rows."""
        lines: list[str] = []
        for label, count in (("desk.stats.chart_requests", "requests"), ("desk.stats.chart_done", "done")):
            per_month = stats.by_month(rows, count)
            if per_month:
                lines.append(t(label))
                lines.extend("  " + line for line in charts.bar_lines(per_month, width=24))
        self.query_one("#charts", Static).update("\n".join(lines) or t("desk.stats.none"))
        total = rows[-1]
        self.query_one("#summary", Static).update(t(
            "desk.stats.summary", requests=tn("desk.stats.requests", total.counts["requests"]), agreed=total.counts["agreed"],
            done=total.counts["done"], active=total.figures["active_helpers_90d"],
            registered=total.figures["registered_helpers"]))
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            c = row.counts
            table.add_row(row.month, row.village, row.category, str(c["requests"]), str(c["first_responses"]),
                          str(c["agreed"]), str(c["done"]), str(c["withdrawn"]), str(c["referred"]),
                          str(c["unanswered"]), _figure(row.figures["median_hours_match"]))
