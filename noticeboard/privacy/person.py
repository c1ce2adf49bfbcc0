"""Access and erasure for one person: find everything the node holds about them, export it, erase it.

A person is named by what the node can recognise them by: the reference codes of their
posts, their phone number or e-mail, or their card in the desk's card index. The search
grows from those (a card gives its phone; a phone finds the posts it was left with) and
never from a first name alone, which would pull in other people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from noticeboard import entry as entries
from noticeboard.clock import format_time
from noticeboard.desk import audit, cards, safeguarding
from noticeboard.entry import POSTS, Entry
from noticeboard.node import Node
from noticeboard.privacy import consent
from noticeboard.privacy.errors import UnknownPerson
from noticeboard.refcode import normalise_ref

EXPORT_FORMAT = 1
ERASER = "privacy"


def normalise_contact(text: str) -> str:
    """A phone number as digits in national form (+31 6… and 06… alike), or an e-mail in lower case."""
    text = text.strip()
    if "@" in text:
        return text.lower()
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def is_contact(normalised: str) -> bool:
    """Whether a normalised value can name a person: an e-mail, or a phone number of 6+ digits."""
    return "@" in normalised or (normalised.isdigit() and len(normalised) >= 6)


@dataclass(frozen=True)
class PersonQuery:
    """How the person was named: reference codes, phone numbers or e-mails, card ids."""

    refs: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    cards: tuple[str, ...] = ()


@dataclass
class Found:
    """Everything that is about one person, by where it lives."""

    posts: list[Entry] = field(default_factory=list)
    gone_posts: list[tuple[str, str]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    cards: list[cards.Person] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    sent: list[consent.Consent] = field(default_factory=list)
    # Zorgsignalen kept home (desk_flags): flagged at the intake (never posted) or withdrawn when flagged.
    kept_home: list[safeguarding.FlaggedRequest] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing was found."""
        return not (self.posts or self.gone_posts or self.responses or self.cards or self.matches or self.sent
                    or self.kept_home)

    @property
    def post_keys(self) -> set[tuple[str, str]]:
        """(author, id) of their posts, live or withdrawn, and of their requests kept home."""
        return {p.key for p in self.posts} | set(self.gone_posts) | {f.key for f in self.kept_home}

    @property
    def card_ids(self) -> set[str]:
        """Ids of their cards."""
        return {c.id for c in self.cards}


