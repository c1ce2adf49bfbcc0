"""Wire helpers: runs of sequence numbers, page splitting, digests, and the signature base."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crypto.identity import NodeKeys
from sync import httpsig, wire


@given(st.sets(st.integers(1, 500)), st.integers(1, 40))
def test_runs_hold_exactly_the_numbers_and_take_them_in_order(seqs: set[int], count: int) -> None:
    runs = wire.to_ranges(seqs)
    assert wire.check_ranges(runs) == runs
    taken, rest = wire.take(runs, count)
    assert taken == sorted(seqs)[:count]
    assert [n for first, last in rest for n in range(first, last + 1)] == sorted(seqs)[count:]


@pytest.mark.parametrize("bad", [[[3, 2]], [[1, 2], [2, 3]], [[0, 1]], [[1]], "1-2", [[1, True]]])
def test_malformed_runs_are_refused(bad: object) -> None:
    with pytest.raises(wire.WireError):
        wire.check_ranges(bad)


def test_pages_respect_both_limits_and_keep_every_entry() -> None:
    items = [bytes([65 + i % 26]) * (100 + i) for i in range(50)]
    pages = list(wire.chunks(items, max_entries=7, max_bytes=1000))
    assert [x for page in pages for x in page] == items
    assert all(len(p) <= 7 and sum(len(x) + 1 for x in p) <= 1000 for p in pages)
    header, lines = wire.read_page(wire.page({"epoch": "e"}, items[:3]))
    assert header == {"epoch": "e"} and lines == items[:3]


def test_digests_round_trip_and_odd_lengths_are_refused() -> None:
    digests = {bytes([i]) * 8 for i in range(10)}
    assert wire.unpack_digests(wire.pack_digests(digests)) == digests
    with pytest.raises(wire.WireError):
        wire.unpack_digests(b"x" * 9)


def test_signature_base_is_the_rfc_9421_form_and_verifies() -> None:
    keys = NodeKeys.generate()
    body = b'{"since":0}'
    headers = httpsig.sign_request(keys.signing_seed, keys.node_id, "POST", "https://h:1/v1/changes", body, 1000,
                                   nonce="AAAAAAAAAAAAAAAA")
    assert headers["Signature-Input"] == (
        f'sig1=("@method" "@target-uri" "content-digest");created=1000;keyid="{keys.node_id}";'
        'alg="ed25519";nonce="AAAAAAAAAAAAAAAA"')
    parsed = httpsig.parse(headers)
    base = httpsig.signature_base("POST", "https://h:1/v1/changes", parsed.digest, parsed.params)
    assert base.decode().splitlines() == [
        '"@method": POST', '"@target-uri": https://h:1/v1/changes',
        f'"content-digest": {httpsig.content_digest(body)}',
        f'"@signature-params": {headers["Signature-Input"][5:]}']
    httpsig.check(parsed, "POST", "https://h:1/v1/changes", body, 1000)
    with pytest.raises(httpsig.SignatureRefused) as other_uri:
        httpsig.check(parsed, "POST", "https://h:1/v1/push", body, 1000)
    assert other_uri.value.reason == "bad_signature"
    cache = httpsig.NonceCache()
    cache.admit(keys.node_id, parsed.nonce, 1000, 1000)
    with pytest.raises(httpsig.SignatureRefused):
        cache.admit(keys.node_id, parsed.nonce, 1000, 1001)


def test_the_worked_example_in_the_protocol_page_holds() -> None:
    seed = bytes(range(32))
    keyid = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"
    assert NodeKeys(seed, bytes(32)).node_id == keyid
    body = b'{"epoch":"5f0c1b2a9d8e4f7a8b6c3d2e1f0a9b8c","since":42}'
    headers = httpsig.sign_request(seed, keyid, "POST", "https://192.168.1.20:8443/v1/changes", body, 1764331200,
                                   nonce="q7Ksd2l0Yk9uTmNl")
    page = (Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text()
    for name, value in headers.items():
        assert f"{name}: {value}" in page
