"""The owner's secret of a resident's post: a 4-digit wijzigcode, shown once, kept only as a slow hash.

The reference code hangs on the wall; the wijzigcode is what only the resident who posted
knows, so only they can withdraw the post at the kiosk. It is stored as a salted scrypt hash
sealed under the node's data key (so a copied database file gives nothing to guess against).
Wrong codes count per post: after MAX_TRIES the post waits LOCK_FOR, and every further
wrong code doubles the wait. Owner of the ``post_owners`` table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
import sqlite3
from dataclasses import dataclass

from noticeboard.acts.errors import NoOwnerCode, OwnerLockedOut, WrongOwnerCode, WrongOwnerCodeWait
from noticeboard.desk import audit
from noticeboard.store import Store

CODE_DIGITS = 4
MAX_TRIES = 5
LOCK_FOR = dt.timedelta(minutes=5)
# Doubling stops here: a forgotten code then waits a day, and the desk can still withdraw.
LONGEST_LOCK = dt.timedelta(hours=24)


@dataclass(frozen=True)
class CodeCost:
    """scrypt parameters for wijzigcodes; the default takes about 50 ms, like the exit PIN."""

    n: int = 2**14
    r: int = 8
    p: int = 1


def new_code() -> str:
    """A fresh wijzigcode: four random digits."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def _derive(code: str, salt: bytes, cost: CodeCost) -> bytes:
    return hashlib.scrypt(code.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p, dklen=32)


def _row_id(author: str, entry_id: str) -> str:
    return f"owner|{author}|{entry_id}"


def keep(store: Store, conn: sqlite3.Connection, key: tuple[str, str], code: str, cost: CodeCost) -> None:
    """Keep the hash of a post's wijzigcode, inside the caller's write transaction."""
    salt = secrets.token_bytes(16)
    ver = store.next_ver()
    sealed = store.seal_json(_row_id(*key), {"salt": salt.hex(), "hash": _derive(code, salt, cost).hex(),
                                              "cost": [cost.n, cost.r, cost.p]}, ver=ver)
    conn.execute("INSERT OR REPLACE INTO post_owners(author, id, sealed, ver, failed, locked_until) "
                 "VALUES (?,?,?,?,0,0)", (*key, sealed, ver))


def forget(conn: sqlite3.Connection, key: tuple[str, str]) -> None:
    """Drop a post's wijzigcode (the post is gone), inside the caller's write transaction."""
    conn.execute("DELETE FROM post_owners WHERE author = ? AND id = ?", key)


def has_code(store: Store, key: tuple[str, str]) -> bool:
    """Whether this post has a wijzigcode."""
    with store.read() as conn:
        return conn.execute("SELECT 1 FROM post_owners WHERE author = ? AND id = ?", key).fetchone() is not None


def _wait(failed: int) -> dt.timedelta:
    return min(LOCK_FOR * (1 << (failed - MAX_TRIES)), LONGEST_LOCK)


def check(store: Store, key: tuple[str, str], code: str, *, ref: str, now: dt.datetime,
          actor: str = "kiosk") -> None:
    """Let the owner through, or raise NoOwnerCode, OwnerLockedOut or WrongOwnerCode.

    A wrong code is counted, and audited (the post's code as subject, never the typed code), in
    its own transaction, so both stay when the act fails. A try while the post waits is not
    checked, and is audited too.
    """
    with store.write() as conn:
        row = conn.execute("SELECT sealed, ver, failed, locked_until FROM post_owners WHERE author = ? AND id = ?",
                           key).fetchone()
        if row is None:
            raise NoOwnerCode()
        sealed, ver, failed, locked_until = row
        refused: OwnerLockedOut | WrongOwnerCode
        if locked_until > now.timestamp():
            audit.record(store, conn, actor, "owner_code_waiting", ref, now=now, details={"failed": failed})
            refused = OwnerLockedOut(until=_clock(locked_until), n=_minutes(locked_until, now))
        else:
            kept = store.unseal_json(_row_id(*key), sealed, ver=ver)
            cost = CodeCost(*kept["cost"])
            if hmac.compare_digest(_derive(code.strip(), bytes.fromhex(kept["salt"]), cost),
                                   bytes.fromhex(kept["hash"])):
                conn.execute("UPDATE post_owners SET failed = 0, locked_until = 0 WHERE author = ? AND id = ?", key)
                return
            failed += 1
            until = int((now + _wait(failed)).timestamp()) if failed >= MAX_TRIES else 0
            conn.execute("UPDATE post_owners SET failed = ?, locked_until = ? WHERE author = ? AND id = ?",
                         (failed, until, *key))
            audit.record(store, conn, actor, "owner_code_locked" if until else "owner_code_wrong", ref, now=now,
                         details={"failed": failed, **({"wait_minutes": _minutes(until, now)} if until else {})})
            refused = (WrongOwnerCodeWait(until=_clock(until), n=_minutes(until, now)) if until
                       else WrongOwnerCode(left=MAX_TRIES - failed))
    # Raised after the block: inside it, the count and the audit line would roll back with it.
    raise refused


def _minutes(until: int, now: dt.datetime) -> int:
    """Whole minutes (rounded up) from now until a Unix time: how long the resident waits."""
    return max(1, math.ceil((until - now.timestamp()) / 60))


def _clock(stamp: int) -> str:
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%H:%M")
