"""The evaluation report, made from the ``stats`` entries alone: CSV, a self-contained HTML page, terminal charts.

Every centre this node knows (its own included) is a row per month. A count written "<5" is
somewhere from 1 to 4, so every sum is a range (:class:`Bound`): exact where no cell was
suppressed, ``lo``-``hi`` where some were. Centres are shown side by side and grouped by
variant (matching, reciprocity, channels, back-up) and by kind of place, with the funnel
(asked -> matched -> done -> helped), the days to a match and reciprocity.

The HTML page has no script, no font, no image and no link to anywhere: its charts are SVG
drawn here, so it opens offline in any browser and can be mailed to a municipality as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from noticeboard.entry import STATS_COUNTS, STATS_MEDIAN, STATS_MONTH_COUNTS, SUPPRESS_BELOW, SUPPRESSED, Entry
from noticeboard.i18n import t
from noticeboard.store import Store

STAGES = ("requests", "matched", "done", "helped")
CSV_COLUMNS = ("centre", "node", "village", "month", "place", "matching", "reciprocity", "backup", "channels",
               "category", *STATS_COUNTS, *STATS_MONTH_COUNTS, STATS_MEDIAN)
ALL = "*"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Bound:
    """A count known to lie from ``lo`` to ``hi`` (equal when no suppressed cell went into it)."""

    lo: int
    hi: int

    @classmethod
    def of(cls, cell: int | str) -> Bound:
        """One cell of a ``stats`` entry: a number, or "<5" (1 to 4)."""
        if cell == SUPPRESSED:
            return cls(1, SUPPRESS_BELOW - 1)
        assert isinstance(cell, int)
        return cls(cell, cell)

    def __add__(self, other: Bound) -> Bound:
        return Bound(self.lo + other.lo, self.hi + other.hi)

    @property
    def exact(self) -> bool:
        """Whether the count is known exactly."""
        return self.lo == self.hi

    def text(self) -> str:
        """``12``, or ``12–20`` when suppressed cells went into it."""
        return str(self.lo) if self.exact else f"{self.lo}–{self.hi}"


ZERO = Bound(0, 0)


def total(bounds: Iterable[Bound]) -> Bound:
    """The sum of bounds."""
    found = ZERO
    for bound in bounds:
        found = found + bound
    return found


@dataclass(frozen=True)
class CentreMonth:
    """One centre's figures of one month, as its signed ``stats`` entry says."""

    node: str
    name: str
    village: str
    month: str
    variant: dict[str, Any]
    cells: dict[str, list[int | str]]
    figures: dict[str, int | str]

    def count(self, name: str, category: str | None = None) -> Bound:
        """One count of one category, or summed over every category."""
        at = STATS_COUNTS.index(name)
        rows = [self.cells[category]] if category is not None else list(self.cells.values())
        return total(Bound.of(row[at]) for row in rows if row)

    def figure(self, name: str) -> Bound:
        """A count of the whole month (residents helped, gave and got)."""
        return Bound.of(self.figures.get(name, 0))

    @property
    def median_hours(self) -> int | None:
        """The month's median hours from request to match (given from 5 matches on)."""
        value = self.figures.get(STATS_MEDIAN)
        return value if isinstance(value, int) else None

    @property
    def place(self) -> str:
        """The kind of place."""
        return str(self.variant["place"])

    def variant_key(self) -> tuple[str, str, tuple[str, ...], str]:
        """What groups centres by variant: matching, reciprocity, channels, back-up."""
        v = self.variant
        return (v["matching"], v["reciprocity"], tuple(v["channels"]), v["backup"])


@dataclass
class Group:
    """Centre-months taken together: a centre, a variant, a kind of place."""

    label: str
    rows: list[CentreMonth] = field(default_factory=list)

    def count(self, name: str) -> Bound:
        """A count summed over the group."""
        return total(r.count(name) for r in self.rows)

    def figure(self, name: str) -> Bound:
        """A month figure summed over the group."""
        return total(r.figure(name) for r in self.rows)

    def funnel(self) -> list[tuple[str, Bound]]:
        """Asked, matched, done, helped."""
        return [(stage, self.count(stage)) for stage in STAGES]

    @property
    def centres(self) -> int:
        """How many centres are in the group."""
        return len({r.node for r in self.rows})

    @property
    def months(self) -> int:
        """How many centre-months are in the group."""
        return len(self.rows)

    def median_days(self) -> float | None:
        """The median of the months' median days to a match (months with 5 matches or more)."""
        found = [r.median_hours for r in self.rows if r.median_hours is not None]
        return round(statistics.median(found) / 24, 1) if found else None

    def reciprocity(self) -> tuple[Bound, Bound]:
        """(gave and got, residents helped): of the residents helped, how many also gave."""
        return self.figure("gave_and_got"), self.figure("residents_helped")


