"""The fast decoder (msgspec) against the full one: same entries accepted, same refusals, equal entries.

Differential fuzzing: every input goes through both decoders and the outcomes must be the same,
the entry's fields, its canonical bytes and, for a refusal, the reason. CI runs the default
profile (100 examples a test) and 1,000 cases of ``tools/fuzz_decoders.py``; the long run is
that tool with 100,000 cases (minutes; ``HYPOTHESIS_PROFILE=long`` would take hours here, as
hypothesis spends 25-45 ms drawing each example).
"""

from __future__ import annotations

import datetime as dt
import json
import string
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from crypto.signing import sign_object
from noticeboard import categories, fastdecode
from noticeboard import entry as entries
from noticeboard.entry import Entry, EntryError
from tests.foundation.fixtures import KEYS, NOW, post_body, request
from tools import fuzz_decoders

Outcome = tuple[str, Any]

# Texts near what posts hold, and near what the checks look for: digits and '@' (contact data),
# newlines and other control characters, quotes and backslashes (escapes), accents and wide
# characters (lengths in characters, not bytes), lone surrogates (no canonical form).
_chars = st.sampled_from([*"abc XYZ", *"0123456789", "@", ".", "+", "-", "\n", "\t", "\x00", "\x1f", '"',
                          "\\", "é", "ß", "€", "\u2028", "\U0001f600", "٣", "\ud800", "\x7f", " "])
# Mostly texts a post may hold (so that most drawn posts are valid and the fast path decides them),
# beside the edge cases above.
_plain = st.text(st.sampled_from([*"abcdefghij XYZ", "é", "ß", "€", "\n", "\U0001f600", "٣", "1", "2", '"', "\\",
                                  ".", "-", "@"]), min_size=1, max_size=60)
texts = st.one_of(_plain, _plain, _plain, st.text(_chars, max_size=12), st.text(_chars, min_size=75, max_size=85),
                  st.text(_chars, min_size=995, max_size=1005), st.text(max_size=20),
                  st.sampled_from(["", " ", "Hond uitlaten", "bel 06 12345678", "mail a@b.nl", "06-1234-5678"]))
codes = st.sampled_from(["BH-7K3Q", "BH-7K3Q\n", "bh-7k3q", "BH-7K3I", "BH-00000", "nl", "en", "nld", "NL", "nl\n",
                         "x", "", "mon", "sat", "morning", "days", "home", "none", "open", "done", "tuin"])
