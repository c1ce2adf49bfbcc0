"""The entry format: strict validation, signatures over canonical bytes, a decoder that never crashes."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crypto.signing import sign_object
from noticeboard import entry as entries
from noticeboard.entry import EntryError, check_signature, check_time, decode, validate
from tests.foundation.fixtures import KEYS, NOW, post_body, request


def resign(obj: dict) -> dict:
    return sign_object(KEYS.signing_seed, obj)


def test_made_entry_round_trips_and_verifies() -> None:
    e = request()
    again = decode(e.canonical())
    assert again == e
    check_signature(again)
    assert e.expires_at - e.updated_at == entries.DEFAULT_LIFETIME["request"]


def test_a_compact_stored_entry_keeps_no_raw_bytes_yet_gives_the_same_canonical_bytes() -> None:
    # The board keeps thousands of these: raw is dropped (None) and canonical() is rebuilt from the fields.
    e = request()
    compact = entries.decode_stored(e.canonical(), compact=True)
    assert compact.raw is None
    assert compact == e
    assert compact.canonical() == e.canonical()
    check_signature(compact)


@pytest.mark.parametrize("field", ["type", "id", "version", "created", "updated", "expires", "body", "author"])
def test_changing_any_field_breaks_the_signature(field: str) -> None:
    wire = request().to_wire()
    changed = {
        "type": "offer", "id": "00000000-0000-4000-8000-000000000000", "version": 2,
        "created": "2026-11-28T11:00:00Z", "updated": "2026-11-28T12:00:01Z", "expires": "2026-12-01T00:00:00Z",
        "body": post_body(title="Heg snoeien"), "author": "A" * 43,
    }[field]
    wire[field] = changed
    try:
        e = validate(wire)
    except EntryError:
        return
    assert not e.verify()


@given(st.data())
@settings(max_examples=150)
def test_flipping_any_byte_of_the_canonical_form_is_caught(data: st.DataObject) -> None:
    raw = bytearray(request().canonical())
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] ^= data.draw(st.integers(1, 255))
    try:
        e = decode(bytes(raw))
    except EntryError:
        return
    assert not e.verify()


@given(st.binary(max_size=600))
@settings(max_examples=300)
def test_decoder_never_crashes_on_bytes(data: bytes) -> None:
    with contextlib.suppress(EntryError):
        decode(data)


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=15)


@given(st.dictionaries(st.sampled_from(sorted(entries.TOP_FIELDS)), json_like, max_size=10))
@settings(max_examples=300)
def test_validator_never_crashes_on_json(obj: dict) -> None:
    with contextlib.suppress(EntryError):
        validate(obj)


@pytest.mark.parametrize(("changes", "reason"), [
    ({"text": "x" * (entries.MAX_TEXT + 1)}, "too_large"),
    ({"title": "x" * (entries.MAX_TITLE + 1)}, "too_large"),
    ({"category": "persoonlijke_verzorging"}, "unknown_category"),
    ({"place": {"village": "Ezinge", "lat_cdeg": 99999, "lon_cdeg": 644}}, "schema"),
    ({"place": {"village": "Ezinge", "lat_cdeg": 53.32, "lon_cdeg": 644}}, "schema"),
    ({"reach_km": 5000}, "schema"),
    ({"status": "lost"}, "schema"),
    ({"ref": "7K3Q"}, "schema"),
    ({"text": "Bel me op 06-12345678"}, "contact_data"),
    ({"text": "mail naar jan@example.nl"}, "contact_data"),
    ({"phone": "0612345678"}, "schema"),
])
def test_bad_bodies_are_refused_with_a_reason(changes: dict, reason: str) -> None:
    with pytest.raises(EntryError) as caught:
        request(**changes)
    assert caught.value.reason == reason


def test_total_size_limit() -> None:
    wire = request().to_wire()
    wire["body"]["text"] = "🌷" * 1000
    wire["body"]["title"] = "é" * 80
    wire["body"]["when"] = {"text": "é" * 120}
    wire["body"]["languages"] = ["nl"] * 8
    wire["body"]["place"]["village"] = "é" * 60
    wire["body"]["name"] = "é" * 30
    with pytest.raises(EntryError) as caught:
        validate(resign(wire))
    assert caught.value.reason == "too_large"


def test_duplicate_keys_and_floats_are_malformed() -> None:
    raw = request().canonical().decode()
    with pytest.raises(EntryError):
        decode(raw.replace('"v":1', '"v":1,"v":1'))
    with pytest.raises(EntryError):
        decode(raw.replace('"reach_km":10', '"reach_km":10.0'))
    with pytest.raises(EntryError):
        decode(raw.replace('"reach_km":10', '"reach_km":NaN'))


def test_times_are_checked() -> None:
    e = request()
    assert check_time(e, NOW)
    with pytest.raises(EntryError) as caught:
        check_time(e, NOW + dt.timedelta(days=15))
    assert caught.value.reason == "expired"
    # Dated ahead of our clock beyond the skew: held, not applied.
    assert not check_time(e, NOW - dt.timedelta(hours=1))
    wire = e.to_wire()
    wire["expires"] = "2028-01-01T00:00:00Z"
    with pytest.raises(EntryError):
        validate(resign(wire))
    wire["expires"] = "2026-11-28T11:00:00Z"
    with pytest.raises(EntryError):
        validate(resign(wire))


def test_bad_signature_is_reported() -> None:
    wire = request().to_wire()
    wire["sig"] = wire["sig"][:-2] + ("AA" if wire["sig"][-2:] != "AA" else "BA")
    with pytest.raises(EntryError) as caught:
        check_signature(validate(wire))
    assert caught.value.reason == "bad_signature"


def test_tombstone_erases_body_and_outlives_the_entry() -> None:
    e = request()
    stone = entries.tombstone(KEYS.signing_seed, e, now=NOW + dt.timedelta(hours=1))
    assert stone.type == "tombstone" and stone.version == 2 and stone.body == {"was": "request"}
    assert stone.expires_at == e.expires_at + entries.TOMBSTONE_GRACE
    assert "Heg" not in json.dumps(stone.to_wire())
