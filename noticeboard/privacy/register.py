"""The processing register: every local table, what personal data it holds, why, how long, who sees it.

One registry serves three jobs: ``noticeboard privacy`` prints it, data-key rotation takes
the sealed columns (and how each row's identity is formed) from it, and a test fails when
the migrated schema has a table or a sealed column that is not declared here. So the
register cannot drift away from the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from noticeboard.store.rowkeys import row_ad

# What a table holds, by kind; each has a text ``privacy.holds.<kind>``.
NONE, KEYS, PUBLIC, CONTACT, HEALTH, CARD, WORK = "none", "keys", "public", "contact", "health", "card", "work"


@dataclass(frozen=True)
class Sealed:
    """A column sealed under the data key, and the row identity used as associated data.

    Local rows also bind their write counter (column ``ver``) into it, so an older ciphertext
    put back does not open; entries and held entries carry their version in the identity.
    """

    column: str
    row_id: str  # a str.format template over the row's clear columns, e.g. "contact|{author}|{id}"
    counted: bool = True

    def base(self, row: Mapping[str, Any]) -> str:
        """The row identity for one row, without its write counter (what ``Store.seal`` takes)."""
        return self.row_id.format(**row)

    def ver(self, row: Mapping[str, Any]) -> int | None:
        """The row's write counter, or None for rows that carry their version in the identity."""
        return int(row["ver"]) if self.counted else None

    def identity(self, row: Mapping[str, Any]) -> bytes:
        """The associated data of one row: its identity and its write counter."""
        return row_ad(self.base(row), self.ver(row))


@dataclass(frozen=True)
class TableUse:
    """One local table in the processing register."""

    table: str
    area: str
    holds: tuple[str, ...]
    # Keys of texts ``privacy.purpose.<purpose>``, ``privacy.retention.<retention>``, ``privacy.audience.<audience>``.
    purpose: str
    retention: str
    audience: str
    sealed: tuple[Sealed, ...] = ()

    @property
    def personal(self) -> bool:
        """Whether the table can hold data about a person."""
        return any(kind in (CONTACT, HEALTH, CARD, PUBLIC) for kind in self.holds)


REGISTER: tuple[TableUse, ...] = (
    # ---- foundation (m0001)
    TableUse("meta", "foundation", (NONE,), "settings", "node_life", "node"),
    TableUse("vault", "foundation", (KEYS,), "unlock", "node_life", "node"),
    TableUse("secrets", "foundation", (KEYS,), "identity", "node_life", "node",
             (Sealed("sealed", "secret|{name}"),)),
    TableUse("entries", "foundation", (PUBLIC,), "board", "entry_expiry", "federation",
             (Sealed("sealed", "entry|{author}|{id}|{version}", counted=False),)),
    TableUse("held", "foundation", (PUBLIC,), "board", "entry_expiry", "federation",
             (Sealed("sealed", "held|{author}|{id}|{version}", counted=False),)),
    TableUse("contacts", "foundation", (CONTACT,), "reach_poster", "post_life", "volunteers",
             (Sealed("sealed", "contact|{author}|{id}"),)),
    TableUse("responses", "foundation", (CONTACT,), "reach_helper", "post_life", "volunteers",
             (Sealed("sealed", "response|{rid}"),)),
    # ---- sync and trust (m0002): centres, not people
    TableUse("peers", "sync", (NONE,), "trust", "until_removed", "coordinator"),
    TableUse("checkpoints", "sync", (NONE,), "sync", "until_removed", "node"),
    TableUse("refusals", "sync", (NONE,), "sync", "until_removed", "coordinator"),
    # ---- the desk (m0003)
    TableUse("hidden", "desk", (NONE,), "moderation", "until_removed", "coordinator"),
    TableUse("desk_accounts", "desk", (CARD,), "accounts", "until_removed", "coordinator",
             (Sealed("sealed", "account|{number}"),)),
    TableUse("desk_lockout", "desk", (NONE,), "accounts", "until_removed", "node"),
    TableUse("desk_people", "desk", (CARD, CONTACT), "card_index", "cards", "volunteers",
             (Sealed("sealed", "person|{id}"),)),
    TableUse("desk_requests", "desk", (NONE,), "card_index", "pseudonymous", "volunteers"),
    TableUse("desk_matches", "desk", (CARD,), "matching", "retention_period", "volunteers",
             (Sealed("sealed", "match|{id}"),)),
    TableUse("desk_ledger", "desk", (NONE,), "reciprocity", "pseudonymous", "volunteers"),
    TableUse("desk_flags", "desk", (CARD,), "moderation", "retention_period", "coordinator",
             (Sealed("sealed", "flag|{fid}"),)),
    TableUse("desk_inbox", "desk", (NONE,), "matching", "retention_period", "node"),
    TableUse("desk_blocks", "desk", (NONE,), "moderation", "until_removed", "coordinator"),
    TableUse("desk_audit", "desk", (CARD,), "accountability", "retention_period", "coordinator",
             (Sealed("sealed", "audit|{seq}"),)),
    TableUse("desk_events", "desk", (NONE,), "statistics", "kept_anonymous", "coordinator"),
    # ---- privacy (m0004)
    TableUse("consents", "privacy", (CARD,), "consent_proof", "retention_period", "coordinator",
             (Sealed("sealed", "consent|{cid}"),)),
    TableUse("health_notes", "privacy", (HEALTH,), "health", "until_closed", "volunteers",
             (Sealed("sealed", "health|{hid}"),)),
    TableUse("privacy_rekey", "privacy", (KEYS,), "key_rotation", "during_rotation", "node"),
    TableUse("privacy_rekey_rows", "privacy", (WORK,), "key_rotation", "during_rotation", "node"),
    # ---- acts (m0005): the wijzigcode of a resident's post, as a sealed slow hash
    TableUse("post_owners", "acts", (KEYS,), "owner_code", "post_life", "node",
             (Sealed("sealed", "owner|{author}|{id}"),)),
)


def by_table() -> dict[str, TableUse]:
    """The register keyed by table name."""
    return {use.table: use for use in REGISTER}


def sealed_tables() -> Iterator[TableUse]:
    """Tables with sealed columns, in register order."""
    return (use for use in REGISTER if use.sealed)


@dataclass(frozen=True)
class RegisterLine:
    """One table of the register as it stands in a database: its declaration and how many rows it has."""

    table: str
    use: TableUse | None
    rows: int


def local_tables(conn: Any) -> list[str]:
    """The tables of a database (SQLite's own tables left out)."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY name").fetchall()
    return [row[0] for row in rows]


def undeclared(conn: Any) -> list[str]:
    """Tables in the database that the register does not declare."""
    known = by_table()
    return [name for name in local_tables(conn) if name not in known]


def lines(conn: Any) -> list[RegisterLine]:
    """The register for this database, in register order, then any undeclared tables."""
    present = set(local_tables(conn))
    found = [RegisterLine(use.table, use, _count(conn, use.table)) for use in REGISTER if use.table in present]
    found += [RegisterLine(name, None, _count(conn, name)) for name in undeclared(conn)]
    return found


def _count(conn: Any, table: str) -> int:
    return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
