"""The follow-up queue ("aandacht nodig"): what waits too long, oldest first, each with its age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.desk import matches, safeguarding
from noticeboard.desk.intake import entry_created
from noticeboard.desk.session import Session
from noticeboard.node import Node
from noticeboard.store import BoardQuery

UNANSWERED_DAYS = 3
UNCONFIRMED_DAYS = 2
FEEDBACK_DAYS = 2


@dataclass(frozen=True)
class Attention:
    """One thing that needs a person: ``unanswered``, ``unconfirmed``, ``no_feedback``, or (coordinator) ``flagged``."""

    kind: str
    subject: str
    ref: str
    since: dt.datetime
    age_days: int


def _age(now: dt.datetime, since: dt.datetime) -> int:
    return (now - since).days


def queue(node: Node, session: Session, *, now: dt.datetime, unanswered_days: int = UNANSWERED_DAYS,
          unconfirmed_days: int = UNCONFIRMED_DAYS, feedback_days: int = FEEDBACK_DAYS) -> list[Attention]:
    """Unanswered requests, proposals not confirmed, done matches without feedback; oldest first."""
    session.touch(now)
    items: list[Attention] = []
    requests, _ = node.store.board(BoardQuery(kind="request", status="open"), now=now)
    live = matches.all_matches(node, states=("proposed", "agreed", "done"))
    matched = {(m.req_author, m.req_id) for m in live}
    for request in requests:
        if request.author != node.node_id or request.key in matched:
            continue
        if node.store.responses(request.author, request.id):
            continue
        since = entry_created(request)
        if _age(now, since) >= unanswered_days:
            items.append(Attention("unanswered", request.id, request.body["ref"], since, _age(now, since)))
    for match in live:
        if match.state == "proposed":
            since = dt.datetime.fromtimestamp(match.proposed_at, dt.UTC)
            if _age(now, since) >= unconfirmed_days:
                items.append(Attention("unconfirmed", match.id, match.ref, since, _age(now, since)))
        elif match.state == "done" and match.feedback_at is None and match.done_at is not None:
            since = dt.datetime.fromtimestamp(match.done_at, dt.UTC)
            if _age(now, since) >= feedback_days:
                items.append(Attention("no_feedback", match.id, match.ref, since, _age(now, since)))
    if session.is_coordinator:
        # Achterwacht: every flagged request waits for the coordinator, however fresh.
        for found in safeguarding.flagged(node, session, now=now):
            items.append(Attention("flagged", found.id, found.ref, found.at, _age(now, found.at)))
    items.sort(key=lambda a: (a.since, a.kind, a.subject))
    return items
