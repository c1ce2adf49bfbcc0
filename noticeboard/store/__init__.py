"""The node's encrypted SQLite store."""

from noticeboard.store.board import BoardQuery
from noticeboard.store.errors import (
    AlreadyInitialised,
    Damaged,
    DiskFull,
    Locked,
    NeedsUnlock,
    NotInitialised,
    StoreError,
)
from noticeboard.store.store import Change, FeedRow, Outcome, Store, Unlock

__all__ = [
    "AlreadyInitialised", "BoardQuery", "Change", "Damaged", "DiskFull", "FeedRow", "Locked", "NeedsUnlock",
    "NotInitialised", "Outcome", "Store", "StoreError", "Unlock",
]
