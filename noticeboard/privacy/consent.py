"""Consent: what a person agreed to, when, under which wording; and health details that need it.

A consent record names its subject (a post, ``post|author|id``, or a card, ``person|id``),
the date and the version of the wording the person was shown; what they agreed to (the
purposes) and with whom it may be shared are sealed. Health details never sit in a post or
a card: they go in ``health_notes``, only with a live ``health`` consent, and are purged as
soon as the request is closed, withdrawn or gone. A health note is found by its post's keyed
tag (``Store.post_tag``): the file does not say which post has one (issue 14); the post's
author and id are sealed with the details.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from noticeboard.entry import Entry
from noticeboard.node import Node
from noticeboard.privacy.errors import NoConsent
from noticeboard.store import Store

# Bump when the consent sentences shown to residents change (texts ``privacy.consent.*``).
WORDING_VERSION = "2026-11-v1"
# store_contact: keep name and phone here; share_with_helper: give them to the matched helper;
# share_with_centre: seal them to the helper's centre for one match; health: keep health details.
PURPOSES = ("store_contact", "share_with_helper", "share_with_centre", "health")
CLOSED = ("done", "withdrawn")


@dataclass(frozen=True)
class Consent:
    """One consent as recorded."""

    cid: str
    subject: str
    created: int
    wording: str
    purposes: tuple[str, ...]
    shared_with: tuple[str, ...]
    recorded_by: str
    withdrawn: int | None
    person: dict[str, str] | None = None


def post_subject(author: str, entry_id: str) -> str:
    """The subject name of a post."""
    return f"post|{author}|{entry_id}"


def person_subject(person_id: str) -> str:
    """The subject name of a card in the card index."""
    return f"person|{person_id}"


def record(store: Store, subject: str, purposes: tuple[str, ...] | list[str], *, now: dt.datetime,
           shared_with: tuple[str, ...] | list[str] = (), recorded_by: str = "",
           wording: str = WORDING_VERSION, person: dict[str, str] | None = None) -> Consent:
    """Record what a person agreed to; unknown purposes are refused.

    ``person`` (name and contact, sealed) says who agreed, where the subject itself does not
    (a response sent to another centre), so access and erasure can find it.
    """
    unknown = set(purposes) - set(PURPOSES)
    if unknown:
        raise ValueError(f"unknown purpose(s): {', '.join(sorted(unknown))}")
    cid = uuid.uuid4().hex
    sealed: dict[str, object] = {"purposes": sorted(set(purposes)), "shared_with": list(shared_with),
                                 "recorded_by": recorded_by}
    if person:
        sealed["person"] = dict(person)
    with store.write() as conn:
        ver = store.next_ver()
        conn.execute("INSERT INTO consents(cid, subject, created, wording, withdrawn, sealed, ver) "
                     "VALUES (?,?,?,?,NULL,?,?)",
                     (cid, subject, int(now.timestamp()), wording, store.seal_json(f"consent|{cid}", sealed, ver=ver),
                      ver))
    return Consent(cid, subject, int(now.timestamp()), wording, tuple(sorted(set(purposes))), tuple(shared_with),
                   recorded_by, None, dict(person) if person else None)


def consents(store: Store, subject: str | None = None) -> list[Consent]:
    """Consent records, oldest first (of one subject, or all)."""
    sql, args = "SELECT cid, subject, created, wording, withdrawn, sealed, ver FROM consents", []
    if subject is not None:
        sql, args = sql + " WHERE subject = ?", [subject]
    with store.read() as conn:
        rows = conn.execute(sql + " ORDER BY created, rowid", args).fetchall()
    found = []
    for cid, subj, created, wording, withdrawn, sealed, ver in rows:
        raw = store.unseal_json(f"consent|{cid}", sealed, ver=ver)
        found.append(Consent(cid, subj, created, wording, tuple(raw["purposes"]), tuple(raw["shared_with"]),
                             raw["recorded_by"], withdrawn, raw.get("person")))
    return found


def has(store: Store, subject: str, purpose: str) -> bool:
    """Whether a live (not withdrawn) consent for this purpose exists."""
    return any(c.withdrawn is None and purpose in c.purposes for c in consents(store, subject))


def message_subject(author: str, entry_id: str) -> str:
    """The subject name of a sealed message we sent (an "I can help" to another centre)."""
    return f"message|{author}|{entry_id}"


def record_sent_response(store: Store, message: Entry, *, name: str, contact: str, now: dt.datetime,
                         recorded_by: str = "kiosk") -> Consent:
    """Record that a helper agreed to send name and contact to the post's centre in this sealed message.

    Call it right after ``Node.respond`` returned a message: we cannot open what we sealed
    for another centre, so this record is how an access request or an erasure here finds it.
    """
    return record(store, message_subject(*message.key), ["share_with_centre"], now=now,
                  shared_with=[str(message.body["to"])], recorded_by=recorded_by,
                  person={"name": name, "contact": contact})


def withdraw(store: Store, subject: str, *, now: dt.datetime) -> int:
    """Withdraw every consent of a subject; health details go at once. Returns how many."""
    with store.write() as conn:
        count = conn.execute("UPDATE consents SET withdrawn = ? WHERE subject = ? AND withdrawn IS NULL",
                             (int(now.timestamp()), subject)).rowcount
        if subject.startswith("post|"):
            _, author, entry_id = subject.split("|", 2)
            conn.execute("DELETE FROM health_notes WHERE tag = ?", (store.post_tag(author, entry_id),))
    store.checkpoint()
    return count


def set_health(store: Store, author: str, entry_id: str, details: str, *, now: dt.datetime) -> None:
    """Keep health details for one post; needs a live ``health`` consent for that post."""
    if not has(store, post_subject(author, entry_id), "health"):
        raise NoConsent(post_subject(author, entry_id))
    with store.write() as conn:
        _write_health(store, conn, author, entry_id, details, int(now.timestamp()))


def _write_health(store: Store, conn: sqlite3.Connection, author: str, entry_id: str, details: str,
                  created: int) -> None:
    tag = store.post_tag(author, entry_id)
    conn.execute("DELETE FROM health_notes WHERE tag = ?", (tag,))
    hid, ver = uuid.uuid4().hex, store.next_ver()
    conn.execute("INSERT INTO health_notes(hid, tag, created, ver, sealed) VALUES (?,?,?,?,?)",
                 (hid, tag, created, ver,
                  store.seal_json(f"health|{hid}", {"author": author, "id": entry_id, "details": details}, ver=ver)))


def _health_rows(store: Store) -> list[tuple[str, dict[str, Any]]]:
    """(hid, opened value) of every health note."""
    with store.read() as conn:
        rows = conn.execute("SELECT hid, ver, sealed FROM health_notes").fetchall()
    return [(hid, store.unseal_json(f"health|{hid}", sealed, ver=ver)) for hid, ver, sealed in rows]


def _closed(entry: Entry | None) -> bool:
    return entry is None or entry.type not in ("request", "offer") or entry.body.get("status") in CLOSED


def health(store: Store, author: str, entry_id: str) -> str | None:
    """The health details kept for a post, or None; a closed post's details are purged on the spot."""
    tag = store.post_tag(author, entry_id)
    with store.read() as conn:
        row = conn.execute("SELECT hid, ver, sealed FROM health_notes WHERE tag = ?", (tag,)).fetchone()
    if row is None:
        return None
    if _closed(store.get(author, entry_id)):
        # Closed by the desk or the kiosk since: it goes now rather than at the next retention run.
        with store.write() as conn:
            conn.execute("DELETE FROM health_notes WHERE tag = ?", (tag,))
        store.checkpoint()
        return None
    return str(store.unseal_json(f"health|{row[0]}", row[2], ver=row[1])["details"])


