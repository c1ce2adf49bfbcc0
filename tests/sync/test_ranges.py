"""Range-based set reconciliation (sync.ranges), both sides in memory: exact answers, collisions, bad input."""

from __future__ import annotations

import random

import pytest

from sync import ranges, wire
from sync.wire import WireError

Row = tuple[int, int, bytes]


def _sets(rng: random.Random, shared: int, only_server: int, only_client: int, *,
          times: int = 86_400) -> tuple[list[Row], list[Row]]:
    """(server rows, client rows) as (seq, updated, digest), with the given overlap."""
    def make(n: int) -> list[tuple[int, bytes]]:
        return [(1_764_000_000 + rng.randrange(times), rng.randbytes(8)) for _ in range(n)]
    common, theirs, ours = make(shared), make(only_server), make(only_client)
    server = [(seq, u, d) for seq, (u, d) in enumerate(common + theirs, start=1)]
    client = [(seq, u, d) for seq, (u, d) in enumerate(ours + common, start=1)]
    return server, client


def _reconcile(server: list[Row], client: list[Row]) -> tuple[ranges.Initiator, int, int]:
    """Run a whole reconciliation; (the client's side afterwards, messages, bytes both ways)."""
    salt = b"saltsalt"
    there, initiator = ranges.Holding(server, salt), ranges.Initiator(ranges.Holding(client, salt))
    message: bytes | None = initiator.first()
    messages = size = 0
    while message is not None:
        answer = ranges.respond(there, message).to_json("e" * 32, len(server))
        messages += 1
        size += len(message) + len(wire.dumps(answer))
        message = initiator.take(answer)
        assert messages < 24
    return initiator, messages, size


def _check(server: list[Row], client: list[Row], initiator: ranges.Initiator) -> None:
    client_digests = {d for _, _, d in client}
    server_digests = {d for _, _, d in server}
    assert initiator.missing == {seq for seq, _, d in server if d not in client_digests}
    assert {initiator.holding.keys[k][1] for k in initiator.lacks} == client_digests - server_digests


@pytest.mark.parametrize(("shared", "only_server", "only_client"), [
    (0, 0, 0), (0, 5, 0), (0, 0, 5), (1, 0, 0), (3000, 0, 0), (3000, 300, 0), (3000, 1, 1),
    (2000, 700, 900), (0, 3000, 0), (0, 0, 3000), (200, 2, 3),
])
def test_each_side_learns_exactly_what_it_lacks(shared: int, only_server: int, only_client: int) -> None:
    server, client = _sets(random.Random(shared * 7 + only_server * 3 + only_client), shared, only_server, only_client)
    initiator, _, _ = _reconcile(server, client)
    _check(server, client, initiator)


def test_entries_with_the_same_time_are_told_apart_by_digest() -> None:
    server, client = _sets(random.Random(5), 3000, 40, 40, times=1)
    initiator, _, _ = _reconcile(server, client)
    _check(server, client, initiator)


def test_sets_that_agree_take_one_small_message() -> None:
    server, client = _sets(random.Random(2), 5000, 0, 0)
    initiator, messages, size = _reconcile(server, client)
    assert messages == 1 and size < 600 and not initiator.missing and not initiator.lacks


def test_short_hash_collisions_are_caught_by_the_checks_and_listed_again_in_full(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # 8-bit short hashes instead of 18: in ranges of up to 128 items, many collide.
    monkeypatch.setattr(ranges, "short_hash", lambda full: full[0])
    server, client = _sets(random.Random(3), 2000, 200, 100)
    initiator, _, _ = _reconcile(server, client)
    assert initiator.collisions > 0
    _check(server, client, initiator)


def test_rice_codes_round_trip() -> None:
    rng = random.Random(4)
    for count in (0, 1, 2, 50, 128, 1000):
        values = sorted(rng.randrange(ranges.SHORT_SPACE) for _ in range(count))
        k = ranges.rice_bits(count)
        assert ranges.rice_decode(ranges.rice_encode(values, k), count, k) == values


@pytest.mark.parametrize("message", [
    b"\x05", b"\x00\x00\x07", b"\x02\x00\x01abc", b"\x02\x00\x00", b"\x00\x00\x02\x05\x01\xff",
    b"\x00\x00\x00\x00\x00\x00", b"\x02\x09" + b"\x00" * 12, b"\x03\x00\x00\x02\x00\x00",
])
def test_a_broken_message_is_malformed_not_a_crash(message: bytes) -> None:
    with pytest.raises(WireError):
        ranges.respond(ranges.Holding([(1, 5, b"12345678")], b"saltsalt"), message)


def test_the_worked_example_of_the_spec() -> None:
    # docs/replication.md, /v2/reconcile, "Worked example": byte for byte.
    salt = b"saltsalt"
    d1, d2, d3 = (bytes([n]) * 8 for n in (1, 2, 3))
    assert [ranges.item_hash(salt, d).hex() for d in (d1, d2, d3)] == \
        ["63bab1d00b18e021", "7564de35cd52f908", "342c474000180b9c"]
    assert [ranges.short_hash(ranges.item_hash(salt, d)) for d in (d1, d2, d3)] == [102122, 120211, 53425]
    client = ranges.Holding([(1, 1764331200, d1), (2, 1764331260, d2)], salt)
    server = ranges.Holding([(7, 1764331260, d2), (8, 1764331300, d3)], salt)
    assert client.fingerprint(0, 2).hex() == "d3f4fd8e23d26190"
    initiator = ranges.Initiator(client)
    message = initiator.first()
    assert ranges.request_body("", salt, message).hex() == "0073616c7473616c74" "0000" "02" "02" "05" "63ba846a90"
    answer = ranges.respond(server, message).to_json("5f0c1b2a9d8e4f7a8b6c3d2e1f0a9b8c", 8)
    assert wire.dumps(answer) == (b'{"epoch":"5f0c1b2a9d8e4f7a8b6c3d2e1f0a9b8c","upto":8,"ranges":"","missing":"CA",'
                                  b'"lacks":"AA","checks":"dWTeNQ"}')
    assert initiator.take(answer) is None
    assert initiator.missing == {8} and {client.keys[k][1] for k in initiator.lacks} == {d1}


def test_bounds_are_the_shortest_between_neighbours() -> None:
    holding = ranges.Holding([(1, 10, b"\x01\x02\x03\x00\x00\x00\x00\x00"), (2, 10, b"\x01\x02\x07\x00\x00\x00\x00\x00"),
                              (3, 12, b"\x09" * 8)], b"saltsalt")
    assert holding.bound_before(1) == (10, b"\x01\x02\x07")
    assert holding.bound_before(2) == (12, b"")
