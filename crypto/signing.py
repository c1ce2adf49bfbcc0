"""Ed25519 signatures (RFC 8032) over canonical entry bytes.

Verification uses libsodium through PyNaCl: it is about twice as fast as OpenSSL here and
releases the GIL, which is what lets ingest verify on every core. Signing keys are kept as
their 32-byte seeds.
"""

from __future__ import annotations

import os
from typing import Any

import nacl.exceptions
import nacl.signing

from crypto.canonical import CanonicalError, canonical_bytes
from crypto.encoding import EncodingError, b64u_decode, b64u_encode

SEED_SIZE = 32
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64


def new_signing_seed() -> bytes:
    """Return a fresh random Ed25519 seed."""
    return os.urandom(SEED_SIZE)


def public_key(seed: bytes) -> bytes:
    """Return the Ed25519 public key of a seed."""
    return bytes(nacl.signing.SigningKey(seed).verify_key)


def sign(seed: bytes, message: bytes) -> bytes:
    """Sign message bytes with the key made from seed."""
    return nacl.signing.SigningKey(seed).sign(message).signature


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Return whether signature is a valid Ed25519 signature of message by public."""
    if len(public) != PUBLIC_KEY_SIZE or len(signature) != SIGNATURE_SIZE:
        return False
    try:
        nacl.signing.VerifyKey(public).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.ValueError):
        return False
    return True


def signing_payload(obj: dict[str, Any]) -> bytes:
    """Return the canonical bytes an entry signature covers: the object without ``sig``."""
    return canonical_bytes({k: v for k, v in obj.items() if k != "sig"})


def sign_object(seed: bytes, obj: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of obj with ``sig`` set to the signature over its canonical bytes."""
    signed = {k: v for k, v in obj.items() if k != "sig"}
    signed["sig"] = b64u_encode(sign(seed, canonical_bytes(signed)))
    return signed


def verify_object(obj: dict[str, Any], author_field: str = "author") -> bool:
    """Return whether obj's ``sig`` verifies with the key named in its author field."""
    try:
        public = b64u_decode(obj[author_field])
        signature = b64u_decode(obj["sig"])
        payload = signing_payload(obj)
    except (KeyError, TypeError, EncodingError, CanonicalError):
        return False
    return verify(public, payload, signature)