def purge_closed_health(node: Node) -> int:
    """Delete health details of posts that are closed, withdrawn or gone; returns how many went."""
    gone = [(hid,) for hid, value in _health_rows(node.store)
            if _closed(node.store.get(str(value["author"]), str(value["id"])))]
    if gone:
        with node.store.write() as conn:
            conn.executemany("DELETE FROM health_notes WHERE hid = ?", gone)
        node.store.checkpoint()
    return len(gone)


def close_request(node: Node, ref: str, *, now: dt.datetime, status: str = "done") -> None:
    """Close one of our requests and purge its health details in the same step."""
    made = node.set_status(ref, status, now=now)
    with node.store.write() as conn:
        conn.execute("DELETE FROM health_notes WHERE tag = ?", (node.store.post_tag(*made.key),))
    node.store.checkpoint()


# ---- what the other privacy tools need from consents and health_notes (owned here) ----------


def delete_subjects(store: Store, subjects: list[str]) -> None:
    """Delete every consent record of these subjects (an erasure)."""
    with store.write() as conn:
        conn.executemany("DELETE FROM consents WHERE subject = ?", [(s,) for s in subjects])


def delete_health(store: Store, keys: list[tuple[str, str]]) -> None:
    """Delete the health details of these posts."""
    with store.write() as conn:
        conn.executemany("DELETE FROM health_notes WHERE tag = ?", [(store.post_tag(*key),) for key in keys])


def move_health(store: Store, old: str, new: str, ids: set[str]) -> None:
    """Health notes of these posts follow them to a successor key (a signing-key hand-over)."""
    with store.write() as conn:
        for hid, value in _health_rows(store):
            if value["author"] == old and value["id"] in ids:
                created = int(conn.execute("SELECT created FROM health_notes WHERE hid = ?", (hid,)).fetchone()[0])
                conn.execute("DELETE FROM health_notes WHERE hid = ?", (hid,))
                _write_health(store, conn, new, str(value["id"]), str(value["details"]), created)


def recorded_before(store: Store, before: int) -> list[tuple[str, str]]:
    """(cid, subject) of consent records older than ``before``."""
    with store.read() as conn:
        return [tuple(r) for r in conn.execute("SELECT cid, subject FROM consents WHERE created < ?", (before,))]


def delete_records(store: Store, cids: list[str]) -> None:
    """Delete these consent records (retention)."""
    with store.write() as conn:
        conn.executemany("DELETE FROM consents WHERE cid = ?", [(c,) for c in cids])


def rename_subject(store: Store, old: str, new: str) -> None:
    """A post re-issued under a successor key keeps its consents."""
    with store.write() as conn:
        conn.execute("UPDATE consents SET subject = ? WHERE subject = ?", (new, old))
