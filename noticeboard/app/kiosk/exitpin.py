"""The staff PIN that leaves a locked-down kiosk: a slow salted hash in the store's meta table.

One small function checks it (``check_exit_pin``); volunteer accounts may replace it later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from noticeboard.store import Store

META_KEY = "kiosk_exit_pin"
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
