"""Canonical JSON bytes per RFC 8785 (JCS) for the float-free JSON that entries use.

Entries carry no floating-point numbers (coordinates are integer centidegrees), because
float formatting is where canonical encoders disagree. For strings, integers, booleans,
null, arrays and objects with ASCII keys, RFC 8785 output equals Python's JSON encoder
with sorted keys, no whitespace and no ASCII escaping; this module checks the input stays
inside that subset and refuses anything else. The test suite cross-checks it against the
reference implementation (the ``rfc8785`` package).
"""

from __future__ import annotations

import json
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 16

_encoder = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


class CanonicalError(ValueError):
    """A value that has no canonical form in the entry subset of JSON."""


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalError("nested too deeply")
    if value is None or value is True or value is False:
        return
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise CanonicalError("integer outside the I-JSON range")
    elif isinstance(value, float):
        raise CanonicalError("floating-point numbers are not allowed")
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise CanonicalError("object keys must be ASCII text")
            _check(item, depth + 1)
    else:
        raise CanonicalError(f"{type(value).__name__} is not JSON")


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalError("text contains a lone surrogate") from exc


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a float-free JSON value."""
    _check(value, 0)
    return _encoder.encode(value).encode("utf-8")


def canonical_bytes_of_checked(value: Any) -> bytes:
    """Canonical bytes of a value whose types, integer ranges, keys and depth a schema already checked.

    Skips the walk of :func:`canonical_bytes` (a third of an entry's decode time); a lone
    surrogate in a text, the one thing a schema of plain types cannot see, still raises
    CanonicalError.
    """
    try:
        return _encoder.encode(value).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CanonicalError("text contains a lone surrogate") from exc
