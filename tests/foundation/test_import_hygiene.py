"""Imports point one way: crypto <- noticeboard core <- sync <- app/CLI; only the app imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# These sit on top of everything: they may use sync (and the app, Textual).
# noticeboard.__main__ is `python -m noticeboard`, the command line: a front end like the CLI itself.
TOP_LEVEL = ("noticeboard.cli", "noticeboard.app", "noticeboard.demo", "noticeboard.supervisor", "noticeboard.__main__")


def modules(package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_crypto_knows_nothing_of_the_rest() -> None:
    for name, path in modules("crypto").items():
        bad = {m for m in imported(path) if under(m, ("noticeboard", "sync", "textual", "aiohttp", "zeroconf"))}
        assert not bad, f"{name} imports {bad}"


def test_core_does_not_import_sync_or_textual() -> None:
    for name, path in modules("noticeboard").items():
        if under(name, TOP_LEVEL):
            continue
        bad = {m for m in imported(path) if under(m, ("sync", "textual", "noticeboard.cli", "noticeboard.app"))}
        assert not bad, f"{name} imports {bad}"


def test_sync_does_not_import_the_user_interface() -> None:
    for name, path in modules("sync").items():
        bad = {m for m in imported(path) if under(m, ("textual", "noticeboard.cli", "noticeboard.app",
                                                      "noticeboard.desk", "noticeboard.privacy",
                                                      "noticeboard.supervisor"))}
        assert not bad, f"{name} imports {bad}"


def test_textual_only_in_the_app() -> None:
    for package in ("crypto", "sync", "noticeboard"):
        for name, path in modules(package).items():
            if not under(name, ("noticeboard.app",)):
                assert not {m for m in imported(path) if under(m, ("textual",))}, name


def test_importing_every_headless_module_loads_no_textual() -> None:
    names = [n for p in ("crypto", "sync", "noticeboard") for n in modules(p) if not under(n, ("noticeboard.app",))]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "assert 'textual' not in sys.modules, 'textual was imported'\n"
            "print(len(sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
