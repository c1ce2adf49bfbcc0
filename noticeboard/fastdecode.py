"""The fast path of the entry decoder: msgspec (compiled) for the common entries, the full decoder for the rest.

:func:`decode` takes what :func:`noticeboard.entry.decode` takes and gives the same result: the
same Entry for what it accepts, the same EntryError (reason and all) for what it refuses. It
decides only the plain case itself: canonical bytes of a post, a tombstone or a message that
pass every check. Anything else (a refusal, a node profile, a vouch, a month's ``stats``, input
that is not already canonical, a text, an object) goes to the full decoder, so every refusal and
its reason come from one place. tests/foundation/test_fastdecode.py checks the two against each other on fuzzed input.

Each field is read once: the times are parsed here and kept on the entry (``Entry.decoded``),
with the signature's bytes, for the expiry checks and the store.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Annotated, Any, TypeVar

import msgspec

from noticeboard import categories
from noticeboard import entry as full
from noticeboard.entry import Decoded, Entry

# Exactly what the full decoder lets through for these, spelled as one pattern each:
# str(uuid.UUID(x)) == x holds for the lowercase 8-4-4-4-12 form only, and 43 base64url
# characters decode to 32 bytes canonically only when the last one carries no spare bits.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_KEY = re.compile(r"[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]")
_SIG = re.compile(r"[A-Za-z0-9_-]{85}[AQgw]")

_T = TypeVar("_T")
_Int = Annotated[int, msgspec.Meta(ge=-(2**53 - 1), le=2**53 - 1)]
_UNSET = msgspec.UNSET
_Unset = msgspec.UnsetType


class _Top(msgspec.Struct, forbid_unknown_fields=True):
    v: int
    type: str
    id: str
    author: str
    version: _Int
    created: str
    updated: str
    expires: str
    body: dict[str, Any]
    sig: str


class _Place(msgspec.Struct, forbid_unknown_fields=True):
    village: str
    lat_cdeg: Annotated[int, msgspec.Meta(ge=-9000, le=9000)]
    lon_cdeg: Annotated[int, msgspec.Meta(ge=-18000, le=18000)]


class _When(msgspec.Struct, forbid_unknown_fields=True):
    text: str | _Unset = _UNSET
    days: list[str] | _Unset = _UNSET
    slots: list[str] | _Unset = _UNSET


class _Post(msgspec.Struct, forbid_unknown_fields=True):
    category: str
    title: str
    text: str
    place: _Place
    reach_km: Annotated[int, msgspec.Meta(ge=0, le=full.MAX_REACH_KM)]
    status: str
    ref: str
    lang: str
    when: _When | _Unset = _UNSET
    name: str | _Unset = _UNSET
    urgency: str | _Unset = _UNSET
    recurring: bool | _Unset = _UNSET
    where: str | _Unset = _UNSET
    languages: list[str] | _Unset = _UNSET
    costs: str | _Unset = _UNSET


class _Tombstone(msgspec.Struct, forbid_unknown_fields=True):
    was: str


class _Message(msgspec.Struct, forbid_unknown_fields=True):
    to: str
    sealed: str


_json = msgspec.json.Decoder()
# The slot descriptors of the two dataclasses, in field order (what ``_new`` sets).
_ENTRY_SLOTS = tuple(getattr(Entry, name) for name in Entry.__slots__)
_DECODED_SLOTS = tuple(getattr(Decoded, name) for name in Decoded.__slots__)
_canonical = msgspec.json.Encoder(order="sorted")
_MAX_LIFETIME_S = int(full.MAX_LIFETIME.total_seconds())
_GRACE_S = int(full.TOMBSTONE_GRACE.total_seconds())


def _fits(value: str, limit: int, *, allow_empty: bool = False) -> bool:
    # Control characters are looked for once per post, over all its texts (``_post``).
    return len(value) <= limit and (allow_empty or bool(value.strip()))


def _choices(values: list[str], options: tuple[str, ...]) -> bool:
    return all(v in options for v in values) and len(set(values)) == len(values)


def _post(body: dict[str, Any]) -> bool:
    post = msgspec.convert(body, _Post)
    if post.category not in categories.BY_CODE or post.status not in full.STATUSES:
        return False
    texts = [post.title, post.text, post.place.village]
    if not (_fits(post.title, full.MAX_TITLE) and _fits(post.text, full.MAX_TEXT, allow_empty=True)
            and _fits(post.place.village, full.MAX_VILLAGE)):
        return False
    if post.name is not _UNSET:
        if not _fits(post.name, full.MAX_NAME) or full.contains_contact_data(post.name):
            return False
        texts.append(post.name)
    if full.contains_contact_data(post.title) or full.contains_contact_data(post.text):
        return False
    when = post.when
    if when is not _UNSET:
        if when.text is not _UNSET:
            if not _fits(when.text, full.MAX_WHEN, allow_empty=True):
                return False
            texts.append(when.text)
        if when.days is not _UNSET and not _choices(when.days, categories.DAYS):
            return False
        if when.slots is not _UNSET and not _choices(when.slots, categories.SLOTS):
            return False
    # A newline is allowed, so joined by newlines the texts hold a control character only where one does.
    if full._CONTROL_CHARS.search("\n".join(texts)) is not None:
        return False
    if not (full._REF.match(post.ref) and full._LANG.match(post.lang)):
        return False
    if post.languages is not _UNSET and (len(post.languages) > 8
                                         or not all(full._LANG.match(x) for x in post.languages)):
        return False
    return ((post.urgency is _UNSET or post.urgency in categories.URGENCY)
            and (post.where is _UNSET or post.where in categories.WHERE)
            and (post.costs is _UNSET or post.costs in categories.COSTS))


def _tombstone(body: dict[str, Any]) -> bool:
    return msgspec.convert(body, _Tombstone).was in full.TYPES[:-1]


def _message(body: dict[str, Any]) -> bool:
    message = msgspec.convert(body, _Message)
    # Any base64url text the full decoder takes: the alphabet, a length that is not 1 mod 4, and
    # no spare bits in the last character (checked by the real decoder, which is cheap enough).
    if _KEY.fullmatch(message.to) is None or not message.sealed:
        return False
    try:
        full.b64u_decode(message.sealed)
    except full.EncodingError:
        return False
    return True


_BODIES = {"request": _post, "offer": _post, "tombstone": _tombstone, "message": _message}


def _time(text: str) -> dt.datetime | None:
    try:
        return full.parse_time(text)
    except ValueError:
        return None


def _fast(data: bytes) -> Entry | None:
    """The entry, when this path can accept it; None sends the input to the full decoder."""
    if len(data) > full.MAX_ENTRY_BYTES:
        return None
    try:
        obj = _json.decode(data)
        # Canonical input only: equal to its own canonical form (sorted keys, no spaces, one
        # spelling of each text and number, no duplicate keys) the bytes are what the full
        # decoder would store, and what was signed.
        if type(obj) is not dict or _canonical.encode(obj) != data:
            return None
        top = msgspec.convert(obj, _Top)
        check = _BODIES.get(top.type)
        if top.v != full.FORMAT_VERSION or check is None or not check(top.body):
            return None
    except (msgspec.DecodeError, msgspec.ValidationError, msgspec.EncodeError, TypeError):
        return None
    if _UUID.fullmatch(top.id) is None or _KEY.fullmatch(top.author) is None or top.version < 1:
        return None
    updated, expires = _time(top.updated), _time(top.expires)
    # A first version was created when it was last updated: one parse for both.
    created = updated if top.created == top.updated else _time(top.created)
    if created is None or updated is None or expires is None or not created <= updated < expires:
        return None
    updated_s, expires_s = int(updated.timestamp()), int(expires.timestamp())
    if expires - updated > full.MAX_LIFETIME + (full.TOMBSTONE_GRACE if top.type == "tombstone" else dt.timedelta(0)):
        return None
    # The full decoder checks only the length of sig (the signature check refuses a bad one
    # later); this path takes only canonical base64url, which decodes without more checks.
    if _SIG.fullmatch(top.sig) is None:
        return None
    sig = base64.urlsafe_b64decode(top.sig + "==")
    return _new(Entry, _ENTRY_SLOTS, (top.type, top.id, top.author, top.version, top.created, top.updated, top.expires,
                                      top.body, top.sig, top.v, data,
                                      _new(Decoded, _DECODED_SLOTS, (updated, expires, updated_s, expires_s, sig))))


def _new(cls: type[_T], slots: tuple[Any, ...], values: tuple[Any, ...]) -> _T:
    """An instance of a frozen slots dataclass with every field given in order, without its __init__.

    The frozen dataclass's __init__ sets each field through object.__setattr__ (7 us an entry,
    as much as the JSON parse); the slot descriptors set them directly. Only for values this
    module has checked; the tests compare the result with the full decoder's Entry.
    """
    instance = object.__new__(cls)
    for slot, value in zip(slots, values, strict=True):
        slot.__set__(instance, value)
    return instance


def decode(data: bytes | str) -> Entry:
    """Parse and validate one entry, as :func:`noticeboard.entry.decode` does; raises EntryError only."""
    if isinstance(data, bytes):
        entry = _fast(data)
        if entry is not None:
            return entry
    return full.decode(data)
