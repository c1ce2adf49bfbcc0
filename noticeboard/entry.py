"""Entries: the signed unit that travels between nodes, and its strict validation.

Every check here is the same for an entry typed at this kiosk and one that arrived from a
peer or a USB stick. Errors carry a short machine ``reason`` (counted per peer, never
containing entry text) and an English detail for the log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import uuid
from dataclasses import dataclass, field
from typing import Any

from crypto.canonical import CanonicalError, canonical_bytes, canonical_bytes_of_checked
from crypto.encoding import EncodingError, b64u_decode
from crypto.signing import sign_object, verify_object
from noticeboard import categories
from noticeboard.clock import format_time, parse_time

FORMAT_VERSION = 1
MAX_ENTRY_BYTES = 4096
MAX_TITLE = 80
MAX_TEXT = 1000
MAX_WHEN = 120
MAX_NAME = 30
MAX_VILLAGE = 60
MAX_REACH_KM = 200
MAX_LIFETIME = dt.timedelta(days=366)
FUTURE_SKEW = dt.timedelta(minutes=5)
# Dated further ahead than this, an entry is refused, not held: a clock that far off is not a
# clock error, and an entry dated year 9998 would otherwise wait here for ever (issue 14).
HOLD_AT_MOST = dt.timedelta(days=7)
DEFAULT_LIFETIME = {
    "request": dt.timedelta(days=14),
    "offer": dt.timedelta(days=60),
    "node": dt.timedelta(days=365),
    "vouch": dt.timedelta(days=365),
    "message": dt.timedelta(days=30),
    "stats": dt.timedelta(days=365),
}
# A tombstone outlives the entry it erases by this much, so late copies meet it.
TOMBSTONE_GRACE = dt.timedelta(days=30)

# The tombstone stays last: TYPES[:-1] are the types a tombstone may erase.
TYPES = ("request", "offer", "node", "vouch", "message", "stats", "tombstone")
POSTS = ("request", "offer")
STATUSES = ("open", "matched", "done", "withdrawn")
TOP_FIELDS = frozenset({"v", "type", "id", "author", "version", "created", "updated", "expires", "body", "sig"})

# A ``stats`` entry (docs/protocol.md, "Evaluation figures"): one per centre and month, numbers and
# codes only. Each category holds these counts in this order; a count is 0, 5 or more, or "<5".
STATS_COUNTS = ("requests", "offers", "matched", "done", "helped", "feedback", "repeat_pairs", "referred",
                "withdrawn", "unanswered", "expired", "cancelled")
# Figures of the whole centre and month: counts (same rule) and, from 5 matches on, a median.
STATS_MONTH_COUNTS = ("residents_helped", "gave_and_got")
STATS_MEDIAN = "median_hours_to_match"
SUPPRESSED = "<5"
SUPPRESS_BELOW = 5
MAX_STAT = 10**6
# The centre's variant: how it matches, its reciprocity, the channels it took posts by, its back-up, its place.
VARIANT = {
    "matching": ("desk", "self", "mixed"),
    "reciprocity": ("none", "counter", "hours"),
    "backup": ("none", "professional"),
    "place": ("city", "village", "countryside", "unknown"),
}
CHANNELS = ("kiosk", "phone", "proxy")
# Each month's entry has a fixed id, so a centre has at most one per month and a new count replaces the old.
STATS_NAMESPACE = uuid.UUID("6f1c2a3e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
_MONTH = re.compile(r"2[0-9]{3}-(0[1-9]|1[0-2])")

# \Z, not $: Python's $ also matches before a final newline, and "BH-7K3Q\n" is no code
# (docs/schemas/ spell these as ECMA-262 patterns, where $ is the end of the text).
_REF = re.compile(r"^BH-[0-9A-HJKMNP-TV-Z]{4}\Z")
_LANG = re.compile(r"^[a-z]{2,3}\Z")
# Control characters other than newline (a regex: a per-character loop cost ~50 us per text).
_CONTROL_CHARS = re.compile(r"[\x00-\x09\x0b-\x1f]")
# Phone numbers (9+ digits, spaces and dashes allowed between) and e-mail addresses.
_PHONE = re.compile(r"(?:\+?\d[\s\-./()]*){9,}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
_DIGITS = b"0123456789"


class EntryError(ValueError):
    """An entry that is refused; ``reason`` is a short stable code for counting."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Decoded:
    """What the fast decoder (noticeboard/fastdecode.py) read once, so later stages need not read it again."""

    updated_at: dt.datetime
    expires_at: dt.datetime
    updated_epoch: int
    expires_epoch: int
    sig: bytes


