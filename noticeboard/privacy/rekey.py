"""Rotating the data key: every sealed row re-encrypted under a new key, resumable after kill -9.

The live rows stay under the old key until one final transaction, so a node opened at any
moment during a rotation reads all its data. The work happens in batches, each one
transaction: a batch opens rows with the old key, seals them with the new one and keeps the
result in a work table (``privacy_rekey_rows``) with a digest of the ciphertext it came from;
a progress marker per table is written in the same transaction. The new key waits in
``privacy_rekey``, sealed under the old key, with its wrappers ready, so a rotation cut
short resumes with any one unlock method. The final transaction swaps every row (redoing
rows changed since their batch), replaces the vault's wrappers and drops the work tables;
the write-ahead log is then checkpointed, so no row is left under the old key.

While rotating, the database is held in exclusive locking mode, so no other program can
open it with the old key and write old-key rows after the swap.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crypto import vault
from noticeboard.entry import POSTS, EntryError, decode
from noticeboard.privacy.errors import AllUnlocksNeeded, NodeBusy, UndeclaredTable
from noticeboard.privacy.register import TableUse, sealed_tables, undeclared
from noticeboard.privacy.unlocking import check_all
from noticeboard.store import Damaged, Store, Unlock
from noticeboard.store.rowkeys import post_tag, ref_key, ref_tag
from noticeboard.store.store import connect, open_data_key, read_wrappers

STATE = "privacy_rekey"
ROWS = "privacy_rekey_rows"
_NEXT_AD = b"buurthulp-rekey-next-v1"
DEFAULT_BATCH = 200

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RotationResult:
    """How a rotation went: rows re-encrypted, and whether it resumed an earlier one."""

    rows: int
    resumed: bool


# Tables found by a post's keyed tag (column ``tag``); the sealed value holds the post's author and id.
_POST_TAGGED = ("desk_flags", "health_notes")


def pending(conn: sqlite3.Connection) -> bool:
    """Whether a rotation was started and not finished in this database."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (STATE,)).fetchone() is not None


