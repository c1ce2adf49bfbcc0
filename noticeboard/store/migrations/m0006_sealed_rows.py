"""Hardening (issue 14): a write counter in every sealed local row, and no clear post reference at rest.

- Every sealed local table gets a ``ver`` column, the row's write counter (meta ``row_ver``,
  store-wide), bound with the row's identity into its associated data; every existing row is
  sealed again under its new counter, so an older ciphertext put back into a row does not open.
- ``desk_flags`` and ``health_notes`` no longer key their rows by the post's (author, id): each
  row gets a random id and is found by the post's keyed tag (``rowkeys.post_tag``); the
  (author, id) moves into the sealed value.
- The kiosk's exit PIN hash leaves the clear ``meta`` table for the sealed secrets.
- Audit lines written before reference codes were tagged get the tag as subject, the code
  sealed with their details (as ``noticeboard.desk.audit.record`` writes them now).

It needs the data key: the store migrates only after the key has opened the vault.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from typing import Any

import sqlite_utils

from crypto import vault
from noticeboard.refcode import normalise_ref
from noticeboard.store.rowkeys import post_tag, ref_key, ref_tag, row_ad

# Each sealed local table and its row identity before this step (over its clear columns).
_COUNTED = (
    ("secrets", "secret|{name}"),
    ("contacts", "contact|{author}|{id}"),
    ("responses", "response|{rid}"),
    ("desk_accounts", "account|{number}"),
    ("desk_people", "person|{id}"),
    ("desk_matches", "match|{id}"),
    ("desk_audit", "audit|{seq}"),
    ("consents", "consent|{cid}"),
    ("post_owners", "owner|{author}|{id}"),
)
_REF = re.compile(r"bh[- ]?[0-9a-z]{4}", re.IGNORECASE)
_REF_DETAIL = "_ref"


class _Rows:
    def __init__(self, conn: sqlite3.Connection, data_key: bytes) -> None:
        self.conn = conn
        self.cipher = vault.RowCipher(data_key)
        self.ref_key = ref_key(data_key)

    def next_ver(self) -> int:
        self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'row_ver'")
        return int(self.conn.execute("SELECT value FROM meta WHERE key = 'row_ver'").fetchone()[0])

    def open_old(self, table: str, row_id: str, sealed: bytes) -> bytes:
        try:
            return self.cipher.open(row_ad(row_id, None), sealed)
        except vault.RowTampered as exc:
            # A row that did not open before this step would not open after it either: stop
            # rather than seal garbage under a fresh counter.
            raise RuntimeError(f"a row of {table} does not decrypt; restore a backup") from exc

    def rows(self, table: str) -> list[dict[str, Any]]:
        cursor = self.conn.execute(f"SELECT rowid AS _rowid, * FROM {table}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, raw, strict=True)) for raw in cursor.fetchall()]


def up(db: sqlite_utils.Database, data_key: bytes) -> None:
    """Add and fill the write counters; re-key flags and health notes by tag; tag old audit subjects."""
    conn: sqlite3.Connection = db.conn
    conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('row_ver', '0')")
    work = _Rows(conn, data_key)
    for table, template in _COUNTED:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN ver INTEGER NOT NULL DEFAULT 0")
        for row in work.rows(table):
            identity = template.format(**row)
            sealed = row["sealed"]
            plain = work.open_old(table, identity, sealed) if sealed is not None else None
            subject = row.get("subject")
            if table == "desk_audit" and isinstance(subject, str) and _REF.fullmatch(subject.strip()):
                code = normalise_ref(subject)
                details = json.loads(plain) if plain else {}
                details[_REF_DETAIL] = code
                plain = json.dumps(details, ensure_ascii=False, sort_keys=True).encode()
                subject = f"ref:{ref_tag(work.ref_key, code).hex()}"
            ver = work.next_ver()
            resealed = work.cipher.seal(row_ad(identity, ver), plain) if plain is not None else None
            if table == "desk_audit":
                conn.execute(f"UPDATE {table} SET sealed = ?, ver = ?, subject = ? WHERE rowid = ?",
                             (resealed, ver, subject, row["_rowid"]))
            else:
                conn.execute(f"UPDATE {table} SET sealed = ?, ver = ? WHERE rowid = ?",
                             (resealed, ver, row["_rowid"]))
    _seal_exit_pin(work)
    _by_tag(db, work, "desk_flags", "flag", {"fid": str, "tag": bytes, "at": int, "by": str, "ver": int,
                                              "sealed": bytes}, "at")
    _by_tag(db, work, "health_notes", "health", {"hid": str, "tag": bytes, "created": int, "ver": int,
                                                 "sealed": bytes}, "created")


def _seal_exit_pin(work: _Rows) -> None:
    """The kiosk's exit PIN hash moves from a clear meta row into the sealed secrets."""
    row = work.conn.execute("SELECT value FROM meta WHERE key = 'kiosk_exit_pin'").fetchone()
    if row is None:
        return
    ver = work.next_ver()
    work.conn.execute("INSERT OR REPLACE INTO secrets(name, sealed, ver) VALUES ('kiosk_exit_pin', ?, ?)",
                      (work.cipher.seal(row_ad("secret|kiosk_exit_pin", ver), str(row[0]).encode()), ver))
    work.conn.execute("DELETE FROM meta WHERE key = 'kiosk_exit_pin'")


def _by_tag(db: sqlite_utils.Database, work: _Rows, table: str, kind: str, columns: dict[str, type],
            time_column: str) -> None:
    """Rebuild a table keyed by (author, id) as one keyed by a random id and the post's tag."""
    old = work.rows(table)
    conn = work.conn
    conn.execute(f"DROP TABLE {table}")
    key = next(iter(columns))
    db.table(table).create(columns, pk=key, not_null={"tag", "ver", "sealed"})
    db.table(table).create_index(["tag"], unique=True)
    for row in old:
        author, entry_id = row["author"], row["id"]
        value = json.loads(work.open_old(table, f"{kind}|{author}|{entry_id}", row["sealed"]))
        value.update(author=author, id=entry_id)
        row_id, ver = uuid.uuid4().hex, work.next_ver()
        sealed = work.cipher.seal(row_ad(f"{kind}|{row_id}", ver),
                                  json.dumps(value, ensure_ascii=False, sort_keys=True).encode())
        values = {key: row_id, "tag": post_tag(work.ref_key, author, entry_id), time_column: row[time_column],
                  "ver": ver, "sealed": sealed}
        if "by" in columns:
            values["by"] = row["by"]
        conn.execute(f"INSERT INTO {table}({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                     tuple(values.values()))
