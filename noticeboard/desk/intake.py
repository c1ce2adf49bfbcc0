"""Phone intake: a volunteer posts a request on behalf of a caller; the contact stays on this node."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from typing import Any

from noticeboard.categories import DAYS, SLOTS
from noticeboard.contact import Contact
from noticeboard.desk import audit, cards, events, safeguarding
from noticeboard.desk.errors import BadInput, Duplicate
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.i18n import t
from noticeboard.node import Node, PostDraft
from noticeboard.store import Store

CHANNELS = ("kiosk", "phone", "proxy")
# Enter pressed twice, or a form sent again: the same request for the same caller within this is refused.
DUPLICATE_WINDOW = dt.timedelta(minutes=1)


def when_tags(text: str, days: list[str] | tuple[str, ...], slots: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """The structured "when" of a request (days and parts of the day, plus the words), as entry tags."""
    if any(d not in DAYS for d in days):
        raise BadInput("days", field="days")
    if any(s not in SLOTS for s in slots):
        raise BadInput("slots", field="slots")
    if not days and not slots:
        return {}
    return {"when": {"text": text.strip(), **({"days": list(days)} if days else {}),
                     **({"slots": list(slots)} if slots else {})}}


def _pick(text: str, codes: tuple[str, ...], *labels: Callable[[str], str]) -> list[str]:
    """Codes named in text by the start of their word (or their code): "di do" -> tue, thu.

    The first labels (the desk's language) decide; a word that fits none of them is tried in the next.
    """
    picked: list[str] = []
    for word in re.split(r"[\s,;/]+", text.strip().casefold()):
        if not word:
            continue
        fits: list[str] = []
        for label in labels:
            fits = [c for c in codes if c == word or label(c).casefold().startswith(word)]
            if fits:
                break
        if len(fits) != 1:
            raise BadInput(word, field=word)
        picked.extend(c for c in fits if c not in picked)
    return picked


def parse_days(text: str, lang: str) -> list[str]:
    """Days typed as the start of their names (``ma di do``; ``mo tu th``), in the week's order."""
    other = "en" if lang == "nl" else "nl"
    found = _pick(text, DAYS, lambda c: t(f"desk.day.{c}", lang), lambda c: t(f"desk.day.{c}", other))
    return [d for d in DAYS if d in found]


def parse_slots(text: str, lang: str) -> list[str]:
    """Parts of the day by their first letters (``o m a``: ochtend, middag, avond; ``m a e`` in English)."""
    other = "en" if lang == "nl" else "nl"
    found = _pick(text, SLOTS, lambda c: t(f"desk.slot.{c}", lang), lambda c: t(f"desk.slot.{c}", other))
    return [s for s in SLOTS if s in found]


def _same_request(body: dict[str, Any], draft: PostDraft) -> bool:
    when = body.get("when") or {}
    return (body.get("category"), body.get("title"), str(when.get("text", ""))) == (
        draft.category, draft.title.strip(), draft.when.strip())


def check_not_duplicate(node: Node, resident_id: str, draft: PostDraft, *, now: dt.datetime) -> None:
    """Refuse the same request for the same caller made within the last minute (Enter pressed twice)."""
    since = int((now - DUPLICATE_WINDOW).timestamp())
    with node.store.read() as conn:
        rows = conn.execute("SELECT author, id FROM desk_requests WHERE resident = ? AND created >= ?",
                            (resident_id, since)).fetchall()
    for author, entry_id in rows:
        entry = node.store.get(author, entry_id)
        if entry is not None and entry.type == "request" and _same_request(entry.body, draft):
            raise Duplicate(entry.body["ref"], ref=entry.body["ref"])
        held = next((f for f in safeguarding.all_flagged(node, include_resolved=True)
                     if f.key == (author, entry_id)), None)
        if held is not None and _same_request(held.body, draft):
            raise Duplicate(held.ref, ref=held.ref)


def check_not_duplicate_new(node: Node, person: cards.Person, draft: PostDraft, *, now: dt.datetime) -> None:
    """The same for a new caller: a card of that name and phone just got this very request."""
    since = int((now - DUPLICATE_WINDOW).timestamp())
    with node.store.read() as conn:
        recent = [row[0] for row in conn.execute("SELECT DISTINCT resident FROM desk_requests WHERE created >= ?",
                                                  (since,)).fetchall()]
    for pid in recent:
        card = cards.load(node.store, pid)
        if (card.first_name.strip().casefold(), cards.phone_digits(card.phone)) == (
                person.first_name.strip().casefold(), cards.phone_digits(person.phone)):
            check_not_duplicate(node, pid, draft, now=now)


def intake(node: Node, session: Session, resident_id: str, draft: PostDraft, *, channel: str = "phone",
           now: dt.datetime, name_shown: bool = False) -> Entry:
    """Post a request for the resident on card ``resident_id``; logs who entered it for whom.

    The caller's first name goes on the board only when they said yes (``name_shown``); the
    same request for the same caller within a minute is refused (``Duplicate``).
    """
    session.touch(now)
    resident = _check(node, resident_id, draft, channel, now)
    draft.name = resident.first_name if name_shown else ""
    # One transaction: a post is never on the board without the desk's record of whom it is for.
    with node.store.write() as conn:
        made = node.post(draft, contact=Contact.phone(resident.first_name, resident.phone, card=resident.id),
                         now=now)
        village = resident.village or made.body["place"]["village"]
        record_request(conn, made.key, resident.id, channel, session.actor, now=now)
        events.emit(conn, "request", made.id, at=now, village=village, category=draft.category, channel=channel,
                    value=int(made.expires_at.timestamp()))
        audit.record(node.store, conn, session.actor, "intake", made.body["ref"], now=now,
                     details={"entered_by": session.actor, "for": resident.id, "channel": channel,
                              "name_shown": name_shown})
    return made


def _check(node: Node, resident_id: str, draft: PostDraft, channel: str, now: dt.datetime) -> cards.Person:
    if channel not in CHANNELS:
        raise BadInput("channel", field="channel")
    if draft.kind != "request":
        raise BadInput("kind", field="kind")
    resident = cards.load(node.store, resident_id)
    if cards.looks_like_bsn(" ".join((draft.title, draft.text, draft.when))):
        raise cards.LooksLikeBsn()
    check_not_duplicate(node, resident.id, draft, now=now)
    return resident


def intake_flagged(node: Node, session: Session, resident_id: str, draft: PostDraft, reason: str, *,
                   channel: str = "phone", now: dt.datetime, name_shown: bool = False) -> str:
    """A request flagged "zorgsignaal" during the call: kept here for the coordinator, never posted; its code."""
    session.touch(now)
    if not reason.strip():
        raise BadInput("reason", field="reason")
    resident = _check(node, resident_id, draft, channel, now)
    draft.name = resident.first_name if name_shown else ""
    return safeguarding.hold(node, session, resident.id, draft, reason.strip(), channel=channel, now=now,
                             name_shown=name_shown).ref


def resident_of(node: Node, entry: Entry) -> str | None:
    """The card id of the resident a desk-entered request is for, or None (kiosk posts)."""
    with node.store.read() as conn:
        row = conn.execute("SELECT resident FROM desk_requests WHERE author = ? AND id = ?", entry.key).fetchone()
    return row[0] if row else None


def sync_post_events(node: Node, *, now: dt.datetime) -> int:
    """Give own posts made at the kiosk, first "I can help" responses and withdrawals their events; returns how many."""
    added = 0
    own = list(node.store.entries(types=["request", "offer"], author=node.node_id))
    responses = node.store.responses()
    withdrawn = list(node.store.entries(types=["tombstone"], author=node.node_id))
    with node.store.write() as conn:
        for entry in own:
            if not events.has(conn, entry.type, entry.id):
                events.emit(conn, entry.type, entry.id, at=entry_created(entry), channel="kiosk",
                            village=entry.body["place"]["village"], category=entry.body["category"],
                            value=int(entry.expires_at.timestamp()))
                added += 1
        for response in responses:
            subject = response["id"]
            if response["author"] == node.node_id and not events.has(conn, "response", subject):
                events.emit(conn, "response", subject, at=dt.datetime.fromtimestamp(response["created"], dt.UTC))
                added += 1
        # A request withdrawn outside the desk's own close (at the kiosk with its wijzigcode, by
        # `noticeboard withdraw`, by an erasure) is set apart too: it must not count as unanswered.
        for gone in withdrawn:
            if gone.body["was"] == "request" and events.has(conn, "request", gone.id) and not any(
                    events.has(conn, kind, gone.id) for kind in ("withdrawn", "flagged", "done")):
                events.emit(conn, "withdrawn", gone.id, at=gone.updated_at)
                added += 1
    return added


def entry_created(entry: Entry) -> dt.datetime:
    """When a post was first made."""
    return dt.datetime.strptime(entry.created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


# ---- what other modules need from desk_requests (this module owns the table) -----------------


def request_times(store: Store) -> list[tuple[str, int]]:
    """(card id, when) of every request entered at the desk."""
    with store.read() as conn:
        return [(str(who), int(at)) for who, at in conn.execute("SELECT resident, created FROM desk_requests")]


def residents(store: Store) -> dict[tuple[str, str], str]:
    """The card id of the resident of each desk-entered post, by (author, id)."""
    with store.read() as conn:
        return {(a, i): r for a, i, r in conn.execute("SELECT author, id, resident FROM desk_requests") if r}


def residents_since(store: Store, since: int) -> set[str]:
    """Cards with a request entered since ``since``."""
    with store.read() as conn:
        return {str(r[0]) for r in conn.execute("SELECT resident FROM desk_requests WHERE created >= ?", (since,))}


def replace_cards(store: Store, card_ids: list[str], token: str) -> None:
    """Put one random token in place of these card ids (an erasure)."""
    with store.write() as conn:
        conn.executemany("UPDATE desk_requests SET resident = ? WHERE resident = ?", [(token, c) for c in card_ids])


def record_request(conn: sqlite3.Connection, key: tuple[str, str], resident: str, channel: str, entered_by: str, *,
                   now: dt.datetime) -> None:
    """Link a request (posted, or held back flagged) to its resident's card, in the caller's transaction."""
    conn.execute("INSERT INTO desk_requests VALUES (?,?,?,?,?,?)",
                 (*key, resident, channel, entered_by, int(now.timestamp())))


def resident_by_key(store: Store, key: tuple[str, str]) -> str:
    """The card id of the resident of this (posted or held) request, or ``""``."""
    with store.read() as conn:
        row = conn.execute("SELECT resident FROM desk_requests WHERE author = ? AND id = ?", key).fetchone()
    return str(row[0]) if row else ""


def move_request(store: Store, old: tuple[str, str], new: tuple[str, str]) -> None:
    """A held request got posted (or re-posted): its link to the card follows it."""
    with store.write() as conn:
        conn.execute("UPDATE desk_requests SET author = ?, id = ? WHERE author = ? AND id = ?", (*new, *old))
