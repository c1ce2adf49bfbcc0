"""Encrypted, consistent backups of a node's database, and restoring one into a new epoch.

The database pages are copied with SQLite's online backup API in one step, so the copy is
one consistent snapshot even while the service writes (WAL readers do not block writers).
The copy never touches the disk in clear: it is encrypted in chunks with AES-256-GCM under
a key derived (HKDF) from the node's data key and a fresh salt. The header carries the
data-key wrappers, so restoring needs the passphrase or key file that was valid at backup
time, and nothing else. Each chunk's nonce holds its index and a "last chunk" flag, and the
header is bound in as associated data, so a changed, cut-short or extended file is refused
before anything is overwritten (the STREAM construction of Hoang, Reyhanitabar, Rogaway
and Vizár).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from crypto import vault
from crypto.encoding import EncodingError, b64u_decode, b64u_encode
from noticeboard import files
from noticeboard.clock import format_time, utcnow
from noticeboard.privacy.errors import BackupDamaged, NodeBusy, NotABackup
from noticeboard.store import Store, Unlock
from noticeboard.store.errors import NotInitialised
from noticeboard.store.store import open_data_key, read_meta, read_wrappers

MAGIC = b"BUURTHULP-BACKUP\x00v1\n"
FORMAT = 1
CHUNK_SIZE = 1 << 20
_LENGTH = struct.Struct(">I")
MAX_HEADER = 64 * 1024
RESTORE_SUFFIX = ".restoring"


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's clear header says (no personal data: keys, ids, times, sizes)."""

    created: str
    node_id: str
    epoch: str
    schema: int
    size: int
    path: Path


def _backup_key(data_key: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"buurthulp-backup-v1").derive(data_key)


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QI", index, 1 if last else 0)


def _snapshot(db_path: Path) -> sqlite3.Connection:
    """A consistent in-memory copy of the database, taken in one backup step."""
    if not db_path.exists():
        raise NotInitialised(str(db_path))
    source = sqlite3.connect(db_path, timeout=10)
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy, pages=-1)
    except sqlite3.OperationalError as exc:
        # Only a key rotation holds the file exclusively for that long.
        copy.close()
        raise NodeBusy("the database is held by another program") from exc
    finally:
        source.close()
    return copy


def _rollback_journal(image: bytes) -> bytes:
    """The image marked as a rollback-journal database (header bytes 18-19), so it opens from memory."""
    if len(image) >= 100 and image[18:20] == b"\x02\x02":
        return image[:18] + b"\x01\x01" + image[20:]
    return image


