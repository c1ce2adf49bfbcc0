"""A hall's machine often starts before its network has an address: mDNS must start once it has one."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.service.helpers import centre, has_entry, node_id, pair, post
from tests.service.netns import linked_places
from tests.service.running import serve, wait_until, write_config


def _device(namespace: str, address: str) -> str:
    out = subprocess.run(["ip", "-n", namespace, "-o", "-4", "addr", "show", "to", address],
                         capture_output=True, text=True, check=True).stdout
    return out.split()[1]


@pytest.mark.netns
def test_service_started_before_the_network_finds_its_peer_once_an_address_arrives(tmp_path: Path) -> None:
    a = centre(tmp_path, "Buurthuis Ezinge", 644)
    b = centre(tmp_path, "Dorpshuis Garnwerd", 650)
    pair(a, b)
    wanted = post(a, "Boodschappen halen")
    with linked_places(2) as (place_a, place_b):
        assert place_a.namespace is not None, "tests run as root: the namespace path must run"
        device = _device(place_a.namespace, place_a.address)
        subprocess.run(["ip", "-n", place_a.namespace, "addr", "flush", "dev", device], check=True)
        # A listens on every address of its namespace and uses its interface by name for mDNS.
        write_config(a, listen="0.0.0.0")
        write_config(b, listen=place_b.address)
        served = []
        try:
            served.append(serve(a, place_a, tmp_path / "a.log", env={"NOTICEBOARD_MDNS_INTERFACES": device}))
            # B as installed: mDNS on "auto" (inside its namespace that is its veth address only).
            served.append(serve(b, place_b, tmp_path / "b.log", env={"NOTICEBOARD_MDNS_INTERFACES": "auto"}))
            assert "event=mdns_off reason=no_interfaces" in served[0].logs()
            subprocess.run(["ip", "-n", place_a.namespace, "addr", "add", f"{place_a.address}/24", "dev", device],
                           check=True)
            took = wait_until(lambda: has_entry(b, node_id(a), wanted), 20, "A found once it has an address")
            print(f"A's entry reached B {took:.2f} s after A's address came up")
            wait_until(lambda: "event=mdns_on" in served[0].logs(), 5, "A to log that mDNS is on")
            assert json.loads(b.cli("status", "--json").out)["mdns"] == [place_b.address]  # its veth, nothing else
        finally:
            for s in served:
                s.stop()
