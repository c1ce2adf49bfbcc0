"""The staff PIN that leaves a locked-down kiosk: a slow salted hash, sealed under the data key.

Kept with the store's secrets (not in clear in ``meta`` as before migration 6): a copied
database file gives nothing to guess the PIN against without the passphrase (issue 14).

Desk logic below the front ends: the kiosk's exit dialog and ``noticeboard kiosk --set-exit-pin``
both use it.

``check_staff_exit`` also lets staff leave with their desk account: a volunteer's number and PIN
("7 4821"), or the coordinator's passphrase; wrong tries count toward the desk's lockout.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from crypto import slowhash
from noticeboard.desk.accounts import login_coordinator, login_volunteer
from noticeboard.desk.errors import LockedOut, WrongPin
from noticeboard.store import Store

SECRET = "kiosk_exit_pin"
VOLUNTEER_PIN = re.compile(r"(\d{1,4})[ \-/.*#](\d{4,8})")


@dataclass(frozen=True)
class ExitPinCost(slowhash.Cost):
    """scrypt at n=2**14 takes about 50 ms: slow for guessing, quick enough for one staff member."""

    n: int = 2**14


def set_exit_pin(store: Store, pin: str) -> None:
    """Keep a slow hash of a new exit PIN."""
    salt, cost = slowhash.new_salt(), ExitPinCost()
    record = {"salt": salt.hex(), "n": cost.n, "r": cost.r, "p": cost.p,
              "hash": slowhash.derive(pin, salt, cost).hex()}
    store.put_secret(SECRET, json.dumps(record).encode())


def has_exit_pin(store: Store) -> bool:
    """Whether an exit PIN is set."""
    return store.secret(SECRET) is not None


def check_exit_pin(store: Store, pin: str) -> bool:
    """Whether pin is the staff exit PIN (False when none is set). Blocking: call from a thread."""
    raw = store.secret(SECRET)
    if raw is None or not pin:
        return False
    record = json.loads(raw)
    cost = ExitPinCost(int(record["n"]), int(record["r"]), int(record["p"]))
    return slowhash.matches(pin, bytes.fromhex(record["salt"]), cost, bytes.fromhex(record["hash"]))


def check_staff_exit(store: Store, typed: str, *, now: dt.datetime) -> bool:
    """The exit PIN, a volunteer's "number PIN", or the coordinator passphrase. Blocking: call from a thread."""
    typed = typed.strip()
    if not typed:
        return False
    if typed.isdigit():
        return check_exit_pin(store, typed)
    volunteer = VOLUNTEER_PIN.fullmatch(typed)
    try:
        if volunteer:
            session = login_volunteer(store, int(volunteer[1]), volunteer[2], now=now)
        else:
            session = login_coordinator(store, typed, now=now)
    except (WrongPin, LockedOut):
        return False
    # Only proof of who is there: the kiosk does not keep a desk session open.
    session.end()
    return True
