"""Acceptance: two halls in their own network namespaces find each other by mDNS and sync.

No address is configured anywhere: the nodes are paired (as coordinators do by comparing
codes) and find each other's addresses by mDNS alone. Each runs `noticeboard serve` as a
child process under `ip netns exec`; mDNS is restricted to the namespace's veth address.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from sync.service import short
from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.netns import Place, linked_places
from tests.service.running import serve, wait_until, write_config


def _checkpoint(nd, peer: str) -> tuple[str | None, int]:
    with nd.open() as node, node.store.read() as conn:
        row = conn.execute("SELECT pull_epoch, pull_seq FROM checkpoints WHERE node_id = ?", (peer,)).fetchone()
    return (row[0], row[1]) if row else (None, 0)


def _move(place: Place) -> Place:
    """Give a namespace's veth another address in the same subnet."""
    assert place.namespace is not None or place.address == "127.0.0.1"
    if place.namespace is None:
        return place
    device = subprocess.run(["ip", "-n", place.namespace, "-o", "-4", "addr", "show", "to", place.address],
                            capture_output=True, text=True, check=True).stdout.split()[1]
    new = place.address.rsplit(".", 1)[0] + ".77"
    subprocess.run(["ip", "-n", place.namespace, "addr", "flush", "dev", device], check=True)
    subprocess.run(["ip", "-n", place.namespace, "addr", "add", f"{new}/24", "dev", device], check=True)
    return Place(place.namespace, new)


@pytest.mark.netns
def test_two_halls_discover_each_other_sync_stop_on_sigterm_and_resume(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    c = centre(tmp_path, "Kerkje Feerwerd", 640)  # on the same network, never paired
    pair(a, b)  # no addresses: only mDNS can tell them where the other is
    first = post(a, "Boodschappen halen")
    strangers = post(c, "Hond uitlaten")
    with linked_places(3) as (place_a, place_b, place_c):
        write_config(a, listen=place_a.address)
        write_config(b, listen=place_b.address)
        write_config(c, listen=place_c.address)
        served_c = serve(c, place_c, tmp_path / "c.log")
        started = time.monotonic()
        served_a = serve(a, place_a, tmp_path / "a.log")
        served_b = serve(b, place_b, tmp_path / "b.log")
        try:
            wait_until(lambda: has_entry(b, node_id(a), first), 20, "the entry to reach B")
            print(f"entry from A reached B {time.monotonic() - started:.2f} s after A was started "
                  f"(namespaces: {place_a.namespace}, {place_b.namespace})")
            # Each side runs its own rounds too: wait until B has pulled from A and kept a checkpoint.
            wait_until(lambda: _checkpoint(b, node_id(a))[1] > 0, 20, "B's own round with A")

            # C was discovered too, but it is only listed, never synced.
            wait_until(lambda: "Kerkje Feerwerd: gezien, niet gekoppeld" in a.cli("status").out, 20,
                       "C listed as seen at A")
            status = a.cli("status").out
            print(status)
            assert "Dorpshuis Garnwerd: gekoppeld" in status, status
            assert not has_entry(a, node_id(c), strangers)
            assert f"peer={short(node_id(c))}" not in "".join(
                line for line in served_a.logs().splitlines() if "event=sync_" in line)

            stop_b = served_b.stop()
            print(f"B stopped {stop_b:.2f} s after SIGTERM")
            assert stop_b < 5
            assert served_b.proc.returncode == 0
            assert "event=serve_stopped" in served_b.logs()
            pulled = _checkpoint(b, node_id(a))

            # Written while B is down; B must get it after a restart, resuming from its checkpoint.
            second = post(a, "Heg knippen")
            # B comes back with another address (a new DHCP lease): A must learn it from mDNS.
            moved = _move(place_b)
            write_config(b, listen=moved.address)
            served_b = serve(b, moved, tmp_path / "b2.log")
            took = wait_until(lambda: has_entry(b, node_id(a), second), 20, "the second entry after restart")
            print(f"after restart, B had the new entry in {took:.2f} s")
            wait_until(lambda: "event=sync_ok" in served_b.logs(), 20, "B's first round after restart")
            log = served_b.logs()
            # A steady round follows the changes feed from the stored checkpoint; no start-over.
            assert "reconciled=False" in log and "reconciled=True" not in log, log
            assert _checkpoint(b, node_id(a))[1] > pulled[1]
            wait_until(lambda: f"adres {moved.address}:" in a.cli("status").out, 10, "A to know B's new address")
        finally:
            for served in (served_a, served_b, served_c):
                if served.proc.poll() is None:
                    served.stop()
    assert served_a.proc.returncode == 0
    logs = "".join(p.read_text() for p in tmp_path.glob("*.log"))
    for private in ("Boodschappen halen", "Heg knippen", "Hond uitlaten", "Garnwerd", "Feerwerd", "Ezinge"):
        assert private not in logs  # logs carry keys, counts and reasons, never names or post text
