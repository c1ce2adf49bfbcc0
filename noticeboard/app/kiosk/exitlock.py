"""The exit PIN's lockout, by the one rule for typed secrets (``noticeboard.lockout``): five wrong tries
free, then a wait that doubles with every further wrong try.

A try while the kiosk waits is not checked at all (so guessing cannot go on) and counts as
wrong. The count lives in the store's meta table, so it outlasts a restart, and every wrong try
and every lock is a line in the desk's audit log (the tried PIN never is).
"""

from __future__ import annotations

import datetime as dt
import json
import math

from noticeboard.desk import audit
from noticeboard.i18n import tn
from noticeboard.lockout import Tries
from noticeboard.store import Store

META_KEY = "kiosk_exit_lockout"
ACTOR = "kiosk"


def current(store: Store) -> Tries:
    """The wrong tries in a row as stored (none when never tried)."""
    raw = store.meta(META_KEY)
    if raw is None:
        return Tries()
    record = json.loads(raw)
    return Tries(int(record["failed"]), int(record["locked_until"]))


def wait_left(store: Store, now: dt.datetime) -> int:
    """Whole seconds until a try is checked again (0: now)."""
    return max(0, math.ceil(current(store).locked_until - now.timestamp()))


def wrong_try(store: Store, now: dt.datetime) -> int:
    """Count one wrong (or unchecked) try; the seconds to wait before the next is checked."""
    tries = current(store).after_failure(now)
    wait = max(0, math.ceil(tries.locked_until - now.timestamp()))
    with store.write() as conn:
        store.set_meta(META_KEY, json.dumps({"failed": tries.failed, "locked_until": tries.locked_until}))
        audit.record(store, conn, ACTOR, "kiosk_exit_locked" if wait else "kiosk_exit_failed", ACTOR, now=now,
                     details={"failed": tries.failed, "wait": wait})
    return wait


def right_try(store: Store, now: dt.datetime) -> None:
    """The right PIN: the count starts again; the exit is audited."""
    with store.write() as conn:
        store.set_meta(META_KEY, json.dumps({"failed": 0, "locked_until": 0}))
        audit.record(store, conn, ACTOR, "kiosk_exit", ACTOR, now=now)


def wait_text(seconds: int) -> str:
    """'30 seconden', '20 minuten' or '3 uur', for the lockout sentence."""
    if seconds < 120:
        return tn("kiosk.pin.seconds", seconds)
    if seconds < 2 * 3600:
        return tn("kiosk.pin.minutes", math.ceil(seconds / 60))
    return tn("kiosk.pin.hours", math.ceil(seconds / 3600))
