"""Each table has one owner module: no other module's SQL names it (issue 11, acceptance 3).

The SQL strings of every module of noticeboard/, sync/ and crypto/ are read from the source
(string constants and the literal parts of f-strings); a table named after FROM, JOIN, INTO,
UPDATE or TABLE by a module that is not its owner fails the test. Other modules ask the
owner (a method that opens its own ``store.write()``, which joins the caller's transaction).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from noticeboard.privacy.register import REGISTER

ROOT = Path(__file__).resolve().parents[1]
SQL = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)\b")

STORE = "noticeboard/store/store.py"
OWNERS: dict[str, set[str]] = {
    # The store: entries and what hangs on them; the store also clears a withdrawn post's code
    # and reads the hidden rows to leave those posts off the board.
    **{table: {STORE} for table in ("meta", "vault", "secrets", "entries", "held", "contacts", "responses")},
    "post_owners": {"noticeboard/acts/owner.py", STORE},
    "hidden": {"noticeboard/acts/moderation.py", STORE},
    "peers": {"noticeboard/trust.py"},
    # Trust counts refused entries; the node counts messages sealed to it that do not open (it sits
    # below trust, so it cannot ask it).
    "refusals": {"noticeboard/trust.py", "noticeboard/node.py"},
    # Replication keeps the checkpoints; trust clears them when trust widens.
    "checkpoints": {"sync/replication.py", "noticeboard/trust.py"},
    "desk_accounts": {"noticeboard/desk/accounts.py"},
    "desk_lockout": {"noticeboard/desk/accounts.py"},
    "desk_people": {"noticeboard/desk/cards.py"},
    "desk_requests": {"noticeboard/desk/intake.py"},
    "desk_matches": {"noticeboard/desk/matches.py"},
    "desk_inbox": {"noticeboard/desk/matches.py"},
    "desk_ledger": {"noticeboard/desk/reciprocity.py"},
    "desk_audit": {"noticeboard/desk/audit.py"},
    "desk_events": {"noticeboard/desk/events.py"},
    # The flag act writes a flag; safeguarding reads and clears them.
    "desk_flags": {"noticeboard/acts/moderation.py", "noticeboard/desk/safeguarding.py"},
    "desk_blocks": {"noticeboard/acts/centres.py"},
    "consents": {"noticeboard/privacy/consent.py"},
    "health_notes": {"noticeboard/privacy/consent.py"},
    "privacy_rekey": {"noticeboard/privacy/rekey.py"},
    "privacy_rekey_rows": {"noticeboard/privacy/rekey.py"},
}
# Modules that work on the database file as a whole, with their own connection and no owner to
# ask: each says why. Nothing else may be added here without the same kind of reason.
WHOLE_FILE = {
    # Data-key rotation re-seals every sealed column the register declares, with the node closed.
    "noticeboard/privacy/rekey.py": "re-seals every table",
    # The migrations create the tables.
    "noticeboard/store/migrations": "creates the tables",
    # The doctor reads the file without the key, to diagnose a node that may not open.
    "sync/doctor.py": "reads a locked file",
}
SYSTEM_TABLES = {"sqlite_master"}


def sql_tables(path: Path) -> set[str]:
    """Tables named by the SQL strings of one module."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(SQL.findall(node.value))
    return found - SYSTEM_TABLES


def modules() -> list[Path]:
    return [p for package in ("noticeboard", "sync", "crypto") for p in sorted((ROOT / package).rglob("*.py"))]


def exempt(name: str) -> bool:
    return any(name == path or name.startswith(path + "/") for path in WHOLE_FILE)


def test_every_table_of_the_schema_has_an_owner() -> None:
    assert {use.table for use in REGISTER} == set(OWNERS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_owner_names_a_table_in_sql(path: Path) -> None:
    name = str(path.relative_to(ROOT))
    if exempt(name):
        return
    for table in sorted(sql_tables(path)):
        # Words after FROM in prose ("from the store") are not tables; every real one is in the register.
        if table in OWNERS:
            assert name in OWNERS[table], f"{name} has SQL on {table}, owned by {sorted(OWNERS[table])}"


def test_the_scan_finds_sql_in_a_module(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text('q = "SELECT id FROM desk_matches WHERE x"\nf = f"UPDATE desk_people SET a = {1}"\n')
    assert sql_tables(sample) == {"desk_matches", "desk_people"}
