"""Short reference codes people can read out on the phone, e.g. ``BH-7K3Q``."""

from __future__ import annotations

import secrets
from collections.abc import Callable

# Crockford's alphabet: no I, L, O or U, so codes survive being read aloud.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "BH-"
LENGTH = 4


def new_ref(in_use: Callable[[str], bool]) -> str:
    """A random code that ``in_use`` says is free."""
    while True:
        code = PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not in_use(code):
            return code


def normalise_ref(text: str) -> str:
    """Accept how people type a code: ``bh 7k3q``, ``7K3Q``, O for 0, I/L for 1."""
    cleaned = text.strip().upper().replace(" ", "").replace("-", "")
    if cleaned.startswith("BH"):
        cleaned = cleaned[2:]
    cleaned = cleaned.translate(str.maketrans("OILU", "011V"))
    return PREFIX + cleaned