def share_text(part: Bound, whole: Bound) -> str:
    """A share in per cent, as a range when either side is."""
    if whole.hi == 0:
        return "–"
    low = part.lo / whole.hi if whole.hi else 0.0
    high = min(1.0, part.hi / whole.lo) if whole.lo else 1.0
    if part.exact and whole.exact:
        return f"{round(100 * part.lo / whole.lo)}%"
    if round(100 * low) == round(100 * high):
        return f"{round(100 * low)}%"
    return f"{round(100 * low)}–{round(100 * high)}%"


@dataclass
class Report:
    """Every centre-month this node knows, oldest month first."""

    rows: list[CentreMonth]

    def _groups(self, key: Callable[[CentreMonth], Any], label: Callable[[CentreMonth], str]) -> list[Group]:
        groups: dict[Any, Group] = {}
        for row in self.rows:
            groups.setdefault(key(row), Group(label(row))).rows.append(row)
        return [groups[k] for k in sorted(groups, key=str)]

    def centres(self) -> list[Group]:
        """One group per centre, side by side (by name)."""
        return sorted(self._groups(lambda r: r.node, lambda r: r.name), key=lambda g: (g.label, g.rows[0].node))

    def by_variant(self) -> list[Group]:
        """One group per variant."""
        return self._groups(lambda r: r.variant_key(), lambda r: variant_label(r.variant))

    def by_place(self) -> list[Group]:
        """One group per kind of place."""
        return self._groups(lambda r: r.place, lambda r: t(f"evaluation.place.{r.place}"))

    @property
    def months(self) -> list[str]:
        """The months in the report."""
        return sorted({r.month for r in self.rows})


def variant_label(variant: dict[str, Any]) -> str:
    """A variant in words: matching · reciprocity · channels · back-up."""
    channels = ", ".join(t(f"evaluation.channel.{c}") for c in variant["channels"]) or "–"
    return " · ".join((t(f"evaluation.matching.{variant['matching']}"),
                       t(f"evaluation.reciprocity.{variant['reciprocity']}"), channels,
                       t(f"evaluation.backup.{variant['backup']}")))


def collect(store: Store) -> Report:
    """The report over every ``stats`` entry held, with each centre's name and village from its profile."""
    profiles: dict[str, Entry] = {}
    for profile in store.entries(types=["node"]):
        if profile.author not in profiles or profile.updated >= profiles[profile.author].updated:
            profiles[profile.author] = profile
    rows = []
    for entry in store.entries(types=["stats"]):
        body = entry.body
        known = profiles.get(entry.author)
        name = str(known.body["name"]) if known else entry.author[:12]
        village = str(known.body["place"]["village"]) if known else ""
        rows.append(CentreMonth(entry.author, name, village, body["month"], body["variant"], body["categories"],
                                body["figures"]))
    rows.sort(key=lambda r: (r.month, r.name, r.node))
    return Report(rows)


# ---- CSV -------------------------------------------------------------------------------------


