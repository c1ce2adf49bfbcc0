"""Protocol versions 1 and 2 side by side: negotiation in /v1/hello, both ways, over real TLS servers."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.node import Node
from noticeboard.trust import Peer, Trust
from sync import wire
from sync.client import HttpsTransport, agreed_version, open_session, sync_with, versions_in
from sync.ingest import ingest
from sync.replication import LocalTransport, run_round
from tests.sync.helpers import CountingProxy, Servers, line_node, pair_both, post, trust_directly


class RecordingTransport(HttpsTransport):
    """The real HTTPS transport, keeping every path it called with the bodies both ways."""

    def __init__(self, node: Node, peer: Peer, session: aiohttp.ClientSession) -> None:
        super().__init__(node, peer, session)
        self.calls: list[tuple[str, bytes, bytes]] = []

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Call as the real transport does, and remember the exchange."""
        answer = await super().call(path, body, content_type)
        self.calls.append((path, body, answer))
        return answer

    def paths(self) -> set[str]:
        """Every path called."""
        return {path for path, _, _ in self.calls}

    def bodies_of(self, canonical: bytes) -> int:
        """How many times these entry bytes crossed, either way."""
        return sum(body.count(canonical) + answer.count(canonical) for _, body, answer in self.calls)


def _peer(node: Node, other: Node) -> Peer:
    peer = Trust(node).peer(other.node_id)
    assert peer is not None
    return peer


async def _round(node: Node, other: Node, session: aiohttp.ClientSession, *,
                 versions: tuple[int, ...] = wire.VERSIONS) -> RecordingTransport:
    """One round of node with other as sync_with runs it (version agreed by hello), recorded."""
    transport = RecordingTransport(node, _peer(node, other), session)
    version = await agreed_version(transport, versions)
    await run_round(node, other.node_id, transport, version=version)
    return transport


def _refs(node: Node) -> set[str]:
    return {e.body["ref"] for e in node.store.entries(types=["request"])}


async def test_a_version_1_client_syncs_both_ways_with_a_version_2_node(tmp_path: Path, servers: Servers) -> None:
    new, old = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    await pair_both(new, await servers.start(new), old, await servers.start(old, versions=(1,)))
    refs = {post(new, "Van de nieuwe"), post(old, "Van de oude")}
    async with open_session() as session:
        first = await _round(old, new, session, versions=(1,))  # first contact: reconcile by digests
        assert _refs(new) == _refs(old) == refs
        refs |= {post(new, "Nog een van de nieuwe"), post(old, "Nog een van de oude")}
        steady = await _round(old, new, session, versions=(1,))  # the changes feed and a push
        assert _refs(new) == _refs(old) == refs
        # And the other way: the version 2 node is the client of the version 1 server.
        refs |= {post(new, "Derde van de nieuwe"), post(old, "Derde van de oude")}
        back = await _round(new, old, session)
        assert _refs(new) == _refs(old) == refs
    assert first.paths() <= {"/v1/reconcile", "/v1/fetch", "/v1/push"}
    assert steady.paths() == {"/v1/changes", "/v1/push"}
    assert back.paths() <= {"/v1/reconcile", "/v1/fetch", "/v1/push", "/v1/changes"}


async def test_a_version_2_client_syncs_both_ways_with_a_server_that_speaks_only_version_1(
        tmp_path: Path, servers: Servers) -> None:
    new, old = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    await pair_both(new, await servers.start(new), old, await servers.start(old, versions=(1,)))
    refs = {post(new, "Van de nieuwe"), post(old, "Van de oude")}
    await sync_with(new, _peer(new, old))  # what the service runs: negotiates version 1 here
    assert _refs(new) == _refs(old) == refs
    refs |= {post(new, "Nog een van de nieuwe"), post(old, "Nog een van de oude")}
    async with open_session() as session:
        steady = await _round(new, old, session)
    assert _refs(new) == _refs(old) == refs
    assert steady.paths() == {"/v1/changes", "/v1/push"}


async def test_two_version_2_nodes_speak_version_2(tmp_path: Path, servers: Servers) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    await pair_both(a, await servers.start(a), b, await servers.start(b))
    refs = {post(a, "Van A"), post(b, "Van B")}
    async with open_session() as session:
        await _round(a, b, session)
        refs |= {post(a, "Nog een van A"), post(b, "Nog een van B")}
        steady = await _round(a, b, session)
    assert _refs(a) == _refs(b) == refs
    assert steady.paths() == {"/v2/changes", "/v2/fetch", "/v2/offer", "/v2/push"}


def test_a_hello_without_a_version_list_is_version_1() -> None:
    assert versions_in(b'{"proto":1,"node":{}}') == (1,)
    assert versions_in(b'{"proto":1,"versions":[1,2,7],"node":{}}') == (1, 2, 7)


async def test_hello_lists_the_versions_served_and_still_says_proto_1(tmp_path: Path, servers: Servers) -> None:
    node = line_node(tmp_path, "A").open()
    for versions, listed in ((wire.VERSIONS, [1, 2]), ((1,), [1])):
        address = await servers.start(node, versions=versions)
        async with open_session() as session, session.get(f"https://{address}/v1/hello", ssl=False) as response:
            hello = await response.json()
        assert hello["proto"] == 1 and hello["versions"] == listed and hello["node"]["author"] == node.node_id


