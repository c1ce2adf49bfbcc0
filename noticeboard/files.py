"""Files the program writes and reads, safe against a hostile folder (docs/faults.md).

Every file is written new: a temporary file made exclusively beside the target (``mkstemp``
never follows a link and never reuses a name), flushed, then renamed over the target, so a
link planted at the target or at a partial name is replaced, never written through. Files
read from a folder or a path someone gave are read only when they are regular files under a
size cap, opened without following links and without blocking (a FIFO cannot hang a pass).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from noticeboard.store.errors import StoreError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
REFUSED_SUFFIX = ".refused"


class RefusedFile(StoreError):
    """A file not read: not a regular file, too big, or gone; ``reason`` is a short word for the log."""

    text_key = "files.refused"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some file systems (FAT on USB sticks) cannot fsync a folder; the file itself is synced.
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(path: Path, *, mode: int = PRIVATE_FILE) -> Iterator[BinaryIO]:
    """Write a new file at path: exclusive temporary beside it, fsync, rename; removed on any error."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_dir(path.parent)


def write_new(path: Path, data: bytes, *, mode: int = PRIVATE_FILE) -> None:
    """Write data as a new file at path (see :func:`writing`)."""
    with writing(path, mode=mode) as handle:
        handle.write(data)


def read_regular(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of path if it is a regular file of at most max_bytes; raises RefusedFile otherwise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError as exc:
        raise RefusedFile("missing") from exc
    if stat.S_ISLNK(info.st_mode):
        raise RefusedFile("link")
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile("not_regular")
    if info.st_size > max_bytes:
        raise RefusedFile("too_big")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise RefusedFile("missing") from exc
    except OSError as exc:  # swapped for a link between lstat and open (ELOOP)
        raise RefusedFile("link") from exc
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise RefusedFile("not_regular")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedFile("too_big")
    return data


def set_aside(path: Path) -> Path | None:
    """Rename a refused file (or link, or FIFO) to ``*.refused`` so it is not tried again; None if it cannot be."""
    target = path.with_name(path.name + REFUSED_SUFFIX)
    try:
        os.replace(path, target)  # renames the link or FIFO itself, never what it points to
    except OSError:
        return None
    return target


def make_private(data_dir: Path) -> None:
    """The data folder 0700 and every file directly in it 0600, whoever made them (and whatever the umask)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.stat(data_dir).st_uid != os.geteuid():
        return  # someone else's node (a doctor run by another user): not ours to change
    os.chmod(data_dir, PRIVATE_DIR)
    for entry in os.scandir(data_dir):
        if entry.is_file(follow_symlinks=False):
            os.chmod(entry.path, PRIVATE_FILE)
