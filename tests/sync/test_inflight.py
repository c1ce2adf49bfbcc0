"""Claims on entry versions in flight: one round brings a version, another waits for it."""

from __future__ import annotations

import asyncio
import time

from sync.inflight import InFlight, wait_for

A = ("author", "id-a", 1)
B = ("author", "id-b", 2)


async def test_a_claimed_version_is_left_to_its_claimer_until_it_lets_go() -> None:
    flight = InFlight()
    first = flight.claim([A])
    second = flight.claim([A, B])
    assert list(first.mine) == [A] and list(second.mine) == [B] and len(second.theirs) == 1
    waiting = asyncio.ensure_future(wait_for(second.theirs, timeout_s=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    flight.release([A], first)
    await asyncio.wait_for(waiting, 1)
    assert list(flight.claim([A]).mine) == [A], "free again once let go"


async def test_a_round_lets_go_of_its_own_claims_only() -> None:
    flight = InFlight(hold_s=0.05)
    stale = flight.claim([A])
    time.sleep(0.06)
    fresh = flight.claim([A])
    assert list(fresh.mine) == [A], "an expired claim is taken over"
    flight.release([A], stale)
    assert flight.claim([A]).theirs, "the stale claimer did not let go of the fresh claim"
    flight.release([A])
    assert list(flight.claim([A]).mine) == [A], "a push that came lets go of any claim"


async def test_waiting_for_a_claim_that_is_never_let_go_ends_at_the_timeout() -> None:
    flight = InFlight()
    flight.claim([A])
    start = time.monotonic()
    await wait_for(flight.claim([A]).theirs, timeout_s=0.05)
    assert time.monotonic() - start < 1
