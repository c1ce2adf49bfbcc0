"""Base64url without padding, as used for keys and signatures in entries."""

from __future__ import annotations

import base64
import binascii
import re

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


class EncodingError(ValueError):
    """Text that is not valid unpadded base64url."""


def b64u_encode(data: bytes) -> str:
    """Encode bytes as base64url text without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    """Decode unpadded base64url, refusing padding, stray characters and non-canonical tails."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise EncodingError("not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise EncodingError("not unpadded base64url") from exc
    # Two encodings of the same bytes would let one signature cover two spellings of a key.
    if b64u_encode(data) != text:
        raise EncodingError("non-canonical base64url")
    return data
