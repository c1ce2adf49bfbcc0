"""What every kiosk screen shares: the node, the clocks, and the kiosk's settings."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from noticeboard.app.kiosk.status import SyncStatus, sync_status
from noticeboard.clock import utcnow
from noticeboard.node import Node

DEFAULT_IDLE_SECONDS = 90.0


@dataclass
class KioskContext:
    """The open node, a wall clock and an idle clock (both pinned in tests), and the settings."""

    node: Node
    clock: Callable[[], dt.datetime] = utcnow
    monotonic: Callable[[], float] = time.monotonic
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    kiosk_mode: bool = False
    status: Callable[[Node], SyncStatus] = field(default=sync_status)
    # The store's in-memory board is built on first use: one thread at a time reads or builds it.
    board_lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> dt.datetime:
        """The current time by this context's clock."""
        return self.clock()
