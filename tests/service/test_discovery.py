"""Real mDNS between network namespaces: two made-up nodes find each other by themselves."""

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
from sync.config import from_dict
from sync.discovery import Discovery, resolve_interfaces, service_name
from tests.service.netns import Place, linked_places, loopback_places

ROOT = Path(__file__).resolve().parents[2]


def _start(place: Place, node_id: str, port: int, seconds: float, *, expect: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "tests.service.mdns_peer", node_id, b64u_encode(b"\x01" * 32), str(port),
            place.address, str(seconds), expect]
    return subprocess.Popen(place.command(argv), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.netns
def test_two_nodes_in_separate_namespaces_discover_each_other() -> None:
    with linked_places(2) as places:
        _discover_each_other(places)


# One 5353 socket on 127.0.0.1 for all: two such tests at once would hear each other's nodes.
@pytest.mark.xdist_group("mdns-loopback")
@pytest.mark.slow
def test_two_nodes_on_loopback_discover_each_other() -> None:
    """The fallback where namespaces are not available: both on 127.0.0.1 (slower: one 5353 socket wins)."""
    _discover_each_other(loopback_places(2))


def _discover_each_other(places: list[Place]) -> None:
    keys = [NodeKeys.generate().node_id for _ in range(2)]
    started = time.monotonic()
    procs = [_start(place, key, 8443 + i, 15, expect=keys[1 - i])
             for i, (place, key) in enumerate(zip(places, keys, strict=True))]
    try:
        outputs = [proc.communicate(timeout=30) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
    elapsed = time.monotonic() - started
    for i, (out, err) in enumerate(outputs):
        assert procs[i].returncode == 0, err
        lines = out.splitlines()
        assert lines[0] == "started" and lines[-1] == "closed", out + err
        # Only nodes of this test: on loopback another test's node could be heard too.
        seen = [s for s in map(json.loads, lines[1:-1]) if s["node"] in keys]
        other = 1 - i
        # The one that closes first says goodbye; the other may see it leave (added False).
        assert [(s["node"], s["addresses"], s["port"], s["proto"]) for s in seen][:1] == [
            (keys[other], [places[other].address], 8443 + other, "1")], out
        assert seen[0]["added"] is True
        print(f"node {i} saw the other after {seen[0]['after_s']} s ({places[i].namespace or 'loopback'})")
    assert elapsed < 25


def test_interfaces_are_only_what_was_configured() -> None:
    assert resolve_interfaces(["127.0.0.1"]) == ["127.0.0.1"]
    assert resolve_interfaces(["no-such-if0"]) == []
    assert resolve_interfaces(["192.0.2.77"]) == []  # not an address of this machine (TEST-NET-1)
    assert resolve_interfaces(["lo"]) == ["127.0.0.1"]
    assert "127.0.0.1" not in resolve_interfaces(["auto"])
    assert from_dict({"mdns": {"interfaces": ["eth0"]}}, env={"NOTICEBOARD_MDNS_INTERFACES": "127.0.0.1"}
                     ).mdns_interfaces == ("127.0.0.1",)


def test_advertisement_carries_keys_and_version_only() -> None:
    keys = NodeKeys.generate()
    name = service_name(keys.node_id)
    assert name.endswith("._buurthulp._tcp.local.") and name.startswith("buurthulp-")
    info = Discovery(node_id=keys.node_id, tls_fp=b"\x02" * 32, port=8443, interfaces=["127.0.0.1"])._service_info()
    assert info.properties == {b"node": keys.node_id.encode(), b"fp": b64u_encode(b"\x02" * 32).encode(),
                               b"proto": b"1"}
    assert info.parsed_addresses() == ["127.0.0.1"] and info.port == 8443
