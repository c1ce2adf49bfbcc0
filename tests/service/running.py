"""Running `noticeboard serve` as a child process (in a namespace or on loopback) for the tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.service.netns import Place
from tests.support import NodeDir

EXE = Path(sys.executable).with_name("noticeboard")


def write_config(nd: NodeDir, *, listen: str, interval: float = 1.0, port: int = 0, extra: str = "") -> Path:
    """A config.toml in the node's folder."""
    path = nd.data_dir / "config.toml"
    path.write_text(f'[sync]\nlisten = "{listen}"\nport = {port}\ninterval = {interval}\n{extra}', encoding="utf-8")
    return path


@dataclass
class Served:
    """One running `noticeboard serve`."""

    proc: subprocess.Popen[str]
    log: Path
    address: str

    def stop(self, timeout: float = 10) -> float:
        """SIGTERM, wait, and return the seconds it took to exit (killed if it hangs, so nothing outlives a test)."""
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            raise
        return time.monotonic() - started

    def logs(self) -> str:
        """What it logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def serve(nd: NodeDir, place: Place | None, log: Path, *extra_args: str, env: dict[str, str] | None = None) -> Served:
    """Start `noticeboard -v serve` for a node and wait for its "listening" line."""
    argv = [str(EXE), "-v", "--data-dir", str(nd.data_dir), "--key-file", str(nd.key_file), "serve", *extra_args]
    full_env = {**os.environ, "NOTICEBOARD_LANG": "nl", **(env or {})}
    if place is not None:
        full_env.setdefault("NOTICEBOARD_MDNS_INTERFACES", place.address)
        argv = place.command(argv)
    handle = open(log, "a", encoding="utf-8")  # noqa: SIM115 - the child writes to it for its whole life
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=handle, text=True, env=full_env)
    handle.close()
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"op (\S+:\d+)\.", line)
    if not match:
        proc.kill()
        proc.wait(10)
        raise AssertionError(f"serve did not start: {line!r}\n{log.read_text()}")
    return Served(proc, log, match.group(1))


def wait_until(condition: Callable[[], bool], timeout: float, what: str, *, every: float = 0.1) -> float:
    """Poll condition until it holds; return the seconds it took, or fail after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
