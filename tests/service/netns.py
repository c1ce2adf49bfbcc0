"""Network namespaces joined by veth, made per test run and always removed.

mDNS in these tests only ever runs inside namespaces made here (or on 127.0.0.1 in the tests
written for loopback): never on the machine's real interfaces. Tests marked ``netns`` are skipped
with a reason where namespaces cannot be made, except under CI=true where they must run
(tests/conftest.py); there is no silent fallback to loopback.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
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
    """Places on 127.0.0.1 in the machine's own namespace (for tests written for loopback)."""
    return [Place(None, "127.0.0.1") for _ in range(count)]


UNAVAILABLE = "needs root and the `ip` tool to make network namespaces"


def namespaces_available() -> bool:
    """Root with the ``ip`` tool: then the namespace path must run (no silent fallback)."""
    return os.geteuid() == 0 and shutil.which("ip") is not None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True, timeout=20)


@contextmanager
def linked_places(count: int = 2) -> Iterator[list[Place]]:
    """count namespaces on one bridge (a hub namespace); fails where they cannot be made."""
    if not namespaces_available():
        # Only reached under CI=true (elsewhere the netns marker skips first): there it must fail.
        raise RuntimeError(f"this test {UNAVAILABLE} (CI=true: netns tests must run)")
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
