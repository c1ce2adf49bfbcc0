"""The suite's own rules: the slow tier names real tests, declared markers are used, one netns rule."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import SLOW

ROOT = Path(__file__).resolve().parents[1]


def test_every_slow_tier_entry_names_a_file_or_test_that_exists() -> None:
    for entry in SLOW:
        path, _, name = entry.partition("::")
        assert (ROOT / path).exists(), f"{entry}: no such file or folder (renamed? update SLOW in tests/conftest.py)"
        if name:
            assert re.search(rf"def {re.escape(name)}\b", (ROOT / path).read_text()), f"{entry}: no such test"


def test_every_declared_marker_is_used() -> None:
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    sources = "\n".join(p.read_text() for p in (ROOT / "tests").rglob("*.py"))
    for marker in (m.split(":")[0] for m in markers):
        assert f"mark.{marker}" in sources, f"the {marker} marker is declared but no test uses it"


def _netns_test(**env: str) -> subprocess.CompletedProcess[str]:
    # Without `ip` on PATH no namespace can be made, as for a developer who is not root.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-rs",
         "tests/service/test_discovery.py::test_two_nodes_in_separate_namespaces_discover_each_other"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if k != "CI"}, "PATH": "/nonexistent", **env})


@pytest.mark.slow
def test_netns_tests_skip_with_the_reason_where_namespaces_cannot_be_made() -> None:
    done = _netns_test()
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout and "needs root and the `ip` tool" in done.stdout


@pytest.mark.slow
def test_netns_tests_fail_under_ci_where_namespaces_cannot_be_made() -> None:
    done = _netns_test(CI="true")
    assert done.returncode == 1, done.stdout
    assert "1 failed" in done.stdout and "CI=true: netns tests must run" in done.stdout
