"""Network namespaces joined by veth, made per test run and always removed.

mDNS in these tests only ever runs inside namespaces made here (or on 127.0.0.1 where
namespaces are not available): never on the machine's real interfaces.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """Where one test peer runs: a namespace (or none, on loopback) and its mDNS address."""

    namespace: str | None
    address: str

    def command(self, argv: list[str]) -> list[str]:
        """argv run inside this place's namespace."""
        return ["ip", "netns", "exec", self.namespace, *argv] if self.namespace else argv


def loopback_places(count: int) -> list[Place]:
    """Places on 127.0.0.1 in the machine's own namespace (the fallback)."""
    return [Place(None, "127.0.0.1") for _ in range(count)]


def namespaces_available() -> bool:
    """Root with the ``ip`` tool: then the namespace path must run (no silent fallback)."""
    return os.geteuid() == 0 and shutil.which("ip") is not None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True, timeout=20)


@contextmanager
def linked_places(count: int = 2) -> Iterator[list[Place]]:
    """count namespaces on one bridge (a hub namespace), or loopback places where that is impossible."""
    if not namespaces_available():
        note = "network namespaces unavailable (not root or no `ip`): this mDNS test runs on 127.0.0.1 loopback"
        print(f"NOTE: {note}", file=sys.stderr)
        warnings.warn(note, stacklevel=3)  # shown in pytest's summary even when output is captured
        yield loopback_places(count)
        return
    tag = secrets.token_hex(3)
    hub = f"nbhub{tag}"
    names = [f"nb{i}{tag}" for i in range(count)]
    made: list[str] = []
    subnet = f"10.{200 + secrets.randbelow(50)}.{secrets.randbelow(250)}"
    try:
        _ip("netns", "add", hub)
        made.append(hub)
        _ip("-n", hub, "link", "add", "br0", "type", "bridge")
        _ip("-n", hub, "link", "set", "br0", "up")
        places = []
        for i, name in enumerate(names):
            _ip("netns", "add", name)
            made.append(name)
            # veth names are at most 15 characters; both ends are made in the hub, then one moves.
            inner, outer = f"vi{i}{tag}", f"vo{i}{tag}"
            _ip("-n", hub, "link", "add", inner, "type", "veth", "peer", "name", outer)
            _ip("-n", hub, "link", "set", inner, "netns", name)
            _ip("-n", hub, "link", "set", outer, "master", "br0")
            _ip("-n", hub, "link", "set", outer, "up")
            address = f"{subnet}.{i + 1}"
            _ip("-n", name, "addr", "add", f"{address}/24", "dev", inner)
            _ip("-n", name, "link", "set", inner, "up")
            _ip("-n", name, "link", "set", "lo", "up")
            places.append(Place(name, address))
        print(f"NOTE: mDNS test runs in network namespaces {', '.join(names)} on {subnet}.0/24", file=sys.stderr)
        yield places
    finally:
        for name in reversed(made):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=20, check=False)