def to_csv(report: Report) -> str:
    """Per centre, month and category the cells as the entries hold them; a ``*`` row has the month's figures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in sorted(report.rows, key=lambda r: (r.name, r.node, r.month)):
        v = row.variant
        head = [row.name, row.node, row.village, row.month, v["place"], v["matching"], v["reciprocity"], v["backup"],
                " ".join(v["channels"])]
        for category, cells in row.cells.items():
            writer.writerow([*head, category, *cells, *([""] * (len(STATS_MONTH_COUNTS) + 1))])
        median = row.figures.get(STATS_MEDIAN, "")
        writer.writerow([*head, ALL, *([""] * len(STATS_COUNTS)),
                         *(row.figures.get(n, 0) for n in STATS_MONTH_COUNTS), median])
    return out.getvalue()


# ---- terminal --------------------------------------------------------------------------------


def table_lines(groups: list[Group], width: int = 100) -> list[str]:
    """The groups side by side as text lines: the funnel, days to a match, reciprocity.

    A label too long for its column has a line of its own, with its figures on the next.
    """
    # The terminal's columns are narrow: "days" here, the whole words in the HTML report.
    heads = [t("evaluation.col.group"), *(t(f"evaluation.stage.{s}") for s in STAGES),
             t("evaluation.col.days"), t("evaluation.col.reciprocity")]
    rows = []
    for group in groups:
        days = group.median_days()
        rows.append([group.label, *(b.text() for _, b in group.funnel()), "–" if days is None else f"{days:g}",
                     share_text(*group.reciprocity())])
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    widths[0] = max(4, min(widths[0], width - sum(w + 2 for w in widths[1:])))
    lines = []
    for row in [heads, *rows]:
        if len(row[0]) > widths[0]:
            lines.append(_short(row[0], width))
            row = ["", *row[1:]]
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return lines


def terminal_charts(report: Report, width: int = 80) -> str:
    """Text charts, drawn with plotext: the funnel per kind of place and per variant, then per centre the
    days to a match and reciprocity. Each bar is as long as the lower bound of its count (a suppressed
    cell counts as 1); the figure after it is the whole range."""
    parts = []
    stages = [t(f"evaluation.stage.{s}") for s in STAGES]
    for title, groups in ((t("evaluation.section.place"), report.by_place()),
                          (t("evaluation.section.variant"), report.by_variant())):
        parts.append(title)
        for group in groups:
            funnel = group.funnel()
            parts.append(_bars(stages, [b.lo for _, b in funnel], [b.text() for _, b in funnel], width,
                               _short(group.label, width - 4)))
    centres = report.centres()
    timed = [(g.label, g.median_days()) for g in centres]
    shown = [(label, days) for label, days in timed if days is not None]
    if shown:
        parts.append(_bars([_short(label, 24) for label, _ in shown], [days for _, days in shown],
                           [f"{days:g}" for _, days in shown], width, t("evaluation.section.time")))
    shares = [(g.label, share, share_text(*g.reciprocity())) for g in centres
              if (share := _share(*g.reciprocity())) is not None]
    if shares:
        parts.append(_bars([_short(label, 24) for label, _, _ in shares], [share for _, share, _ in shares],
                           [text for _, _, text in shares], width, t("evaluation.section.reciprocity")))
    return "\n".join(parts)


def _bars(labels: list[str], values: list[float], texts: list[str], width: int, title: str) -> str:
    """One plotext bar chart at most ``width`` wide, each bar followed by its own text instead of plotext's number."""
    import plotext as plt  # type: ignore[import-untyped]  # plotext ships no type information

    room = width
    for _ in range(4):
        plt.clear_figure()
        plt.simple_bar(labels, values, width=max(20, room), title=_short(title, max(10, room - 6)))
        lines = _ANSI.sub("", plt.build()).rstrip("\n").split("\n")
        plt.clear_figure()
        # plotext ends each bar with its value in two decimals: put the text (a range, a share) there instead.
        bars = [re.sub(r" ?-?[0-9.]+$", "", line) for line in lines[1:1 + len(labels)]]
        drawn = [lines[0], *(f"{bar} {text}" for bar, text in zip(bars, texts, strict=True))]
        over = max(len(line) for line in drawn) - width
        if over <= 0:
            break
        room -= over
    return "\n".join([*drawn, ""])


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- HTML ------------------------------------------------------------------------------------

