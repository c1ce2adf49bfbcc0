"""A folder as a link between centres: a USB stick left in the machine, or a Syncthing share.

Every node keeps one bundle of its own in the folder, ``<node>.bundle``, rewritten whole
(atomically) when its feed changed; it holds every live entry its trusted peers may have,
so a receiver that missed an earlier version loses nothing. Every other ``*.bundle`` in the
folder is imported when its bytes changed. Re-importing is harmless; a bundle cut short
(still being copied) is imported as far as it verifies and tried again at the next scan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from crypto.encoding import b64u_decode
from crypto.identity import key_digest
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.files import DEFAULT_MAX_BYTES, RefusedFile, read_regular, set_aside
from noticeboard.node import Node
from noticeboard.trust import Trust
from sync.bundle import SUFFIX, BundleError, ImportResult, export_bundle, import_bytes

log = logging.getLogger(__name__)

SEEN_PREFIX = "drop.in."
OUT_KEY = "drop.out"
# Refusals that more bytes cannot mend: the file is set aside. Others (a sealed bundle cut
# short, still being copied) are tried again when the file changes.
_FINAL = frozenset({"bundle.error.not_bundle", "bundle.error.version", "bundle.error.damaged_header"})


@dataclass
class ScanResult:
    """What one pass over the folder did."""

    imported: list[ImportResult] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    wrote: bool = False
    written_count: int = 0


def own_name(node: Node) -> str:
    """The file name of this node's own bundle: derived from its key, nothing personal."""
    return f"buurthulp-{key_digest(b64u_decode(node.node_id)).lower()}{SUFFIX}"


class DropFolder:
    """One node's view of a shared folder."""

    def __init__(self, node: Node, folder: Path, *, seal: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.node = node
        self.folder = folder
        self.seal = seal
        self.max_bytes = max_bytes
        self._unchanged: dict[str, tuple[int, int]] = {}

    def _recipients(self) -> list[Entry]:
        profiles = []
        for peer in Trust(self.node).peers():
            if peer.trusted:
                profile = self.node.node_profile(peer.node_id)
                if profile is not None:
                    profiles.append(profile)
        return profiles

    def write_out(self, *, now: dt.datetime | None = None) -> tuple[bool, int]:
        """Rewrite our bundle if our feed changed since we last wrote it; (wrote, entries)."""
        store = self.node.store
        path = self.folder / own_name(self.node)
        stamp = f"{store.epoch}:{store.last_seq}"
        if store.meta(OUT_KEY) == stamp and path.exists():
            return False, 0
        recipients = self._recipients()
        if self.seal and not recipients:
            return False, 0
        result = export_bundle(self.node, path, recipients=recipients, seal=self.seal, now=now or utcnow(),
                               mark=False)
        store.set_meta(OUT_KEY, stamp)
        log.info("drop folder: wrote own bundle entries=%d sealed=%s", result.count, self.seal)
        return True, result.count

    def scan_in(self, *, now: dt.datetime | None = None) -> ScanResult:
        """Import every other node's bundle whose bytes changed since we last took it in whole.

        Each file is tried on its own: whatever one file does (a link, a FIFO, a huge or
        hostile file), it is logged with its reason and set aside, and the next is still read.
        """
        result = ScanResult()
        mine = own_name(self.node)
        try:
            candidates = sorted(p for p in self.folder.iterdir()
                                if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.name != mine)
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError):
                log.info("drop folder: cannot list the folder (%s)", exc.__class__.__name__)
            return result
        for path in candidates:
            try:
                self._take_in(path, result, now)
            except RefusedFile as exc:
                self._refuse(path, exc.reason, result)
            except BundleError as exc:
                if exc.text_key in _FINAL:
                    self._refuse(path, exc.text_key, result)
                else:
                    result.unreadable.append(path.name)
                    log.info("drop folder: cannot read a bundle yet: %s", exc.text_key)
            except Exception as exc:  # logged with its reason; one file must not stop the pass
                log.warning("drop folder: a bundle failed (%s)", exc.__class__.__name__, exc_info=exc)
                self._refuse(path, exc.__class__.__name__, result)
        return result

    def _take_in(self, path: Path, result: ScanResult, now: dt.datetime | None) -> None:
        info = os.lstat(path)
        # Unchanged size and time: not read again (bundles can be megabytes, on an SD card).
        stamp = (info.st_size, info.st_mtime_ns)
        if self._unchanged.get(path.name) == stamp:
            return
        data = read_regular(path, self.max_bytes)
        store = self.node.store
        digest = hashlib.sha256(data).hexdigest()
        key = SEEN_PREFIX + path.name
        if store.meta(key) == digest:
            self._unchanged[path.name] = stamp
            return
        try:
            imported = import_bytes(self.node, data, now=now)
        except BundleError as exc:
            if exc.text_key != "bundle.error.not_for_us":
                # Not read again until its bytes change: it may still be being copied.
                self._unchanged[path.name] = stamp
                raise
            store.set_meta(key, digest)
            self._unchanged[path.name] = stamp
            return
        result.imported.append(imported)
        if imported.intact:
            store.set_meta(key, digest)
            self._unchanged[path.name] = stamp
        report = imported.report
        log.info("drop folder: imported bundle from=%s new=%d had=%d refused=%d intact=%s",
                 key_digest(b64u_decode(imported.header.author)), report.applied, report.unchanged,
                 report.refused_total, imported.intact)

    def _refuse(self, path: Path, reason: str, result: ScanResult) -> None:
        result.refused.append((path.name, reason))
        moved = set_aside(path)
        if moved is None:
            # A read-only stick: remembered, so it is not tried on every pass.
            with contextlib.suppress(OSError):
                info = os.lstat(path)
                self._unchanged[path.name] = (info.st_size, info.st_mtime_ns)
        log.warning("drop folder: refused a file reason=%s set_aside=%s", reason, moved is not None)

    def exchange(self, *, now: dt.datetime | None = None) -> ScanResult:
        """Take in what others left, then leave ours up to date (so it includes what we relay)."""
        result = self.scan_in(now=now)
        result.wrote, result.written_count = self.write_out(now=now)
        return result