def write_backup(db_path: Path, target: Path, unlock: Unlock, *, now: dt.datetime | None = None) -> BackupInfo:
    """Write an encrypted backup of the database at db_path to target; raises Locked on a wrong key."""
    copy = _snapshot(db_path)
    try:
        found = read_wrappers(copy)
        data_key = open_data_key(found, unlock)
        meta = read_meta(copy)
        schema = int(copy.execute("PRAGMA user_version").fetchone()[0])
        image = _rollback_journal(copy.serialize())
    finally:
        copy.close()
    salt = os.urandom(16)
    header: dict[str, Any] = {
        "format": FORMAT, "created": format_time(now or utcnow()), "node_id": meta.get("node_id", ""),
        "epoch": meta.get("epoch", ""), "schema": schema, "size": len(image), "chunk_size": CHUNK_SIZE,
        "salt": b64u_encode(salt), "wrappers": [w.to_json() for _, w in sorted(found.items())],
    }
    header_bytes = json.dumps(header, sort_keys=True).encode()
    aead = AESGCM(_backup_key(data_key, salt))
    bound = hashlib.sha256(MAGIC + header_bytes).digest()
    with files.writing(target) as out:
        out.write(MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes)
        chunks = max(1, -(-len(image) // CHUNK_SIZE))
        for index in range(chunks):
            plain = image[index * CHUNK_SIZE:(index + 1) * CHUNK_SIZE]
            sealed = aead.encrypt(_nonce(index, index == chunks - 1), plain, bound)
            out.write(_LENGTH.pack(len(sealed)) + sealed)
    return BackupInfo(header["created"], header["node_id"], header["epoch"], schema, len(image), target)


def _read_exact(handle: BinaryIO, size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise BackupDamaged("backup is cut short")
    return data


def _read_header(handle: BinaryIO) -> tuple[dict[str, object], bytes]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise NotABackup("not a buurthulp backup")
    (length,) = _LENGTH.unpack(_read_exact(handle, _LENGTH.size))
    if length > MAX_HEADER:
        raise BackupDamaged("backup header is too large")
    header_bytes = _read_exact(handle, length)
    try:
        header = json.loads(header_bytes)
    except ValueError as exc:
        raise BackupDamaged("backup header is not JSON") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupDamaged("unknown backup format")
    return header, header_bytes


def read_info(path: Path) -> BackupInfo:
    """The clear header of a backup file, without decrypting it."""
    with open(path, "rb") as handle:
        header, _ = _read_header(handle)
    try:
        return BackupInfo(str(header["created"]), str(header["node_id"]), str(header["epoch"]),
                          int(header["schema"]), int(header["size"]), path)  # type: ignore[call-overload]
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupDamaged("backup header is incomplete") from exc


def decrypt_backup(path: Path, unlock: Unlock) -> bytes:
    """The database image inside a backup, fully checked; raises Locked, NotABackup or BackupDamaged."""
    with open(path, "rb") as handle:
        header, header_bytes = _read_header(handle)
        try:
            found = {w.kind: w for w in (vault.Wrapper.from_json(text) for text in header["wrappers"])}  # type: ignore[attr-defined]
            salt = b64u_decode(str(header["salt"]))
            size = int(header["size"])  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError, EncodingError, vault.VaultError) as exc:
            raise BackupDamaged("backup header is incomplete") from exc
        data_key = open_data_key(found, unlock)
        aead = AESGCM(_backup_key(data_key, salt))
        bound = hashlib.sha256(MAGIC + header_bytes).digest()
        image = bytearray()
        index = 0
        while True:
            (length,) = _LENGTH.unpack(_read_exact(handle, _LENGTH.size))
            if length > CHUNK_SIZE + 16:
                raise BackupDamaged("backup chunk is too large")
            sealed = _read_exact(handle, length)
            last = None
            for flag in (False, True):
                try:
                    image += aead.decrypt(_nonce(index, flag), sealed, bound)
                    last = flag
                    break
                except InvalidTag:
                    continue
            if last is None:
                raise BackupDamaged("a backup chunk does not decrypt")
            index += 1
            if last:
                break
        if handle.read(1):
            raise BackupDamaged("backup has data after its end")
    if len(image) != size:
        raise BackupDamaged("backup size does not match")
    return bytes(image)


def _check_image(image: bytes, unlock: Unlock) -> sqlite3.Connection:
    copy = sqlite3.connect(":memory:")
    try:
        copy.deserialize(image)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupDamaged("database in backup fails its integrity check")
        open_data_key(read_wrappers(copy), unlock)
    except sqlite3.DatabaseError as exc:
        copy.close()
        raise BackupDamaged("database in backup does not open") from exc
    except BaseException:
        copy.close()
        raise
    return copy


def verify_backup(path: Path, unlock: Unlock) -> BackupInfo:
    """Decrypt and check a backup without restoring it."""
    _check_image(decrypt_backup(path, unlock), unlock).close()
    return read_info(path)


def _remove_with_sidecars(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_backup(path: Path, db_path: Path, unlock: Unlock) -> str:
    """Replace the database at db_path with a backup, in a new epoch; returns that epoch.

    Every check (key, tags, SQLite integrity, unlock of the restored vault) happens on a
    temporary file first; the live database is replaced by one atomic rename, and only
    when no other program has it open.
    """
    copy = _check_image(decrypt_backup(path, unlock), unlock)
    temp = db_path.with_name(db_path.name + RESTORE_SUFFIX)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_with_sidecars(temp)
    try:
        target = sqlite3.connect(temp)
        try:
            copy.backup(target, pages=-1)
        finally:
            target.close()
            copy.close()
        with Store.open(temp, unlock) as restored:
            epoch = restored.new_epoch()
            restored.checkpoint()
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        _swap_in(temp, db_path)
    except BaseException:
        _remove_with_sidecars(temp)
        raise
    return epoch


def _swap_in(temp: Path, db_path: Path) -> None:
    if not db_path.exists():
        os.replace(temp, db_path)
        _fsync_dir(db_path.parent)
        return
    # Exclusive locking mode fails while any other connection (service, kiosk) has the file open.
    live = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    try:
        live.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            live.execute("BEGIN EXCLUSIVE")
            live.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise NodeBusy("the node is open in another program") from exc
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        os.replace(temp, db_path)
        _fsync_dir(db_path.parent)
    finally:
        live.close()
