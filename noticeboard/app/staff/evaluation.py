"""The coordinator's evaluation: the centres this node knows side by side, by variant and by kind of place.

The same report as ``noticeboard evaluation`` (noticeboard/desk/evaluation_report.py), from the
``stats`` entries alone: the tables, then the charts drawn with plotext at the screen's width.
``p`` and ``m`` set this centre's kind of place and matching mode; ``d`` signs and shares its
figures now (they go out once a month by themselves).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from noticeboard.app.staff.base import StaffScreen
from noticeboard.desk import evaluation
from noticeboard.desk import evaluation_report as report
from noticeboard.entry import VARIANT
from noticeboard.i18n import t, tn

MATCHING = (*VARIANT["matching"], "auto")


def _next(options: tuple[str, ...], current: str) -> str:
    return options[(options.index(current) + 1) % len(options)] if current in options else options[0]


class EvaluationScreen(StaffScreen):
    """Coordinator only: what works where, from every centre's signed figures."""

    # Tables and charts are drawn to the width: cut at the edge rather than wrapped into a mess.
    DEFAULT_CSS = """
    EvaluationScreen #tables, EvaluationScreen #charts { text-wrap: nowrap; text-overflow: clip; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "change('place')", "staff.evaluation.place", id="staff.evaluation.place"),
        Binding("m", "change('matching')", "staff.evaluation.matching", id="staff.evaluation.matching"),
        Binding("d", "publish", "staff.evaluation.publish", id="staff.evaluation.publish"),
    ]

    def compose(self) -> ComposeResult:
        """The variant line, the tables, the charts."""
        yield Static(t("evaluation.title"), classes="staff-title")
        with VerticalScroll(classes="staff-body", id="body"):
            yield Static("", id="variant")
            yield Static("", id="tables")
            yield Static("", id="charts")
            yield Static(t("evaluation.rule"), classes="staff-hint")
        yield Footer()

    def on_mount(self) -> None:
        """Load the report."""
        super().on_mount()
        self.load()

    def on_resize(self) -> None:
        """Charts follow the width."""
        self.load()

    def _width(self) -> int:
        return max(40, self.size.width - 4)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evaluation")
    def load(self) -> None:
        """Read every centre's figures and draw them."""
        self.ctx.session_or_raise.touch(self.ctx.now(), coordinator=True)
        node = self.ctx.node
        found = report.collect(node.store)
        setting = evaluation.variant_setting(node.store)
        width = self._width()
        tables: list[str] = []
        if found.rows:
            for title, groups in ((t("evaluation.section.centres"), found.centres()),
                                  (t("evaluation.section.variant"), found.by_variant()),
                                  (t("evaluation.section.place"), found.by_place())):
                tables += [title, *("  " + line for line in report.table_lines(groups, width - 2)), ""]
        charts = report.terminal_charts(found, width) if found.rows else t("evaluation.none")
        matching = t(f"evaluation.matching.{setting.matching or 'auto'}")
        variant = t("evaluation.variant.show", place=t(f"evaluation.place.{setting.place}"), matching=matching)
        self.app.call_from_thread(self.fill, variant, "\n".join(tables), charts)

    def fill(self, variant: str, tables: str, charts: str) -> None:
        """Show the report (as plain text: a centre's name is not markup)."""
        self.query_one("#variant", Static).update(Text(variant))
        self.query_one("#tables", Static).update(Text(tables))
        self.query_one("#charts", Static).update(Text(charts))

    @work(thread=True, exclusive=True, exit_on_error=False, group="evaluation-change")
    def action_change(self, what: str) -> None:
        """The next kind of place, or the next matching mode."""
        node, session, now = self.ctx.node, self.ctx.session_or_raise, self.ctx.now()
        current = evaluation.variant_setting(node.store)
        if what == "place":
            evaluation.set_variant(node.store, session, place=_next(VARIANT["place"], current.place), now=now)
        else:
            evaluation.set_variant(node.store, session, matching=_next(MATCHING, current.matching or "auto"), now=now)
        self.app.call_from_thread(self.load)

    @work(thread=True, exclusive=True, exit_on_error=False, group="evaluation-change")
    def action_publish(self) -> None:
        """Sign and share this centre's figures now."""
        made = evaluation.publish_by(self.ctx.node, self.ctx.session_or_raise, now=self.ctx.now())
        self.app.call_from_thread(self.notify, tn("evaluation.published", len(made)))
        self.app.call_from_thread(self.load)
