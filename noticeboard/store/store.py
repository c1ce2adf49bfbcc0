"""The encrypted store of one node: entries, keys and local-only personal data in one SQLite file.

Everything that could say something about a person is sealed with the vault's data key;
only what sync needs to find rows stays in clear (see docs/storage.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlite_utils

from crypto import vault
from crypto.encoding import b64u_decode
from noticeboard.clock import format_time, to_epoch
from noticeboard.contact import Contact
from noticeboard.entry import HOLD_AT_MOST, Entry, decode, decode_stored
from noticeboard.store.board import BoardIndex, BoardItem, BoardQuery
from noticeboard.store.errors import AlreadyInitialised, Damaged, DiskFull, Locked, NeedsUnlock, NotInitialised
from noticeboard.store.migrations import migrate
from noticeboard.store.rowkeys import RefTagger, post_tag, ref_key, row_ad

BUSY_TIMEOUT_MS = 10_000
# Ids per "id IN (...)" query: well under SQLite's oldest limit of 999 bound values.
_IDS_PER_QUERY = 500
# Rows read for a first board page while the rest is still to be filled in (refresh_board).
BOARD_FIRST_PART = 1_000


class Outcome(StrEnum):
    """What apply did with one entry."""

    APPLIED = "applied"
    SAME = "same"
    OLDER = "older"
    EXPIRED = "expired"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Unlock:
    """How to open the vault: a passphrase, a key file's secret, or both."""

    passphrase: str | None = None
    key_file_secret: bytes | None = None


@dataclass(frozen=True)
class Change:
    """One row of the changes feed."""

    seq: int
    entry: Entry


@dataclass(frozen=True, slots=True)
class FeedRow:
    """The clear columns of one stored entry: what sync needs to pick rows without decrypting."""

    seq: int
    author: str
    id: str
    type: str
    version: int
    sig: bytes
    lat_cdeg: int | None
    lon_cdeg: int | None
    reach_km: int | None
    recipient: str | None


