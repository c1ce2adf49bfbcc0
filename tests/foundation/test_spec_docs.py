"""The spec pages stand alone and say what the code does: no outside references, every refusal code, the real names.

A peer written from docs/ alone must not need anything outside the repository, must find every
code a node may answer or count with its cause, and must meet the same magic strings and suite
names the code writes. These checks read the pages and the source text (grep-like), so a new
refusal code without a line in the table fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from crypto import sealing
from noticeboard import entry, node
from noticeboard.i18n import catalog
from sync import bundle

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SOURCES = [p for folder in ("noticeboard", "sync", "crypto") for p in (ROOT / folder).rglob("*.py")]

# Where the code names a refusal: the reason of an entry, request or page refused, a count kept.
REFUSAL_PATTERNS = [re.compile(p) for p in (
    r'EntryError\(\s*"([a-z_]+)"', r'SignatureRefused\(\s*"([a-z_]+)"', r'WireError\(\s*"([a-z_]+)"',
    r'refused\["([a-z_]+)"\]', r'refused\[[^\]]* or "([a-z_]+)"\]', r'_error\(\d+, "([a-z_]+)"\)',
    r'UNOPENED = "([a-z_]+)"')]


def refusal_codes() -> set[str]:
    """Every refusal code the code can give, found in its source text."""
    found: set[str] = set()
    for path in SOURCES:
        text = path.read_text("utf-8")
        for pattern in REFUSAL_PATTERNS:
            found.update(pattern.findall(text))
    # Trust.refusal returns its reasons as plain strings.
    tree = ast.parse((ROOT / "noticeboard" / "trust.py").read_text("utf-8"))
    refusal = next(f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "refusal")
    found.update(n.value.value for n in ast.walk(refusal)
                 if isinstance(n, ast.Return) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
    return found


def test_docs_name_nothing_outside_the_repository() -> None:
    for path in DOCS.rglob("*"):
        if path.is_file() and path.suffix in {".md", ".json"}:
            text = path.read_text("utf-8")
            assert "../shared" not in text and "DESIGN.md" not in text and "STYLE.md" not in text, path
            for target in re.findall(r"\]\(([^)#]+)", text):
                if not target.startswith(("http://", "https://")):
                    assert (path.parent / target).exists(), (path, target)


def test_every_refusal_code_in_the_code_has_a_row_in_the_table() -> None:
    codes = refusal_codes()
    # The finder finds what it should: codes of each kind, the new ones among them.
    assert {"not_canonical", "too_far_ahead", "unsigned", "too_many", "untrusted", "sealed_unopened"} <= codes
    page = (DOCS / "protocol.md").read_text("utf-8")
    table = page.split("## Refusal codes", 1)[1].split("\n## ", 1)[0]
    rows = {m for line in table.splitlines() if line.startswith("| `") for m in re.findall(r"^\| `([a-z_]+)`", line)}
    assert codes <= rows, sorted(codes - rows)
    # And the table names no code the code does not have.
    assert rows <= codes, sorted(rows - codes)


def test_every_entry_refusal_has_words_for_the_person_who_runs_sync() -> None:
    # `noticeboard sync` prints each refused entry's reason as a text (sync.reason.<code>);
    # sealed_unopened is counted by the inbox, not by a round.
    table = (DOCS / "protocol.md").read_text("utf-8").split("## Refusal codes", 1)[1].split("\n## ", 1)[0]
    entry_codes = set(re.findall(r"^\| `([a-z_]+)` \| entry \|", table, re.M)) - {"sealed_unopened"}
    assert "not_canonical" in entry_codes
    texts = catalog()
    for code in sorted(entry_codes):
        nl, en = texts[f"sync.reason.{code}"]
        assert nl and en, code


def test_the_pages_use_the_names_the_code_writes() -> None:
    bundles = (DOCS / "bundles.md").read_text("utf-8")
    assert f'"bundle":"{bundle.MAGIC}"' in bundles and f'"end":"{bundle.MAGIC}"' in bundles
    assert '"bundle":"buurthulp"' not in bundles
    assert f'"suite": "{sealing.SUITE_NAME}+ChaCha20Poly1305"' in bundles
    assert bundle.SEAL_INFO.decode() in bundles and bundle.SIG_CONTEXT.rstrip(b"\0").decode() in bundles
    storage = (DOCS / "format-and-storage.md").read_text("utf-8")
    assert node.MESSAGE_INFO.decode() in storage
    for schema in sorted((DOCS / "schemas").glob("*.schema.json")):
        if schema.name != "entry.schema.json":
            assert f"(schemas/{schema.name})" in storage, schema.name
    assert "(vectors/README.md)" in storage and "vectors/" in (DOCS / "protocol.md").read_text("utf-8")


def test_the_stats_section_names_every_field_and_value_of_the_entry() -> None:
    # format-and-storage.md points here for the stats body: so every name the validator knows is here.
    page = (DOCS / "protocol.md").read_text("utf-8")
    section = page.split("## Evaluation figures", 1)[1].split("\n## ", 1)[0]
    names = {"month", "variant", "categories", "figures", "channels", *entry.VARIANT, *entry.CHANNELS,
             *entry.STATS_COUNTS, *entry.STATS_MONTH_COUNTS, entry.STATS_MEDIAN, str(entry.STATS_NAMESPACE),
             *(option for options in entry.VARIANT.values() for option in options)}
    missing = sorted(n for n in names if f"`{n}`" not in section and f"`body.{n}`" not in section)
    assert missing == []
    assert "(schemas/stats.schema.json)" in section