times = st.one_of(
    st.datetimes(min_value=dt.datetime(2026, 11, 1), max_value=dt.datetime(2028, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")),
    st.sampled_from(["2026-11-28T12:00:00Z", "2026-02-30T12:00:00Z", "2026-11-28T12:00:00Z\n",
                     "2026-11-28 12:00:00Z", "2026-11-28T12:00:00+00:00", "2026-11-28T24:00:00Z"]))
ints = st.one_of(st.integers(-20000, 20000), st.sampled_from([2**53 - 1, 2**53, -(2**53), 2**64, 0, 1, 200, 201]))
values: st.SearchStrategy[Any] = st.one_of(texts, codes, times, ints, st.booleans(), st.none(),
                                           st.floats(allow_nan=False), st.lists(codes, max_size=9),
                                           st.dictionaries(codes, codes, max_size=3))
keys = st.one_of(st.sampled_from([
    KEYS.node_id, KEYS.node_id[:-1] + "B", KEYS.node_id + "A", KEYS.node_id[:-1], "x" * 43,
    "a" * 86, "A" * 85 + "B", "A" * 85 + "Q", "A" * 86 + "=", "+" * 86]),
    st.text(string.ascii_letters + string.digits + "-_", min_size=42, max_size=44),
    st.text(string.ascii_letters + string.digits + "-_+/=", min_size=85, max_size=87))
POST_FIELDS = ["category", "title", "text", "when", "place", "reach_km", "status", "ref", "lang", "name",
               "urgency", "recurring", "where", "languages", "costs"]


@st.composite
def bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A post body, mostly valid, with its optional fields drawn and any field possibly bent."""
    body = post_body(title=draw(texts), text=draw(texts),
                     category=draw(st.sampled_from([c.code for c in categories.CATEGORIES] + ["x"])))
    if draw(st.booleans()):
        body["when"] = {k: v for k, v in (("text", draw(texts)),
                                          ("days", draw(st.lists(st.sampled_from(categories.DAYS), max_size=3))),
                                          ("slots", draw(st.lists(st.sampled_from(categories.SLOTS), max_size=3))))
                        if draw(st.booleans())}
    for name, choice in (("name", texts), ("urgency", st.sampled_from(categories.URGENCY)),
                         ("where", st.sampled_from(categories.WHERE)), ("costs", st.sampled_from(categories.COSTS)),
                         ("recurring", st.booleans()), ("languages", st.lists(st.sampled_from(["nl", "en"]), max_size=9))):
        if draw(st.booleans()):
            body[name] = draw(choice)
    if draw(st.booleans()):
        body["place"] = {"village": draw(texts), "lat_cdeg": draw(st.one_of(st.integers(-9000, 9000), ints)),
                         "lon_cdeg": draw(st.one_of(st.integers(-18000, 18000), ints))}
    return body


def bend(draw: st.DrawFn, obj: dict[str, Any]) -> dict[str, Any]:
    """Replace, remove or add a few fields, at the top, in the body, or in its place and when."""
    for _ in range(draw(st.integers(0, 3))):
        targets = [obj] + [v for v in (obj.get("body"),) if isinstance(v, dict)]
        targets += [v for t in targets[1:] for v in t.values() if isinstance(v, dict)]
        target = draw(st.sampled_from(targets))
        name = draw(st.sampled_from([*sorted(target), "x", *POST_FIELDS, "was", "to", "sealed"]))
        if draw(st.integers(0, 4)) == 0:
            target.pop(name, None)
        else:
            target[name] = draw(st.one_of(values, keys))
    return obj


@st.composite
def objects(draw: st.DrawFn) -> dict[str, Any]:
    """An entry object: a post, a tombstone or a message, signed, then perhaps bent."""
    kind = draw(st.sampled_from(["request", "offer", "tombstone", "message", "request"]))
    body: dict[str, Any] = {"tombstone": lambda: {"was": draw(st.sampled_from([*entries.TYPES, "x"]))},
                            "message": lambda: {"to": draw(keys), "sealed": draw(st.sampled_from(["AAAA", "", "AB",
                                                                                                 "A", "AAA=", "_-8"]))},
                            }.get(kind, lambda: draw(bodies()))()
    updated = NOW - dt.timedelta(seconds=draw(st.integers(0, 10**6)))
    lifetime = dt.timedelta(days=draw(st.sampled_from([1, 14, 366, 367, 396, 397])))
    obj = {"v": 1, "type": kind, "id": draw(st.uuids()).__str__(), "author": KEYS.node_id,
           "version": draw(st.one_of(st.integers(1, 9), ints)),
           # A first version was created when updated (the fast path parses that time once); a later
           # one earlier, and a bent one after it (refused: created <= updated).
           "created": entries.format_time(updated - dt.timedelta(seconds=draw(st.sampled_from([0, 0, 1, 86400, -1])))),
           "updated": entries.format_time(updated),
           "expires": entries.format_time(updated + lifetime), "body": body}
    try:
        obj = sign_object(KEYS.signing_seed, obj)
    except ValueError:
        obj["sig"] = "A" * 86
    return bend(draw, obj)


def spelled(draw: st.DrawFn, obj: dict[str, Any]) -> bytes:
    """The object as bytes: canonical mostly, sometimes spaced, escaped, reordered or cut."""
    way = draw(st.integers(0, 7))
    if way == 1:
        text = json.dumps(obj)
    elif way == 2:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    elif way == 3:
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(", ", ":"))
    else:
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    data = text.encode("utf-8", "surrogatepass")
    if way == 4 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(max_size=3)) + data[at + 1:]
    if way == 5:
        data += draw(st.sampled_from([b" ", b"\n", b"{}", b'"'])) if draw(st.booleans()) else b""
        data = draw(st.sampled_from([b"", b" ", b"\xef\xbb\xbf"])) + data
    return data


def outcome(decode: Any, data: bytes | str) -> Outcome:
    """What a decoder made of the input: the entry and its exact bytes, or the refusal's reason."""
    try:
        entry: Entry = decode(data)
    except EntryError as exc:
        return ("refused", exc.reason)
    return ("accepted", (entry, entry.canonical(), json.dumps(entry.to_wire(), sort_keys=True)))


def same(data: bytes | str) -> Outcome:
    fast, slow = outcome(fastdecode.decode, data), outcome(entries.decode, data)
    assert fast == slow, data
    # Shown by --hypothesis-show-statistics: how much of the input the fast path decided itself.
    taken = isinstance(data, bytes) and fastdecode._fast(data) is not None
    event(f"{fast[0]} by the {'fast path' if taken else 'full decoder'}" + (f" ({fast[1]})" if fast[0] == "refused" else ""))
    if fast[0] == "accepted":
        entry = fastdecode.decode(data)
        assert entry.updated_at == entries.parse_time(entry.updated)
        assert entry.expires_at == entries.parse_time(entry.expires)
        if entry.decoded is not None:
            # What the fast path read once is what the later stages would have read themselves.
            assert entry.decoded.sig == entries.b64u_decode(entry.sig)
            assert entry.decoded.updated_epoch == int(entries.parse_time(entry.updated).timestamp())
            assert entry.decoded.expires_epoch == int(entries.parse_time(entry.expires).timestamp())
    return fast


@pytest.mark.slow  # hypothesis spends 1-2 s of CPU drawing 100 entries
@given(st.data())
def test_both_decoders_agree_on_entries_bent_and_spelled_every_way(data: st.DataObject) -> None:
    obj = data.draw(objects())
    same(spelled(data.draw, obj))


@pytest.mark.slow  # hypothesis spends 1-2 s of CPU drawing 100 entries
@given(st.data())
def test_both_decoders_agree_on_valid_posts_of_every_shape(data: st.DataObject) -> None:
    body = data.draw(bodies())
    try:
        made = entries.make(KEYS.signing_seed, KEYS.node_id, data.draw(st.sampled_from(["request", "offer"])),
                            body, now=NOW)
    except EntryError:
        made = None
    if made is not None:
        assert same(made.canonical())[0] == "accepted"
    else:
        obj = {**request().to_wire(), "body": body}
        same(json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=5000))
def test_both_decoders_agree_on_arbitrary_bytes(data: bytes) -> None:
    same(data)


def test_the_fast_path_takes_a_plain_post_itself_and_keeps_its_times_and_signature() -> None:
    made = request()
    entry = fastdecode._fast(made.canonical())
    assert entry is not None and entry == made and entry.raw == made.canonical()
    assert entry.decoded is not None and entry.decoded.sig == entries.b64u_decode(made.sig)
    assert entry.decoded.expires_epoch == int(made.expires_at.timestamp())
    # Not canonical: the full decoder decides, and refuses it.
    assert fastdecode._fast(json.dumps(made.to_wire()).encode()) is None
    with pytest.raises(EntryError) as refused:
        fastdecode.decode(json.dumps(made.to_wire()).encode())
    assert refused.value.reason == "not_canonical"


def test_both_decoders_refuse_every_other_spelling_of_a_valid_entry_as_not_canonical() -> None:
    made = request(text="Café \u2028 \"ja\"")
    wire = made.to_wire()
    raw = made.canonical()
    spellings = [
        json.dumps(wire).encode(),                                            # spaces, keys unsorted
        json.dumps(wire, sort_keys=True, separators=(",", ":")).encode(),    # \u00e9 escapes
        json.dumps(wire, sort_keys=True, ensure_ascii=False, indent=0).encode(),
        raw.replace(b'"v":1', b'"v":1 '),                                     # one space
        raw + b"\n", b" " + raw, b"\xef\xbb\xbf" + raw,                      # around it
        raw.replace("é".encode(), b"\\u00e9"),                               # one escape
        raw.decode("utf-8").encode("utf-16"),                                 # another encoding
    ]
    for data in spellings:
        for decode in (entries.decode, fastdecode.decode):
            with pytest.raises(EntryError) as refused:
                decode(data)
            assert refused.value.reason == "not_canonical", data
    # The canonical bytes, as bytes or as text, are taken by both.
    for data in (raw, raw.decode("utf-8")):
        assert entries.decode(data) == made and fastdecode.decode(data) == made
    # A spelling that is not canonical and also wrong is refused for what is wrong.
    with pytest.raises(EntryError) as refused:
        entries.decode(json.dumps({**wire, "v": 2}))
    assert refused.value.reason == "unsupported_version"


def test_contact_data_pre_checks_say_what_the_patterns_say() -> None:
    for text in ["06 1234 5678", "0612345678", "06123456", "+31 6 12 34 56 78", "a@b.nl", "a@b", "٠٦١٢٣٤٥٦٧٨",
                 "Klus 12345 en 6789", "Klus 1234 en 5678", "@@", "x@y.z"]:
        expected = bool(entries._PHONE.search(text) or entries._EMAIL.search(text))
        assert entries.contains_contact_data(text) is expected, text


def test_the_fuzz_tool_finds_no_divergence_in_a_short_run() -> None:
    # The long run is `tools/fuzz_decoders.py 100000` (issue 16); this is its short profile for CI.
    cases, found, events, _ = fuzz_decoders.run(1000, seed=16)
    assert found == [], found[:3]
    assert cases == 1000 and events["accepted by the fast path"] > 50
    assert sum(n for event, n in events.items() if event.startswith("refused")) > 500
