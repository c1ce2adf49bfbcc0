"""HTTP Message Signatures (RFC 9421) with ``ed25519``, and Content-Digest (RFC 9530).

One fixed profile, so both sides build the same signature base byte for byte:
``sig1=("@method" "@target-uri" "content-digest");created=…;keyid="…";alg="ed25519";nonce="…"``.
``keyid`` is the signer's node key (base64url). The server refuses requests without it,
with another profile, more than five minutes off its clock, or with a nonce seen before.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from crypto import signing
from crypto.encoding import EncodingError, b64u_decode, b64u_encode

LABEL = "sig1"
COMPONENTS = '("@method" "@target-uri" "content-digest")'
MAX_SKEW_S = 300
NONCE_BYTES = 12

_INPUT = re.compile(
    r'^sig1=\("@method" "@target-uri" "content-digest"\);created=(\d{1,12});'
    r'keyid="([A-Za-z0-9_-]{43})";alg="ed25519";nonce="([A-Za-z0-9_-]{16,43})"$')
_SIGNATURE = re.compile(r"^sig1=:([A-Za-z0-9+/]{86}==):$")
_DIGEST = re.compile(r"^sha-256=:([A-Za-z0-9+/]{43}=):$")


class SignatureRefused(Exception):
    """A request whose signature is missing or not acceptable; ``reason`` is a stable code."""

    def __init__(self, reason: str, status: int = 401) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class SignedRequest:
    """The signature fields of one request, parsed but not yet checked."""

    keyid: str
    created: int
    nonce: str
    params: str
    signature: bytes
    digest: str


def content_digest(body: bytes) -> str:
    """The Content-Digest header value for a body (RFC 9530, sha-256)."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + ":"


def signature_params(created: int, keyid: str, nonce: str) -> str:
    """The inner list with its parameters, as it appears in Signature-Input."""
    return f'{COMPONENTS};created={created};keyid="{keyid}";alg="ed25519";nonce="{nonce}"'


def signature_base(method: str, target_uri: str, digest: str, params: str) -> bytes:
    """The exact bytes that are signed (RFC 9421 section 2.5)."""
    return (f'"@method": {method.upper()}\n"@target-uri": {target_uri}\n'
            f'"content-digest": {digest}\n"@signature-params": {params}').encode()


def sign_request(seed: bytes, keyid: str, method: str, target_uri: str, body: bytes, created: int,
                 nonce: str | None = None) -> dict[str, str]:
    """Headers that sign one request: Content-Digest, Signature-Input and Signature."""
    nonce = nonce or b64u_encode(os.urandom(NONCE_BYTES))
    digest = content_digest(body)
    params = signature_params(created, keyid, nonce)
    sig = signing.sign(seed, signature_base(method, target_uri, digest, params))
    return {"Content-Digest": digest, "Signature-Input": f"{LABEL}={params}",
            "Signature": f"{LABEL}=:{base64.b64encode(sig).decode('ascii')}:"}


def parse(headers: Mapping[str, str]) -> SignedRequest:
    """Read the signature headers of a request; raises SignatureRefused."""
    sig_input, sig, digest = (headers.get(h) for h in ("Signature-Input", "Signature", "Content-Digest"))
    if not sig_input or not sig or not digest:
        raise SignatureRefused("unsigned")
    match, sig_match = _INPUT.match(sig_input.strip()), _SIGNATURE.match(sig.strip())
    if not match or not sig_match or not _DIGEST.match(digest.strip()):
        raise SignatureRefused("bad_signature_input")
    try:
        signature = base64.b64decode(sig_match.group(1), validate=True)
    except binascii.Error as exc:
        raise SignatureRefused("bad_signature_input") from exc
    return SignedRequest(match.group(2), int(match.group(1)), match.group(3), sig_input.strip()[len(LABEL) + 1:],
                         signature, digest.strip())


def check(request: SignedRequest, method: str, target_uri: str, body: bytes, now: int) -> None:
    """Check time, body digest and signature of a parsed request; raises SignatureRefused."""
    if abs(now - request.created) > MAX_SKEW_S:
        raise SignatureRefused("stale")
    if not hmac.compare_digest(request.digest, content_digest(body)):
        raise SignatureRefused("digest_mismatch")
    try:
        public = b64u_decode(request.keyid)
    except EncodingError as exc:
        raise SignatureRefused("bad_signature_input") from exc
    base = signature_base(method, target_uri, request.digest, request.params)
    if not signing.verify(public, base, request.signature):
        raise SignatureRefused("bad_signature")


class NonceCache:
    """Nonces seen within the skew window, per peer, so a captured request cannot be sent again.

    Each peer has its own quota: one paired peer that sends requests as fast as it can fills
    only its own share and is told ``busy``, while every other peer goes on (issue 14, attack 6).
    A peer's nonces are kept in the order they came, so forgetting old ones costs only what is
    forgotten, never a scan of everything.
    """

    def __init__(self, window_s: int = 2 * MAX_SKEW_S + 60, per_peer: int = 20_000) -> None:
        self.window_s = window_s
        self.per_peer = per_peer
        self._seen: dict[str, OrderedDict[str, int]] = {}
        self._lock = threading.Lock()

    def admit(self, keyid: str, nonce: str, created: int, now: int) -> None:
        """Remember a nonce of an authenticated peer; raises SignatureRefused if it was used before."""
        with self._lock:
            seen = self._seen.setdefault(keyid, OrderedDict())
            cutoff = now - self.window_s
            while seen and next(iter(seen.values())) < cutoff:
                seen.popitem(last=False)
            if nonce in seen:
                raise SignatureRefused("replayed")
            if len(seen) >= self.per_peer:
                raise SignatureRefused("busy", 503)
            # Kept by when it came (the order of the dict), which outlasts ``created`` + MAX_SKEW_S.
            seen[nonce] = now

    def held(self, keyid: str) -> int:
        """How many nonces of one peer are held."""
        with self._lock:
            return len(self._seen.get(keyid, ()))
