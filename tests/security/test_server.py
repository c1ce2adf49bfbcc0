"""Attacks 5 and 6 of issue 14: exhausting the peer server with idle or slow connections, and one
peer filling the replay cache for all. A real ``noticeboard serve`` child under a real 1,024
descriptor limit (``prlimit``), real TLS connections from the test."""

from __future__ import annotations

import asyncio
import os
import re
import resource
import signal
import ssl
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from noticeboard.clock import utcnow
from noticeboard.trust import Trust
from sync import httpsig, wire
from sync.client import sync_with
from sync.server import NONCES_KEY
from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.running import EXE, wait_until, write_config
from tests.support import NodeDir, run_noticeboard
from tests.sync.helpers import Servers, line_node, trust_directly
from tests.sync.helpers import post as post_here

FD_LIMIT = 1024
IDLE = 1_100


async def _trickled_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> float:
    """Start a request and trickle its headers a line every 0.2 s; seconds until the server closes."""
    started = time.monotonic()
    writer.write(b"GET /v1/hello HTTP/1.1\r\nHost: x\r\n")

    async def trickle() -> None:
        try:
            for _ in range(100):
                writer.write(b"X-A: b\r\n")
                await writer.drain()
                await asyncio.sleep(0.2)
        except (ConnectionError, OSError):
            pass

    dripping = asyncio.create_task(trickle())
    await asyncio.wait_for(reader.read(), 20)
    dripping.cancel()
    writer.close()
    return time.monotonic() - started


@contextmanager
def serve_limited(nd: NodeDir, log: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`noticeboard -v serve` under ``prlimit --nofile=1024``, as systemd starts it by default."""
    argv = ["prlimit", f"--nofile={FD_LIMIT}:{FD_LIMIT}", "--", str(EXE), "-v", "--data-dir", str(nd.data_dir),
            "--key-file", str(nd.key_file), "serve", "--no-discovery"]
    with open(log, "a", encoding="utf-8") as handle:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=handle, text=True,
                                env={**os.environ, "NOTICEBOARD_LANG": "nl"})
    try:
        assert proc.stdout is not None
        match = re.search(r"op (\S+:\d+)\.", proc.stdout.readline())
        assert match, log.read_text()
        yield proc, match.group(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


async def hold_idle(host: str, port: int, count: int, seconds: float, *, strangers: bool) -> tuple[int, int]:
    """Open ``count`` TLS connections from many loopback addresses, send nothing, hold them ``seconds``
    after the last is open, then drop them; returns (handshakes completed, failed)."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    writers: list[asyncio.StreamWriter] = []
    failed = 0

    async def one(i: int) -> None:
        nonlocal failed
        # Strangers: 11 from each of 100 addresses, under the per-address cap. Otherwise all from
        # 127.0.0.1, the paired peer's own address (one NAT), which strangers' limits do not hold back.
        source = f"127.0.{1 + i // 11}.{1 + i % 11}" if strangers else "127.0.0.1"
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, ssl=context, local_addr=(source, 0)), 30)
            writers.append(writer)
        except (OSError, TimeoutError):
            failed += 1

    # Fifty at a time, so the handshakes finish and the connections are held, not just tried.
    for first in range(0, count, 50):
        await asyncio.gather(*(one(i) for i in range(first, min(first + 50, count))))
    opened = len(writers)
    await asyncio.sleep(seconds)
    for writer in writers:
        writer.transport.abort()
    return opened, failed


def sync_round(nd: NodeDir, address: str) -> subprocess.CompletedProcess[str]:
    return run_noticeboard("--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), "sync", address,
                           timeout=60)


