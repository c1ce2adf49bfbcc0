"""Which entry versions each peer is known to hold, so they are not sent to it again.

A peer holds what it sent us (its pushes to our server, the pages we pulled from it) and
what it acknowledged (our pushes it answered). What our feed merely served is not
counted: the answer may be lost on the way. Kept in memory per open store, shared by the
server and the client rounds of one process; after a restart an entry may travel once
more. Nothing depends on it for correctness; it only saves bytes.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from noticeboard.store import Store

# Entry versions remembered per peer; the oldest are forgotten first.
LIMIT = 100_000

Version = tuple[str, str, int]
T = TypeVar("T")


class EchoMemory:
    """Entry versions each peer is known to hold."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._from: dict[str, OrderedDict[Version, None]] = {}
        self._lock = threading.Lock()

    def remember(self, peer: str, versions: Iterable[Version]) -> None:
        """Note versions peer is known to hold."""
        with self._lock:
            known = self._from.setdefault(peer, OrderedDict())
            for version in versions:
                known[version] = None
                known.move_to_end(version)
            while len(known) > self.limit:
                known.popitem(last=False)

    def known_at(self, peer: str) -> set[Version]:
        """The versions peer is known to hold."""
        with self._lock:
            return set(self._from.get(peer, ()))


class PerStore(Generic[T]):
    """One object per open store, made on first use and gone with the store (echo memory, fetches in flight)."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._made: weakref.WeakKeyDictionary[Store, T] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def of(self, store: Store) -> T:
        """The object of this store."""
        with self._lock:
            if store not in self._made:
                self._made[store] = self._make()
            return self._made[store]


_memories = PerStore(EchoMemory)


def memory_of(store: Store) -> EchoMemory:
    """The echo memory of one open store (made on first use)."""
    return _memories.of(store)