class _Rotation:
    """One rotation in progress on an exclusively held connection."""

    def __init__(self, conn: sqlite3.Connection, old_key: bytes, new_key: bytes) -> None:
        self.conn = conn
        self.old = vault.RowCipher(old_key)
        self.new = vault.RowCipher(new_key)
        # Keyed tags are keyed by the data key, so they change with it.
        self.old_ref_key = ref_key(old_key)
        self.new_ref_key = ref_key(new_key)
        self.tables = [use for use in sealed_tables() if self._exists(use.table)]

    def _exists(self, table: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (table,)).fetchone() is not None

    def _columns(self, table: str) -> list[str]:
        return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]

    def reseal(self, use: TableUse, row: dict[str, Any]) -> dict[str, Any]:
        """New values for one row's sealed (and key-derived) columns."""
        changed: dict[str, Any] = {}
        for sealed in use.sealed:
            blob = row[sealed.column]
            if blob is None:
                continue
            identity = sealed.identity(row)
            try:
                plain = self.old.open(identity, blob)
            except vault.RowTampered as exc:
                raise Damaged(f"a row of {use.table} does not decrypt") from exc
            changed[sealed.column] = self.new.seal(identity, plain)
            if use.table == "entries" and sealed.column == "sealed":
                changed["ref_tag"] = self._entry_ref_tag(plain)
            if use.table in _POST_TAGGED:
                changed["tag"] = self._post_tag(use.table, plain)
        return changed

    def _post_tag(self, table: str, plain: bytes) -> bytes:
        try:
            value = json.loads(plain)
            return post_tag(self.new_ref_key, str(value["author"]), str(value["id"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise Damaged(f"a row of {table} does not name its post") from exc

    def _entry_ref_tag(self, plain: bytes) -> bytes | None:
        try:
            entry = decode(plain)
        except EntryError as exc:
            raise Damaged("an entry row does not decode") from exc
        return ref_tag(self.new_ref_key, entry.body["ref"]) if entry.type in POSTS else None

    def _remap_pair_tags(self) -> None:
        """The desk's repeat-pair tags are keyed by the data key: give the events the new key's tags."""
        if not (self._exists("desk_events") and self._exists("desk_matches")):
            return
        pairs = self.conn.execute("SELECT DISTINCT resident, helper FROM desk_matches "
                                  "WHERE resident != '' AND helper != ''").fetchall()
        for resident, helper in pairs:
            self.conn.execute("UPDATE desk_events SET pair = ? WHERE pair = ?",
                              (_pair_tag(self.new_ref_key, resident, helper),
                               _pair_tag(self.old_ref_key, resident, helper)))

    def progress(self) -> dict[str, int]:
        return json.loads(self.conn.execute(f"SELECT progress FROM {STATE}").fetchone()[0])

    def total(self) -> int:
        return sum(int(self.conn.execute(f"SELECT COUNT(*) FROM {use.table}").fetchone()[0]) for use in self.tables)

    def batch(self, size: int) -> int:
        """Re-encrypt the next batch into the work table; return how many rows it took (0: done)."""
        marks = self.progress()
        for use in self.tables:
            columns = self._columns(use.table)
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                rows = self.conn.execute(
                    f"SELECT rowid, {', '.join(columns)} FROM {use.table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    (marks.get(use.table, 0), size)).fetchall()
                for raw in rows:
                    row = dict(zip(columns, raw[1:], strict=True))
                    for column, value in self.reseal(use, row).items():
                        source = row.get(column)
                        self.conn.execute(
                            f"INSERT OR REPLACE INTO {ROWS}(tbl, rid, col, source, value) VALUES (?,?,?,?,?)",
                            (use.table, raw[0], column, _digest(source), value))
                if rows:
                    marks[use.table] = rows[-1][0]
                    self.conn.execute(f"UPDATE {STATE} SET progress = ?", (json.dumps(marks),))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            if rows:
                return len(rows)
        return 0

    def finish(self, new_wrappers: list[str]) -> int:
        """Swap every row to the new key in one transaction and retire the old key."""
        swapped = 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for use in self.tables:
                columns = self._columns(use.table)
                prepared: dict[tuple[int, str], tuple[bytes, Any]] = {}
                for rid, col, source, value in self.conn.execute(
                        f"SELECT rid, col, source, value FROM {ROWS} WHERE tbl = ?", (use.table,)):
                    prepared[(rid, col)] = (source, value)
                for raw in self.conn.execute(f"SELECT rowid, {', '.join(columns)} FROM {use.table}").fetchall():
                    row = dict(zip(columns, raw[1:], strict=True))
                    wanted = [s.column for s in use.sealed if row[s.column] is not None]
                    ready = {col: prepared.get((raw[0], col)) for col in wanted}
                    if all(p is not None and p[0] == _digest(row[col]) for col, p in ready.items()):
                        values = {col: p[1] for col, p in ready.items() if p is not None}
                        # The tag column was prepared with its sealed column, from the same plaintext.
                        tag_column = "ref_tag" if use.table == "entries" else "tag" if use.table in _POST_TAGGED else ""
                        if tag_column and "sealed" in values:
                            tag = prepared.get((raw[0], tag_column))
                            values[tag_column] = tag[1] if tag else None
                    else:
                        # Written after its batch (another program, between batches): redo it now.
                        values = self.reseal(use, row)
                    if values:
                        assignments = ", ".join(f"{col} = ?" for col in values)
                        self.conn.execute(f"UPDATE {use.table} SET {assignments} WHERE rowid = ?",
                                          (*values.values(), raw[0]))
                        swapped += 1
            self._remap_pair_tags()
            self.conn.execute("DELETE FROM vault")
            for text in new_wrappers:
                wrapper = vault.Wrapper.from_json(text)
                self.conn.execute("INSERT INTO vault(kind, wrapper) VALUES (?, ?)", (wrapper.kind, text))
            self.conn.execute(f"DROP TABLE {ROWS}")
            self.conn.execute(f"DROP TABLE {STATE}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return swapped


def _pair_tag(ref_key: bytes, resident: str, helper: str) -> str:
    # Mirrors noticeboard.desk.matches.pair_tag (a test checks they agree after a rotation).
    return hmac.new(ref_tag(ref_key, "pair-key"), f"{resident}|{helper}".encode(), hashlib.sha256).hexdigest()[:16]


def _digest(value: Any) -> bytes:
    return hashlib.sha256(value if isinstance(value, bytes) else repr(value).encode()).digest()


def _exclusive(db_path: Path) -> sqlite3.Connection:
    conn: sqlite3.Connection = connect(db_path).conn
    conn.execute("PRAGMA busy_timeout = 500")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        conn.close()
        raise NodeBusy("the node is open in another program") from exc
    return conn


def _start(conn: sqlite3.Connection, unlock: Unlock) -> None:
    # A table the register does not know could hold rows sealed under the old key: refuse.
    missing = [t for t in undeclared(conn) if t not in (STATE, ROWS)]
    if missing:
        raise UndeclaredTable(", ".join(missing))
    found = read_wrappers(conn)
    if ("passphrase" in found and unlock.passphrase is None) or ("keyfile" in found and unlock.key_file_secret is None):
        raise AllUnlocksNeeded("every unlock method of the node is needed")
    old_key = check_all(found, unlock)
    new_key = vault.new_data_key()
    new_wrappers = []
    if "passphrase" in found:
        assert unlock.passphrase is not None
        new_wrappers.append(vault.wrap_with_passphrase(new_key, unlock.passphrase, found["passphrase"].params))
    if "keyfile" in found:
        assert unlock.key_file_secret is not None
        new_wrappers.append(vault.wrap_with_key_file(new_key, unlock.key_file_secret))
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"CREATE TABLE {STATE} (next BLOB NOT NULL, wrappers TEXT NOT NULL, progress TEXT NOT NULL, "
                     "started INTEGER NOT NULL)")
        conn.execute(f"CREATE TABLE {ROWS} (tbl TEXT NOT NULL, rid INTEGER NOT NULL, col TEXT NOT NULL, "
                     "source BLOB NOT NULL, value BLOB, PRIMARY KEY (tbl, rid, col))")
        conn.execute(f"INSERT INTO {STATE} VALUES (?,?,?,?)", (
            vault.RowCipher(old_key).seal(_NEXT_AD, new_key),
            json.dumps([w.to_json() for w in new_wrappers]), "{}", int(time.time())))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def rotate_data_key(db_path: Path, unlock: Unlock, *, batch: int = DEFAULT_BATCH,
                    progress: Progress | None = None) -> RotationResult:
    """Rotate the data key of the database at db_path, or finish a rotation cut short.

    A new rotation needs every unlock method the node has (the new key is wrapped for each);
    finishing one needs only one. Raises Locked, AllUnlocksNeeded or NodeBusy before any change.
    """
    # Opening through the store checks the key and brings the schema up to date first.
    Store.open(db_path, unlock).close()
    conn = _exclusive(db_path)
    try:
        resumed = pending(conn)
        if not resumed:
            _start(conn, unlock)
        old_key = open_data_key(read_wrappers(conn), unlock)
        sealed_next, new_wrappers = conn.execute(f"SELECT next, wrappers FROM {STATE}").fetchone()
        try:
            new_key = vault.RowCipher(old_key).open(_NEXT_AD, sealed_next)
        except vault.RowTampered as exc:
            raise Damaged("the key rotation record does not open") from exc
        rotation = _Rotation(conn, old_key, new_key)
        total = rotation.total()
        done = conn.execute(f"SELECT COUNT(DISTINCT tbl || ':' || rid) FROM {ROWS}").fetchone()[0]
        while True:
            step = rotation.batch(batch)
            if not step:
                break
            done += step
            if progress is not None:
                progress(min(done, total), total)
        rows = rotation.finish(json.loads(new_wrappers))
    finally:
        conn.close()
    return RotationResult(rows, resumed)


def finish_pending(db_path: Path, unlock: Unlock) -> RotationResult | None:
    """Finish a rotation that was cut short, if there is one (for the service's start)."""
    conn = connect(db_path).conn
    try:
        waiting = pending(conn)
    finally:
        conn.close()
    return rotate_data_key(db_path, unlock) if waiting else None
