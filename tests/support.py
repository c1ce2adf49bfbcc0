"""Helpers shared by the test suites: real nodes in temporary folders, the real CLI."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from crypto import vault
from noticeboard.cli import main
from noticeboard.geo import Place
from noticeboard.node import Node, Profile
from noticeboard.store import Unlock

# Cheap scrypt for tests that are not about the passphrase; real cost is checked in bench/.
FAST_SCRYPT = vault.ScryptParams(n=2**10, r=8, p=1)


@dataclass
class NodeDir:
    """A node's folder and key file, for opening it as the CLI would."""

    data_dir: Path
    key_file: Path

    @property
    def unlock(self) -> Unlock:
        """Unlock by the key file."""
        return Unlock(key_file_secret=vault.read_key_file(self.key_file))

    def open(self) -> Node:
        """Open the node (caller closes it)."""
        return Node.open(self.data_dir, self.unlock)

    def cli(self, *args: str, env: dict[str, str] | None = None) -> CliResult:
        """Run the real ``noticeboard`` entry point in-process against this node."""
        return run_cli("--data-dir", str(self.data_dir), "--key-file", str(self.key_file), *args, env=env)


@dataclass
class CliResult:
    """Exit code and output of one CLI run."""

    code: int
    out: str
    err: str


def make_node(root: Path, name: str = "Dorpshuis De Wierde", village: str = "Ezinge",
              lat_cdeg: int = 5332, lon_cdeg: int = 644) -> NodeDir:
    """Create a node unlocked by a key file under root/name."""
    data_dir = root / name.replace(" ", "_")
    data_dir.mkdir(parents=True)
    key_file = data_dir / "node.key"
    vault.write_key_file(key_file, vault.new_key_file_secret())
    nd = NodeDir(data_dir, key_file)
    Node.create(data_dir, nd.unlock, Profile(name, Place(village, lat_cdeg, lon_cdeg))).close()
    return nd


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """Call ``noticeboard.cli.main`` with captured output and a temporary environment."""
    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return CliResult(code, out.getvalue(), err.getvalue())


def run_noticeboard(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a child process, as a person would type it."""
    full_env = {**os.environ, "NOTICEBOARD_LANG": "nl", **(env or {})}
    exe = Path(sys.executable).with_name("noticeboard")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env, timeout=timeout)
