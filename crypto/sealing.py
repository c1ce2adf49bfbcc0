"""Messages sealed to one node's X25519 key with HPKE (RFC 9180, base mode).

Suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, as ``cryptography``
provides it. The ``info`` binds a sealed blob to its purpose and its recipient.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

SUITE_NAME = "DHKEM-X25519-HKDF-SHA256/HKDF-SHA256/ChaCha20Poly1305"


class SealError(Exception):
    """A sealed blob does not open with this key (or was changed)."""


def _suite() -> hpke.Suite:
    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


def seal(recipient_public: bytes, plaintext: bytes, info: bytes) -> bytes:
    """Encrypt plaintext so only the holder of the matching X25519 private key opens it."""
    try:
        public = X25519PublicKey.from_public_bytes(recipient_public)
    except ValueError as exc:
        raise SealError("not an X25519 public key") from exc
    return _suite().encrypt(plaintext, public, info=info)


def open_sealed(private_key: bytes, sealed: bytes, info: bytes) -> bytes:
    """Decrypt a blob made by :func:`seal`; raises SealError on any failure."""
    try:
        private = X25519PrivateKey.from_private_bytes(private_key)
        return _suite().decrypt(sealed, private, info=info)
    except (InvalidTag, ValueError) as exc:
        raise SealError("sealed message does not open with this key") from exc
