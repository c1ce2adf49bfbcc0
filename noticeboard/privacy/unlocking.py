"""Opening the data key straight from a database file's vault, for work done beside the store."""

from __future__ import annotations

from crypto import vault
from noticeboard.store import Locked, Unlock
from noticeboard.store.store import open_data_key


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