@pytest.mark.slow
@pytest.mark.xdist_group("fd_limit")
@pytest.mark.parametrize(("settings", "strangers"), [
    ("", True),
    # Caps above the descriptor limit and the flood from the peer's own address: the server runs
    # out of descriptors and must live through EMFILE in its accept loop.
    ("max_connections = 4000\nmax_connections_per_address = 4000\nheader_timeout = 120\n", False),
], ids=["default-caps-strangers", "no-caps-out-of-descriptors"])
def test_acceptance_2_idle_connections_under_a_1024_fd_limit_keep_a_peer_served(
        tmp_path: Path, settings: str, strangers: bool) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 8192), max(hard, 8192)))
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    # With a cap above the descriptor limit the server must live through EMFILE itself.
    write_config(a, listen="127.0.0.1", interval=3600, extra=settings)
    log = tmp_path / "a.log"
    with serve_limited(a, log) as (proc, address):
        with b.open() as node:
            Trust(node).set_address(node_id(a), address)
        first = post(a, "Boodschappen halen")
        assert sync_round(b, address).returncode == 0
        assert has_entry(b, node_id(a), first)
        time.sleep(1)
        start_rss = rss_kib(proc.pid)
        host, port = address.rsplit(":", 1)

        async def attack_and_round() -> tuple[tuple[int, int], subprocess.CompletedProcess[str], float, int]:
            flood = asyncio.create_task(hold_idle(host, int(port), IDLE, 5, strangers=strangers))
            fds = 0

            async def count_fds() -> None:
                nonlocal fds
                while not flood.done():
                    fds = max(fds, open_fds(proc.pid))
                    await asyncio.sleep(0.2)

            counting = asyncio.create_task(count_fds())
            await asyncio.sleep(4)  # hundreds held; the server at its cap or out of descriptors
            started = time.monotonic()
            done = await asyncio.to_thread(sync_round, b, address)
            took = time.monotonic() - started
            held = await flood
            await counting
            return held, done, took, fds

        second = post(a, "Heg knippen")
        from_b = post(b, "Hond uitlaten")
        (opened, failed), done, took, fds = asyncio.run(attack_and_round())
        print(f"strangers={strangers} {settings!r}: idle connections opened {opened}, failed {failed}; "
              f"most server fds during the flood {fds}; peer round took {took:.2f} s")
        assert done.returncode == 0, done.stdout + done.stderr
        assert has_entry(b, node_id(a), second) and has_entry(a, node_id(b), from_b)  # nothing lost
        peak_rss = rss_kib(proc.pid)
        wait_until(lambda: open_fds(proc.pid) < 64, 30, "the idle connections to be closed")
        time.sleep(2)
        end_rss = rss_kib(proc.pid)
        print(f"VmRSS start {start_rss} KiB, during {peak_rss} KiB, after {end_rss} KiB "
              f"({end_rss / start_rss:.2f}x); log {log.stat().st_size} bytes, "
              f"{log.read_text(errors='replace').count('accept_exhausted')} accept_exhausted lines")
        assert end_rss < 1.5 * start_rss
        assert sync_round(b, address).returncode == 0  # and still serving
    assert log.stat().st_size < 1024 * 1024
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Too many open files" not in text
    assert text.count("accept_exhausted") <= 2


