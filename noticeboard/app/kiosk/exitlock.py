"""The exit PIN's lockout: five wrong tries free, then a wait that doubles with every further wrong try.

A try while the kiosk waits is not checked at all (so guessing cannot go on) and counts as
wrong. The count lives in the store's meta table, so it outlasts a restart, and every wrong try
and every lock is a line in the desk's audit log (the tried PIN never is).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass

from noticeboard.desk import audit
from noticeboard.i18n import tn
from noticeboard.store import Store

META_KEY = "kiosk_exit_lockout"
FREE_TRIES = 5
FIRST_WAIT = 30
MAX_WAIT = 30 * 60
ACTOR = "kiosk"
# In the same transaction as the audit line.
SET_META = "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)"


@dataclass(frozen=True)
class ExitLock:
    """Wrong tries since the last right one, and until when (unix time) no try is checked."""

    failed: int = 0
    until: float = 0.0

    def wait_left(self, now: dt.datetime) -> int:
        """Whole seconds until a try is checked again (0: now)."""
        return max(0, math.ceil(self.until - now.timestamp()))


def wait_after(failed: int) -> int:
    """Seconds to wait after this many wrong tries: none for the first four, then 30 s doubling."""
    if failed < FREE_TRIES:
        return 0
    return min(MAX_WAIT, FIRST_WAIT * 2 ** (failed - FREE_TRIES))


def current(store: Store) -> ExitLock:
    """The lockout as stored (none when never tried)."""
    raw = store.meta(META_KEY)
    if raw is None:
        return ExitLock()
    record = json.loads(raw)
    return ExitLock(int(record["failed"]), float(record["until"]))


def wrong_try(store: Store, now: dt.datetime) -> int:
    """Count one wrong (or unchecked) try; the seconds to wait before the next is checked."""
    failed = current(store).failed + 1
    wait = wait_after(failed)
    with store.write() as conn:
        conn.execute(SET_META, (META_KEY, json.dumps({"failed": failed, "until": now.timestamp() + wait})))
        audit.record(store, conn, ACTOR, "kiosk_exit_locked" if wait else "kiosk_exit_failed", ACTOR, now=now,
                     details={"failed": failed, "wait": wait})
    return wait


def right_try(store: Store, now: dt.datetime) -> None:
    """The right PIN: the count starts again; the exit is audited."""
    with store.write() as conn:
        conn.execute(SET_META, (META_KEY, json.dumps({"failed": 0, "until": 0})))
        audit.record(store, conn, ACTOR, "kiosk_exit", ACTOR, now=now)


def wait_text(seconds: int) -> str:
    """'30 seconden' or '4 minuten', for the lockout sentence."""
    if seconds < 120:
        return tn("kiosk.pin.seconds", seconds)
    return tn("kiosk.pin.minutes", math.ceil(seconds / 60))
