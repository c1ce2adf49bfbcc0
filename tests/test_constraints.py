"""deploy/constraints.txt pins what a centre installs: every run-time dependency and theirs, within pyproject's ranges."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import subprocess
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "deploy" / "constraints.txt"
REMAKE = "remake deploy/constraints.txt as its header says"
# The installer itself (sqlite-utils names pip): every venv has it, and pip freeze leaves it out.
INSTALLER = {"pip", "setuptools"}


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep and version, f"{line!r}: every line pins one exact version"
        pins[canonicalize_name(name)] = version
    return pins


def _runtime_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _closure(requirements: list[Requirement]) -> set[str]:
    """The run-time dependencies and theirs, as installed here (extras and other platforms' markers left out)."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        todo.extend(Requirement(r) for r in metadata.requires(req.name) or [])
    return seen


def test_every_runtime_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for req in _runtime_requirements():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in deploy/constraints.txt: {REMAKE}"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} is outside pyproject's {req.specifier}: {REMAKE}")


def test_the_dependencies_of_dependencies_are_pinned_too() -> None:
    missing = _closure(_runtime_requirements()) - set(_pins()) - INSTALLER
    assert missing == set(), f"not pinned: {sorted(missing)}: {REMAKE}"


def test_the_project_itself_is_not_pinned() -> None:
    assert canonicalize_name("buurthulp-noticeboard") not in _pins()


def test_install_script_installs_within_the_constraints(tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(ROOT / "deploy" / "install.sh"), "--dry-run", "--destdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "DESTDIR": ""})
    assert done.returncode == 0, done.stderr
    (pip_line,) = [line for line in done.stdout.splitlines() if re.search(r"/bin/pip install ", line)]
    assert f"--constraint {ROOT / 'deploy' / 'constraints.txt'}" in pip_line
