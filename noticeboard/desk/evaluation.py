"""Evaluation across the federation: this centre's figures as one signed ``stats`` entry per month.

The entry (docs/protocol.md, "Evaluation figures") holds counts per category, a few figures of
the whole month and the centre's variant, and nothing else: no name, no text, no card id. Every
count of 1 to 4 is written as "<5". It travels like the node's profile, to every paired and
introduced centre, so each centre can compare the variants of buurthulp it knows without a
central server (noticeboard/desk/evaluation_report.py makes the report from these entries alone).

The figures come from the desk's statistics (noticeboard/desk/stats.py), summed over villages:
the centre's own ``noticeboard stats`` and its ``stats`` entries always agree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from noticeboard import entry as entries
from noticeboard.desk import audit, events, matches, reciprocity, safeguarding, stats
from noticeboard.desk.errors import BadInput
from noticeboard.desk.session import Session
from noticeboard.entry import CHANNELS, STATS_COUNTS, VARIANT, Entry
from noticeboard.node import Node
from noticeboard.settings import Settings, SettingsError
from noticeboard.store import Store

PLACE_KEY = "evaluation.place"
MATCHING_KEY = "evaluation.matching"
# The month of the last monthly publication by the service (``publish_due``).
PUBLISHED_KEY = "evaluation.published_month"
# The months published each time: a request's match or feedback may come weeks after its month.
MONTHS_BACK = 12
# Where the desk's counts come from, per entry count (the desk's names are in docs/desk.md).
FROM_DESK = {
    "requests": ("requests",), "offers": tuple(f"offers_{c}" for c in CHANNELS), "matched": ("agreed",),
    "done": ("done",), "helped": ("helped_yes",), "feedback": ("feedback",), "repeat_pairs": ("repeat_pairs",),
    "referred": ("referred",), "withdrawn": ("withdrawn",), "unanswered": ("unanswered",),
    "expired": ("expired",), "cancelled": ("cancelled",),
}
SETTINGS_TABLE = "evaluation"


def month_of(moment: dt.datetime) -> str:
    """``YYYY-MM`` of a moment (UTC)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m")


def months_back(now: dt.datetime, count: int) -> list[str]:
    """The ``count`` months up to and including the one of ``now``, oldest first."""
    year, month = now.astimezone(dt.UTC).year, now.astimezone(dt.UTC).month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


# ---- the variant, set by the coordinator -----------------------------------------------------


@dataclass(frozen=True)
class VariantSetting:
    """What the coordinator said: the kind of place, and the matching mode (None: read from the month's work)."""

    place: str
    matching: str | None


def variant_setting(store: Store) -> VariantSetting:
    """The coordinator's choice of kind of place and matching mode."""
    place = store.meta(PLACE_KEY) or "unknown"
    matching = store.meta(MATCHING_KEY) or None
    return VariantSetting(place if place in VARIANT["place"] else "unknown",
                          matching if matching in VARIANT["matching"] else None)


def _check_variant(place: str | None, matching: str | None) -> None:
    if place is not None and place not in VARIANT["place"]:
        raise BadInput("place", field="place")
    if matching is not None and matching not in (*VARIANT["matching"], "auto"):
        raise BadInput("matching", field="matching")


def set_variant(store: Store, session: Session, *, place: str | None = None, matching: str | None = None,
                now: dt.datetime) -> VariantSetting:
    """Set the kind of place and the matching mode (``auto``: read from the work done); coordinator only."""
    session.touch(now, coordinator=True)
    _check_variant(place, matching)
    _store_variant(store, place, matching)
    audit.log(store, session.actor, "stats_variant", "evaluation", now=now,
              details={"place": place or "", "matching": matching or ""})
    return variant_setting(store)


def _store_variant(store: Store, place: str | None, matching: str | None) -> None:
    if place is not None:
        store.set_meta(PLACE_KEY, place)
    if matching is not None:
        store.set_meta(MATCHING_KEY, "" if matching == "auto" else matching)


def apply_settings(store: Store, settings: Settings) -> bool:
    """Take ``[evaluation] place`` and ``matching`` from the settings file; True if they changed anything.

    Raises SettingsError, naming the file, for a value that is not one of the known ones.
    """
    found = settings.extra.get(SETTINGS_TABLE, {})
    if not isinstance(found, dict):
        raise SettingsError(settings.path, f"[{SETTINGS_TABLE}] must be a table")
    wanted: dict[str, str | None] = {}
    for key, options in (("place", VARIANT["place"]), ("matching", (*VARIANT["matching"], "auto"))):
        value = found.get(key)
        if value is not None and value not in options:
            raise SettingsError(settings.path, f"[{SETTINGS_TABLE}] {key} must be one of {', '.join(options)}")
        wanted[key] = value
    before = variant_setting(store)
    _store_variant(store, wanted["place"], wanted["matching"])
    return variant_setting(store) != before


# ---- the month's figures ---------------------------------------------------------------------


