"""HTTP Message Signatures (RFC 9421) with ``ed25519``, and Content-Digest (RFC 9530).

What this node sends is one fixed form, so the worked example in docs/protocol.md holds byte
for byte: ``sig1=("@method" "@target-uri" "content-digest");created=…;keyid="…";alg="ed25519";nonce="…"``.
What it accepts is what the RFC allows (docs/protocol.md, "What a server accepts"): any label,
the covered components in any order and more of them, the signature parameters in any order,
``alg`` left out, ``expires`` honoured, ``tag`` and parameters it does not know (they are
signed like the rest). The covered components must include ``@method``, ``@target-uri`` and
``content-digest``; ``created``, ``keyid`` and ``nonce`` must be there, because the server
checks the clock, the key and replays with them. ``keyid`` is the signer's node key (base64url).
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from crypto import signing
from crypto.encoding import EncodingError, b64u_decode, b64u_encode

LABEL = "sig1"
COMPONENTS = '("@method" "@target-uri" "content-digest")'
REQUIRED_COMPONENTS = frozenset({"@method", "@target-uri", "content-digest"})
# Derived components a request may also cover (RFC 9421 section 2.2); any header field may be covered too.
DERIVED = frozenset({"@method", "@target-uri", "@authority", "@scheme", "@path", "@query", "@request-target"})
MAX_SKEW_S = 300
NONCE_BYTES = 12
MIN_NONCE, MAX_NONCE = 16, 64
# Content-Digest algorithms checked (RFC 9530); others in the field are ignored, one of these must be there.
DIGESTS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
# Bounds on what is parsed: a header of 16 KiB is already refused by the front door (sync/guard.py).
MAX_MEMBERS = 8
MAX_COMPONENTS = 16

_KEY = re.compile(r"[a-z*][a-z0-9_\-.*]*")
_INTEGER = re.compile(r"-?[0-9]{1,15}")
_TOKEN = re.compile(r"[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*")
_BINARY = re.compile(r":([A-Za-z0-9+/=]*):")


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
    components: tuple[str, ...] = ("@method", "@target-uri", "content-digest")
    # The values of the header fields the signature covers, as they came (content-digest among them).
    fields: tuple[tuple[str, str], ...] = ()
    expires: int | None = None


# ---- structured fields (RFC 8941), as far as these three headers need them ------------------


@dataclass(frozen=True)
class Token:
    """An sf-token (kept apart from an sf-string: they serialise differently)."""

    value: str


Bare = int | str | bytes | bool | Token
Params = tuple[tuple[str, Bare], ...]


@dataclass(frozen=True)
class Member:
    """One dictionary member: an item or an inner list, with its parameters."""

    value: Bare | tuple[tuple[Bare, Params], ...]
    params: Params


class _Malformed(ValueError):
    """A structured field that does not parse."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def spaces(self, tabs: bool = False) -> None:
        while self.peek() == " " or (tabs and self.peek() == "\t"):
            self.at += 1

    def match(self, pattern: re.Pattern[str]) -> re.Match[str]:
        found = pattern.match(self.text, self.at)
        if found is None:
            raise _Malformed(f"unexpected text at {self.at}")
        self.at = found.end()
        return found

    def bare(self) -> Bare:
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            encoded = self.match(_BINARY).group(1)
            try:
                return base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise _Malformed("not base64") from exc
        if char == "?":
            self.at += 1
            if self.peek() not in ("0", "1"):
                raise _Malformed("not a boolean")
            self.at += 1
            return self.text[self.at - 1] == "1"
        if char == "-" or char.isdigit():
            number = self.match(_INTEGER).group(0)
            if self.peek() == ".":
                raise _Malformed("decimals are not used here")
            return int(number)
        return Token(self.match(_TOKEN).group(0))

    def string(self) -> str:
        self.at += 1
        out: list[str] = []
        while True:
            char = self.peek()
            if char == "":
                raise _Malformed("string not closed")
            self.at += 1
            if char == '"':
                return "".join(out)
            if char == "\\":
                char = self.peek()
                if char not in ('"', "\\"):
                    raise _Malformed("bad escape")
                self.at += 1
            elif not " " <= char <= "~":
                raise _Malformed("string holds a character outside printable ASCII")
            out.append(char)

    def params(self) -> Params:
        found: dict[str, Bare] = {}
        while self.peek() == ";":
            self.at += 1
            self.spaces()
            key = self.match(_KEY).group(0)
            value: Bare = True
            if self.peek() == "=":
                self.at += 1
                value = self.bare()
            # RFC 8941: a repeated key keeps its place and takes the last value.
            found[key] = value
        return tuple(found.items())

    def member_value(self) -> Bare | tuple[tuple[Bare, Params], ...]:
        if self.peek() != "(":
            return self.bare()
        self.at += 1
        items: list[tuple[Bare, Params]] = []
        while True:
            self.spaces()
            if self.peek() == ")":
                self.at += 1
                return tuple(items)
            items.append((self.bare(), self.params()))
            if self.peek() not in (" ", ")"):
                raise _Malformed("inner list items are separated by spaces")
            if len(items) > MAX_COMPONENTS:
                raise _Malformed("too many items")


