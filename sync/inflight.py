"""Entry versions a round is fetching right now, per open store.

The service runs rounds with several neighbours at once. When two of them list the same new
entry, the round that asks second waits for the first one's fetch and then takes only what
is still missing, so the body crosses one link, not two. A round fetches what it claimed
and lets go of it before it waits for anyone else, so two rounds never wait for each other.
Nothing depends on this for correctness: a round that waited in vain fetches the rest itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable

from noticeboard.store import Store
from sync.echo import PerStore, Version


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Fetching:
    """Who is fetching which entry version (futures of the loop the rounds run on)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by: dict[Version, asyncio.Future[None]] = {}

    def claim(self, versions: Iterable[Version]) -> tuple[set[Version], list[asyncio.Future[None]]]:
        """(the versions this round fetches now, the fetches of other rounds to wait for)."""
        loop = asyncio.get_running_loop()
        mine: set[Version] = set()
        theirs: list[asyncio.Future[None]] = []
        with self._lock:
            for version in versions:
                other = self._by.get(version)
                if other is not None and not other.done() and other.get_loop() is loop:
                    theirs.append(other)
                    continue
                if other is None or other.done():
                    self._by[version] = loop.create_future()
                mine.add(version)
        return mine, theirs

    def release(self, versions: Iterable[Version]) -> None:
        """This round's fetch of these versions ended (whatever it brought)."""
        with self._lock:
            for version in versions:
                future = self._by.pop(version, None)
                if future is not None:
                    future.get_loop().call_soon_threadsafe(_settle, future)


_fetching = PerStore(Fetching)


def fetching_of(store: Store) -> Fetching:
    """The in-flight fetches of one open store (made on first use)."""
    return _fetching.of(store)
