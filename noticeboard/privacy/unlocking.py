"""Opening the data key straight from a database file's vault, for work done beside the store."""

from __future__ import annotations

import sqlite3

from crypto import vault
from noticeboard.store import Locked, NeedsUnlock, NotInitialised, Unlock


def wrappers(conn: sqlite3.Connection) -> dict[str, vault.Wrapper]:
    """The data-key wrappers kept in a database's vault table."""
    try:
        rows = conn.execute("SELECT kind, wrapper FROM vault").fetchall()
    except sqlite3.DatabaseError as exc:
        raise NotInitialised("no vault in this database") from exc
    return {kind: vault.Wrapper.from_json(text) for kind, text in rows}


def open_data_key(found: dict[str, vault.Wrapper], unlock: Unlock) -> bytes:
    """The data key, opened with whichever given method the wrappers allow; raises Locked."""
    if unlock.passphrase is None and unlock.key_file_secret is None:
        raise NeedsUnlock("a passphrase or a key file is needed")
    try:
        if unlock.key_file_secret is not None and "keyfile" in found:
            return vault.unwrap_with_key_file(found["keyfile"], unlock.key_file_secret)
        if unlock.passphrase is not None and "passphrase" in found:
            return vault.unwrap_with_passphrase(found["passphrase"], unlock.passphrase)
    except vault.WrongKey as exc:
        raise Locked("wrong passphrase or key file") from exc
    raise Locked("this node has no unlock method of the kind given")


def check_all(found: dict[str, vault.Wrapper], unlock: Unlock) -> bytes:
    """Open the data key with every given method and check they agree; raises Locked."""
    keys = set()
    if unlock.key_file_secret is not None and "keyfile" in found:
        keys.add(open_data_key(found, Unlock(key_file_secret=unlock.key_file_secret)))
    if unlock.passphrase is not None and "passphrase" in found:
        keys.add(open_data_key(found, Unlock(passphrase=unlock.passphrase)))
    if len(keys) != 1:
        raise Locked("the unlock methods given do not open this node")
    return keys.pop()