def _disk_full(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def _row_id(author: str, entry_id: str, version: int) -> bytes:
    return f"entry|{author}|{entry_id}|{version}".encode()


# Node profiles and vouches are read whole at every sync round (trust view, hand-overs, places):
# a region holds a few thousand of them, and decrypting and decoding each one again cost most of
# a round. Their decoded form is kept, keyed by the sealed bytes (the same bytes open to the same entry).
_MEMO_TYPES = ("node", "vouch")
MEMO_LIMIT = 8192


def connect(path: Path) -> sqlite_utils.Database:
    """Open the database file with the settings every process must share."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    # Freed pages are zeroed, so erased rows leave no bytes behind in the file.
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


def read_wrappers(conn: sqlite3.Connection) -> dict[str, vault.Wrapper]:
    """The data-key wrappers kept in a database's vault table; raises NotInitialised."""
    try:
        rows = conn.execute("SELECT kind, wrapper FROM vault").fetchall()
    except sqlite3.DatabaseError as exc:
        raise NotInitialised("no vault in this database") from exc
    if not rows:
        raise NotInitialised("no vault in this database")
    return {kind: vault.Wrapper.from_json(text) for kind, text in rows}


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The clear-text settings of a database file (e.g. a backup's snapshot), without its key."""
    return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta").fetchall()}


def open_data_key(found: dict[str, vault.Wrapper], unlock: Unlock) -> bytes:
    """The data key, opened with whichever given method the wrappers allow; raises Locked."""
    if unlock.passphrase is None and unlock.key_file_secret is None:
        raise NeedsUnlock("a passphrase or a key file is needed")
    try:
        if unlock.key_file_secret is not None and "keyfile" in found:
            return vault.unwrap_with_key_file(found["keyfile"], unlock.key_file_secret)
        if unlock.passphrase is not None and "passphrase" in found:
            return vault.unwrap_with_passphrase(found["passphrase"], unlock.passphrase)
    except vault.WrongKey as exc:
        raise Locked("wrong passphrase or key file") from exc
    raise Locked("this node has no unlock method of the kind given")


class Store:
    """One node's database, opened and unlocked. Safe to share between threads."""

    FILENAME = "noticeboard.db"

    def __init__(self, path: Path, db: sqlite_utils.Database, data_key: bytes) -> None:
        self.path = path
        self.db = db
        self._conn: sqlite3.Connection = db.conn
        self._cipher = vault.RowCipher(data_key)
        self._ref_key = ref_key(data_key)
        self._ref_tagger = RefTagger(self._ref_key)
        self._lock = threading.RLock()
        self._opened: dict[tuple[str, str, int, bytes], Entry] = {}
        self._board: BoardIndex | None = None
        # Its own lock: building the index decrypts every post, and other store users must not wait for that.
        self._board_lock = threading.RLock()
        self._board_seq = 0
        self._board_purges = ""
        # While the board is first built newest first (backfill_board), the rows below this
        # change sequence are still to be read; 0 when the board holds everything.
        self._board_low = 0
        # Nesting of write() in the thread holding the lock; a checkpoint asked for inside waits for the commit.
        self._write_depth = 0
        self._checkpoint_due = False

    # ---- opening ---------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, unlock: Unlock, *, scrypt: vault.ScryptParams | None = None) -> Store:
        """Create a new, empty store protected by the given passphrase and/or key file."""
        if unlock.passphrase is None and unlock.key_file_secret is None:
            raise NeedsUnlock("a passphrase or a key file is needed")
        if path.exists() and path.stat().st_size > 0:
            raise AlreadyInitialised(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        data_key = vault.new_data_key()
        migrate(db, data_key)
        wrappers = []
        if unlock.passphrase is not None:
            wrappers.append(vault.wrap_with_passphrase(data_key, unlock.passphrase, scrypt))
        if unlock.key_file_secret is not None:
            wrappers.append(vault.wrap_with_key_file(data_key, unlock.key_file_secret))
        store = cls(path, db, data_key)
        with store.write():
            for wrapper in wrappers:
                store._conn.execute("INSERT INTO vault(kind, wrapper) VALUES (?, ?)", (wrapper.kind, wrapper.to_json()))
            store._set_meta("epoch", uuid.uuid4().hex)
            store._set_meta("last_seq", "0")
            store._set_meta("purges", "0")
        return store

    @classmethod
    def open(cls, path: Path, unlock: Unlock) -> Store:
        """Open and unlock an existing store; raises Locked on a wrong passphrase or key file."""
        if not path.exists():
            raise NotInitialised(str(path))
        if unlock.passphrase is None and unlock.key_file_secret is None:
            raise NeedsUnlock("a passphrase or a key file is needed")
        db = connect(path)
        try:
            data_key = open_data_key(read_wrappers(db.conn), unlock)
        except BaseException:
            db.conn.close()
            raise
        # Migrate only after the key proved right, so a wrong passphrase changes nothing on disk.
        migrate(db, data_key)
        return cls(path, db, data_key)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the database's write lock from its start; raises DiskFull.

        Re-entrant in one thread: an act composes store methods that each open a write, and all
        of it must commit or roll back together. The outermost block begins and commits; an inner
        block joins it under a savepoint, so an inner failure the caller catches undoes only the
        inner part, and an uncaught one rolls the whole transaction back.
        """
        with self._lock:
            # The lock is held for the whole outermost block, so the depth is this thread's.
            if self._write_depth:
                yield from self._join_write()
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._write_depth = 1
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                # A failed COMMIT (disk full) leaves the transaction open, and SQLite may already
                # have rolled back on its own: end it either way, or every later write fails too.
                self._checkpoint_due = False
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if _disk_full(exc):
                    raise DiskFull("the disk is full") from exc
                raise
            finally:
                self._write_depth = 0
            if self._checkpoint_due:
                self._checkpoint_due = False
                self.checkpoint()

    def _join_write(self) -> Iterator[sqlite3.Connection]:
        depth = self._write_depth
        savepoint = f"inner_write_{depth}"
        self._conn.execute(f"SAVEPOINT {savepoint}")
        self._write_depth = depth + 1
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute(f"ROLLBACK TO {savepoint}")
                self._conn.execute(f"RELEASE {savepoint}")
            raise
        else:
            self._conn.execute(f"RELEASE {savepoint}")
        finally:
            self._write_depth = depth

    @property
    def in_write(self) -> bool:
        """Whether this thread is inside a write transaction (so a write now joins it)."""
        with self._lock:
            return self._write_depth > 0

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads, held by this thread until the block ends (no transaction)."""
        with self._lock:
            yield self._conn

    # ---- vault -----------------------------------------------------------------------

    def set_passphrase(self, data_key_check: Unlock, new_passphrase: str, scrypt: vault.ScryptParams | None = None) -> None:
        """Replace the passphrase; the data stays as it is, only the data key is rewrapped."""
        data_key = self._unwrap(data_key_check)
        wrapper = vault.wrap_with_passphrase(data_key, new_passphrase, scrypt)
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO vault(kind, wrapper) VALUES ('passphrase', ?)", (wrapper.to_json(),))

    def set_key_file(self, data_key_check: Unlock, secret: bytes | None) -> None:
        """Add or replace (secret given) or remove (None) the key-file unlock."""
        data_key = self._unwrap(data_key_check)
        with self.write() as conn:
            if secret is None:
                if "passphrase" not in read_wrappers(self._conn):
                    raise NeedsUnlock("removing the key file would leave no way to unlock")
                conn.execute("DELETE FROM vault WHERE kind = 'keyfile'")
            else:
                wrapper = vault.wrap_with_key_file(data_key, secret)
                conn.execute("INSERT OR REPLACE INTO vault(kind, wrapper) VALUES ('keyfile', ?)", (wrapper.to_json(),))

    def _unwrap(self, unlock: Unlock) -> bytes:
        with self._lock:
            return open_data_key(read_wrappers(self._conn), unlock)

    def check_unlock(self, unlock: Unlock) -> bool:
        """Whether this passphrase or key file opens this node; nothing changes either way."""
        try:
            self._unwrap(unlock)
        except Locked:
            return False
        return True

    def unlock_methods(self) -> list[str]:
        """Which unlock methods are set (``passphrase``, ``keyfile``)."""
        return sorted(read_wrappers(self._conn))

    # ---- sealed rows and meta --------------------------------------------------------

    def next_ver(self) -> int:
        """A new write counter for a sealed local row (store-wide, never handed out twice).

        The row keeps it in its ``ver`` column and it is bound into the row's associated data,
        so an older ciphertext of the row put back into it does not open (issue 14). Call it in
        the write transaction that stores the row: it joins it, so a rolled-back write takes
        its counter along.
        """
        with self.write() as conn:
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'row_ver'")
            return int(conn.execute("SELECT value FROM meta WHERE key = 'row_ver'").fetchone()[0])

    def seal(self, row_id: str, data: bytes, *, ver: int | None) -> bytes:
        """Encrypt bytes for a row of a local table (row_id names the row for its whole life).

        ``ver`` is the row's write counter from :meth:`next_ver`; None only for rows whose
        row_id already holds a version (held entries).
        """
        return self._cipher.seal(row_ad(row_id, ver), data)

    def unseal(self, row_id: str, sealed: bytes, *, ver: int | None) -> bytes:
        """Decrypt a row sealed by :meth:`seal` with the same ``ver``; raises Damaged.

        A ciphertext of another row, or an older one of this row put back, does not open.
        """
        try:
            return self._cipher.open(row_ad(row_id, ver), sealed)
        except vault.RowTampered as exc:
            raise Damaged(f"row {row_id.split('|')[0]} does not decrypt") from exc

    def seal_json(self, row_id: str, value: Any, *, ver: int) -> bytes:
        """Seal a JSON value for a row at write counter ``ver``."""
        return self.seal(row_id, json.dumps(value, ensure_ascii=False, sort_keys=True).encode(), ver=ver)

    def unseal_json(self, row_id: str, sealed: bytes, *, ver: int) -> Any:
        """Open a sealed JSON value of a row at write counter ``ver``."""
        return json.loads(self.unseal(row_id, sealed, ver=ver))

    def meta(self, key: str, default: str | None = None) -> str | None:
        """A clear-text setting (never personal data)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def meta_with_prefix(self, prefix: str) -> list[tuple[str, str]]:
        """Every meta row whose key starts with prefix, as (key, value)."""
        with self.read() as conn:
            rows = conn.execute("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
                                (len(prefix), prefix)).fetchall()
        return [(str(k), str(v)) for k, v in rows]

    def delete_meta(self, key: str) -> None:
        """Forget one meta row (nothing happens when it is not there)."""
        with self.write() as conn:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        """Store a clear-text setting."""
        with self.write():
            self._set_meta(key, value)

    def put_secret(self, name: str, value: bytes) -> None:
        """Store a secret (a private key) sealed under the data key."""
        with self.write() as conn:
            ver = self.next_ver()
            conn.execute("INSERT OR REPLACE INTO secrets(name, sealed, ver) VALUES (?, ?, ?)",
                         (name, self.seal(f"secret|{name}", value, ver=ver), ver))

    def secret(self, name: str) -> bytes | None:
        """A secret stored by :meth:`put_secret`, or None."""
        with self._lock:
            row = self._conn.execute("SELECT sealed, ver FROM secrets WHERE name = ?", (name,)).fetchone()
        return self.unseal(f"secret|{name}", row[0], ver=row[1]) if row else None

    @property
    def epoch(self) -> str:
        """The random id of this database's history; it changes on restore."""
        value = self.meta("epoch")
        assert value is not None
        return value

    def new_epoch(self) -> str:
        """Start a new history (after a restore), so peers start over from zero."""
        epoch = uuid.uuid4().hex
        self.set_meta("epoch", epoch)
        return epoch

    # ---- entries ---------------------------------------------------------------------

    def ref_tag(self, ref: str) -> bytes:
        """A keyed hash of a reference code, so codes can be looked up without being stored in clear."""
        return self._ref_tagger(ref)

    def post_tag(self, author: str, entry_id: str) -> bytes:
        """The keyed tag of a post: local tables that must not say which post a row is about key by it."""
        return post_tag(self._ref_key, author, entry_id)

    def _entry_row(self, entry: Entry, seq: int) -> tuple[Any, ...]:
        body = entry.body
        place = body.get("place") if entry.type in ("request", "offer", "node") else None
        # Read once by the fast decoder when it decoded the entry (noticeboard/fastdecode.py).
        d = entry.decoded
        return (
            entry.author, entry.id, entry.type, entry.version, d.sig if d else b64u_decode(entry.sig),
            d.updated_epoch if d else to_epoch(entry.updated), d.expires_epoch if d else to_epoch(entry.expires), seq,
            place["lat_cdeg"] if place else None, place["lon_cdeg"] if place else None,
            body.get("reach_km") if entry.type in ("request", "offer") else None,
            body.get("to") if entry.type == "message" else None,
            self.ref_tag(body["ref"]) if entry.type in ("request", "offer") else None,
            self._cipher.seal(_row_id(entry.author, entry.id, entry.version), entry.canonical()),
        )

    def _open_entry(self, author: str, entry_id: str, version: int, sealed: bytes, *, compact: bool = False) -> Entry:
        key = (author, entry_id, version, sealed)
        known = self._opened.get(key)
        if known is not None:
            return known
        try:
            entry = decode_stored(self._cipher.open(_row_id(author, entry_id, version), sealed), compact=compact)
        except (vault.RowTampered, ValueError, KeyError) as exc:
            raise Damaged("an entry row does not decrypt") from exc
        if entry.type in _MEMO_TYPES and not compact:
            if len(self._opened) >= MEMO_LIMIT:
                self._opened.clear()
            self._opened[key] = entry
        return entry

    def apply(self, entry: Entry, *, now: dt.datetime) -> Outcome:
        """Apply one entry (already checked by the ingest pipeline)."""
        return self.apply_many([entry], now=now)[0]

    def apply_many(self, entries: Iterable[Entry], *, now: dt.datetime) -> list[Outcome]:
        """Apply entries in one transaction: per (author, id) the highest version wins.

        Equal versions with different bytes are the author's fault; the higher signature
        wins, so every node picks the same one whatever order they arrive in.
        """
        now_epoch = int(now.timestamp())
        outcomes: list[Outcome] = []
        erased = False
        with self.write() as conn:
            seq = int(conn.execute("SELECT value FROM meta WHERE key = 'last_seq'").fetchone()[0])
            batch = list(entries)
            # One query per author for the whole batch instead of one per entry; entries applied
            # earlier in this batch update it, so a later copy of the same entry compares with them.
            stored = self._versions(conn, {entry.key for entry in batch})
            rows: list[tuple[Any, ...]] = []
            reached: dict[tuple[str, str], tuple[Any, ...]] = {}
            for entry in batch:
                if (entry.decoded.expires_epoch if entry.decoded else to_epoch(entry.expires)) <= now_epoch:
                    outcomes.append(Outcome.EXPIRED)
                    continue
                row = stored.get(entry.key)
                outcome = Outcome.APPLIED
                if row is not None:
                    version, sig = row
                    new_sig = entry.decoded.sig if entry.decoded else b64u_decode(entry.sig)
                    if entry.version < version:
                        outcomes.append(Outcome.OLDER)
                        continue
                    if entry.version == version:
                        if new_sig <= sig:
                            outcomes.append(Outcome.SAME if new_sig == sig else Outcome.OLDER)
                            continue
                        outcome = Outcome.CONFLICT
                seq += 1
                rows.append(self._entry_row(entry, seq))
                stored[entry.key] = (entry.version, rows[-1][4])
                if entry.type in ("request", "offer"):
                    reached[entry.key] = rows[-1][8:11]
                if entry.type == "tombstone" and entry.body["was"] in ("request", "offer"):
                    rows[-1] = self._tombstone_reach(conn, rows[-1], reached, entry.key)
                if entry.type == "tombstone":
                    conn.execute("DELETE FROM contacts WHERE author = ? AND id = ?", entry.key)
                    conn.execute("DELETE FROM responses WHERE author = ? AND id = ?", entry.key)
                    # The owner's wijzigcode (noticeboard/acts/owner.py) has nothing left to open.
                    conn.execute("DELETE FROM post_owners WHERE author = ? AND id = ?", entry.key)
                    # A withdrawn "I can help" message takes the response opened from it along.
                    conn.execute("DELETE FROM responses WHERE rid = ?", (f"msg|{entry.author}|{entry.id}",))
                    erased = True
                outcomes.append(outcome)
            # Rows go in in batch order, so of two versions of one entry the later one stays.
            conn.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'last_seq'", (str(seq),))
        if erased:
            self.checkpoint()
        return outcomes

    @staticmethod
    def _tombstone_reach(conn: sqlite3.Connection, row: tuple[Any, ...], reached: dict[tuple[str, str], tuple[Any, ...]],
                         key: tuple[str, str]) -> tuple[Any, ...]:
        """The row of a post's tombstone with the place and reach of the post it replaces.

        So scope sends the tombstone where the post could go, not to every peer. Its reach is
        0 and it has no place when we never held the post: then it goes nowhere from here,
        since whoever gave a node the post held the post, and gets the tombstone with its place.
        """
        where = reached.get(key)
        if where is None:
            found = conn.execute("SELECT lat_cdeg, lon_cdeg, reach_km FROM entries WHERE author = ? AND id = ? "
                                 "AND type IN ('request', 'offer')", key).fetchone()
            where = tuple(found) if found else (None, None, 0)
        return (*row[:8], *where, *row[11:])

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database and empty it, so erased bytes leave the WAL.

        Inside a write transaction it cannot run (the erased rows are not committed yet): it is
        done right after the outermost commit instead.
        """
        with self._lock:
            if self._write_depth:
                self._checkpoint_due = True
                return
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError as exc:
                if _disk_full(exc):
                    raise DiskFull("the disk is full") from exc
                raise

    def get(self, author: str, entry_id: str) -> Entry | None:
        """The current version of one entry, or None."""
        with self._lock:
            row = self._conn.execute("SELECT version, sealed FROM entries WHERE author = ? AND id = ?",
                                     (author, entry_id)).fetchone()
        return self._open_entry(author, entry_id, row[0], row[1]) if row else None

    def version_of(self, author: str, entry_id: str) -> int | None:
        """The stored version of an entry (without decrypting it), or None."""
        with self._lock:
            row = self._conn.execute("SELECT version FROM entries WHERE author = ? AND id = ?",
                                     (author, entry_id)).fetchone()
        return row[0] if row else None

    def by_ref(self, ref: str) -> list[Entry]:
        """Posts with this reference code (usually one; codes are only unique per node)."""
        with self._lock:
            rows = self._conn.execute("SELECT author, id, version, sealed FROM entries WHERE ref_tag = ?",
                                      (self.ref_tag(ref),)).fetchall()
        found = [self._open_entry(*row) for row in rows]
        return [e for e in found if e.type in ("request", "offer") and e.body["ref"] == ref.upper()]

    def ref_in_use(self, ref: str) -> bool:
        """Whether any stored row (posts and tombstones of posts) uses this code's tag."""
        with self._lock:
            return self._conn.execute("SELECT 1 FROM entries WHERE ref_tag = ?", (self.ref_tag(ref),)).fetchone() is not None

    def entries(self, *, types: Iterable[str] | None = None, author: str | None = None) -> Iterator[Entry]:
        """All stored entries (decrypted), optionally of some types or one author, in change order."""
        sql = "SELECT author, id, version, sealed FROM entries"
        clauses, args = [], []
        if types is not None:
            kinds = list(types)
            clauses.append(f"type IN ({','.join('?' * len(kinds))})")
            args.extend(kinds)
        if author is not None:
            clauses.append("author = ?")
            args.append(author)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY seq", args).fetchall()
        for row in rows:
            yield self._open_entry(*row)

    def count(self, types: Iterable[str] | None = None) -> int:
        """How many entries are stored (optionally of some types)."""
        sql, args = "SELECT COUNT(*) FROM entries", []
        if types is not None:
            kinds = list(types)
            sql += f" WHERE type IN ({','.join('?' * len(kinds))})"
            args = kinds
        with self._lock:
            return int(self._conn.execute(sql, args).fetchone()[0])

    @property
    def last_seq(self) -> int:
        """The change sequence of the newest change."""
        return int(self.meta("last_seq") or 0)

    def changes(self, since: int, limit: int) -> list[Change]:
        """Entries changed after sequence ``since``, oldest change first, at most ``limit``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT seq, author, id, version, sealed FROM entries WHERE seq > ? ORDER BY seq LIMIT ?",
                (since, limit)).fetchall()
        return [Change(row[0], self._open_entry(*row[1:])) for row in rows]

    def feed_rows(self, since: int = 0, limit: int | None = None) -> list[FeedRow]:
        """Clear columns of entries changed after ``since``, oldest change first (no decryption)."""
        sql = ("SELECT seq, author, id, type, version, sig, lat_cdeg, lon_cdeg, reach_km, recipient "
               "FROM entries WHERE seq > ? ORDER BY seq")
        args: list[Any] = [since]
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [FeedRow(*row) for row in rows]

    def signatures(self) -> list[tuple[int, bytes]]:
        """(seq, signature) of every stored entry, oldest change first: what reconciliation digests.

        Plain tuples rather than :class:`FeedRow`: the garbage collector stops tracking tuples of
        plain values, while 50k tracked rows made each of its full passes (which hold the GIL,
        in whichever thread) stall the event loop for 100-300 ms.
        """
        with self._lock:
            return self._conn.execute("SELECT seq, sig FROM entries ORDER BY seq").fetchall()

    def reconcile_rows(self) -> list[tuple[int, int, bytes]]:
        """(seq, updated, first 8 bytes of the signature) of every stored entry, in range reconciliation's order.

        Plain tuples, like :meth:`signatures`, so the garbage collector does not track them; SQLite
        sorts them (without holding the GIL, which a sort of 50k tuples in Python would, for 30-60 ms).
        """
        with self._lock:
            return self._conn.execute("SELECT seq, updated, substr(sig, 1, 8) AS digest FROM entries "
                                      "ORDER BY updated, digest, seq").fetchall()

    def feed_rows_at(self, seqs: Iterable[int]) -> list[FeedRow]:
        """The clear columns of the entries at these change sequences that still exist, by seq."""
        wanted = sorted(set(seqs))
        rows: list[tuple[Any, ...]] = []
        with self._lock:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                rows.extend(self._conn.execute(
                    "SELECT seq, author, id, type, version, sig, lat_cdeg, lon_cdeg, reach_km, recipient "
                    f"FROM entries WHERE seq IN ({','.join('?' * len(part))}) ORDER BY seq", part).fetchall())
        return [FeedRow(*row) for row in rows]

    def raw_entries(self, seqs: Iterable[int]) -> list[tuple[int, bytes]]:
        """(seq, canonical bytes) of the entries at these change sequences that still exist."""
        found: list[tuple[int, bytes]] = []
        with self._lock:
            for seq in seqs:
                row = self._conn.execute("SELECT author, id, version, sealed FROM entries WHERE seq = ?",
                                         (seq,)).fetchone()
                if row is None:
                    continue
                try:
                    found.append((seq, self._cipher.open(_row_id(row[0], row[1], row[2]), row[3])))
                except vault.RowTampered as exc:
                    raise Damaged("an entry row does not decrypt") from exc
        return found

    def stored_versions(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, bytes]]:
        """(version, signature bytes) of the stored entries among keys, for cheap duplicate checks."""
        with self._lock:
            return self._versions(self._conn, set(keys))

    @staticmethod
    def _versions(conn: sqlite3.Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, bytes]]:
        """(version, sig) of the stored entries among keys: one query per author and 500 ids."""
        by_author: dict[str, list[str]] = {}
        for author, entry_id in keys:
            by_author.setdefault(author, []).append(entry_id)
        found: dict[tuple[str, str], tuple[int, bytes]] = {}
        for author, ids in by_author.items():
            for start in range(0, len(ids), _IDS_PER_QUERY):
                part = ids[start : start + _IDS_PER_QUERY]
                marks = ",".join("?" * len(part))
                for entry_id, version, sig in conn.execute(
                        f"SELECT id, version, sig FROM entries WHERE author = ? AND id IN ({marks})", (author, *part)):
                    found[(author, entry_id)] = (version, sig)
        return found

    def purge_expired(self, now: dt.datetime) -> int:
        """Delete entries (and tombstones) past their expiry, and held entries dated beyond the
        hold cap (kept from before there was one); return how many entries went."""
        with self.write() as conn:
            conn.execute("DELETE FROM held WHERE updated > ?", (int((now + HOLD_AT_MOST).timestamp()),))
        return self._purge("expires <= ?", (int(now.timestamp()),))

    def purge_author(self, author: str) -> int:
        """Delete every entry of one author (a blocked node), also those held for their time."""
        with self.write() as conn:
            conn.execute("DELETE FROM held WHERE author = ?", (author,))
        return self._purge("author = ?", (author,))

    def _purge(self, where: str, args: tuple[Any, ...]) -> int:
        # Inside a caller's transaction the purge may still roll back: leave the in-memory board
        # alone, and the changed purge count rebuilds it at the next look (if the purge stays).
        joined = self.in_write
        with self.write() as conn:
            keys = conn.execute(f"SELECT author, id FROM entries WHERE {where}", args).fetchall()
            if not keys:
                return 0
            for table in ("contacts", "responses", "post_owners"):
                conn.execute(f"DELETE FROM {table} WHERE (author, id) IN (SELECT author, id FROM entries WHERE {where})",
                             args)
            conn.execute(f"DELETE FROM entries WHERE {where}", args)
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'purges'")
        if self._board is not None and not joined:
            self._board.drop(tuple(k) for k in keys)
            self._board_purges = self.meta("purges") or ""
        self.checkpoint()
        return len(keys)

    # ---- entries from the future -----------------------------------------------------

    def hold(self, entry: Entry) -> None:
        """Keep an entry dated ahead of our clock until its time comes."""
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO held VALUES (?,?,?,?,?)", (
                entry.author, entry.id, entry.version, to_epoch(entry.updated),
                self.seal(f"held|{entry.author}|{entry.id}|{entry.version}", entry.canonical(), ver=None)))

    def due_held(self, until: dt.datetime) -> list[Entry]:
        """Remove and return held entries whose time has come."""
        with self.write() as conn:
            rows = conn.execute("SELECT author, id, version, sealed FROM held WHERE updated <= ?",
                                (int(until.timestamp()),)).fetchall()
            conn.execute("DELETE FROM held WHERE updated <= ?", (int(until.timestamp()),))
        return [decode(self.unseal(f"held|{a}|{i}|{v}", s, ver=None)) for a, i, v, s in rows]

    def held_count(self) -> int:
        """How many entries wait for their time."""
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM held").fetchone()[0])

    # ---- local-only personal data ----------------------------------------------------

    def set_contact(self, author: str, entry_id: str, contact: Contact) -> None:
        """Keep the contact details of a local post (never in any entry)."""
        with self.write() as conn:
            ver = self.next_ver()
            conn.execute("INSERT OR REPLACE INTO contacts(author, id, sealed, ver) VALUES (?,?,?,?)",
                         (author, entry_id, self.seal_json(f"contact|{author}|{entry_id}", contact.to_stored(), ver=ver),
                          ver))

    def contact(self, author: str, entry_id: str) -> Contact | None:
        """The contact details kept for a local post, or None."""
        with self._lock:
            row = self._conn.execute("SELECT sealed, ver FROM contacts WHERE author = ? AND id = ?",
                                     (author, entry_id)).fetchone()
        return Contact.from_stored(self.unseal_json(f"contact|{author}|{entry_id}", row[0], ver=row[1])) if row else None

    def contact_keys(self, author: str | None = None) -> list[tuple[str, str]]:
        """(author, id) of every post (of one author) with kept contact details."""
        sql: str = "SELECT author, id FROM contacts"
        args: tuple[str, ...] = ()
        if author is not None:
            sql, args = sql + " WHERE author = ?", (author,)
        with self._lock:
            return [(row[0], row[1]) for row in self._conn.execute(sql, args).fetchall()]

    def drop_contacts(self, keys: Iterable[tuple[str, str]]) -> int:
        """Delete the kept contacts of these posts; returns how many went."""
        with self.write() as conn:
            return sum(conn.execute("DELETE FROM contacts WHERE author = ? AND id = ?", k).rowcount for k in keys)

    def drop_responses(self, keys: Iterable[tuple[str, str]] = (), rids: Iterable[str] = ()) -> int:
        """Delete the responses kept for these posts, or with these ids; returns how many went."""
        with self.write() as conn:
            gone = sum(conn.execute("DELETE FROM responses WHERE author = ? AND id = ?", k).rowcount for k in keys)
            return gone + sum(conn.execute("DELETE FROM responses WHERE rid = ?", (r,)).rowcount for r in rids)

    def drop_messages(self, keys: Iterable[tuple[str, str]]) -> None:
        """Delete sealed messages only this node can open (an erasure of the response they carried)."""
        with self.write() as conn:
            conn.executemany("DELETE FROM entries WHERE author = ? AND id = ? AND type = 'message'", list(keys))

    def drop_secret(self, name: str) -> None:
        """Delete a secret stored by :meth:`put_secret`."""
        with self.write() as conn:
            conn.execute("DELETE FROM secrets WHERE name = ?", (name,))

    def add_response(self, author: str, entry_id: str, response: dict[str, Any], *, now: dt.datetime,
                     rid: str | None = None) -> str:
        """Keep an "I can help" for one of our posts (local personal data); returns its id."""
        rid = rid or uuid.uuid4().hex
        with self.write() as conn:
            ver = self.next_ver()
            conn.execute("INSERT OR IGNORE INTO responses(rid, author, id, created, sealed, ver) VALUES (?,?,?,?,?,?)",
                         (rid, author, entry_id, int(now.timestamp()), self.seal_json(f"response|{rid}", response, ver=ver),
                          ver))
        return rid

    def responses(self, author: str | None = None, entry_id: str | None = None) -> list[dict[str, Any]]:
        """Responses kept here (for one post, or all), oldest first, each with ``rid`` and ``created``."""
        sql, args = "SELECT rid, author, id, created, sealed, ver FROM responses", []
        if author is not None and entry_id is not None:
            sql, args = sql + " WHERE author = ? AND id = ?", [author, entry_id]
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY created, rid", args).fetchall()
        return [{**self.unseal_json(f"response|{r[0]}", r[4], ver=r[5]), "rid": r[0], "author": r[1], "id": r[2],
                 "created": r[3]} for r in rows]

    # ---- the board -------------------------------------------------------------------

    def refresh_board(self, *, complete: bool = True) -> bool:
        """Bring the in-memory board up to date with changes from any process; True if it changed.

        ``complete=False`` takes in the new changes but leaves a first build that
        :meth:`backfill_board` is filling in (newest first) to it.
        """
        # One thread at a time: a kiosk's poll and its board query may both refresh the index.
        with self._board_lock:
            changed = self._refresh_board(newest_first=not complete)
            if self._board_low and (complete or self._board_low > self._board_seq):
                # All of it, or (nothing read yet) the newest part, enough for a first page.
                self._backfill(None if complete else BOARD_FIRST_PART)
                changed = True
            return changed

    @property
    def board_complete(self) -> bool:
        """Whether the in-memory board has read every stored post (no first build under way)."""
        return self._board is not None and not self._board_low

    def backfill_board(self, count: int) -> bool:
        """Build the board newest change first, up to count more rows; True when it holds every post.

        A kiosk shows the first page from the newest rows and fills the rest in behind, a part at
        a time, so that page queries get the lock between parts.
        """
        with self._board_lock:
            if self._board is None:
                self._refresh_board(newest_first=True)
            if self._board_low:
                self._backfill(count)
            return not self._board_low

    def _refresh_board(self, *, newest_first: bool = False) -> bool:
        purges = self.meta("purges") or ""
        last = self.last_seq
        if self._board is None or purges != self._board_purges:
            self._board = BoardIndex(self._open_board_items)
            self._board_purges = purges
            if newest_first:
                # Nothing read yet: everything up to now comes by backfill, newest first.
                self._board_seq, self._board_low = last, last + 1
                return True
            self._board_seq, self._board_low = 0, 0
        if last == self._board_seq:
            return False
        self._load_board("seq > ? ORDER BY seq", (self._board_seq,))
        self._board_seq = last
        return True

    def _backfill(self, count: int | None) -> None:
        low = self._board_low
        # A row read here may have been replaced since by a newer one (a higher seq, taken in by
        # the next refresh): one row per entry, so either order of the two ends the same.
        where = "seq < ? ORDER BY seq DESC" + (f" LIMIT {int(count)}" if count is not None else "")
        seqs = self._load_board(where, (low,))
        self._board_low = 0 if count is None or len(seqs) < count else min(seqs)

    def _load_board(self, where: str, args: tuple[Any, ...]) -> list[int]:
        assert self._board is not None
        seqs: list[int] = []
        with self._lock:
            # Row by row, not fetchall: 200k sealed rows at once would double the peak memory.
            # Walked along the seq index: on its own the planner takes the type index, reads
            # every post and sorts them for each part (0.8 s a part at 50k, 3 s at 200k).
            for seq, author, entry_id, version, sealed in self._conn.execute(
                    "SELECT seq, author, id, version, sealed FROM entries INDEXED BY idx_entries_seq WHERE type IN "
                    f"('request', 'offer', 'tombstone') AND {where}", args):
                # Only the fields the board needs, decoded by msgspec; the page's posts are opened
                # in full when shown (_open_board_items).
                try:
                    self._board.put_stored(self._cipher.open(_row_id(author, entry_id, version), sealed), seq)
                except (vault.RowTampered, ValueError, KeyError) as exc:
                    raise Damaged("an entry row does not decrypt") from exc
                seqs.append(seq)
        return seqs

    def _open_board_items(self, items: list[BoardItem]) -> list[Entry]:
        """The posts of a board page, opened from their rows (by change sequence, 500 to a query)."""
        seqs = [item.seq for item in items]
        found: dict[int, Entry] = {}
        with self._lock:
            for start in range(0, len(seqs), _IDS_PER_QUERY):
                part = seqs[start : start + _IDS_PER_QUERY]
                for seq, author, entry_id, version, sealed in self._conn.execute(
                        "SELECT seq, author, id, version, sealed FROM entries "
                        f"WHERE seq IN ({','.join('?' * len(part))})", part):
                    found[seq] = self._open_entry(author, entry_id, version, sealed)
        # A row changed since the board saw it (a newer version): the board catches up at its next refresh.
        opened = [found.get(item.seq) or self.get(*item.key) for item in items]
        return [entry for entry in opened if entry is not None and entry.type in ("request", "offer")]

    def board(self, query: BoardQuery | None = None, *, now: dt.datetime, limit: int | None = None,
              offset: int = 0, complete: bool = True) -> tuple[list[Entry], int]:
        """Live posts matching query, newest first: (a page of them, total matching).

        ``complete=False`` answers from what a first build (:meth:`backfill_board`) has read so far.
        """
        with self._board_lock:
            self.refresh_board(complete=complete)
            assert self._board is not None
            return self._board.query(query or BoardQuery(), now_text=format_time(now), limit=limit,
                                     offset=offset, hidden=self.hidden_keys())

    def hidden_keys(self) -> frozenset[tuple[str, str]]:
        """Posts hidden on this node by moderation (table ``hidden``); id ``*`` hides a whole author."""
        with self._lock:
            rows = self._conn.execute("SELECT author, id FROM hidden").fetchall()
        return frozenset((row[0], row[1]) for row in rows)
