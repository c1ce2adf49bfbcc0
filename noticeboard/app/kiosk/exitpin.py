"""The staff PIN that leaves a locked-down kiosk: a slow salted hash in the store's meta table.

``check_staff_exit`` also lets staff leave with their desk account: a volunteer's number and PIN
("7 4821"), or the coordinator's passphrase; wrong tries count toward the desk's lockout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets

from noticeboard.desk.accounts import login_coordinator, login_volunteer
from noticeboard.desk.errors import LockedOut, WrongPin
from noticeboard.store import Store

META_KEY = "kiosk_exit_pin"
VOLUNTEER_PIN = re.compile(r"(\d{1,4})[ \-/.*#](\d{4,8})")
# scrypt at n=2**14 takes about 50 ms: slow for guessing, quick enough for one staff member.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)


def set_exit_pin(store: Store, pin: str) -> None:
    """Keep a slow hash of a new exit PIN."""
    salt = secrets.token_bytes(16)
    record = {"salt": salt.hex(), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
              "hash": _derive(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P).hex()}
    store.set_meta(META_KEY, json.dumps(record))


def has_exit_pin(store: Store) -> bool:
    """Whether an exit PIN is set."""
    return store.meta(META_KEY) is not None


def check_exit_pin(store: Store, pin: str) -> bool:
    """Whether pin is the staff exit PIN (False when none is set). Blocking: call from a thread."""
    raw = store.meta(META_KEY)
    if raw is None or not pin:
        return False
    record = json.loads(raw)
    found = _derive(pin, bytes.fromhex(record["salt"]), int(record["n"]), int(record["r"]), int(record["p"]))
    return hmac.compare_digest(found, bytes.fromhex(record["hash"]))


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