def _matching(kinds: dict[str, int]) -> str:
    desk, self_service = kinds.get("proposed", 0), kinds.get("response", 0)
    if desk and self_service:
        return "mixed"
    return "self" if self_service else "desk"


def bodies(node: Node, *, now: dt.datetime) -> dict[str, dict[str, Any]]:
    """The ``stats`` entry body of every month the desk has figures for, by month."""
    rows = stats.compute(node, now=now)
    with node.store.read() as conn:
        kinds_by_month = _kinds_by_month(conn)
    hours = stats.match_hours_by_month(rows)
    helped, gave = _reciprocity(node)
    setting = variant_setting(node.store)
    mode = reciprocity.mode(node.store)
    backup = "professional" if safeguarding.referral_contacts(node) else "none"
    per_month: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    channels: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.month == stats.ALL:
            continue
        cells = per_month[row.month][row.category]
        for name, sources in FROM_DESK.items():
            cells[name] += sum(row.counts[s] for s in sources)
        channels[row.month] |= {c for c in CHANNELS if row.counts[f"requests_{c}"] or row.counts[f"offers_{c}"]}
    found: dict[str, dict[str, Any]] = {}
    for month, by_category in sorted(per_month.items()):
        figures: dict[str, Any] = {
            "residents_helped": entries.suppressed(len(helped.get(month, set()))),
            "gave_and_got": entries.suppressed(len(helped.get(month, set()) & gave)),
        }
        if len(hours.get(month, [])) >= entries.SUPPRESS_BELOW:
            figures[entries.STATS_MEDIAN] = round(statistics.median(hours[month]))
        found[month] = {
            "month": month,
            "variant": {"matching": setting.matching or _matching(kinds_by_month.get(month, {})),
                        "reciprocity": mode, "backup": backup, "place": setting.place,
                        "channels": sorted(channels[month])},
            "categories": {code: [entries.suppressed(cells[name]) for name in STATS_COUNTS]
                           for code, cells in sorted(by_category.items())},
            "figures": figures,
        }
    return found


def _kinds_by_month(conn: Any) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in events.load(conn):
        if event.kind in ("proposed", "response"):
            found[dt.datetime.fromtimestamp(event.at, dt.UTC).strftime("%Y-%m")][event.kind] += 1
    return found


def _reciprocity(node: Node) -> tuple[dict[str, set[str]], set[str]]:
    """Residents helped per month (a done match), and everyone who ever gave (helped, or earned time)."""
    helped: dict[str, set[str]] = defaultdict(set)
    gave = set(reciprocity.givers(node.store))
    for at, resident, helper in matches.done_people(node.store):
        if resident:
            helped[dt.datetime.fromtimestamp(at, dt.UTC).strftime("%Y-%m")].add(resident)
        if helper:
            gave.add(helper)
    return helped, gave


# ---- publishing ------------------------------------------------------------------------------


def published(store: Store, node_id: str, month: str) -> Entry | None:
    """This centre's ``stats`` entry of one month, if it holds one."""
    found = store.get(node_id, entries.stats_id(month))
    return found if found is not None and found.type == "stats" else None


def publish(node: Node, *, now: dt.datetime, months: Iterable[str] | None = None) -> list[Entry]:
    """Sign the month's ``stats`` entry anew wherever its figures changed; returns the entries made.

    ``months`` defaults to the last twelve, the current one included.
    """
    wanted = list(months) if months is not None else months_back(now, MONTHS_BACK)
    figures = bodies(node, now=now)
    expires = now + entries.DEFAULT_LIFETIME["stats"]
    made: list[Entry] = []
    for month in wanted:
        body = figures.get(month)
        if body is None:
            continue
        current = published(node.store, node.node_id, month)
        if current is None:
            made.append(entries.make(node.keys.signing_seed, node.node_id, "stats", body, now=now,
                                     entry_id=entries.stats_id(month), expires=expires))
        elif current.body != body or current.expires_at - now < entries.DEFAULT_LIFETIME["stats"] / 2:
            made.append(entries.revise(node.keys.signing_seed, current, body, now=now, expires=expires))
    if made:
        node.store.apply_many(made, now=now)
    return made


def publish_by(node: Node, session: Session, *, now: dt.datetime) -> list[Entry]:
    """The coordinator publishes the figures now (``noticeboard evaluation publish``, the desk screen)."""
    session.touch(now, coordinator=True)
    made = publish(node, now=now)
    audit.log(node.store, session.actor, "stats_publish", "evaluation", now=now, details={"entries": len(made)})
    return made


def publish_due(node: Node, now: dt.datetime) -> list[Entry]:
    """The service's monthly publication: once a month, the completed months (up to a year back)."""
    month = month_of(now)
    if node.store.meta(PUBLISHED_KEY) == month:
        return []
    made = publish(node, now=now, months=months_back(now, MONTHS_BACK + 1)[:-1])
    node.store.set_meta(PUBLISHED_KEY, month)
    return made