_COLOURS = {"requests": "#4c72b0", "matched": "#dd8452", "done": "#55a868", "helped": "#8172b3"}
_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 60em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border-bottom: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child, table.words th, table.words td { text-align: left; }
.note { color: #555; font-size: 0.9em; }
svg text { font-family: sans-serif; font-size: 12px; fill: #222; }
@media print { body { margin: 0; } }
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _funnel_svg(chart_id: str, groups: list[Group]) -> str:
    """Horizontal bars per group, one per stage; a lighter part from lo to hi where cells were suppressed."""
    label_w, bar_w, row_h, gap = 300, 380, 14, 12
    largest = max([b.hi for g in groups for _, b in g.funnel()] + [1])
    height = 30 + len(groups) * (len(STAGES) * row_h + gap)
    out = [f'<svg class="chart funnel" id="{chart_id}" role="img" '
           f'width="{label_w + bar_w + 90}" height="{height}" viewBox="0 0 {label_w + bar_w + 90} {height}">']
    x = label_w
    for i, stage in enumerate(STAGES):
        out.append(f'<rect x="{x + i * 110}" y="4" width="10" height="10" fill="{_COLOURS[stage]}"/>'
                   f'<text x="{x + i * 110 + 14}" y="13">{_esc(t(f"evaluation.stage.{stage}"))}</text>')
    y = 30
    for group in groups:
        out.append(f'<text x="0" y="{y + 2 * row_h}">{_esc(_short(group.label, 46))}'
                   f'<title>{_esc(group.label)}</title></text>')
        for stage, bound in group.funnel():
            lo, hi = bound.lo / largest * bar_w, bound.hi / largest * bar_w
            out.append(f'<rect class="bar" x="{x}" y="{y}" width="{lo:.1f}" height="{row_h - 2}" '
                       f'fill="{_COLOURS[stage]}"><title>{_esc(t(f"evaluation.stage.{stage}"))}: '
                       f'{_esc(bound.text())}</title></rect>')
            if not bound.exact:
                out.append(f'<rect class="range" x="{x + lo:.1f}" y="{y}" width="{hi - lo:.1f}" '
                           f'height="{row_h - 2}" fill="{_COLOURS[stage]}" fill-opacity="0.35"/>')
            out.append(f'<text x="{x + hi + 4:.1f}" y="{y + row_h - 3}">{_esc(bound.text())}</text>')
            y += row_h
        y += gap
    out.append("</svg>")
    return "".join(out)


def _values_svg(chart_id: str, values: list[tuple[str, float | None, str]]) -> str:
    """One horizontal bar per label (a value of None is drawn as "–")."""
    label_w, bar_w, row_h = 300, 380, 18
    largest = max([v for _, v, _ in values if v is not None] + [1e-9])
    height = 10 + len(values) * row_h
    out = [f'<svg class="chart values" id="{chart_id}" role="img" '
           f'width="{label_w + bar_w + 90}" height="{height}" viewBox="0 0 {label_w + bar_w + 90} {height}">']
    for i, (label, value, text) in enumerate(values):
        y = 5 + i * row_h
        out.append(f'<text x="0" y="{y + 12}">{_esc(_short(label, 46))}<title>{_esc(label)}</title></text>')
        length = (value or 0) / largest * bar_w
        out.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{length:.1f}" height="{row_h - 4}" '
                   f'fill="#4c72b0"/><text x="{label_w + length + 4:.1f}" y="{y + 12}">{_esc(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(groups: list[Group], first: str) -> str:
    heads = [first, t("evaluation.col.centres"), t("evaluation.col.months"),
             *(t(f"evaluation.stage.{s}") for s in STAGES), t("evaluation.col.median_days"),
             t("evaluation.col.reciprocity")]
    rows = []
    for g in groups:
        days = g.median_days()
        cells = [g.label, g.centres, g.months, *(b.text() for _, b in g.funnel()), "–" if days is None else days,
                 share_text(*g.reciprocity())]
        rows.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>")
    return ("<table><thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in heads) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _centre_table(report: Report) -> str:
    heads = [t("evaluation.col.centre"), t("evaluation.col.village"), t("evaluation.col.place"),
             t("evaluation.col.variant"), t("evaluation.col.months")]
    rows = []
    for g in report.centres():
        last = g.rows[-1]
        cells = [g.label, last.village, t(f"evaluation.place.{last.place}"), variant_label(last.variant), g.months]
        rows.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>")
    return ('<table class="words"><thead><tr>' + "".join(f"<th>{_esc(h)}</th>" for h in heads)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def to_html(report: Report, *, now: dt.datetime, lang: str = "nl") -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; nothing is fetched)."""
    centres = report.centres()
    months = report.months
    period = f"{months[0]} – {months[-1]}" if months else "–"
    parts = [
        f'<!DOCTYPE html><html lang="{_esc(lang)}"><head><meta charset="utf-8">',
        # No script, no external resource of any kind: the page says so to the browser too.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_esc(t('evaluation.title'))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_esc(t('evaluation.title'))}</h1>",
        f"<p>{_esc(t('evaluation.generated', date=now.astimezone().strftime('%Y-%m-%d'), period=period))}</p>",
        f'<p class="note">{_esc(t("evaluation.rule"))}</p>',
    ]
    if not report.rows:
        parts.append(f"<p>{_esc(t('evaluation.none'))}</p></body></html>")
        return "".join(parts)
    parts += [
        f"<h2>{_esc(t('evaluation.section.centres'))}</h2>", _centre_table(report),
        _funnel_svg("funnel-centres", centres), _table(centres, t("evaluation.col.centre")),
        f"<h2>{_esc(t('evaluation.section.variant'))}</h2>", _funnel_svg("funnel-variants", report.by_variant()),
        _table(report.by_variant(), t("evaluation.col.variant")),
        f"<h2>{_esc(t('evaluation.section.place'))}</h2>", _funnel_svg("funnel-places", report.by_place()),
        _table(report.by_place(), t("evaluation.col.place")),
        f"<h2>{_esc(t('evaluation.section.time'))}</h2>",
        _values_svg("time-to-match", [(g.label, g.median_days(), _days_text(g.median_days())) for g in centres]),
        f"<h2>{_esc(t('evaluation.section.reciprocity'))}</h2>",
        _values_svg("reciprocity", [(g.label, _share(*g.reciprocity()), share_text(*g.reciprocity()))
                                    for g in centres]),
        f'<p class="note">{_esc(t("evaluation.reciprocity_note"))}</p>',
        "</body></html>",
    ]
    return "".join(parts)


def _days_text(days: float | None) -> str:
    return "–" if days is None else f"{days:g}"


def _share(part: Bound, whole: Bound) -> float | None:
    """The middle of a share's range, for a bar's length."""
    if whole.hi == 0:
        return None
    low = part.lo / whole.hi
    high = min(1.0, part.hi / whole.lo) if whole.lo else 1.0
    return (low + high) / 2
