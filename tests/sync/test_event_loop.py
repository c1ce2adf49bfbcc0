"""Nothing blocks the event loop: a replication round at 50k entries between two real TLS nodes.

The peer server, mDNS and every round share one loop; a store call on it (a page of
``feed_rows``, decrypting every profile, a ``BEGIN IMMEDIATE`` waiting on a busy database)
stalls all of them. asyncio's debug mode logs every callback slower than
``slow_callback_duration``; a round in each direction must log none. Both nodes hold the
same 50k entries and a thousand of their own, so a first-contact round reconciles over 50k
digests on both sides (feed, scope, packing) and moves a few pages each way through ingest.

Robust but honest: on two shared cores a callback is sometimes descheduled for longer than
50 ms whatever it does, so a round is tried up to three times (each with a fresh peer, so
each is a full first-contact round) and one clean round is required. The worst callback of
every try is printed for the record.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.node import Node, PostDraft
from noticeboard.trust import Trust
from sync.client import sync_with
from tests.support import NodeDir
from tests.sync.helpers import Servers, line_node, pair_both

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("event_loop")]

COUNT = 50_000
# Entries only one side holds: a few pages each way besides the digests of the 50k.
OWN = 1_000
SLOW_S = 0.05
TRIES = 3
TOOK = re.compile(r"took (\d+\.\d+) seconds")


@dataclass
class Pair:
    """Two nodes that both hold A's 50k requests, and each a page or two of its own the other lacks."""

    a: NodeDir
    b: NodeDir

    def copy(self, root: Path) -> Pair:
        """Fresh copies (each try starts from the same state: rounds leave checkpoints behind)."""
        copies = []
        for nd in (self.a, self.b):
            target = root / nd.data_dir.name
            shutil.copytree(nd.data_dir, target)
            copies.append(NodeDir(target, target / nd.key_file.name))
        return Pair(*copies)


def _requests(node: Node, count: int, title: str) -> list[Entry]:
    now = utcnow()
    base = node.post(PostDraft("request", "klussen", "Basis", "tekst " * 30, reach_km=30)).body
    seed, node_id = node.keys.signing_seed, node.node_id
    return [entries.make(seed, node_id, "request", dict(base, title=f"{title} {i}"), now=now) for i in range(count)]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Pair:
    """Made once through the store's own functions: signing 50k entries is the slow part, not the round."""
    root = tmp_path_factory.mktemp("event-loop")
    a_dir, b_dir = line_node(root, "A"), line_node(root, "B")
    with a_dir.open() as a, b_dir.open() as b:
        now = utcnow()
        shared = _requests(a, COUNT, "Klus")
        a.store.apply_many(shared, now=now)
        b.store.apply_many([a.profile_entry(), *shared], now=now)
        a.store.apply_many(_requests(a, OWN, "Nieuw"), now=now)
        b.store.apply_many(_requests(b, OWN, "Hulp"), now=now)
    return Pair(a_dir, b_dir)


class SlowCallbacks(logging.Handler):
    """Collects asyncio's "Executing <handle> took N seconds" warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seconds: list[float] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = TOOK.search(message)
        if message.startswith("Executing") and found:
            self.seconds.append(float(found[1]))
            self.lines.append(message[:300])


async def one_try(pair: Pair) -> tuple[SlowCallbacks, int, int]:
    """A round each way (first contact: digests of 50k entries) under the slow-callback log."""
    a, b = pair.a.open(), pair.b.open()
    servers = Servers()
    slow = SlowCallbacks()
    asyncio_log = logging.getLogger("asyncio")
    try:
        a_addr, b_addr = await servers.start(a), await servers.start(b)
        await pair_both(a, a_addr, b, b_addr)
        # The garbage of building the fixture and opening the nodes is collected first: a full
        # collection holds the GIL for 100-300 ms here, and it is the round's own we measure.
        gc.collect()
        loop = asyncio.get_running_loop()
        loop.set_debug(True)
        loop.slow_callback_duration = SLOW_S
        asyncio_log.addHandler(slow)
        try:
            pulled, _ = await sync_with(b, await asyncio.to_thread(Trust(b).peer, a.node_id))
            back, _ = await sync_with(a, await asyncio.to_thread(Trust(a).peer, b.node_id))
        finally:
            asyncio_log.removeHandler(slow)
            loop.set_debug(False)
        return slow, pulled.received.applied, back.received.applied + pulled.sent
    finally:
        await servers.stop_all()
        a.close()
        b.close()


async def test_a_round_at_50k_entries_runs_no_callback_over_50_ms(seeded: Pair, tmp_path: Path) -> None:
    worst: list[float] = []
    clean = False
    for n in range(TRIES):
        started = time.monotonic()
        slow, to_b, to_a = await one_try(seeded.copy(tmp_path / f"try{n}"))
        seconds = time.monotonic() - started
        # Both directions moved what the other lacked (the post each made, and OWN requests).
        assert to_b >= OWN and to_a >= OWN, (to_b, to_a)
        worst.append(max(slow.seconds, default=0.0))
        print(f"try {n + 1}: {len(slow.seconds)} callbacks over {SLOW_S * 1000:.0f} ms, "
              f"worst {worst[-1] * 1000:.0f} ms, rounds {seconds:.1f} s")
        for line in slow.lines[:5]:
            print("   ", line)
        if not slow.seconds:
            clean = True
            break
    assert clean, f"every try had a callback over {SLOW_S * 1000:.0f} ms (worst per try, ms: " \
                  f"{[round(w * 1000) for w in worst]})"
