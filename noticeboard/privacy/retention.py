"""Retention: after a period (default 12 months) closed requests and matches keep only what statistics need.

``run_retention(node, now)`` is a plain function for the service to schedule (daily is
plenty; it is cheap when there is nothing to do). It keeps category, village, dates and the
pseudonymous card ids the summary figures count, and drops names, contacts and free text:
expired posts (as every node does), contact details and responses of old closed posts, the sealed part of old closed matches
(request title, reference, follow-up note), details of old audit lines, resident-only cards
with no activity in the period, and consents whose subject is gone. Health details go as
soon as a request closes, whatever its age. Statistics come from the desk's events table,
which holds none of this, so they are the same before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from noticeboard.desk import audit as desk_audit
from noticeboard.desk import cards as desk_cards
from noticeboard.desk import intake, safeguarding
from noticeboard.desk import matches as desk_matches
from noticeboard.desk.intake import sync_post_events
from noticeboard.node import Node
from noticeboard.privacy import consent
from noticeboard.privacy.person import scrub
from noticeboard.store import Store

DEFAULT_MONTHS = 12
PERIOD_KEY = "privacy.retention_months"
CLOSED_MATCHES = ("done", "cancelled")


@dataclass(frozen=True)
class RetentionReport:
    """How many rows the job anonymised or removed, by kind (counts only)."""

    posts: int = 0
    contacts: int = 0
    responses: int = 0
    health: int = 0
    matches: int = 0
    audit: int = 0
    cards: int = 0
    consents: int = 0
    flags: int = 0

    @property
    def total(self) -> int:
        """All rows touched."""
        return self.posts + self.contacts + self.responses + self.health + self.matches + self.audit + self.cards + self.consents + self.flags


def period_months(store: Store) -> int:
    """The configured retention period in months."""
    return int(store.meta(PERIOD_KEY) or DEFAULT_MONTHS)


def set_period_months(store: Store, months: int) -> None:
    """Configure the retention period (at least one month)."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    store.set_meta(PERIOD_KEY, str(months))


def cutoff(now: dt.datetime, months: int) -> dt.datetime:
    """The moment before which closed things are anonymised."""
    return now - dt.timedelta(days=round(months * 365.25 / 12))


def run_retention(node: Node, now: dt.datetime, *, months: int | None = None) -> RetentionReport:
    """Anonymise closed requests and matches older than the period; returns what it did."""
    store = node.store
    before = int(cutoff(now, months or period_months(store)).timestamp())
    # The statistics' facts for our posts are taken before anything is dropped.
    sync_post_events(node, now=now)
    posts = store.purge_expired(now)
    health = consent.purge_closed_health(node)
    old_posts = []
    live = set()
    for entry in store.entries(author=node.node_id):
        live.add(entry.key)
        status = entry.body.get("status") if entry.type in ("request", "offer") else "withdrawn"
        if (status in consent.CLOSED or entry.expires_at <= now) and int(entry.updated_at.timestamp()) < before:
            old_posts.append(entry.key)
    # One transaction: each table's owner does its part.
    with store.write():
        kept = store.contact_keys(node.node_id)
        drop = sorted(set(old_posts) | {k for k in kept if k not in live})
        contacts = store.drop_contacts(drop)
        responses = store.drop_responses(drop)
        matches = desk_matches.forget_closed_details(store, before, CLOSED_MATCHES)
        audit = desk_audit.forget_details_before(store, before)
        # Resident-only cards with nothing in the period: no open match, no recent request or match.
        busy = intake.residents_since(store, before) | desk_matches.in_play(store, before, CLOSED_MATCHES)
        cards = desk_cards.delete_quiet_residents(store, before, busy)
        # Safeguarding flags (a sealed reason) of requests that are gone or closed before the cut-off.
        flags = [k for k in safeguarding.flags_before(node, before) if k not in live or k in old_posts]
        safeguarding.drop_flags(node, flags)
        people = desk_cards.all_ids(store)
        gone = []
        for cid, subject in consent.recorded_before(store, before):
            kind, _, rest = subject.partition("|")
            if (kind == "post" and tuple(rest.split("|", 1)) not in live) or (kind == "person" and rest not in people):
                gone.append(cid)
        consent.delete_records(store, gone)
    report = RetentionReport(posts, contacts, responses, health, matches, audit, cards, len(gone), len(flags))
    if report.total:
        scrub(node)
    return report