@dataclass(frozen=True, slots=True)
class Entry:
    """One signed entry, exactly as it travels."""

    type: str
    id: str
    author: str
    version: int
    created: str
    updated: str
    expires: str
    body: dict[str, Any] = field(hash=False)
    sig: str
    v: int = FORMAT_VERSION
    # The canonical bytes, kept once computed: ingest, storage and the wire all need them.
    raw: bytes | None = field(default=None, compare=False, repr=False, hash=False)
    # Times and signature bytes as the fast decoder read them (None from the other paths).
    decoded: Decoded | None = field(default=None, compare=False, repr=False, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        """(author, id): the entry's name for its whole life."""
        return (self.author, self.id)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object as it travels, ``sig`` included."""
        return {
            "v": self.v, "type": self.type, "id": self.id, "author": self.author,
            "version": self.version, "created": self.created, "updated": self.updated,
            "expires": self.expires, "body": self.body, "sig": self.sig,
        }

    def canonical(self) -> bytes:
        """Canonical bytes of the whole entry (what is stored and sent)."""
        if self.raw is not None:
            return self.raw
        return canonical_bytes(self.to_wire())

    def verify(self) -> bool:
        """Whether ``sig`` is the author's signature over the rest."""
        return verify_object(self.to_wire())

    @property
    def expires_at(self) -> dt.datetime:
        """Expiry as a datetime."""
        return self.decoded.expires_at if self.decoded is not None else parse_time(self.expires)

    @property
    def updated_at(self) -> dt.datetime:
        """Last change as a datetime."""
        return self.decoded.updated_at if self.decoded is not None else parse_time(self.updated)


def _fail(detail: str) -> EntryError:
    return EntryError("schema", detail)


def _text(body: dict[str, Any], name: str, limit: int, *, required: bool = True, allow_empty: bool = False) -> None:
    if name not in body:
        if required:
            raise _fail(f"body.{name} is missing")
        return
    value = body[name]
    if not isinstance(value, str):
        raise _fail(f"body.{name} must be text")
    if len(value) > limit:
        raise EntryError("too_large", f"body.{name} is longer than {limit} characters")
    if not allow_empty and not value.strip():
        raise _fail(f"body.{name} is empty")
    if _CONTROL_CHARS.search(value):
        raise _fail(f"body.{name} contains control characters")


def _choice(body: dict[str, Any], name: str, options: tuple[str, ...], *, required: bool = False) -> None:
    if name not in body:
        if required:
            raise _fail(f"body.{name} is missing")
        return
    if body[name] not in options:
        raise _fail(f"body.{name} must be one of {', '.join(options)}")


def _int(value: Any, name: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(f"{name} must be a whole number from {low} to {high}")


def _key(value: Any, name: str) -> None:
    try:
        if len(b64u_decode(value)) != 32:
            raise _fail(f"{name} must be a 32-byte key")
    except EncodingError as exc:
        raise _fail(f"{name} must be base64url") from exc


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    extra = set(body) - allowed
    if extra:
        raise _fail(f"unknown body field(s): {', '.join(sorted(extra))}")


def contains_contact_data(text: str) -> bool:
    """Whether text looks like it holds a phone number or e-mail address."""
    # Cheap tests first (the regexes cost ~16 us an entry): an address needs an '@', and a phone
    # number nine digits, which ASCII text can only spell with 0-9 (elsewhere \d is wider).
    if "@" in text and _EMAIL.search(text):
        return True
    # Counting the digits: bytes.translate deletes them in one C pass (ten str.count calls cost 5x).
    if text.isascii() and len(text) - len(text.encode("ascii").translate(None, _DIGITS)) < 9:
        return False
    return bool(_PHONE.search(text))


def validate_place(place: Any) -> None:
    """Check a coarse place object."""
    if not isinstance(place, dict):
        raise _fail("body.place must be an object")
    _only(place, {"village", "lat_cdeg", "lon_cdeg"})
    _text(place, "village", MAX_VILLAGE)
    _int(place.get("lat_cdeg"), "place.lat_cdeg", -9000, 9000)
    _int(place.get("lon_cdeg"), "place.lon_cdeg", -18000, 18000)


def _validate_post(body: dict[str, Any]) -> None:
    _only(body, {"category", "title", "text", "when", "place", "reach_km", "status", "ref", "lang",
                 "name", "urgency", "recurring", "where", "languages", "costs"})
    category = body.get("category")
    # A list or object here is not hashable: test the type before looking it up.
    if not isinstance(category, str) or category not in categories.BY_CODE:
        raise EntryError("unknown_category", "body.category is not in the taxonomy")
    _text(body, "title", MAX_TITLE)
    _text(body, "text", MAX_TEXT, allow_empty=True)
    _text(body, "name", MAX_NAME, required=False)
    for name in ("title", "text", "name"):
        if isinstance(body.get(name), str) and contains_contact_data(body[name]):
            raise EntryError("contact_data", f"body.{name} looks like it contains a phone number or e-mail")
    if "when" in body:
        when = body["when"]
        if not isinstance(when, dict):
            raise _fail("body.when must be an object")
        _only(when, {"text", "days", "slots"})
        _text(when, "text", MAX_WHEN, required=False, allow_empty=True)
        for name, options in (("days", categories.DAYS), ("slots", categories.SLOTS)):
            if name in when and (not isinstance(when[name], list) or not all(v in options for v in when[name])
                                 or len(set(when[name])) != len(when[name])):
                raise _fail(f"body.when.{name} must list values from {', '.join(options)}")
    validate_place(body.get("place"))
    _int(body.get("reach_km"), "body.reach_km", 0, MAX_REACH_KM)
    _choice(body, "status", STATUSES, required=True)
    if not isinstance(body.get("ref"), str) or not _REF.match(body["ref"]):
        raise _fail("body.ref must look like BH-7K3Q")
    if not isinstance(body.get("lang"), str) or not _LANG.match(body["lang"]):
        raise _fail("body.lang must be a language code")
    _choice(body, "urgency", categories.URGENCY)
    _choice(body, "where", categories.WHERE)
    _choice(body, "costs", categories.COSTS)
    if "recurring" in body and not isinstance(body["recurring"], bool):
        raise _fail("body.recurring must be true or false")
    if "languages" in body:
        langs = body["languages"]
        if not isinstance(langs, list) or len(langs) > 8 or not all(isinstance(x, str) and _LANG.match(x) for x in langs):
            raise _fail("body.languages must list up to 8 language codes")


def _validate_node(body: dict[str, Any]) -> None:
    _only(body, {"name", "place", "sealing_key", "tls_fp", "phone", "hours", "addresses"})
    _text(body, "name", 60)
    validate_place(body.get("place"))
    _key(body.get("sealing_key"), "body.sealing_key")
    _key(body.get("tls_fp"), "body.tls_fp")
    _text(body, "phone", 30, required=False)
    _text(body, "hours", MAX_WHEN, required=False, allow_empty=True)
    if "addresses" in body:
        addrs = body["addresses"]
        if not isinstance(addrs, list) or len(addrs) > 8 or not all(isinstance(a, str) and 0 < len(a) <= 100 for a in addrs):
            raise _fail("body.addresses must list up to 8 host:port texts")


def _validate_vouch(body: dict[str, Any]) -> None:
    _only(body, {"subject", "name", "successor", "successor_sig"})
    _key(body.get("subject"), "body.subject")
    _text(body, "name", 60, required=False)
    # A signing-key hand-over: the author's key retires and names its successor (docs/privacy.md).
    if "successor" in body and body["successor"] is not True:
        raise _fail("body.successor must be true when present")
    # The successor's own signature that it takes over (checked where hand-overs are taken).
    if "successor_sig" in body:
        sig = body["successor_sig"]
        if "successor" not in body or not isinstance(sig, str) or len(sig) != 86:
            raise _fail("body.successor_sig must be an 86-character signature beside successor")
        try:
            b64u_decode(sig)
        except EncodingError as exc:
            raise _fail("body.successor_sig must be base64url") from exc


def successor_statement(old: str, new: str) -> bytes:
    """What the new key signs in a hand-over: that it succeeds the old one (both node ids)."""
    return b"buurthulp-successor-v1\0" + old.encode() + b"\0" + new.encode()


def _validate_message(body: dict[str, Any]) -> None:
    _only(body, {"to", "sealed"})
    _key(body.get("to"), "body.to")
    sealed = body.get("sealed")
    if not isinstance(sealed, str) or not sealed:
        raise _fail("body.sealed must be base64url text")
    try:
        b64u_decode(sealed)
    except EncodingError as exc:
        raise _fail("body.sealed must be base64url text") from exc


def _validate_tombstone(body: dict[str, Any]) -> None:
    _only(body, {"was"})
    _choice(body, "was", TYPES[:-1], required=True)


def stats_id(month: str) -> str:
    """The id of every centre's ``stats`` entry for one month (``YYYY-MM``)."""
    return str(uuid.uuid5(STATS_NAMESPACE, f"stats|{month}"))


def suppressed(count: int) -> int | str:
    """A count as a ``stats`` entry holds it: 1 to 4 become "<5" (docs/protocol.md)."""
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


def _stat(value: Any, name: str) -> None:
    if value == SUPPRESSED and isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, int) or not (value == 0 or SUPPRESS_BELOW <= value <= MAX_STAT):
        raise _fail(f"{name} must be 0, a whole number from {SUPPRESS_BELOW} to {MAX_STAT}, or \"<5\"")


def _validate_stats(body: dict[str, Any]) -> None:
    _only(body, {"month", "variant", "categories", "figures"})
    month = body.get("month")
    if not isinstance(month, str) or not _MONTH.fullmatch(month):
        raise _fail("body.month must look like 2026-03")
    variant = body.get("variant")
    if not isinstance(variant, dict) or set(variant) != {*VARIANT, "channels"}:
        raise _fail("body.variant must have exactly " + ", ".join(sorted({*VARIANT, "channels"})))
    for name, options in VARIANT.items():
        _choice(variant, name, options, required=True)
    channels = variant["channels"]
    if not isinstance(channels, list) or any(c not in CHANNELS for c in channels) or channels != sorted(set(channels)):
        raise _fail("body.variant.channels must list values from " + ", ".join(CHANNELS) + ", sorted, once each")
    cats = body.get("categories")
    if not isinstance(cats, dict):
        raise _fail("body.categories must be an object")
    for code, cells in cats.items():
        if code not in categories.BY_CODE:
            raise EntryError("unknown_category", "body.categories has a key not in the taxonomy")
        if not isinstance(cells, list) or len(cells) != len(STATS_COUNTS):
            raise _fail(f"body.categories.{code} must list {len(STATS_COUNTS)} counts")
        for name, cell in zip(STATS_COUNTS, cells, strict=True):
            _stat(cell, f"body.categories.{code}.{name}")
    figures = body.get("figures")
    if not isinstance(figures, dict):
        raise _fail("body.figures must be an object")
    _only(figures, {*STATS_MONTH_COUNTS, STATS_MEDIAN})
    for name in STATS_MONTH_COUNTS:
        if name not in figures:
            raise _fail(f"body.figures.{name} is missing")
        _stat(figures[name], f"body.figures.{name}")
    if STATS_MEDIAN in figures:
        _int(figures[STATS_MEDIAN], f"body.figures.{STATS_MEDIAN}", 0, 366 * 24)


_BODY_VALIDATORS = {
    "request": _validate_post, "offer": _validate_post, "node": _validate_node,
    "vouch": _validate_vouch, "message": _validate_message, "stats": _validate_stats,
    "tombstone": _validate_tombstone,
}


def validate(obj: Any) -> Entry:
    """Check an entry object's shape and limits (not its signature); return it as an Entry."""
    if not isinstance(obj, dict):
        raise _fail("an entry must be a JSON object")
    missing = TOP_FIELDS - set(obj)
    if missing:
        raise _fail(f"missing field(s): {', '.join(sorted(missing))}")
    if set(obj) - TOP_FIELDS:
        raise _fail(f"unknown field(s): {', '.join(sorted(set(obj) - TOP_FIELDS))}")
    if obj["v"] != FORMAT_VERSION or isinstance(obj["v"], bool):
        raise EntryError("unsupported_version", "v must be 1")
    if obj["type"] not in TYPES:
        raise _fail("type is not one of " + ", ".join(TYPES))
    if not isinstance(obj["id"], str):
        raise _fail("id must be a UUID")
    try:
        if str(uuid.UUID(obj["id"])) != obj["id"]:
            raise _fail("id must be a lowercase UUID")
    except ValueError as exc:
        raise _fail("id must be a UUID") from exc
    _key(obj["author"], "author")
    _int(obj["version"], "version", 1, 2**53 - 1)
    try:
        created, updated, expires = (parse_time(obj[k]) for k in ("created", "updated", "expires"))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if not created <= updated < expires:
        raise _fail("times must satisfy created ≤ updated < expires")
    # Tombstones keep the erased entry's expiry plus a grace period.
    if expires - updated > MAX_LIFETIME + (TOMBSTONE_GRACE if obj["type"] == "tombstone" else dt.timedelta(0)):
        raise _fail("expires is more than a year after updated")
    if not isinstance(obj["sig"], str) or len(obj["sig"]) != 86:
        raise EntryError("bad_signature", "sig must be a base64url Ed25519 signature")
    body = obj["body"]
    if not isinstance(body, dict):
        raise _fail("body must be an object")
    _BODY_VALIDATORS[obj["type"]](body)
    if obj["type"] == "stats" and obj["id"] != stats_id(body["month"]):
        raise _fail("a stats entry's id is the one of its month (stats_id)")
    if type(obj["v"]) is not int:
        raise _fail("floating-point numbers are not allowed")
    try:
        # Every value's type, range and key is fixed by the checks above, so the walk is not needed.
        raw = canonical_bytes_of_checked(obj)
    except CanonicalError as exc:
        raise _fail(str(exc)) from exc
    if len(raw) > MAX_ENTRY_BYTES:
        raise EntryError("too_large", f"entry is {len(raw)} bytes, more than {MAX_ENTRY_BYTES}")
    return _from_object(obj, raw)


def _from_object(obj: dict[str, Any], raw: bytes | None) -> Entry:
    return Entry(
        type=obj["type"], id=obj["id"], author=obj["author"], version=obj["version"],
        created=obj["created"], updated=obj["updated"], expires=obj["expires"], body=obj["body"],
        sig=obj["sig"], v=obj["v"], raw=raw,
    )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise EntryError("malformed", f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_floats(text: str) -> Any:
    raise EntryError("schema", "numbers must be whole")


def _no_constants(text: str) -> Any:
    raise EntryError("malformed", "NaN and Infinity are not JSON")


def decode(data: bytes | str) -> Entry:
    """Parse and validate one entry from its canonical JSON bytes (or text); raises EntryError and nothing else.

    The checks of the content come first, so a bad entry is refused for what is wrong with it;
    a valid one spelled otherwise than canonically is refused as ``not_canonical``.
    """
    if len(data) > MAX_ENTRY_BYTES * 2:
        raise EntryError("too_large", f"entry is {len(data)} bytes")
    if isinstance(data, bytes):
        # Peers send canonical bytes. Parsed without the duplicate-key hook (in C, much faster),
        # an entry whose canonical form equals its input cannot have had a duplicate key; anything
        # else is parsed again the strict way, so refusals and their reasons stay the same.
        try:
            entry = validate(json.loads(data, parse_float=_no_floats, parse_constant=_no_constants))
        except Exception:  # noqa: BLE001 - not swallowed: the strict parse below raises it properly
            entry = None
        if entry is not None and entry.raw == data:
            return entry
    entry = _decode_strict(data)
    # An entry travels as its canonical bytes (RFC 8785) and nothing else: a spelling with
    # spaces, another key order or escapes is refused, valid as its content may be, so every
    # node stores, forwards and signs over the same bytes (docs/format-and-storage.md).
    if entry.raw != (data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")):
        raise EntryError("not_canonical", "the entry is not spelled in its canonical JSON form (RFC 8785)")
    return entry


def _decode_strict(data: bytes | str) -> Entry:
    try:
        obj = json.loads(
            data, object_pairs_hook=_no_duplicate_keys, parse_float=_no_floats,
            parse_constant=_no_constants,
        )
    except EntryError:
        raise
    except (ValueError, RecursionError) as exc:
        raise EntryError("malformed", "not valid JSON") from exc
    return validate(obj)


def _interned(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Keys and short values (codes, villages, keys of authors) repeat across thousands of posts.
    return {sys.intern(k): sys.intern(v) if isinstance(v, str) and len(v) <= 44 else v for k, v in pairs}


_compact_decoder = json.JSONDecoder(object_pairs_hook=_interned)


def decode_stored(raw: bytes, *, compact: bool = False) -> Entry:
    """Rebuild an entry this node validated before and sealed under its own key.

    The AEAD tag already proves the bytes are the ones we stored, so the full validation
    is skipped: it is what keeps opening a 50k-entry board fast. ``compact`` shares repeated
    strings and drops the raw bytes, for entries kept in memory by the thousand (the board):
    about 40 % less memory at 50k posts.
    """
    if compact:
        return _from_object(_compact_decoder.decode(raw.decode("utf-8")), None)
    return _from_object(json.loads(raw), raw)


def check_signature(entry: Entry) -> None:
    """Raise EntryError unless the author's signature verifies."""
    if not entry.verify():
        raise EntryError("bad_signature", "signature does not verify with the author's key")


def check_time(entry: Entry, now: dt.datetime) -> bool:
    """Raise for an expired entry; return False for one dated in the future (to be held)."""
    if entry.expires_at <= now:
        raise EntryError("expired", "entry has expired")
    if entry.updated_at > now + HOLD_AT_MOST:
        raise EntryError("too_far_ahead", "entry is dated more than 7 days ahead")
    return entry.updated_at <= now + FUTURE_SKEW


def make(
    seed: bytes, author: str, kind: str, body: dict[str, Any], *, now: dt.datetime,
    entry_id: str | None = None, version: int = 1, created: str | None = None,
    expires: dt.datetime | None = None,
) -> Entry:
    """Author and sign a new entry (or a new version of one), validated like any other."""
    stamp = format_time(now)
    obj = {
        "v": FORMAT_VERSION, "type": kind, "id": entry_id or str(uuid.uuid4()), "author": author,
        "version": version, "created": created or stamp, "updated": stamp,
        "expires": format_time(expires or now + DEFAULT_LIFETIME[kind]), "body": body,
    }
    try:
        signed = sign_object(seed, obj)
    except CanonicalError as exc:
        raise _fail(str(exc)) from exc
    return validate(signed)


def revise(seed: bytes, entry: Entry, body: dict[str, Any], *, now: dt.datetime,
           expires: dt.datetime | None = None) -> Entry:
    """A new version of one of our own entries with a changed body."""
    return make(seed, entry.author, entry.type, body, now=now, entry_id=entry.id,
                version=entry.version + 1, created=entry.created,
                expires=expires or entry.expires_at)


def tombstone(seed: bytes, entry: Entry, *, now: dt.datetime) -> Entry:
    """The tombstone that erases one of our own entries everywhere it arrives."""
    until = max(entry.expires_at, now) + TOMBSTONE_GRACE
    return make(seed, entry.author, "tombstone", {"was": entry.type}, now=now, entry_id=entry.id,
                version=entry.version + 1, created=entry.created, expires=until)
