"""A peer that is away is retried with growing, jittered delays, and synced within seconds of coming back."""

from __future__ import annotations

import asyncio
import random
import socket
import time
from pathlib import Path

from sync.config import Config, StaticPeer
from sync.server import start_server, stop_server
from sync.service import Backoff, Service
from sync.status import read_status
from tests.helpers import free_port
from tests.service.helpers import centre, node_id, pair, post


def test_backoff_grows_with_jitter_and_is_capped_by_the_interval() -> None:
    backoff = Backoff(interval=30, base=1, rng=random.Random(7))
    for failures in range(1, 10):
        ceiling = min(30, 2 ** (failures - 1))
        delays = [backoff.after_failure(failures) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len({round(d, 6) for d in delays}) > 40  # jittered, not in step
    assert all(27 <= backoff.after_success() <= 33 for _ in range(50))


async def test_unreachable_peer_is_retried_with_backoff_and_synced_soon_after_it_returns(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    port = free_port()
    pair(a, b, address_of_b=f"127.0.0.1:{port}")
    wanted = post(b, "Boodschappen halen")
    config = Config(listen="127.0.0.1", port=0, sync_interval=4.0, mdns_enabled=False,
                    static_peers=(StaticPeer("127.0.0.1", port),))
    node_a, node_b = a.open(), b.open()
    service = Service(node_a, config, backoff=Backoff(interval=4.0, base=0.2))
    await service.start()
    runner = None
    try:
        record = None
        began = time.monotonic()
        deadline = began + 15
        while time.monotonic() < deadline:
            record = service.peers.get(node_b.node_id)
            if record is not None and record.failures >= 4:
                break
            await asyncio.sleep(0.05)
        assert record is not None and record.failures >= 4, "no retries while the peer was away"
        assert record.last_error == "unreachable"
        # Retries 2..4 wait at least 0.1 + 0.2 + 0.4 s: backing off, not hammering.
        assert time.monotonic() - began >= 0.7
        retries = record.failures
        status = await asyncio.to_thread(read_status, node_a.store)
        listed = next(p for p in status["peers"] if p["node"] == node_b.node_id)
        assert listed["failures"] >= 3 and listed["last_error"] == "unreachable"

        runner = await start_server(node_b, "127.0.0.1", port)
        back = time.monotonic()
        while node_a.store.get(node_b.node_id, wanted) is None:
            assert time.monotonic() - back < 5, "not synced within seconds of coming back"
            await asyncio.sleep(0.05)
        print(f"synced {time.monotonic() - back:.2f} s after the peer came back, after {retries} failed tries")
        # The entry lands during the round; the round's end resets the failure count.
        while service.peers[node_b.node_id].failures:
            assert time.monotonic() - back < 10, "the round after the return did not finish"
            await asyncio.sleep(0.05)
        assert service.peers[node_b.node_id].last_error == ""
    finally:
        await service.close()
        if runner is not None:
            await stop_server(runner)
        node_a.close()
        node_b.close()
    log_ok = (a.data_dir / "service-status.json").read_text()
    assert '"running": false' in log_ok
    assert node_id(b) in log_ok


async def test_static_address_of_an_unpaired_centre_is_listed_as_seen_and_not_synced(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    theirs = post(b, "Boodschappen halen")
    node_a, node_b = a.open(), b.open()
    runner = await start_server(node_b, "127.0.0.1", 0)
    port = runner.addresses[0][1]
    config = Config(listen="127.0.0.1", port=0, sync_interval=1.0, mdns_enabled=False,
                    static_peers=(StaticPeer("127.0.0.1", port),))
    service = Service(node_a, config)
    await service.start()
    try:
        deadline = time.monotonic() + 30  # generous: a loaded CI machine
        listed: list[dict] = []
        while time.monotonic() < deadline:
            status = await asyncio.to_thread(read_status, node_a.store)
            listed = [p for p in status["peers"] if p["node"] == node_b.node_id]
            if listed:
                break
            await asyncio.sleep(0.05)
        assert listed and listed[0]["state"] == "seen" and listed[0]["name"] == "Dorpshuis Garnwerd"
        assert listed[0]["address"] == f"127.0.0.1:{port}"
        assert node_a.store.get(node_b.node_id, theirs) is None
        assert service.peers[node_b.node_id].last_sync is None  # never tried: not paired
    finally:
        await service.close()
        await stop_server(runner)
        node_a.close()
        node_b.close()


async def test_a_hanging_peer_holds_up_no_other_and_is_abandoned_at_stop(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    x = centre(tmp_path, "Kerkje Feerwerd", 640)
    # X "answers" the TCP handshake (the kernel does) but never a byte of TLS: a round with it hangs.
    with socket.socket() as hang:
        hang.bind(("127.0.0.1", 0))
        hang.listen(8)
        pair(a, x, address_of_b=f"127.0.0.1:{hang.getsockname()[1]}")
        node_a, node_b = a.open(), b.open()
        runner = await start_server(node_b, "127.0.0.1", 0)
        pair(a, b, address_of_b=f"127.0.0.1:{runner.addresses[0][1]}")
        service = Service(node_a, Config(listen="127.0.0.1", port=0, sync_interval=1.0, mdns_enabled=False))
        await service.start()
        try:
            began = time.monotonic()
            while service.peers.get(node_b.node_id) is None or service.peers[node_b.node_id].last_ok is None:
                assert time.monotonic() - began < 5, "no first round with B"
                await asyncio.sleep(0.05)
            # Posted after the first rounds began: only B's *next* round brings it, while X still hangs.
            wanted = await asyncio.to_thread(post, b, "Boodschappen halen")
            began = time.monotonic()
            while node_a.store.get(node_b.node_id, wanted) is None:
                assert time.monotonic() - began < 5, "a hanging peer held up the others"
                await asyncio.sleep(0.05)
            assert service.peers[node_id(x)].last_sync is None  # X's round is still waiting
        finally:
            stopping = time.monotonic()
            await service.close()
            took = time.monotonic() - stopping
            await stop_server(runner)
            node_a.close()
            node_b.close()
    print(f"stopped in {took:.2f} s with a round hanging")
    assert took < 5
