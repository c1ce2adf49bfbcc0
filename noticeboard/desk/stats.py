"""Statistics for evaluation, computed from the events table (never from personal data).

Every figure of a request is counted in its cohort: the village, category and month in
which the request was made. Definitions are in docs/desk.md; the CSV export holds only
these numbers and coarse keys, never a name, contact or free text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from noticeboard.desk import cards, events, matches, reciprocity
from noticeboard.desk.followup import UNANSWERED_DAYS
from noticeboard.desk.intake import CHANNELS, sync_post_events
from noticeboard.node import Node

ACTIVE_DAYS = 90
ALL = "*"
COUNTS = (
    *(f"requests_{c}" for c in CHANNELS), *(f"offers_{c}" for c in CHANNELS),
    "requests", "first_responses", "agreed", "done", "cancelled", "unanswered", "expired", "repeat_pairs",
    "cross_village", "feedback", "helped_yes", "helped_no", "face_good", "face_ok", "face_bad",
    # Closed at the desk (a duplicate, the day passed) and referred (zorgsignaal): neither is "unanswered".
    "withdrawn", "referred",
)
FIGURES = ("median_hours_first_response", "median_hours_match", "unanswered_expired_rate", "cross_village_share")
SUMMARY = ("active_helpers_90d", "registered_helpers", "reciprocity_share")
COLUMNS = ("village", "category", "month", *COUNTS, *FIGURES, *SUMMARY)


@dataclass
class StatRow:
    """The figures of one (village, category, month), or of everything (``*``)."""

    village: str
    category: str
    month: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    figures: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys((*FIGURES, *SUMMARY)))
    _first: list[float] = field(default_factory=list, repr=False)
    _match: list[float] = field(default_factory=list, repr=False)
    _lost: int = field(default=0, repr=False)

    def as_csv(self) -> list[str]:
        """The row's cells in COLUMNS order."""
        cells = [self.village, self.category, self.month, *(str(self.counts[c]) for c in COUNTS)]
        return cells + ["" if self.figures[f] is None else f"{self.figures[f]:g}" for f in (*FIGURES, *SUMMARY)]


def _month(at: int) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m")


def _hours(seconds: int) -> float:
    return round(seconds / 3600, 1)


def compute(node: Node, *, now: dt.datetime) -> list[StatRow]:
    """Rows per (village, category, month) in sorted order, then the summary row (``*``)."""
    sync_post_events(node, now=now)
    with node.store.read() as conn:
        facts = events.load(conn)
    cohort: dict[str, tuple[str, str, str]] = {}
    made: dict[str, int] = {}
    expires: dict[str, int] = {}
    rows: dict[tuple[str, str, str], StatRow] = {}
    total = StatRow(ALL, ALL, ALL)

    def row_for(key: tuple[str, str, str]) -> StatRow:
        if key not in rows:
            rows[key] = StatRow(*key)
        return rows[key]

    firsts: dict[str, int] = {}
    agreed_first: dict[str, int] = {}
    agreed_any: set[str] = set()
    set_apart: set[str] = set()
    for e in facts:
        if e.kind in ("request", "offer"):
            key = (e.village, e.category, _month(e.at))
            for row in (row_for(key), total):
                row.counts[f"{e.kind}s_{e.channel or 'kiosk'}"] += 1
                if e.kind == "request":
                    row.counts["requests"] += 1
            if e.kind == "request":
                cohort[e.subject], made[e.subject] = key, e.at
                if e.value:
                    expires[e.subject] = e.value
            continue
        key3 = cohort.get(e.subject)
        if key3 is None:
            continue
        targets = (row_for(key3), total)
        if e.kind in ("response", "proposed"):
            if e.subject not in firsts:
                firsts[e.subject] = e.at
                for row in targets:
                    row.counts["first_responses"] += 1
                    row._first.append(_hours(e.at - made[e.subject]))
        elif e.kind == "agreed":
            agreed_any.add(e.subject)
            for row in targets:
                row.counts["agreed"] += 1
                row.counts["cross_village"] += e.cross
            if e.subject not in agreed_first:
                agreed_first[e.subject] = e.at
                for row in targets:
                    row._match.append(_hours(e.at - made[e.subject]))
        elif e.kind == "done":
            for row in targets:
                row.counts["done"] += 1
                row.counts["repeat_pairs"] += int(bool(e.value))
        elif e.kind == "cancelled":
            for row in targets:
                row.counts["cancelled"] += 1
        elif e.kind in ("withdrawn", "flagged") and e.subject not in set_apart:
            set_apart.add(e.subject)
            for row in targets:
                row.counts["withdrawn" if e.kind == "withdrawn" else "referred"] += 1
        elif e.kind == "feedback":
            value = e.value or 0
            face = {1: "face_bad", 2: "face_ok", 3: "face_good"}.get(value % 10)
            for row in targets:
                row.counts["feedback"] += 1
                row.counts["helped_yes" if value >= 10 else "helped_no"] += 1
                if face:
                    row.counts[face] += 1
    old_enough = now.timestamp() - UNANSWERED_DAYS * 86400
    for subject, key3 in cohort.items():
        apart = subject in set_apart
        unanswered = not apart and subject not in firsts and made[subject] <= old_enough
        expired = not apart and subject not in agreed_any and 0 < expires.get(subject, 0) <= now.timestamp()
        for row in (rows[key3], total):
            row.counts["unanswered"] += int(unanswered)
            row.counts["expired"] += int(expired)
            row._lost += int(unanswered or expired)
    ordered = [rows[k] for k in sorted(rows)]
    for row in [*ordered, total]:
        row.figures["median_hours_first_response"] = round(statistics.median(row._first), 1) if row._first else None
        row.figures["median_hours_match"] = round(statistics.median(row._match), 1) if row._match else None
        requests = row.counts["requests"]
        row.figures["unanswered_expired_rate"] = round(row._lost / requests, 3) if requests else None
        agreed = row.counts["agreed"]
        row.figures["cross_village_share"] = round(row.counts["cross_village"] / agreed, 3) if agreed else None
    _summary(node, total, now=now)
    return [*ordered, total]


def _summary(node: Node, total: StatRow, *, now: dt.datetime) -> None:
    since = int((now - dt.timedelta(days=ACTIVE_DAYS)).timestamp())
    active, received, gave = matches.helper_activity(node.store, since)
    registered = cards.helper_count(node.store)
    gave |= reciprocity.givers(node.store)
    total.figures["active_helpers_90d"] = int(active)
    total.figures["registered_helpers"] = int(registered)
    total.figures["reciprocity_share"] = round(len(received & gave) / len(received), 3) if received else None


def to_csv(rows: list[StatRow]) -> str:
    """The rows as anonymised CSV: coarse keys and numbers only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.as_csv())
    return out.getvalue()


def by_month(rows: list[StatRow], count: str) -> dict[str, int]:
    """One count summed per month, for a terminal chart."""
    found: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.month != ALL:
            found[row.month] += row.counts[count]
    return dict(sorted(found.items()))


def match_hours_by_month(rows: list[StatRow]) -> dict[str, list[float]]:
    """Hours from each request to its first agreed match, per month of the request (the evaluation's median)."""
    found: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.month != ALL:
            found[row.month].extend(row._match)
    return dict(sorted(found.items()))