def _contact_of(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    return normalise_contact(str(value.get("contact") or value.get("phone") or ""))


def find(node: Node, query: PersonQuery) -> Found:
    """Gather what the node holds about the person named by query."""
    store = node.store
    found = Found()
    # A name or a stray word normalises to nothing: it must never match every empty contact.
    wanted = {n for n in (normalise_contact(c) for c in query.contacts) if is_contact(n)}
    card_ids = set(query.cards)
    for person in cards.load_all(store):
        phone = normalise_contact(person.phone)
        if person.id in card_ids or (is_contact(phone) and phone in wanted):
            found.cards.append(person)
            if is_contact(phone):
                wanted.add(phone)
    card_ids = found.card_ids
    refs = {normalise_ref(r) for r in query.refs}
    with store.read() as conn:
        desk_posts = {(a, i) for a, i, r in conn.execute("SELECT author, id, resident FROM desk_requests")
                      if r and r in card_ids}
        contact_keys = [tuple(row) for row in conn.execute("SELECT author, id FROM contacts").fetchall()]
    by_contact = set()
    for key in contact_keys:
        kept = store.contact(*key) or {}
        if _contact_of(kept) in wanted or kept.get("person") in card_ids:
            by_contact.add(key)
    for entry in store.entries(author=node.node_id):
        if entry.type in POSTS and (entry.body["ref"] in refs or entry.key in by_contact or entry.key in desk_posts):
            found.posts.append(entry)
        elif entry.type == "tombstone" and entry.key in desk_posts:
            found.gone_posts.append(entry.key)
    found.kept_home = [f for f in safeguarding.all_flagged(node, include_resolved=True)
                       if f.resident in card_ids or f.ref in refs or f.key in desk_posts]
    found.responses = [r for r in store.responses() if wanted and _contact_of(r) in wanted]
    found.sent = [c for c in consent.consents(store) if c.subject.startswith("message|") and wanted
                  and _contact_of(c.person) in wanted]
    keys = found.post_keys
    offers = {f"{a}|{i}" for a, i in keys}
    with store.read() as conn:
        rows = conn.execute("SELECT id, req_author, req_id, resident, helper_kind, helper, state, proposed_at, "
                            "agreed_at, done_at, closed_at, village, category, sealed FROM desk_matches").fetchall()
    for row in rows:
        mid, req_author, req_id, resident, helper_kind, helper = row[:6]
        side = ("resident" if resident in card_ids or (req_author, req_id) in keys else
                "helper" if helper in card_ids or helper in offers else "")
        if side:
            private = store.unseal_json(f"match|{mid}", row[-1]) if row[-1] else {}
            found.matches.append({
                "id": mid, "side": side, "helper_kind": helper_kind, "state": row[6],
                "proposed": _time(row[7]), "agreed": _time(row[8]), "done": _time(row[9]), "closed": _time(row[10]),
                "village": row[11], "category": row[12], "details": private})
    return found


def _card(person: cards.Person) -> dict[str, Any]:
    raw = dataclasses.asdict(person)
    raw["location"] = list(person.location) if person.location else None
    raw["pause_until"] = person.pause_until.isoformat() if person.pause_until else None
    return raw


def _time(value: int | None) -> str | None:
    return format_time(dt.datetime.fromtimestamp(value, dt.UTC)) if value else None


def _subjects(found: Found) -> list[str]:
    return ([consent.post_subject(a, i) for a, i in sorted(found.post_keys)]
            + [consent.person_subject(c) for c in sorted(found.card_ids)] + [c.subject for c in found.sent])


def export(node: Node, query: PersonQuery, *, now: dt.datetime) -> dict[str, Any]:
    """Everything the node holds about the person, as one readable JSON value; raises UnknownPerson."""
    found = find(node, query)
    if found.empty:
        raise UnknownPerson("nothing found")
    store = node.store
    posts = []
    for entry in found.posts:
        posts.append({
            "kind": entry.type, "ref": entry.body["ref"], "created": entry.created, "updated": entry.updated,
            "expires": entry.expires, "public": entry.body, "contact": store.contact(*entry.key),
            "health": consent.health(store, *entry.key),
            # Who responded is about other people: only how many.
            "responses_received": len(store.responses(*entry.key)),
        })
    subjects = _subjects(found)
    consents = [{"subject": c.subject, "date": _time(c.created), "wording": c.wording, "purposes": list(c.purposes),
                 "shared_with": list(c.shared_with), "withdrawn": _time(c.withdrawn)}
                for s in subjects for c in consent.consents(store, s)]
    audit_subjects = found.card_ids | {m["id"] for m in found.matches} | {p.body["ref"] for p in found.posts}
    with store.read() as conn:
        lines = conn.execute("SELECT at, actor, act, subject FROM desk_audit ORDER BY seq").fetchall()
        ledger = conn.execute("SELECT at, minutes, txn FROM desk_ledger WHERE person IN "
                              f"({','.join('?' * len(found.card_ids))}) ORDER BY seq",
                              sorted(found.card_ids)).fetchall() if found.card_ids else []
    return {
        "format": EXPORT_FORMAT, "generated": format_time(now), "centre": node.profile().name,
        "asked_by": {"refs": list(query.refs), "contacts": list(query.contacts), "cards": list(query.cards)},
        "cards": [_card(p) for p in found.cards],
        "posts": posts,
        "withdrawn_posts": [{"author": a, "id": i} for a, i in found.gone_posts],
        "kept_home": [{"ref": f.ref, "flagged": format_time(f.at), "request": f.body, "reason": f.reason,
                       "resolved": f.resolved} for f in found.kept_home],
        "responses_given": [{"post": {"author": r["author"], "id": r["id"]}, "created": _time(r["created"]),
                             "name": r.get("name"), "contact": r.get("contact"), "message": r.get("message")}
                            for r in found.responses],
        "responses_sent": [{"to_centre": list(c.shared_with), "date": _time(c.created), "wording": c.wording,
                            **(c.person or {})} for c in found.sent],
        "matches": found.matches,
        "ledger": [{"at": _time(at), "minutes": minutes, "transfer": txn} for at, minutes, txn in ledger],
        "consents": consents,
        "audit": [{"at": _time(at), "actor": actor, "act": act, "subject": subject}
                  for at, actor, act, subject in lines if subject in audit_subjects],
    }


@dataclass(frozen=True)
class Erased:
    """What an erasure did (counts only: it is logged and shown)."""

    posts: int
    responses: int
    cards: int
    matches: int
    token: str


def erase(node: Node, query: PersonQuery, *, now: dt.datetime) -> Erased:
    """Erase the person: posts become tombstones (which travel), local data goes, links are cut.

    Card ids in matches, the ledger and the audit log are replaced by one random token, so
    the statistics keep their counts while nothing leads back to the person. Ends with a
    VACUUM and a truncating WAL checkpoint, so no erased byte stays in the files.
    """
    found = find(node, query)
    if found.empty:
        raise UnknownPerson("nothing found")
    store = node.store
    token = "erased-" + secrets.token_hex(6)
    for entry in found.posts:
        node.withdraw(entry.body["ref"], now=now)
    for sent in found.sent:
        _, author, entry_id = sent.subject.split("|", 2)
        message = store.get(author, entry_id) if author == node.node_id else None
        if message is not None and message.type == "message":
            # The tombstone travels to the centre it was sealed for, which then drops the response.
            store.apply(entries.tombstone(node.keys.signing_seed, message, now=now), now=now)
    subjects = _subjects(found)
    ids = sorted(found.card_ids)
    marks = ",".join("?" * len(ids))
    with store.write() as conn:
        conn.executemany("DELETE FROM responses WHERE rid = ?", [(r["rid"],) for r in found.responses])
        # Messages sealed to us that carried their response: only we can open them, so they go here.
        opened = [r["rid"].split("|", 2)[1:] for r in found.responses if str(r["rid"]).startswith("msg|")]
        conn.executemany("DELETE FROM entries WHERE author = ? AND id = ? AND type = 'message'", opened)
        conn.executemany("DELETE FROM consents WHERE subject = ?", [(s,) for s in subjects])
        conn.executemany("DELETE FROM health_notes WHERE author = ? AND id = ?", sorted(found.post_keys))
        conn.executemany("DELETE FROM contacts WHERE author = ? AND id = ?", sorted(found.post_keys))
        conn.executemany("DELETE FROM desk_flags WHERE author = ? AND id = ?", sorted(found.post_keys))
        conn.executemany("UPDATE desk_matches SET sealed = NULL WHERE id = ?", [(m["id"],) for m in found.matches])
        if ids:
            conn.execute(f"DELETE FROM desk_people WHERE id IN ({marks})", ids)
            conn.execute(f"UPDATE desk_matches SET resident = ? WHERE resident IN ({marks})", [token, *ids])
            conn.execute(f"UPDATE desk_matches SET helper = ? WHERE helper_kind = 'person' AND helper IN ({marks})",
                         [token, *ids])
            conn.execute(f"UPDATE desk_requests SET resident = ? WHERE resident IN ({marks})", [token, *ids])
            conn.execute(f"UPDATE desk_ledger SET person = ? WHERE person IN ({marks})", [token, *ids])
            for (seq,) in conn.execute(f"SELECT seq FROM desk_audit WHERE subject IN ({marks})", ids).fetchall():
                conn.execute("UPDATE desk_audit SET subject = ?, sealed = ? WHERE seq = ?",
                             (token, store.seal_json(f"audit|{seq}", {}), seq))
        # Lines about their matches and posts keep the act and subject; their details (codes, card ids) go.
        for subject in [m["id"] for m in found.matches] + [p.body["ref"] for p in found.posts]:
            for (seq,) in conn.execute("SELECT seq FROM desk_audit WHERE subject = ?", (subject,)).fetchall():
                conn.execute("UPDATE desk_audit SET sealed = ? WHERE seq = ?", (store.seal_json(f"audit|{seq}", {}), seq))
        result = Erased(len(found.posts), len(found.responses), len(ids), len(found.matches), token)
        audit.record(store, conn, ERASER, "privacy_erase", token, now=now,
                     details={"posts": result.posts, "responses": result.responses, "cards": result.cards,
                              "matches": result.matches})
    scrub(node)
    return result


def scrub(node: Node) -> None:
    """Rewrite the database file (VACUUM) and empty the WAL, so freed bytes are gone from disk."""
    store = node.store
    store.checkpoint()
    with store.read() as conn:
        conn.execute("VACUUM")
    store.checkpoint()
