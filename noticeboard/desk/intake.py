"""Phone intake: a volunteer posts a request on behalf of a caller; the contact stays on this node."""

from __future__ import annotations

import datetime as dt

from noticeboard.contact import Contact
from noticeboard.desk import audit, cards, events
from noticeboard.desk.errors import BadInput
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.node import Node, PostDraft
from noticeboard.store import Store

CHANNELS = ("kiosk", "phone", "proxy")


def intake(node: Node, session: Session, resident_id: str, draft: PostDraft, *, channel: str = "phone",
           now: dt.datetime) -> Entry:
    """Post a request for the resident on card ``resident_id``; logs who entered it for whom."""
    session.touch(now)
    if channel not in CHANNELS:
        raise BadInput("channel", field="channel")
    if draft.kind != "request":
        raise BadInput("kind", field="kind")
    resident = cards.load(node.store, resident_id)
    if cards.looks_like_bsn(" ".join((draft.title, draft.text, draft.when))):
        raise cards.LooksLikeBsn()
    if not draft.name:
        draft.name = resident.first_name
    made = node.post(draft, contact=Contact.phone(resident.first_name, resident.phone, card=resident.id), now=now)
    village = resident.village or made.body["place"]["village"]
    with node.store.write() as conn:
        conn.execute("INSERT INTO desk_requests VALUES (?,?,?,?,?,?)",
                     (made.author, made.id, resident.id, channel, session.actor, int(now.timestamp())))
        events.emit(conn, "request", made.id, at=now, village=village, category=draft.category, channel=channel,
                    value=int(made.expires_at.timestamp()))
        audit.record(node.store, conn, session.actor, "intake", made.body["ref"], now=now,
                     details={"entered_by": session.actor, "for": resident.id, "channel": channel})
    return made


def resident_of(node: Node, entry: Entry) -> str | None:
    """The card id of the resident a desk-entered request is for, or None (kiosk posts)."""
    with node.store.read() as conn:
        row = conn.execute("SELECT resident FROM desk_requests WHERE author = ? AND id = ?", entry.key).fetchone()
    return row[0] if row else None


def sync_post_events(node: Node, *, now: dt.datetime) -> int:
    """Give own posts made at the kiosk, and first "I can help" responses, their events; returns how many."""
    added = 0
    own = list(node.store.entries(types=["request", "offer"], author=node.node_id))
    responses = node.store.responses()
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
