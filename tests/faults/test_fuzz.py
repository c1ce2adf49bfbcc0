"""Fuzz: the entry decoder and the peer server's handlers on arbitrary input.

The decoder raises EntryError and nothing else; the server answers every request with one of
its own refusals (or 200) and never with a 500. CI runs hypothesis' default number of
examples; ``HYPOTHESIS_PROFILE=long`` runs 100 000 per test (see docs/faults.md).
"""

from __future__ import annotations

import asyncio
import functools
import json
import string
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crypto.canonical import canonical_bytes
from crypto.encoding import b64u_encode
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.entry import EntryError
from noticeboard.node import Node, PostDraft
from sync import httpsig, wire
from sync.feed import ENDPOINTS
from sync.ingest import ingest
from sync.server import make_app
from tests.support import make_node
from tests.sync.helpers import line_node, post, trust_directly

# Codes the server may answer with (docs/protocol.md), by status.
REFUSALS = {401: {"unsigned", "bad_signature_input", "stale", "digest_mismatch", "bad_signature", "replayed"},
            403: {"blocked", "unknown_key"}, 413: {"too_large"}, 400: {"malformed", "too_many"}, 503: {"busy"}}
# Fixture-per-test is what we want: one server for all examples of a test.
FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=25)
# Text that is almost what a field wants: right lengths, base64url-ish alphabets, timestamps.
near_text = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "-_=+/!", min_size=86, max_size=86),
    st.text(alphabet=string.ascii_letters + string.digits + "-_=", min_size=42, max_size=44),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z"),
    st.uuids().map(str), st.text(max_size=1100))


@functools.cache
def samples() -> list[dict[str, Any]]:
    """Valid entries (a request, a node profile, a tombstone) a fuzzer starts from."""
    with tempfile.TemporaryDirectory() as folder, make_node(Path(folder)).open() as node:
        made = node.post(PostDraft("request", "boodschappen", "Boodschappen", "Wie helpt?", reach_km=20))
        return [json.loads(e.canonical()) for e in (made, node.profile_entry(), node.withdraw(made.body["ref"]))]


