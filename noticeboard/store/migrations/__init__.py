"""Numbered schema migrations, one module each (``mNNNN_name.py`` with ``up(db)``).

Applied in order inside a transaction; ``PRAGMA user_version`` records the last one.
Each feature adds its own module, so parallel work never edits a shared list. A migration
that converts sealed rows takes the data key as a second argument (``up(db, data_key)``):
the store migrates only after the key proved right, so it always has it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

_NAME = re.compile(r"^m(\d{4})_\w+$")


@dataclass(frozen=True)
class Migration:
    """One schema step."""

    number: int
    name: str
    up: Callable[..., None]

    @property
    def needs_key(self) -> bool:
        """Whether this step converts sealed rows (its ``up`` takes the data key)."""
        return len(inspect.signature(self.up).parameters) > 1


def all_migrations() -> list[Migration]:
    """Every migration in this package, in order; numbers must run 1, 2, 3, … without gaps."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        match = _NAME.match(info.name)
        if match:
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.append(Migration(int(match.group(1)), info.name, module.up))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {numbers}")
    return found


def migrate(db: sqlite_utils.Database, data_key: bytes) -> int:
    """Bring the schema up to date; return the resulting version."""
    conn: sqlite3.Connection = db.conn
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    migrations = all_migrations()
    if current > len(migrations):
        raise RuntimeError(f"database schema {current} is newer than this program ({len(migrations)})")
    for migration in migrations[current:]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.needs_key:
                migration.up(db, data_key)
            else:
                migration.up(db)
            conn.execute(f"PRAGMA user_version = {migration.number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    if current < len(migrations):
        # A step that rewrote sealed rows or dropped a table leaves the old pages in the WAL
        # until a checkpoint: fold them in now, so the old bytes leave the disk with it.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return len(migrations)
