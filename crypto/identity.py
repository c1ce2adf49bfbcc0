"""A node's keys and the short code people compare to pair two centres."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from crypto import signing
from crypto.encoding import b64u_encode

# 60 bits: a forged key matching a code read out over the phone needs 2^60 work.
CODE_CHARS = 12
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class NodeKeys:
    """The secret keys of one node: Ed25519 for signing, X25519 for sealed messages."""

    signing_seed: bytes
    sealing_key: bytes

    @classmethod
    def generate(cls) -> NodeKeys:
        """Make a fresh set of node keys."""
        return cls(signing.new_signing_seed(), os.urandom(32))

    @property
    def public_key(self) -> bytes:
        """The Ed25519 public key: the node's identity."""
        return signing.public_key(self.signing_seed)

    @property
    def node_id(self) -> str:
        """The identity as it appears in entries (base64url)."""
        return b64u_encode(self.public_key)

    @property
    def sealing_public(self) -> bytes:
        """The X25519 public key others seal messages to."""
        private = X25519PrivateKey.from_private_bytes(self.sealing_key)
        return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint_code(public_key: bytes) -> str:
    """Return the short human-checkable code of a node key, e.g. ``K7Q2-M9XD-4TAB``."""
    digest = hashlib.sha256(b"buurthulp-node-v1\x00" + public_key).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * CODE_CHARS)
    chars = [_CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(CODE_CHARS))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, CODE_CHARS, 4))


def normalise_code(code: str) -> str:
    """Accept a code as people type it: any case, spaces or dashes, O for 0, I/L for 1."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != CODE_CHARS:
        return cleaned
    return "-".join(cleaned[i : i + 4] for i in range(0, CODE_CHARS, 4))


def key_digest(public_key: bytes) -> str:
    """A stable short text for logs that names a key without printing all of it."""
    return base64.b32encode(hashlib.sha256(public_key).digest()[:5]).decode("ascii")
