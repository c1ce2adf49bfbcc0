"""The processing register covers every table of the migrated schema and prints from it."""

from __future__ import annotations

import sqlite3
import string
from pathlib import Path

from noticeboard.node import database_path
from noticeboard.privacy import register
from tests.support import make_node


def _schema(tmp_path: Path) -> sqlite3.Connection:
    nd = make_node(tmp_path)
    return sqlite3.connect(database_path(nd.data_dir))


def test_every_table_in_the_schema_is_declared(tmp_path: Path) -> None:
    conn = _schema(tmp_path)
    assert register.undeclared(conn) == []
    # The work tables of a key rotation are declared too, though they exist only during one.
    assert {"privacy_rekey", "privacy_rekey_rows"} <= set(register.by_table())


def test_every_sealed_column_is_declared_with_its_row_identity(tmp_path: Path) -> None:
    conn = _schema(tmp_path)
    known = register.by_table()
    for table in register.local_tables(conn):
        columns = {row[1]: row[2] for row in conn.execute(f"PRAGMA table_info({table})")}
        blobs = {name for name, kind in columns.items() if name.startswith("sealed")}
        declared = {s.column for s in known[table].sealed}
        assert blobs == declared, table
        for sealed in known[table].sealed:
            fields = {name for _, name, _, _ in string.Formatter().parse(sealed.row_id) if name}
            assert fields <= set(columns), (table, fields)


def test_tables_with_personal_data_say_why_how_long_and_who(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    result = nd.cli("--lang", "en", "privacy")
    assert result.code == 0, result.err
    for use in register.REGISTER:
        if use.personal and use.table in result.out:
            block = result.out.split(f"Table {use.table} (", 1)[1].split("\n\n", 1)[0]
            assert "Why:" in block and "How long:" in block and "Who sees:" in block
    assert "Table contacts (0 rows)" in result.out
    assert "Retention after closing: 12 months" in result.out
    assert "NOT in the register" not in result.out


def test_an_undeclared_table_shows_up_and_fails_the_command(tmp_path: Path) -> None:
    nd = make_node(tmp_path)
    conn = sqlite3.connect(database_path(nd.data_dir))
    conn.execute("CREATE TABLE stray_names (name TEXT)")
    conn.commit()
    conn.close()
    result = nd.cli("--lang", "en", "privacy")
    assert result.code == 1
    assert "Table stray_names (0 rows) is NOT in the register" in result.out
