"""Every text key used anywhere in the project has a Dutch and an English text (found with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

from noticeboard.categories import CATEGORIES, URGENCY
from noticeboard.entry import POSTS, STATUSES
from noticeboard.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("noticeboard", "sync", "crypto", "bench")


def _t_calls() -> list[tuple[Path, int, ast.expr]]:
    """The first argument of every call to ``t(...)`` or ``tn(...)`` (or ``i18n.t(...)``) in the project's source."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in ("t", "tn"):
                    found.append((path, node.lineno, node.args[0]))
    return found


def _literal_prefix(arg: ast.JoinedStr) -> str:
    prefix = ""
    for part in arg.values:
        if not isinstance(part, ast.Constant):
            break
        prefix += str(part.value)
    return prefix


def test_every_text_key_used_has_dutch_and_english() -> None:
    texts = catalog()
    calls = _t_calls()
    assert len(calls) > 100, "the scan found too few t() calls: is it still looking in the right place?"
    missing = []
    for path, line, arg in calls:
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            pair = texts.get(arg.value)
            if pair is None or not (pair[0].strip() and pair[1].strip()):
                missing.append(f"{where} {arg.value}")
        elif isinstance(arg, ast.JoinedStr):
            # A key built at run time: at least its fixed beginning must name a family of texts.
            prefix = _literal_prefix(arg)
            if not prefix or not any(key.startswith(prefix) for key in texts):
                missing.append(f"{where} {prefix}...")
    assert not missing, "texts missing: " + ", ".join(missing)


def test_every_kiosk_family_is_complete() -> None:
    texts = catalog()
    keys = [f"kiosk.say.{kind}.{c.code}" for kind in POSTS for c in CATEGORIES]
    keys += [f"kiosk.when.{kind}.{u}" for kind in POSTS for u in URGENCY] + [f"kiosk.status.{s}" for s in STATUSES]
    keys += [f"kiosk.tile.{c.code}" for c in CATEGORIES]
    keys += [f"kiosk.kind.{kind}" for kind in POSTS]
    for key in keys:
        assert key in texts, key
    for key, (nl, en) in texts.items():
        if key.startswith("kiosk."):
            assert nl.strip() and en.strip(), key


def test_kiosk_binding_descriptions_are_text_keys() -> None:
    from noticeboard.app.kiosk import app, board, mine, post, start

    texts = catalog()
    for module in (app, board, mine, post, start):
        for screen in vars(module).values():
            for binding in getattr(screen, "BINDINGS", []) if isinstance(screen, type) else []:
                description = getattr(binding, "description", "")
                if description.startswith("kiosk."):
                    assert description in texts, description
