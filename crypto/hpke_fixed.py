"""HPKE sealing with an ephemeral key the caller gives: for test vectors only, never for messages.

:func:`crypto.sealing.seal` (what the node uses) takes a fresh ephemeral key inside
``cryptography`` for every seal and offers no way to pass one in. A published vector needs a
repeatable seal, so this module spells out RFC 9180 base mode for the one suite the node uses
(DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) with the ephemeral key as an
argument. Reusing an ephemeral key across messages breaks the encryption, which is why nothing
outside ``tools/make_vectors.py`` and the tests calls it. The output has the layout of
:func:`crypto.sealing.seal` (``enc`` then ciphertext and tag), and ``open_sealed`` opens it;
tests/foundation/test_vectors.py checks both, and RFC 9180's own vector A.2.1.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

KEM_ID, KDF_ID, AEAD_ID = 0x0020, 0x0001, 0x0003
_KEM_SUITE = b"KEM" + KEM_ID.to_bytes(2, "big")
_SUITE = b"HPKE" + KEM_ID.to_bytes(2, "big") + KDF_ID.to_bytes(2, "big") + AEAD_ID.to_bytes(2, "big")
_MODE_BASE = b"\x00"


def _extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()


def _expand(prk: bytes, info: bytes, length: int) -> bytes:
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def _labeled_extract(suite: bytes, salt: bytes, label: bytes, ikm: bytes) -> bytes:
    return _extract(salt, b"HPKE-v1" + suite + label + ikm)


def _labeled_expand(suite: bytes, prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    return _expand(prk, length.to_bytes(2, "big") + b"HPKE-v1" + suite + label + info, length)


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def seal_with_ephemeral_key(recipient_public: bytes, plaintext: bytes, info: bytes, ephemeral_private: bytes,
                            aad: bytes = b"") -> bytes:
    """``enc || ciphertext`` of a single-shot RFC 9180 base-mode seal with the given ephemeral key."""
    ephemeral = X25519PrivateKey.from_private_bytes(ephemeral_private)
    recipient = X25519PublicKey.from_public_bytes(recipient_public)
    enc = _raw(ephemeral.public_key())
    # Encap (RFC 9180 section 4.1): the shared secret from the DH value and both public keys.
    dh = ephemeral.exchange(recipient)
    eae_prk = _labeled_extract(_KEM_SUITE, b"", b"eae_prk", dh)
    shared = _labeled_expand(_KEM_SUITE, eae_prk, b"shared_secret", enc + recipient_public, 32)
    # KeySchedule (section 5.1), base mode: no PSK.
    context = (_MODE_BASE + _labeled_extract(_SUITE, b"", b"psk_id_hash", b"")
               + _labeled_extract(_SUITE, b"", b"info_hash", info))
    secret = _labeled_extract(_SUITE, shared, b"secret", b"")
    key = _labeled_expand(_SUITE, secret, b"key", context, 32)
    nonce = _labeled_expand(_SUITE, secret, b"base_nonce", context, 12)
    # The first (and only) message: sequence number 0, so the nonce is the base nonce.
    return enc + ChaCha20Poly1305(key).encrypt(nonce, plaintext, aad)
