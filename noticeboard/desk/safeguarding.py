"""Achterwacht: a request flagged "doorverwijzen / zorgsignaal" goes to the coordinator, and stays home.

A flagged request is never a public entry: flagged at the intake it is kept here only (never
signed); flagged after posting it is withdrawn with a tombstone, so it leaves the changes feed,
bundles, the print and the neighbours' boards. Its text, the caller's card and the reason are
kept sealed in ``desk_flags`` for the coordinator, who resolves it or unflags it (then it is
posted again) with a note. Per-category guidance says what buurthulp does not do.

A flag row is found by its request's keyed tag (``Store.post_tag``), never by the request's
(author, id) in clear: the file does not say which post was flagged (issue 14). The author and
id are sealed with the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from noticeboard.categories import NOT_BUURTHULP
from noticeboard.contact import Contact
from noticeboard.desk import audit, cards, events
from noticeboard.desk.errors import NotAllowed
from noticeboard.desk.session import Session
from noticeboard.entry import Entry
from noticeboard.i18n import t
from noticeboard.node import Node, NotFound, PostDraft
from noticeboard.refcode import new_ref, normalise_ref

# Boundaries worth repeating for categories that are buurthulp but border on what is not.
CATEGORY_LIMITS: dict[str, tuple[str, ...]] = {
    "boodschappen": ("money",), "administratie": ("money",), "huishouden": ("personal_care",),
    "mantelzorg": ("personal_care", "medical"), "vervoer": ("medical",), "gezelschap": ("personal_care",),
    "klussen": ("professional",),
}
# Requests flagged before they were ever posted have a local id, never an entry id.
HELD_PREFIX = "held-"


@dataclass(frozen=True)
class RequestView:
    """A request as a staff member may see it."""

    ref: str
    title: str
    text: str
    flagged: bool
    entry: Entry | None = None


@dataclass(frozen=True)
class FlaggedRequest:
    """A request kept home as a zorgsignaal: what was asked, for whom, why, and whether it is resolved."""

    author: str
    id: str
    ref: str
    at: dt.datetime
    by: str
    reason: str
    body: dict[str, Any]
    resident: str
    resolved: bool
    posted: bool

    @property
    def key(self) -> tuple[str, str]:
        """The (author, id) the request had or has."""
        return (self.author, self.id)


_COLUMNS = "fid, at, by, ver, sealed"


def _flag_row_id(fid: str) -> str:
    return f"flag|{fid}"


def _open(node: Node, row: tuple[Any, ...]) -> dict[str, Any]:
    fid, _, _, ver, sealed = row
    value: dict[str, Any] = node.store.unseal_json(_flag_row_id(fid), sealed, ver=ver)
    return value


def _load(node: Node, row: tuple[Any, ...]) -> FlaggedRequest:
    _, at, by, _, _ = row
    raw = _open(node, row)
    author, entry_id = str(raw["author"]), str(raw["id"])
    # The intake (owner of the card links) imports this module: asked at call time.
    from noticeboard.desk import intake

    resident = intake.resident_by_key(node.store, (author, entry_id))
    body = dict(raw.get("body") or {})
    return FlaggedRequest(author, entry_id, str(raw.get("ref", body.get("ref", ""))),
                          dt.datetime.fromtimestamp(at, dt.UTC), by, str(raw.get("reason", "")), body,
                          resident, bool(raw.get("resolved")), not entry_id.startswith(HELD_PREFIX))


def all_flagged(node: Node, *, include_resolved: bool = False) -> list[FlaggedRequest]:
    """Every flagged request, oldest flag first, without an audit line (for the desk's own logic)."""
    with node.store.read() as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM desk_flags").fetchall()
    found = sorted((_load(node, row) for row in rows), key=lambda f: (f.at, f.author, f.id))
    return [f for f in found if include_resolved or not f.resolved]


def _row(node: Node, key: tuple[str, str]) -> tuple[Any, ...] | None:
    with node.store.read() as conn:
        row: tuple[Any, ...] | None = conn.execute(f"SELECT {_COLUMNS} FROM desk_flags WHERE tag = ?",
                                                   (node.store.post_tag(*key),)).fetchone()
    return row


def flagged_by_ref(node: Node, ref: str) -> FlaggedRequest | None:
    """The flagged request with this code, or None."""
    wanted = normalise_ref(ref)
    return next((f for f in all_flagged(node, include_resolved=True) if f.ref == wanted), None)


def is_flagged_key(node: Node, key: tuple[str, str]) -> bool:
    """Whether the request with this (author, id) is flagged and not resolved."""
    row = _row(node, key)
    return row is not None and not _load(node, row).resolved


def is_flagged(node: Node, entry: Entry) -> bool:
    """Whether a request was flagged for the coordinator."""
    return is_flagged_key(node, entry.key)


def _store_flag(node: Node, conn: Any, author: str, entry_id: str, value: dict[str, Any], by: str,
                now: dt.datetime) -> None:
    _write_flag(node, conn, author, entry_id, value, by, int(now.timestamp()))


def _write_flag(node: Node, conn: Any, author: str, entry_id: str, value: dict[str, Any], by: str, at: int) -> None:
    tag = node.store.post_tag(author, entry_id)
    conn.execute("DELETE FROM desk_flags WHERE tag = ?", (tag,))
    fid, ver = secrets.token_hex(16), node.store.next_ver()
    conn.execute("INSERT INTO desk_flags(fid, tag, at, by, ver, sealed) VALUES (?,?,?,?,?,?)",
                 (fid, tag, at, by, ver,
                  node.store.seal_json(_flag_row_id(fid), {**value, "author": author, "id": entry_id}, ver=ver)))


def hold(node: Node, session: Session, resident: str, draft: PostDraft, reason: str, *, channel: str,
         now: dt.datetime, name_shown: bool = False) -> FlaggedRequest:
    """Keep a request flagged at the intake here only: it is never signed, so it can never travel."""
    session.touch(now)
    place = node.profile().place
    body: dict[str, Any] = {"category": draft.category, "title": draft.title.strip(), "text": draft.text.strip(),
                            "place": place.to_wire(), "ref": new_ref(node.store.ref_in_use), "lang": draft.lang,
                            **({"when": {"text": draft.when.strip()}} if draft.when.strip() else {}), **draft.tags}
    if name_shown and draft.name:
        body["name"] = draft.name
    from noticeboard.desk import intake

    local_id = HELD_PREFIX + secrets.token_hex(8)
    with node.store.write() as conn:
        _store_flag(node, conn, node.node_id, local_id, {"reason": reason, "ref": body["ref"], "body": body},
                    session.actor, now)
        intake.record_request(conn, (node.node_id, local_id), resident, channel, session.actor, now=now)
        events.emit(conn, "request", local_id, at=now, village=place.village, category=draft.category,
                    channel=channel)
        events.emit(conn, "flagged", local_id, at=now, village=place.village, category=draft.category)
        audit.record(node.store, conn, session.actor, "intake_flagged", body["ref"], now=now,
                     details={"for": resident, "channel": channel, "reason": reason})
    return flagged_by_ref(node, body["ref"])  # type: ignore[return-value]


def flag(node: Node, session: Session, ref: str, reason: str, *, now: dt.datetime) -> FlaggedRequest:
    """Flag a posted request "doorverwijzen / zorgsignaal": withdrawn everywhere, its text kept here sealed."""
    session.touch(now)
    entry = node.find_own(ref)
    if entry.type != "request":
        raise NotFound(ref)
    kept = {"reason": reason, "ref": entry.body["ref"], "body": dict(entry.body),
            "contact": _stored(node.store.contact(*entry.key))}
    with node.store.write() as conn:
        _store_flag(node, conn, entry.author, entry.id, kept, session.actor, now)
        events.emit(conn, "flagged", entry.id, at=now, village=entry.body["place"]["village"],
                    category=entry.body["category"])
        audit.record(node.store, conn, session.actor, "flag", entry.body["ref"], now=now,
                     details={"reason": reason})
    # The tombstone takes it off every board it reached, here and at the neighbours.
    node.withdraw(entry.body["ref"], now=now)
    return flagged_by_ref(node, entry.body["ref"])  # type: ignore[return-value]


def view(node: Node, session: Session, ref: str, *, now: dt.datetime) -> RequestView:
    """A request's text for this role: a flagged one shows its text to the coordinator only."""
    session.touch(now)
    found = flagged_by_ref(node, ref)
    if found is not None and not found.resolved:
        if not session.is_coordinator:
            audit.log(node.store, session.actor, "view_flagged_refused", found.ref, now=now)
            return RequestView(found.ref, t("desk.flag.hidden_title"), t("desk.flag.hidden_text"), True)
        audit.log(node.store, session.actor, "view_flagged", found.ref, now=now)
        return RequestView(found.ref, str(found.body.get("title", "")), str(found.body.get("text", "")), True)
    entry = node.find(ref)
    return RequestView(entry.body["ref"], entry.body["title"], entry.body.get("text", ""), False, entry)


def flagged(node: Node, session: Session, *, now: dt.datetime) -> list[FlaggedRequest]:
    """Flagged requests not yet resolved, oldest flag first (coordinator only)."""
    session.touch(now, coordinator=True)
    return all_flagged(node)


def flag_reason(node: Node, session: Session, ref: str, *, now: dt.datetime) -> str:
    """Why a request was flagged (coordinator only)."""
    session.touch(now, coordinator=True)
    found = flagged_by_ref(node, ref)
    return found.reason if found else ""


def _coordinator_flag(node: Node, session: Session, ref: str, now: dt.datetime) -> FlaggedRequest:
    session.touch(now, coordinator=True)
    found = flagged_by_ref(node, ref)
    if found is None or found.resolved:
        raise NotFound(normalise_ref(ref))
    return found


def resolve(node: Node, session: Session, ref: str, note: str, *, now: dt.datetime) -> FlaggedRequest:
    """The coordinator dealt with it (referred, phoned the family): closed with a note, linked to the card."""
    found = _coordinator_flag(node, session, ref, now)
    if not note.strip():
        raise NotAllowed("a note is needed")
    with node.store.write() as conn:
        row = _row(node, found.key)
        if row is None:
            raise NotFound(found.ref)
        value = _open(node, row)
        value.update(resolved=int(now.timestamp()), note=note.strip())
        ver = node.store.next_ver()
        conn.execute("UPDATE desk_flags SET sealed = ?, ver = ? WHERE fid = ?",
                     (node.store.seal_json(_flag_row_id(row[0]), value, ver=ver), ver, row[0]))
        audit.record(node.store, conn, session.actor, "flag_resolve", found.resident or found.ref, now=now,
                     details={"ref": found.ref, "note": note.strip()})
    return flagged_by_ref(node, found.ref)  # type: ignore[return-value]


def unflag(node: Node, session: Session, ref: str, note: str, *, now: dt.datetime) -> Entry:
    """Not a zorgsignaal after all: the request goes on the board (again, as a new post) with a note."""
    found = _coordinator_flag(node, session, ref, now)
    if not note.strip():
        raise NotAllowed("a note is needed")
    body = found.body
    when = body.get("when") or {}
    tags = {"when": when} if set(when) - {"text"} else {}
    draft = PostDraft("request", str(body["category"]), str(body["title"]), str(body.get("text", "")),
                      str(when.get("text", "")), name=str(body.get("name", "")), lang=str(body.get("lang", "nl")),
                      tags=tags)
    row = _row(node, found.key)
    from noticeboard.desk import intake

    stored = _open(node, row).get("contact") if row is not None else None
    kept = Contact.from_stored(stored) if stored else None
    if kept is None and found.resident:
        person = cards.load(node.store, found.resident)
        kept = Contact.phone(person.first_name, person.phone, card=person.id)
    made = node.post(draft, contact=kept, now=now)
    with node.store.write() as conn:
        intake.move_request(node.store, found.key, made.key)
        conn.execute("DELETE FROM desk_flags WHERE tag = ?", (node.store.post_tag(*found.key),))
        audit.record(node.store, conn, session.actor, "flag_unflag", found.resident or found.ref, now=now,
                     details={"ref": found.ref, "now": made.body["ref"], "note": note.strip()})
    return made


_REFERRALS = "desk_referrals"


def referral_contacts(node: Node) -> list[dict[str, str]]:
    """The local contacts to refer to (wijkteam, huisartsenpost): name and phone, kept sealed."""
    kept = node.store.secret(_REFERRALS)
    return list(json.loads(kept)) if kept else []


def set_referral_contacts(node: Node, session: Session, contacts: list[dict[str, str]], *, now: dt.datetime) -> None:
    """Replace the local referral contacts (coordinator only)."""
    session.touch(now, coordinator=True)
    clean = [{"name": c["name"].strip(), "phone": c.get("phone", "").strip()} for c in contacts if c["name"].strip()]
    node.store.put_secret(_REFERRALS, json.dumps(clean, ensure_ascii=False).encode())
    audit.log(node.store, session.actor, "setting_referrals", "settings", now=now, details={"count": len(clean)})


def guidance(kind: str) -> tuple[str, str]:
    """What buurthulp does not do for one kind (personal_care, medical, money, professional), and where to go."""
    if kind not in NOT_BUURTHULP:
        raise KeyError(kind)
    return t(f"desk.guide.{kind}"), t(f"desk.refer.{kind}")


def category_guidance(category: str) -> list[tuple[str, str]]:
    """The boundaries to mention for a category (may be empty)."""
    return [guidance(kind) for kind in CATEGORY_LIMITS.get(category, ())]


def _stored(contact: Contact | None) -> dict[str, str]:
    return contact.to_stored() if contact else {}


# ---- what the privacy tools need from desk_flags (this module owns the table) ----------------


def flags_before(node: Node, before: int) -> list[tuple[str, str]]:
    """(author, id) of requests flagged before ``before``."""
    with node.store.read() as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM desk_flags WHERE at < ?", (before,)).fetchall()
    return [(str(value["author"]), str(value["id"])) for value in (_open(node, row) for row in rows)]


def drop_flags(node: Node, keys: list[tuple[str, str]]) -> None:
    """Delete the flags (and their sealed reasons) of these requests."""
    with node.store.write() as conn:
        conn.executemany("DELETE FROM desk_flags WHERE tag = ?", [(node.store.post_tag(*key),) for key in keys])


def move_flags(node: Node, old: str, new: str, ids: set[str]) -> None:
    """Flags of these requests follow them to a successor key (a signing-key hand-over)."""
    with node.store.write() as conn:
        for row in conn.execute(f"SELECT {_COLUMNS} FROM desk_flags").fetchall():
            value = _open(node, row)
            if value["author"] == old and value["id"] in ids:
                conn.execute("DELETE FROM desk_flags WHERE fid = ?", (row[0],))
                _write_flag(node, conn, new, str(value["id"]), value, row[2], row[1])
