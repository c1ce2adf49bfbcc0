"""Open requests ("Open vragen"): every request of this centre that still needs someone, reachable any time.

Each with its age, how many helpers are suggested, and where its match stands, so a volunteer
can pick any of them up again without waiting for the follow-up timer. Zorgsignalen are listed
too, their text hidden from volunteers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.desk import audit, cards, events, matches, matching, safeguarding
from noticeboard.desk.errors import BadInput
from noticeboard.desk.intake import entry_created, resident_of
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.i18n import t
from noticeboard.node import Node

LIVE_STATES = ("proposed", "agreed")


@dataclass(frozen=True)
class OpenRequest:
    """One request as the open-requests list shows it."""

    ref: str
    title: str
    category: str
    status: str
    resident: str
    resident_name: str
    created: dt.datetime
    age_days: int
    when: dict[str, object]
    suggestions: int
    match_id: str
    match_state: str
    appointment: dt.datetime | None
    flagged: bool


def _live_match(found: list[matches.Match]) -> matches.Match | None:
    live = [m for m in found if m.state in LIVE_STATES]
    done = [m for m in found if m.state == "done"]
    chosen = live or done
    return chosen[-1] if chosen else None


def _row(node: Node, request: Entry, by_request: dict[tuple[str, str], list[matches.Match]],
         now: dt.datetime) -> OpenRequest:
    created = entry_created(request)
    resident = resident_of(node, request) or ""
    name = cards.load(node.store, resident).first_name if resident else str(
        (node.store.contact(*request.key) or {}).get("name", ""))
    match = _live_match(by_request.get(request.key, []))
    found, _ = matching.candidates(node, request, now=now)
    return OpenRequest(request.body["ref"], request.body["title"], request.body["category"], request.body["status"],
                       resident, name, created, (now - created).days, dict(request.body.get("when") or {}),
                       len(found), match.id if match else "", match.state if match else "",
                       match.appointment if match else None, False)


def _flagged_row(node: Node, found: safeguarding.FlaggedRequest, coordinator: bool, now: dt.datetime) -> OpenRequest:
    name = cards.load(node.store, found.resident).first_name if found.resident else ""
    title = str(found.body.get("title", "")) if coordinator else t("desk.flag.hidden_title")
    return OpenRequest(found.ref, title, str(found.body.get("category", "")), "flagged", found.resident, name,
                       found.at, (now - found.at).days, dict(found.body.get("when") or {}), 0, "", "", None, True)


def close(node: Node, session: Session, ref: str, reason: str, *, now: dt.datetime) -> str:
    """Close a request that is no longer needed (its day passed, or a duplicate): withdrawn everywhere."""
    session.touch(now)
    if not reason.strip():
        raise BadInput("reason", field="reason")
    entry = node.find_own(ref)
    node.withdraw(entry.body["ref"], now=now)
    with node.store.write() as conn:
        events.emit(conn, "withdrawn", entry.id, at=now, village=entry.body["place"]["village"],
                    category=entry.body.get("category", ""))
        audit.record(node.store, conn, session.actor, "request_close", entry.body["ref"], now=now,
                     details={"reason": reason.strip()})
    return str(entry.body["ref"])


def open_requests(node: Node, session: Session, *, now: dt.datetime, everything: bool = False) -> list[OpenRequest]:
    """This centre's requests not done yet (``everything``: done ones too), oldest first; one audit line."""
    session.touch(now)
    by_request: dict[tuple[str, str], list[matches.Match]] = {}
    for m in matches.all_matches(node):
        by_request.setdefault((m.req_author, m.req_id), []).append(m)
    rows = []
    for request in node.store.entries(types=["request"], author=node.node_id):
        expired = request.expires_at <= now
        if not everything and (request.body["status"] == "done" or expired):
            continue
        rows.append(_row(node, request, by_request, now))
    rows += [_flagged_row(node, f, session.is_coordinator, now) for f in safeguarding.all_flagged(node)]
    rows.sort(key=lambda r: (r.created, r.ref))
    audit.log(node.store, session.actor, "requests_list", "requests", now=now, details={"count": len(rows)})
    return rows
