"""Fixture data for the privacy tests: a node with posts, contacts and responses of known people."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crypto import vault
from noticeboard.contact import Contact
from noticeboard.node import Node, PostDraft, database_path
from noticeboard.privacy.register import sealed_tables
from noticeboard.store import Unlock
from noticeboard.store.store import open_data_key, read_wrappers

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Resident:
    """A made-up person whose traces the tests look for."""

    name: str
    phone: str
    title: str
    text: str


ANNA = Resident("Anna Zwierstra", "0612345671", "Boodschappen Zwierstrapad", "Graag melk en brood Zwierstrahuis")
BOUKE = Resident("Bouke Hoekstra", "0698765432", "Heg knippen Hoekstralaan", "De heg bij Hoekstraboerderij")


def post_for(node: Node, person: Resident, *, category: str = "boodschappen", now: dt.datetime = NOW,
             kind: str = "request", reach_km: int = 10) -> str:
    """Post for a person with their contact kept locally; returns the reference code."""
    draft = PostDraft(kind, category, person.title, person.text, reach_km=reach_km, name=person.name.split()[0])
    made = node.post(draft, contact=Contact.text(person.name, person.phone), now=now)
    return str(made.body["ref"])


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (the database and its sidecars), to prove nothing changed."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        side = Path(str(path) + suffix)
        if side.exists():
            digest.update(side.read_bytes())
    return digest.hexdigest()


def data_key(data_dir: Path, unlock: Unlock) -> bytes:
    """The node's current data key, opened from its vault the way the store does."""
    conn = sqlite3.connect(database_path(data_dir))
    try:
        return open_data_key(read_wrappers(conn), unlock)
    finally:
        conn.close()


def sealed_rows(data_dir: Path) -> list[tuple[str, bytes, bytes]]:
    """Every sealed value in the database: (table, row identity, ciphertext)."""
    conn = sqlite3.connect(database_path(data_dir))
    conn.row_factory = sqlite3.Row
    found = []
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for use in sealed_tables():
            if use.table not in tables:
                continue
            for row in conn.execute(f"SELECT * FROM {use.table}"):
                values: dict[str, Any] = dict(row)
                for sealed in use.sealed:
                    if values[sealed.column] is not None:
                        found.append((use.table, sealed.identity(values), values[sealed.column]))
    finally:
        conn.close()
    return found


def opens_with(key: bytes, rows: list[tuple[str, bytes, bytes]]) -> int:
    """How many of the sealed rows open with this data key."""
    cipher = vault.RowCipher(key)
    count = 0
    for _, identity, blob in rows:
        try:
            cipher.open(identity, blob)
            count += 1
        except vault.RowTampered:
            continue
    return count