@st.composite
def mutated_entry(draw: st.DrawFn, extra: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """A valid entry with a few fields (top level or in the body) replaced, removed or added."""
    obj = json.loads(json.dumps(draw(st.sampled_from([*extra, *samples()]))))
    for _ in range(draw(st.integers(1, 3))):
        target = obj["body"] if isinstance(obj.get("body"), dict) and draw(st.booleans()) else obj
        fields = sorted(target) or ["x"]
        name = draw(st.sampled_from(fields) | st.text(max_size=8))
        action = draw(st.sampled_from(["replace", "near", "delete"]))
        if action == "delete":
            target.pop(name, None)
        else:
            target[name] = draw(json_values if action == "replace" else near_text)
    return obj


@given(st.binary(max_size=9000))
def test_decoder_refuses_arbitrary_bytes_with_its_own_error(data: bytes) -> None:
    with pytest.raises(EntryError):
        entries.decode(data)


@given(json_values)
def test_decoder_refuses_arbitrary_json_with_its_own_error(value: Any) -> None:
    with pytest.raises(EntryError):
        entries.decode(json.dumps(value))


@given(mutated_entry(), st.booleans())
def test_decoder_on_damaged_entries_only_raises_entry_error(obj: dict[str, Any], as_text: bool) -> None:
    data = json.dumps(obj, ensure_ascii=False)
    try:
        decoded = entries.decode(data if as_text else data.encode("utf-8", "surrogatepass"))
    except EntryError:
        return
    assert decoded.canonical() == entries.validate(json.loads(decoded.canonical())).canonical()


@dataclass
class Peered:
    """A server node driven by aiohttp's test client, and the paired node that signs requests."""

    loop: asyncio.AbstractEventLoop
    client: TestClient[Any, Any]
    server: Node
    peer: Node
    stored: list[dict[str, Any]]

    def send(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """POST and return (status, body)."""
        async def go() -> tuple[int, bytes]:
            async with self.client.post(path, data=body, headers=headers) as response:
                return response.status, await response.read()
        return self.loop.run_until_complete(go())

    def signed(self, path: str, body: bytes, *, created: int | None = None) -> dict[str, str]:
        """Headers of a correctly signed request from the paired node."""
        url = str(self.client.make_url(path))
        return httpsig.sign_request(self.peer.keys.signing_seed, self.peer.node_id, "POST", url, body,
                                    created if created is not None else int(utcnow().timestamp()))


@pytest.fixture
def peered(tmp_path: Path) -> Iterator[Peered]:
    """Node B serves; node A is paired with it and B holds A's posts."""
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    trust_directly(a, b)
    trust_directly(b, a)
    for i in range(3):
        post(a, f"Klus {i}")
    stored = [json.loads(e.canonical()) for e in a.store.entries()]
    ingest(b, [canonical_bytes(e) for e in stored], source="setup")
    loop = asyncio.new_event_loop()
    client: TestClient[Any, Any] = TestClient(TestServer(make_app(b), loop=loop), loop=loop)
    loop.run_until_complete(client.start_server())
    try:
        yield Peered(loop, client, b, a, stored)
    finally:
        loop.run_until_complete(client.close())
        loop.close()
        a.close()
        b.close()


def _check_answer(status: int, body: bytes) -> None:
    assert status != 500, body
    if status == 200:
        return
    assert status in REFUSALS, (status, body)
    assert json.loads(body)["error"] in REFUSALS[status], (status, body)


def _bodies(peered: Peered) -> st.SearchStrategy[bytes]:
    epoch = st.sampled_from([peered.server.store.epoch]) | st.text(max_size=34)
    seq = st.integers(-5, 2**60) | json_values
    runs = st.lists(st.lists(st.integers(-3, 2**54), min_size=0, max_size=3), max_size=6) | json_values
    header = st.fixed_dictionaries({"epoch": epoch}) | json_values
    lines = st.lists(mutated_entry(tuple(peered.stored)).map(lambda o: json.dumps(o).encode())
                     | st.sampled_from([json.dumps(o).encode() for o in peered.stored]) | st.binary(max_size=200),
                     max_size=5)
    page = st.builds(lambda h, ls: wire.page(h, ls) if isinstance(h, dict) else json.dumps(h).encode() + b"\n"
                     + b"\n".join(ls), header, lines)
    return st.one_of(
        st.binary(max_size=600),
        st.builds(lambda e, s: wire.dumps({"epoch": e, "since": s}), epoch, seq),
        st.builds(lambda e, m: wire.dumps({"epoch": e, "missing": m}), epoch, runs),
        # Version 2: gap lists of seqs (base64url of varints, or anything) and offered items.
        st.builds(lambda e, g: wire.dumps({"epoch": e, "gaps": g}), epoch,
                  st.binary(max_size=40).map(b64u_encode) | json_values),
        st.builds(lambda a, i: wire.dumps({"authors": a, "items": i}),
                  st.sampled_from([[peered.peer.node_id]]) | json_values,
                  st.lists(st.lists(st.integers(-1, 3) | st.text(max_size=12) | json_values, max_size=6), max_size=4)
                  | json_values),
        json_values.map(lambda v: json.dumps(v).encode()),
        page,
    )


def test_server_answers_signed_arbitrary_bodies_without_a_500(peered: Peered) -> None:
    @FUZZ
    @given(st.sampled_from(sorted(ENDPOINTS)), _bodies(peered))
    def run(path: str, body: bytes) -> None:
        _check_answer(*peered.send(path, body, {**peered.signed(path, body), "Content-Type": wire.JSON}))

    run()


header_text = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)


@st.composite
def signature_headers(draw: st.DrawFn, peered: Peered, path: str, body: bytes) -> dict[str, str]:
    """Signature headers that are wrong in some way: random text, or a real signature with parts changed."""
    headers = peered.signed(path, body, created=draw(st.integers(0, 10**12 - 1) | st.just(int(utcnow().timestamp()))))
    for name in draw(st.lists(st.sampled_from(["Signature-Input", "Signature", "Content-Digest", "Host"]),
                              max_size=3, unique=True)):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            headers.pop(name, None)
        elif choice == 1:
            headers[name] = draw(header_text)
        elif name in headers:
            value = headers[name]
            at = draw(st.integers(0, len(value)))
            cut = draw(st.integers(0, 4))
            headers[name] = value[:at] + draw(header_text.filter(lambda s: len(s) < 8)) + value[at + cut:]
    return headers


def test_server_refuses_bad_signature_headers_without_a_500(peered: Peered) -> None:
    @FUZZ
    @given(st.data(), st.sampled_from(sorted(ENDPOINTS)), st.binary(max_size=100))
    def run(data: st.DataObject, path: str, body: bytes) -> None:
        headers = data.draw(signature_headers(peered, path, body))
        status, answer = peered.send(path, body, {**headers, "Content-Type": wire.JSON})
        _check_answer(status, answer)

    run()


def test_a_known_entry_with_a_signature_that_is_not_base64url_is_refused_not_a_500(peered: Peered) -> None:
    # Found by the fuzzer: the duplicate check decoded ``sig`` before the signature check, so
    # this one line made the whole push page fail with a 500.
    known = dict(peered.stored[-1], sig="!" * 86)
    ref = post(peered.peer, "Nieuwe klus")
    fresh = peered.peer.store.by_ref(ref)[0].canonical()
    body = wire.page({"epoch": peered.peer.store.epoch}, [canonical_bytes(known), fresh])
    status, answer = peered.send("/v1/push", body, {**peered.signed("/v1/push", body), "Content-Type": wire.NDJSON})
    assert status == 200, answer
    assert json.loads(answer)["refused"] == {"bad_signature": 1} and json.loads(answer)["applied"] == 1
    assert peered.server.store.by_ref(ref)


def test_a_post_whose_category_is_a_list_is_refused_by_the_decoder() -> None:
    # Found by the fuzzer: the taxonomy lookup raised TypeError (unhashable) instead of EntryError.
    obj = json.loads(json.dumps(samples()[0]))
    obj["body"]["category"] = ["klussen"]
    with pytest.raises(EntryError) as refused:
        entries.decode(json.dumps(obj))
    assert refused.value.reason == "unknown_category"


def test_a_tombstone_without_was_is_refused_by_the_decoder_and_a_push_of_it_is_no_500(peered: Peered) -> None:
    # Found by the long fuzz run: the decoder let ``"body": {}`` through for a tombstone, and
    # ingest then raised KeyError('was'), failing the whole push page with a 500.
    obj = json.loads(json.dumps(samples()[2]))
    assert obj["type"] == "tombstone"
    obj["body"] = {}
    with pytest.raises(EntryError) as refused:
        entries.decode(json.dumps(obj))
    assert refused.value.reason == "schema"
    body = wire.page({"epoch": peered.peer.store.epoch}, [json.dumps(obj).encode()])
    status, answer = peered.send("/v1/push", body, {**peered.signed("/v1/push", body), "Content-Type": wire.NDJSON})
    assert status == 200 and json.loads(answer)["refused"] == {"schema": 1}, answer
