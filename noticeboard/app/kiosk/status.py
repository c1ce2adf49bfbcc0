"""The discreet sync line: when the board last heard from another village, and how many."""

from __future__ import annotations

import time
from dataclasses import dataclass

from noticeboard.node import Node
from sync.status import read_status


@dataclass(frozen=True)
class SyncStatus:
    """Last successful sync (unix time) and how many centres answered; None when never."""

    last_sync: float | None
    peers: int


def sync_status(node: Node) -> SyncStatus:
    """Read what the sync service last wrote beside the store. Blocking: call from a thread."""
    status = read_status(node.store)
    if not status.get("running"):
        return SyncStatus(None, 0)
    times = [p["last_ok"] for p in status["peers"] if isinstance(p.get("last_ok"), (int, float))]
    return SyncStatus(max(times) if times else None, len(times))


def seconds_since(status: SyncStatus) -> float | None:
    """How long ago the last sync was, or None."""
    return None if status.last_sync is None else max(0.0, time.time() - status.last_sync)
