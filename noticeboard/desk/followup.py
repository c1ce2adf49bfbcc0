"""The follow-up queue ("aandacht nodig"): what waits too long, oldest first, each with its age."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.categories import DAYS
from noticeboard.desk import local, matches, safeguarding
from noticeboard.desk.intake import entry_created
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.node import Node
from noticeboard.store import BoardQuery

UNANSWERED_DAYS = 3
UNCONFIRMED_DAYS = 2
FEEDBACK_DAYS = 2
# An agreed match this long past its appointment without "done" needs a phone call.
PAST_APPOINTMENT = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Attention:
    """One thing that needs a person: ``unanswered``, ``unconfirmed``, ``no_feedback``, or (coordinator) ``flagged``."""

    kind: str
    subject: str
    ref: str
    since: dt.datetime
    age_days: int
    due: dt.date | None = None


def _age(now: dt.datetime, since: dt.datetime) -> int:
    return max(0, (now - since).days)


def due_date(request: Entry) -> dt.date | None:
    """The first day named in the request's "when" (its days of the week) on or after the day it was made."""
    days = (request.body.get("when") or {}).get("days") or []
    if not days:
        return None
    start = local.local(entry_created(request)).date()
    return next(start + dt.timedelta(days=n) for n in range(7) if DAYS[(start + dt.timedelta(days=n)).weekday()] in days)


def _morning_before(day: dt.date) -> dt.datetime:
    """08:00 local time the day before: by then a helper should be found."""
    before = day - dt.timedelta(days=1)
    return dt.datetime(before.year, before.month, before.day, 8, 0).astimezone().astimezone(dt.UTC)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 23, 59).astimezone().astimezone(dt.UTC)


def queue(node: Node, session: Session, *, now: dt.datetime, unanswered_days: int = UNANSWERED_DAYS,
          unconfirmed_days: int = UNCONFIRMED_DAYS, feedback_days: int = FEEDBACK_DAYS) -> list[Attention]:
    """Unanswered requests, proposals not confirmed, done matches without feedback; oldest first."""
    session.touch(now)
    items: list[Attention] = []
    requests, _ = node.store.board(BoardQuery(kind="request", status="open"), now=now)
    live = matches.all_matches(node, states=("proposed", "agreed", "done"))
    matched = {(m.req_author, m.req_id) for m in live}
    agreed_or_done = {(m.req_author, m.req_id) for m in live if m.state in ("agreed", "done")}
    for request in requests:
        if request.author != node.node_id:
            continue
        due = due_date(request)
        since = entry_created(request)
        if due is not None and now > _end_of(due) and request.key not in agreed_or_done:
            # The day has passed without help: offer to close it (or ask the caller again).
            items.append(Attention("past_date", request.id, request.body["ref"], _end_of(due), _age(now, _end_of(due))))
            continue
        if due is not None and now >= _morning_before(due) and request.key not in agreed_or_done:
            items.append(Attention("due_soon", request.id, request.body["ref"], since, _age(now, since), due))
            continue
        if request.key in matched or node.store.responses(request.author, request.id):
            continue
        if _age(now, since) >= unanswered_days:
            items.append(Attention("unanswered", request.id, request.body["ref"], since, _age(now, since)))
    for match in live:
        if match.state == "proposed":
            since = dt.datetime.fromtimestamp(match.proposed_at, dt.UTC)
            if _age(now, since) >= unconfirmed_days:
                items.append(Attention("unconfirmed", match.id, match.ref, since, _age(now, since)))
        elif match.state == "agreed" and match.appointment is not None and now > match.appointment + PAST_APPOINTMENT:
            items.append(Attention("past_appointment", match.id, match.ref, match.appointment,
                                   _age(now, match.appointment)))
        elif match.state == "done" and match.feedback_at is None and match.done_at is not None:
            since = dt.datetime.fromtimestamp(match.done_at, dt.UTC)
            if _age(now, since) >= feedback_days:
                items.append(Attention("no_feedback", match.id, match.ref, since, _age(now, since)))
    if session.is_coordinator:
        # Achterwacht: every flagged request waits for the coordinator, however fresh.
        for found in safeguarding.flagged(node, session, now=now):
            items.append(Attention("flagged", found.id, found.ref, found.at, _age(now, found.at)))
    # A ride on Thursday with no helper by Wednesday morning goes on top, soonest first.
    items.sort(key=lambda a: (a.kind != "due_soon", a.due or dt.date.max, a.since, a.kind, a.subject))
    return items