def parse_dictionary(text: str) -> dict[str, Member]:
    """An sf-dictionary (RFC 8941 section 4.2.2); raises ValueError."""
    reader = _Reader(text)
    reader.spaces()
    members: dict[str, Member] = {}
    while reader.peek():
        key = reader.match(_KEY).group(0)
        if reader.peek() == "=":
            reader.at += 1
            value = reader.member_value()
        else:
            value = True
        members[key] = Member(value, reader.params())
        if len(members) > MAX_MEMBERS:
            raise _Malformed("too many members")
        reader.spaces(tabs=True)
        if not reader.peek():
            break
        if reader.peek() != ",":
            raise _Malformed("members are separated by commas")
        reader.at += 1
        reader.spaces(tabs=True)
        if not reader.peek():
            raise _Malformed("trailing comma")
    return members


def _serialise_bare(value: Bare) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bytes):
        return ":" + base64.b64encode(value).decode("ascii") + ":"
    return value.value


def _serialise_params(params: Params) -> str:
    return "".join(f";{key}" if value is True else f";{key}={_serialise_bare(value)}" for key, value in params)


def serialise_inner_list(items: Sequence[tuple[Bare, Params]], params: Params) -> str:
    """An inner list with parameters as RFC 8941 writes it: what ``@signature-params`` covers."""
    inner = " ".join(_serialise_bare(item) + _serialise_params(p) for item, p in items)
    return f"({inner}){_serialise_params(params)}"


# ---- signing (the one form this node sends) ---------------------------------------------------


def content_digest(body: bytes) -> str:
    """The Content-Digest header value for a body (RFC 9530, sha-256)."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + ":"


def signature_params(created: int, keyid: str, nonce: str) -> str:
    """The inner list with its parameters, as it appears in Signature-Input."""
    return f'{COMPONENTS};created={created};keyid="{keyid}";alg="ed25519";nonce="{nonce}"'


def signature_base(method: str, target_uri: str, digest: str, params: str) -> bytes:
    """The exact bytes that are signed (RFC 9421 section 2.5), for the form this node sends."""
    return base_of([("@method", method.upper()), ("@target-uri", target_uri), ("content-digest", digest)], params)


def base_of(lines: Sequence[tuple[str, str]], params: str) -> bytes:
    """A signature base from (component, value) in the covered order and the serialised parameters."""
    text = "".join(f'"{name}": {value}\n' for name, value in lines) + f'"@signature-params": {params}'
    return text.encode("ascii")


def sign_request(seed: bytes, keyid: str, method: str, target_uri: str, body: bytes, created: int,
                 nonce: str | None = None) -> dict[str, str]:
    """Headers that sign one request: Content-Digest, Signature-Input and Signature."""
    nonce = nonce or b64u_encode(os.urandom(NONCE_BYTES))
    digest = content_digest(body)
    params = signature_params(created, keyid, nonce)
    sig = signing.sign(seed, signature_base(method, target_uri, digest, params))
    return {"Content-Digest": digest, "Signature-Input": f"{LABEL}={params}",
            "Signature": f"{LABEL}=:{base64.b64encode(sig).decode('ascii')}:"}


# ---- reading and checking (what the RFC allows) ----------------------------------------------


def field_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header field's value as RFC 9421 covers it: every line of it, trimmed, joined by ", "."""
    getall = getattr(headers, "getall", None)
    if getall is not None:
        values = list(getall(name, []))
    else:
        # A plain mapping (a test's headers): field names are case-insensitive all the same.
        values = [v for k, v in headers.items() if k.lower() == name.lower()]
    if not values:
        return None
    return ", ".join(str(v).strip() for v in values)


def _as_int(value: Bare | None) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _pick(sig_input: dict[str, Member], signatures: dict[str, Member], headers: Mapping[str, str]) -> SignedRequest:
    """The first signature whose label is in both headers and that covers what this node needs."""
    for label, member in sig_input.items():
        sig = signatures.get(label)
        if sig is None or not isinstance(member.value, tuple) or not isinstance(sig.value, bytes):
            continue
        found = _profile(member, sig.value, headers)
        if found is not None:
            return found
    raise SignatureRefused("bad_signature_input")


