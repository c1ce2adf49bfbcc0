"""Attack 7 of issue 14: mDNS spoofing of a paired peer and a flood of made-up centres.

Real zeroconf between network namespaces this test makes (tests/service/netns.py): the nodes
run `noticeboard serve` children, the attacker is its own child in its own namespace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crypto.encoding import b64u_encode
from crypto.identity import NodeKeys
from noticeboard.trust import Trust
from sync import status as status_file
from sync.service import short
from sync.sightings import FetchLimit, Strangers
from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.netns import Place, linked_places
from tests.service.running import serve, wait_until, write_config
from tests.support import NodeDir

ROOT = Path(__file__).resolve().parents[2]


class Spoofer:
    """tests/security/mdns_spoofer.py in a place of its own."""

    def __init__(self, place: Place, spec: list[dict[str, str]], seconds: float = 120) -> None:
        argv = [sys.executable, "-m", "tests.security.mdns_spoofer", place.address, str(seconds), json.dumps(spec)]
        self.proc = subprocess.Popen(place.command(argv), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert self.proc.stdout is not None
        self.port = int(self._line("listening"))
        self._line("registered")

    def _line(self, word: str) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.startswith(word), line + (self.proc.stderr.read() if self.proc.stderr else "")
        return line.split()[1]

    def stop(self) -> int:
        """Stop announcing; how many connections the attacked node made to the spoofer's port."""
        out, err = self.proc.communicate("stop\n", timeout=30)
        for line in out.splitlines():
            if line.startswith("fetches"):
                return int(line.split()[1])
        raise AssertionError(out + err)


def stored_address(nd: NodeDir, peer: str) -> str:
    with nd.open() as node:
        found = Trust(node).peer(peer)
    return found.address if found else ""


def fingerprint(nd: NodeDir) -> str:
    with nd.open() as node:
        return b64u_encode(node.tls_fingerprint)


@pytest.mark.netns
def test_an_announcement_with_a_paired_peers_key_does_not_move_it(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)  # no addresses: A learns where B is from mDNS (and a pinned hello there)
    first = post(b, "Boodschappen halen")
    with linked_places(3) as (place_a, place_b, place_m):
        write_config(a, listen=place_a.address)
        write_config(b, listen=place_b.address)
        served_a = serve(a, place_a, tmp_path / "a.log")
        served_b = serve(b, place_b, tmp_path / "b.log")
        spoofer: Spoofer | None = None
        try:
            wait_until(lambda: has_entry(a, node_id(b), first), 20, "A to sync with B")
            real = stored_address(a, node_id(b))
            assert real.startswith(place_b.address + ":")
            spoofer = Spoofer(place_m, [{"node": node_id(b), "fp": fingerprint(b)}])
            wait_until(lambda: f"event=peer_address_refused peer={short(node_id(b))}" in served_a.logs(), 20,
                       "A to refuse B's key at the spoofer's address")
            rounds_before = served_a.logs().count(f"event=sync_ok peer={short(node_id(b))}")
            second = post(b, "Heg knippen")
            wait_until(lambda: has_entry(a, node_id(b), second), 20, "A to keep syncing with B")
            wait_until(lambda: served_a.logs().count(f"event=sync_ok peer={short(node_id(b))}") > rounds_before + 2,
                       20, "A's own rounds with B to go on")
            assert stored_address(a, node_id(b)) == real
            assert f"adres {real}" in a.cli("status").out
            fetches = spoofer.stop()
            spoofer = None
            print(f"spoofed announcement: A asked the spoofer {fetches} time(s); B stays at {real}")
            assert fetches <= 1
        finally:
            if spoofer is not None:
                spoofer.proc.kill()
            for served in (served_a, served_b):
                if served.proc.poll() is None:
                    served.stop()
    assert f"sync_failed peer={short(node_id(b))}" not in served_a.logs()


@pytest.mark.netns
def test_a_flood_of_made_up_centres_stays_small_and_is_asked_rarely(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    fake = [{"node": NodeKeys.generate().node_id, "fp": b64u_encode(os.urandom(32))} for _ in range(150)]
    with linked_places(2) as (place_a, place_m):
        write_config(a, listen=place_a.address)
        served_a = serve(a, place_a, tmp_path / "a.log")
        spoofer: Spoofer | None = None
        try:
            began = time.monotonic()
            spoofer = Spoofer(place_m, fake)
            print(f"the spoofer announced 150 services in {time.monotonic() - began:.1f} s")
            wait_until(lambda: served_a.logs().count("trusted=False") >= 100, 40, "A to see most of the flood")
            time.sleep(2)
            with a.open() as node:
                status = status_file.load_status(status_file.status_path(node.store.path))
                rows = len(Trust(node).peers())
            listed = len(status.get("peers") or {})
            size = status_file.status_path(a.data_dir / "noticeboard.db").stat().st_size
            seen_lines = served_a.logs().count("trusted=False")
            fetches = spoofer.stop()
            spoofer = None
            minutes = (time.monotonic() - began) / 60
            print(f"150 made-up centres: {seen_lines} sightings, {listed} listed, {rows} peer rows, "
                  f"status file {size} bytes, {fetches} fetch(es) to the attacker's address in {minutes:.1f} min")
            assert listed <= 64 and rows == 0
            assert size < 20_000
            assert fetches <= 1 + int(minutes)  # once a minute for the one address they all gave
            # Still serving: a paired peer could still pair and sync (the hello answers).
            assert "Buurthuis Ezinge" in a.cli("whoami").out
        finally:
            if spoofer is not None:
                spoofer.proc.kill()
            if served_a.proc.poll() is None:
                served_a.stop()


def test_strangers_are_forgotten_after_their_time_and_fetches_wait_a_minute() -> None:
    table = Strangers(max_rows=3, keep_s=0.2)
    for i in range(5):
        table.note(f"n{i}", f"10.0.0.{i}:8443", "")
    assert [r.node_id for r in table.rows()] == ["n2", "n3", "n4"]
    time.sleep(0.3)
    assert table.rows() == []
    limit = FetchLimit(every_s=0.2, per_minute=2)
    assert limit.may_fetch("10.0.0.1:8443") and not limit.may_fetch("10.0.0.1:9999")
    assert limit.may_fetch("10.0.0.2:8443") and not limit.may_fetch("10.0.0.3:8443")
    time.sleep(0.3)
    assert limit.may_fetch("10.0.0.1:8443")
