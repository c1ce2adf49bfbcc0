"""One slow hash for every secret a person types: the passphrase, a volunteer's PIN, the kiosk exit PIN.

scrypt (RFC 7914). Each caller stores the cost and salt beside the hash, so a hash made with
older defaults keeps verifying after the defaults change; :func:`matches` takes the length
from the stored hash for the same reason (volunteer PINs were first stored at 64 bytes).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

SALT_SIZE = 16
LENGTH = 32


@dataclass(frozen=True)
class Cost:
    """scrypt's work factors; callers subclass it with the default that suits their secret."""

    n: int
    r: int = 8
    p: int = 1


def new_salt() -> bytes:
    """A fresh random salt."""
    return os.urandom(SALT_SIZE)


def derive(secret: str, salt: bytes, cost: Cost, length: int = LENGTH) -> bytes:
    """The slow hash of secret (UTF-8) under salt and cost; also the key a passphrase wraps with."""
    # scrypt needs 128·r·(n + p + 2) bytes; the default cap (32 MiB) is below the passphrase's cost.
    needed = 128 * cost.r * (cost.n + cost.p + 2)
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=cost.n, r=cost.r, p=cost.p, dklen=length,
                          maxmem=needed + 2**20)


def matches(secret: str, salt: bytes, cost: Cost, stored: bytes) -> bool:
    """Whether secret hashes to stored (compared in constant time)."""
    if not stored:
        return False
    return hmac.compare_digest(derive(secret, salt, cost, len(stored)), stored)