def test_headers_have_a_deadline_and_a_size_limit(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    write_config(a, listen="127.0.0.1", interval=3600, extra="header_timeout = 2\n")
    with serve_limited(a, tmp_path / "a.log") as (_proc, address):
        host, port = address.rsplit(":", 1)

        async def probe() -> tuple[float, float, bytes, float]:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            # Idle after the handshake: closed after the deadline.
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
            started = time.monotonic()
            assert await asyncio.wait_for(reader.read(), 20) == b""
            idle = time.monotonic() - started
            writer.close()
            # Trickled headers: closed after the deadline, whatever keeps coming.
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
            trickled = await _trickled_headers(reader, writer)
            # A header past the size limit: 431 at once.
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
            writer.write(b"GET /v1/hello HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000)
            await writer.drain()
            started = time.monotonic()
            answer = await asyncio.wait_for(reader.read(), 20)
            big = time.monotonic() - started
            writer.close()
            return idle, trickled, answer, big

        idle, trickled, answer, big = asyncio.run(probe())
        print(f"idle closed after {idle:.2f} s, trickle after {trickled:.2f} s, big header answered in {big:.2f} s")
        assert 1.5 < idle < 6
        assert 1.5 < trickled < 6
        assert answer.startswith(b"HTTP/1.1 431") and big < 2


async def test_one_peer_filling_its_replay_quota_does_not_refuse_another(tmp_path: Path) -> None:
    server, greedy, honest = (line_node(tmp_path, n).open() for n in ("A", "B", "C"))
    servers = Servers()
    try:
        address = await servers.start(server)
        for peer in (greedy, honest):
            trust_directly(server, peer)
            trust_directly(peer, server, address=address)
        # The quota made small for the test (20,000 in service): the same code path, fewer requests.
        servers.runners[-1].app[NONCES_KEY].per_peer = 300
        ref = post_here(server, "Boodschappen halen")
        body = wire.dumps({"epoch": server.store.epoch, "since": 0})
        url = f"https://{address}/v1/changes"
        answers: Counter[int] = Counter()
        busy_took: list[float] = []
        async with aiohttp.ClientSession() as session:
            for _ in range(400):
                headers = httpsig.sign_request(greedy.keys.signing_seed, greedy.node_id, "POST", url, body,
                                               int(utcnow().timestamp()))
                began = time.perf_counter()
                async with session.post(url, data=body, ssl=False,
                                        headers={**headers, "Content-Type": wire.JSON}) as response:
                    await response.read()
                answers[response.status] += 1
                if response.status == 503:
                    busy_took.append(time.perf_counter() - began)
        print(f"greedy peer: {dict(answers)}; a busy answer takes {1000 * sorted(busy_took)[len(busy_took) // 2]:.1f} ms")
        assert answers == {200: 300, 503: 100}
        peer = Trust(honest).peer(server.node_id)
        assert peer is not None
        summary, _ = await sync_with(honest, peer)
        assert summary.complete and honest.store.by_ref(ref)  # the other peer is served as before
    finally:
        await servers.stop_all()
        for node in (server, greedy, honest):
            node.close()


async def _hello(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """One whole GET /v1/hello on a kept connection; the status line of its answer."""
    writer.write(b"GET /v1/hello HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    length = re.search(rb"(?i)content-length: *(\d+)", head)
    assert length is not None
    await asyncio.wait_for(reader.readexactly(int(length[1])), 10)
    return head.split(b"\r\n", 1)[0]


@pytest.mark.slow
def test_kept_alive_connections_have_the_header_deadline_and_count_toward_the_caps(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    write_config(a, listen="127.0.0.1", interval=3600,
                 extra="header_timeout = 2\nmax_connections = 8\nmax_connections_per_address = 3\n")
    with serve_limited(a, tmp_path / "a.log") as (_proc, address):
        host, port = address.rsplit(":", 1)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

        async def probe() -> tuple[float, list[bool], bytes]:
            # One good request, then the next one's headers trickled: cut after the deadline.
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
            assert (await _hello(reader, writer)).startswith(b"HTTP/1.1 200")
            trickled = await _trickled_headers(reader, writer)
            # Three kept-alive idle connections fill this address's cap; a fourth that talks is
            # served, and the longest idle kept one is the one closed.
            kept = []
            for _ in range(3):
                r, w = await asyncio.open_connection(host, int(port), ssl=context)
                assert (await _hello(r, w)).startswith(b"HTTP/1.1 200")
                kept.append((r, w))
                await asyncio.sleep(0.1)
            r4, w4 = await asyncio.open_connection(host, int(port), ssl=context)
            fourth = await _hello(r4, w4)
            await asyncio.sleep(0.5)
            closed = []
            for r, w in kept:
                try:
                    data = await asyncio.wait_for(r.read(), 0.5)
                    closed.append(data == b"")
                except TimeoutError:
                    closed.append(False)
                w.close()
            w4.close()
            return trickled, closed, fourth

        trickled, closed, fourth = asyncio.run(probe())
        print(f"kept connection cut {trickled:.2f} s into trickled headers; kept ones closed: {closed}")
        assert 1.5 < trickled < 6
        assert fourth.startswith(b"HTTP/1.1 200")
        assert closed == [True, False, False]
