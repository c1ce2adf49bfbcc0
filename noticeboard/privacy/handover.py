"""Rotating the node's signing key with a signed hand-over, so peers keep trusting the centre.

The old key signs a ``vouch`` with ``successor: true`` naming the new key (the hand-over);
the new key signs the centre's profile again. Every live post and vouch of ours is issued
again under the new key with the same id, body and reference code, and the old copies get
tombstones signed by the old key at the moment of the hand-over; everything local that
pointed at the old (author, id) - contact details, responses, health notes, consent, the
desk's rows - moves to the new one. Peers that trust the old key take the new key in its
place without a new pairing and from then on refuse the retired key (``noticeboard/trust.py``,
``take_handovers``). The old seed is deleted: a retired key signs nothing more.

All changes are prepared first; the local moves, the new keys and the prepared entries
(sealed) are written in one transaction, then the entries are applied. If the process dies
between the two, :func:`finish_handover` applies them (the service runs it at start).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from crypto import signing
from crypto.encoding import b64u_encode
from crypto.identity import NodeKeys
from noticeboard import entry as entries
from noticeboard.clock import format_time, utcnow
from noticeboard.desk import matches, safeguarding
from noticeboard.entry import Entry, decode
from noticeboard.node import Node
from noticeboard.privacy import consent
from noticeboard.privacy.register import by_table

PENDING = "privacy.handover_pending"
RETIRED_KEY = "privacy.retired_keys"
# The evaluation's monthly figures too: they are the centre's, and its new key speaks for it from now on.
REISSUED = ("request", "offer", "vouch", "stats")
# Local tables whose rows point at one of our entries by (author, id) in clear. Health notes and
# flags name their post only inside the sealed value: their owners move them.
BY_AUTHOR = ("contacts", "responses", "desk_requests", "hidden")


@dataclass(frozen=True)
class Handover:
    """What a signing-key rotation did."""

    old: str
    new: str
    vouch: Entry
    reissued: int


def is_handover(entry: Entry) -> bool:
    """Whether an entry is a signing-key hand-over (a successor vouch)."""
    return entry.type == "vouch" and entry.body.get("successor") is True and entry.body["subject"] != entry.author


def retired_keys(node: Node) -> list[dict[str, str]]:
    """Keys this node signed with before, newest last: key, when retired, and the hand-over's id."""
    return json.loads(node.store.meta(RETIRED_KEY) or "[]")


def _prepare(node: Node, new: NodeKeys, now: dt.datetime) -> tuple[Entry, list[Entry], list[Entry]]:
    old_seed, old_id, new_id = node.keys.signing_seed, node.node_id, new.node_id
    profile = node.profile_entry()
    # Signed by both keys: the old one in the entry, the new one over the successor statement,
    # so nobody can hand their place to a key whose holder did not agree (issue 14, attack 8).
    cosign = b64u_encode(signing.sign(new.signing_seed, entries.successor_statement(old_id, new_id)))
    vouch = entries.make(old_seed, old_id, "vouch",
                         {"subject": new_id, "successor": True, "successor_sig": cosign,
                          "name": profile.body["name"][:60]}, now=now)
    made = [vouch, entries.make(new.signing_seed, new_id, "node", profile.body, now=now)]
    tombstones = [entries.tombstone(old_seed, profile, now=now)]
    for entry in node.store.entries(author=old_id):
        if entry.type not in REISSUED or is_handover(entry) or entry.expires_at <= now:
            continue
        made.append(entries.make(new.signing_seed, new_id, entry.type, entry.body, now=now, entry_id=entry.id,
                                 created=entry.created, expires=entry.expires_at))
        tombstones.append(entries.tombstone(old_seed, entry, now=now))
    return vouch, made, tombstones


def _move_rows(node: Node, conn: Any, old: str, new: str, ids: set[str]) -> None:
    store, register = node.store, by_table()
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in BY_AUTHOR:
        if table not in present:
            continue
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        rows = conn.execute(f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE author = ?", (old,)).fetchall()
        for raw in rows:
            row = dict(zip(columns, raw[1:], strict=True))
            if row["id"] not in ids:
                continue
            moved = dict(row, author=new)
            values: dict[str, Any] = {"author": new}
            for sealed in register[table].sealed:
                before, after = sealed.base(row), sealed.base(moved)
                if row[sealed.column] is not None and before != after:
                    ver = sealed.ver(row)
                    values[sealed.column] = store.seal(after, store.unseal(before, row[sealed.column], ver=ver), ver=ver)
            conn.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in values)} WHERE rowid = ?",
                         (*values.values(), raw[0]))
    consent.move_health(store, old, new, ids)
    safeguarding.move_flags(node, old, new, ids)
    for entry_id in ids:
        consent.rename_subject(store, f"post|{old}|{entry_id}", f"post|{new}|{entry_id}")
        matches.move_post(store, old, new, entry_id)


def rotate_signing_key(node: Node, *, now: dt.datetime | None = None) -> Handover:
    """Retire this node's signing key in favour of a new one, with a signed hand-over."""
    finish_handover(node)
    now = now or utcnow()
    new = NodeKeys(signing.new_signing_seed(), node.keys.sealing_key)
    old_id = node.node_id
    vouch, made, tombstones = _prepare(node, new, now)
    prepared = [vouch, *made[1:], *tombstones]
    ids = {e.id for e in made[2:]}
    store = node.store
    retired = [*retired_keys(node), {"key": old_id, "at": format_time(now), "handover": vouch.id}]
    with store.write() as conn:
        _move_rows(node, conn, old_id, new.node_id, ids)
        store.put_secret("signing_seed", new.signing_seed)
        store.put_secret(PENDING, json.dumps([e.canonical().decode() for e in prepared]).encode())
        for key, value in (("node_id", new.node_id), ("profile_id", made[1].id), (RETIRED_KEY, json.dumps(retired))):
            store.set_meta(key, value)
    node.keys, node.node_id = new, new.node_id
    finish_handover(node, now=now)
    return Handover(old_id, new.node_id, vouch, len(made) - 2)


def finish_handover(node: Node, *, now: dt.datetime | None = None) -> bool:
    """Apply the entries of a hand-over cut short; True if there was one."""
    pending = node.store.secret(PENDING)
    if pending is None:
        return False
    prepared = [decode(text) for text in json.loads(pending)]
    node.store.apply_many(prepared, now=now or utcnow())
    node.store.drop_secret(PENDING)
    return True