async def test_version_2_takes_each_body_once_when_two_neighbours_hold_it(tmp_path: Path, servers: Servers) -> None:
    for version, expected in ((2, 1), (1, 2)):
        a, b, c = (line_node(tmp_path / f"v{version}", n).open() for n in "ABC")
        addr = {n.node_id: await servers.start(n) for n in (a, b, c)}
        await pair_both(a, addr[a.node_id], b, addr[b.node_id])
        await pair_both(c, addr[c.node_id], a, addr[a.node_id])
        await pair_both(c, addr[c.node_id], b, addr[b.node_id])
        versions = (version,) if version == 1 else wire.VERSIONS
        async with open_session() as session:
            for x, y in ((b, a), (c, a), (c, b)):  # first contact everywhere
                await _round(x, y, session, versions=versions)
            ref = post(a, "Bij A en B, nog niet bij C")
            entry = a.store.by_ref(ref)[0].canonical()
            await _round(b, a, session, versions=versions)
            rounds = [await _round(c, a, session, versions=versions), await _round(c, b, session, versions=versions)]
        assert c.store.by_ref(ref)
        crossed = sum(t.bodies_of(entry) for t in rounds)
        print(f"version {version}: the body crossed {crossed} times")
        assert crossed == expected


def test_the_gap_list_of_the_spec() -> None:
    # docs/replication.md, Encodings: seqs [5, 6, 9, 300] are the bytes 05 00 02 a2 02.
    packed = wire.pack_ascending([5, 6, 9, 300])
    assert packed == bytes.fromhex("050002a202")
    assert wire.unpack_ascending(packed) == [5, 6, 9, 300]
    assert wire.unpack_ascending(wire.pack_ascending(range(0, 10**6, 997))) == list(range(0, 10**6, 997))


async def test_a_peer_that_went_back_to_version_1_is_spoken_to_in_version_1(tmp_path: Path, servers: Servers) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    b_addr = await servers.start(b)
    await pair_both(a, await servers.start(a), b, b_addr)
    # A relay at the address A knows B by, so the program behind it can change.
    relay = CountingProxy(b_addr)
    Trust(a).set_address(b.node_id, await relay.start())
    try:
        await sync_with(a, _peer(a, b))  # version 2 agreed, and kept for an hour
        older = await servers.start(b, versions=(1,))
        relay.port = int(older.rsplit(":", 1)[1])  # the same address, now an older program
        ref = post(b, "Na de terugzet")
        summary, _ = await sync_with(a, _peer(a, b))
        assert a.store.by_ref(ref) and summary.complete
        async with open_session() as session:
            again = await _round(a, b, session)  # asked anew: version 1
        assert again.paths() == {"/v1/changes"}
    finally:
        await relay.stop()


def _requests(node: Node, count: int, title: str) -> list[Entry]:
    base = node.store.by_ref(post(node, f"{title} basis"))[0].body
    now = utcnow()
    return [entries.make(node.keys.signing_seed, node.node_id, "request", dict(base, title=f"{title} {i}"), now=now)
            for i in range(count)]


@pytest.mark.slow  # 600 entries signed and checked: over a second of CPU
async def test_first_contact_by_ranges_moves_what_each_side_lacks_in_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = line_node(tmp_path, "A").open(), line_node(tmp_path, "B").open()
    trust_directly(a, b)
    trust_directly(b, a)
    now = utcnow()
    from_a, from_b = _requests(a, 400, "Van A"), _requests(b, 200, "Van B")
    a.store.apply_many(from_a, now=now)
    b.store.apply_many(from_b, now=now)
    ingest(b, [e.canonical() for e in from_a[::3]], source="setup")  # B holds a third of A's
    ingest(a, [e.canonical() for e in from_b[1::2]], source="setup")  # A holds half of B's
    # Small pages: the fetch answers fewer than it was asked for and the client asks again.
    monkeypatch.setattr(wire, "MAX_PAGE_BYTES", 8 * 1024)
    summary = await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    assert summary.reconciled and summary.complete
    assert {e.key for e in a.store.entries(types=["request"])} == {e.key for e in b.store.entries(types=["request"])}
    assert len({e.key for e in a.store.entries(types=["request"])}) == 602


class CountingTransport(LocalTransport):
    """The in-process transport, keeping every answer and pushed body."""

    def __init__(self, remote: Node, requester: str) -> None:
        super().__init__(remote, requester)
        self.bodies: list[bytes] = []

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer as the remote would; keep both bodies."""
        answer = await super().call(path, body, content_type)
        self.bodies += [body, answer]
        return answer


async def test_rounds_with_two_neighbours_at_once_take_each_body_once(tmp_path: Path) -> None:
    a, b, c = (line_node(tmp_path, n).open() for n in "ABC")
    for x, y in ((a, b), (a, c), (b, c)):
        trust_directly(x, y)
        trust_directly(y, x)
    for x, y in ((b, a), (c, a), (c, b)):  # first contact everywhere
        await run_round(x, y.node_id, LocalTransport(y, x.node_id))
    refs = [post(a, f"Voor iedereen {i}") for i in range(20)]
    await run_round(b, a.node_id, LocalTransport(a, b.node_id))
    bodies = [a.store.by_ref(ref)[0].canonical() for ref in refs]
    # C's rounds with A and with B run at the same time, as the service runs them.
    from_a, from_b = CountingTransport(a, c.node_id), CountingTransport(b, c.node_id)
    await asyncio.gather(run_round(c, a.node_id, from_a), run_round(c, b.node_id, from_b))
    assert all(c.store.by_ref(ref) for ref in refs)
    crossed = [sum(part.count(body) for part in from_a.bodies + from_b.bodies) for body in bodies]
    assert crossed == [1] * len(refs)
