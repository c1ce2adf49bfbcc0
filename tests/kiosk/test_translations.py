"""Every text a person can read has Dutch and English: an AST scan of every t("...") call in the project."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from noticeboard.categories import CATEGORIES, URGENCY
from noticeboard.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("noticeboard", "sync", "crypto")


def literal_keys(path: Path) -> set[str]:
    """First arguments of t(...) calls that are plain string literals."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def test_every_literal_t_key_has_dutch_and_english() -> None:
    texts = catalog()
    used = {(key, path.relative_to(ROOT).as_posix()) for package in PACKAGES
            for path in (ROOT / package).rglob("*.py") for key in literal_keys(path)}
    assert len(used) > 100, "the scan found too few t() calls to be looking in the right place"
    missing = sorted(f"{where}: {key}" for key, where in used if key not in texts)
    assert not missing, missing
    empty = sorted(key for key, where in used if not all(part.strip() for part in texts[key]))
    assert not empty, empty


def test_every_kiosk_text_and_built_key_has_both_languages() -> None:
    texts = catalog()
    for key, (nl, en) in texts.items():
        if key.startswith("kiosk."):
            assert nl.strip() and en.strip(), key
    # Keys the kiosk builds from a kind, a category or an urgency.
    built = [f"kiosk.say.{kind}.{c.code}" for kind in ("request", "offer") for c in CATEGORIES]
    built += [f"kiosk.when.{u}" for u in URGENCY]
    built += [f"kiosk.kind.{kind}" for kind in ("request", "offer")]
    missing = [key for key in built if key not in texts]
    assert not missing, missing


def test_every_quoted_kiosk_key_exists() -> None:
    """Binding descriptions and keys passed around as strings (not only t() literals)."""
    texts = catalog()
    sources = [*(ROOT / "noticeboard" / "app" / "kiosk").glob("*.py"), ROOT / "noticeboard" / "cli" / "cmd_kiosk.py"]
    used = {key for path in sources
            for key in re.findall(r"""(?<!id=)["'](kiosk\.[a-z_.]+)["']""", path.read_text())
            if key != "kiosk.tcss" and not key.endswith(".")}
    assert len(used) > 30
    missing = sorted(key for key in used if key not in texts)
    assert not missing, missing