def _profile(member: Member, signature: bytes, headers: Mapping[str, str]) -> SignedRequest | None:
    assert isinstance(member.value, tuple)
    components: list[str] = []
    for item, item_params in member.value:
        # Component parameters (;sf, ;key, ;req, ;bs, ...) change what is covered: not supported.
        if not isinstance(item, str) or item_params or item in components or item != item.lower():
            return None
        components.append(item)
    if not set(components) >= REQUIRED_COMPONENTS or len(signature) != signing.SIGNATURE_SIZE:
        return None
    fields: list[tuple[str, str]] = []
    for name in components:
        if name.startswith("@"):
            if name not in DERIVED:
                return None
            continue
        value = field_value(headers, name)
        if value is None or not value.isascii():
            return None
        fields.append((name, value))
    params = dict(member.params)
    created, expires = _as_int(params.get("created")), _as_int(params.get("expires"))
    keyid, nonce, alg = params.get("keyid"), params.get("nonce"), params.get("alg", "ed25519")
    if created is None or ("expires" in params and (expires is None or expires < created)):
        return None
    if not isinstance(keyid, str) or not isinstance(nonce, str) or not MIN_NONCE <= len(nonce) <= MAX_NONCE:
        return None
    if alg != "ed25519":
        return None
    digest = dict(fields)["content-digest"]
    return SignedRequest(keyid, created, nonce, serialise_inner_list(member.value, member.params), signature,
                         digest, tuple(components), tuple(fields), expires)


def parse(headers: Mapping[str, str]) -> SignedRequest:
    """Read the signature headers of a request; raises SignatureRefused."""
    sig_input, sig, digest = (field_value(headers, h) for h in ("Signature-Input", "Signature", "Content-Digest"))
    if not sig_input or not sig or not digest:
        raise SignatureRefused("unsigned")
    try:
        inputs, signatures, digests = parse_dictionary(sig_input), parse_dictionary(sig), parse_dictionary(digest)
    except ValueError as exc:
        raise SignatureRefused("bad_signature_input") from exc
    known = {name: m.value for name, m in digests.items() if name in DIGESTS}
    if not known or any(not isinstance(v, bytes) or len(v) != DIGESTS[n]().digest_size for n, v in known.items()):
        raise SignatureRefused("bad_signature_input")
    return _pick(inputs, signatures, headers)


def check(request: SignedRequest, method: str, target_uri: str, body: bytes, now: int) -> None:
    """Check time, body digest and signature of a parsed request; raises SignatureRefused."""
    check_time(request, now)
    check_digest(request, body)
    check_signature(request, method, target_uri)


def check_time(request: SignedRequest, now: int) -> None:
    """``created`` within the skew of our clock, and ``expires`` (when given) not passed; raises SignatureRefused."""
    if abs(now - request.created) > MAX_SKEW_S or (request.expires is not None and now > request.expires):
        raise SignatureRefused("stale")


def check_digest(request: SignedRequest, body: bytes) -> None:
    """The body is the one the signed Content-Digest names (every algorithm of it we know); raises SignatureRefused."""
    try:
        named = parse_dictionary(request.digest)
    except ValueError as exc:
        raise SignatureRefused("bad_signature_input") from exc
    for name, member in named.items():
        algorithm = DIGESTS.get(name)
        if algorithm is not None and not (isinstance(member.value, bytes)
                                          and hmac.compare_digest(member.value, algorithm(body).digest())):
            raise SignatureRefused("digest_mismatch")


def _derived(name: str, method: str, target_uri: str) -> str:
    if name == "@method":
        return method.upper()
    if name == "@target-uri":
        return target_uri
    parts = urlsplit(target_uri)
    path = parts.path or "/"
    if name == "@scheme":
        return parts.scheme.lower()
    if name == "@authority":
        host = (parts.hostname or "").lower()
        host = f"[{host}]" if ":" in host else host
        default = {"https": 443, "http": 80}.get(parts.scheme.lower())
        return host if parts.port in (None, default) else f"{host}:{parts.port}"
    if name == "@path":
        return path
    if name == "@query":
        return "?" + parts.query
    return path + ("?" + parts.query if parts.query else "")


def check_signature(request: SignedRequest, method: str, target_uri: str) -> None:
    """The signature over the covered components verifies (no body needed); raises SignatureRefused."""
    try:
        public = b64u_decode(request.keyid)
    except EncodingError as exc:
        raise SignatureRefused("bad_signature_input") from exc
    if len(public) != signing.PUBLIC_KEY_SIZE:
        raise SignatureRefused("bad_signature_input")
    fields = dict(request.fields) or {"content-digest": request.digest}
    lines = [(name, _derived(name, method, target_uri) if name.startswith("@") else fields[name])
             for name in request.components]
    try:
        base = base_of(lines, request.params)
    except UnicodeEncodeError as exc:
        raise SignatureRefused("bad_signature_input") from exc
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
