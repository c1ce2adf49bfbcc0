"""Entry versions on their way to this node, so two rounds running at once do not both bring one.

Version 2 asks for a body only when the entry is lacking. But the service runs several rounds
at once (``PARALLEL_ROUNDS``) and its server answers neighbours' offers meanwhile, so two of
them would each find the same new entry lacking and each take its body. A round that is going
to bring an entry version claims it here first. Another round that finds it claimed leaves it
to the claimer and, before its checkpoint moves past the entry, waits until the claim is let
go (or ``CLAIM_S`` passed) and then fetches whatever is still lacking (the claimer may have
failed). A push that brings the version lets go of its claims as well. An offer from a peer is
answered without looking here: what we do not ask for, the peer takes as held by us for good.

Kept in memory per open store, like the echo memory; nothing depends on it for correctness
(a claim that is never let go only expires), it saves bodies.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future

from noticeboard.store import Store
from sync.echo import PerStore, Version

# How long a claim holds without being let go (a round cut off midway never lets go).
CLAIM_S = 5.0


class Claims:
    """The claims this round holds, to let go of when it is done."""

    def __init__(self, mine: dict[Version, Future[None]], theirs: list[Future[None]]) -> None:
        self.mine = mine
        self.theirs = theirs


class InFlight:
    """Entry versions some round of this node is bringing in right now."""

    def __init__(self, hold_s: float = CLAIM_S) -> None:
        self.hold_s = hold_s
        self._claims: dict[Version, tuple[float, Future[None]]] = {}
        self._lock = threading.Lock()

    def claim(self, versions: Iterable[Version]) -> Claims:
        """Claim the versions nobody else is bringing; the others come back as futures to wait for."""
        now = time.monotonic()
        mine: dict[Version, Future[None]] = {}
        theirs: list[Future[None]] = []
        with self._lock:
            for version in versions:
                held = self._claims.get(version)
                if held is not None and held[0] > now:
                    theirs.append(held[1])
                    continue
                if held is not None and not held[1].done():
                    held[1].set_result(None)
                future: Future[None] = Future()
                self._claims[version] = (now + self.hold_s, future)
                mine[version] = future
        return Claims(mine, theirs)

    def release(self, versions: Iterable[Version], claims: Claims | None = None) -> None:
        """Let go of claims: those of ``claims`` (a round's own), or any on these versions (a push came)."""
        with self._lock:
            for version in versions:
                held = self._claims.get(version)
                if held is None or (claims is not None and claims.mine.get(version) is not held[1]):
                    continue
                del self._claims[version]
                if not held[1].done():
                    held[1].set_result(None)

    def held(self) -> int:
        """How many claims are held (expired ones included until they are met again)."""
        with self._lock:
            return len(self._claims)


async def wait_for(futures: list[Future[None]], timeout_s: float = CLAIM_S) -> None:
    """Wait (on the event loop) until other rounds let go of their claims, or the claims expire."""
    if not futures:
        return
    # Not cancelled on the timeout: that would cancel the claimer's future too.
    await asyncio.wait([asyncio.wrap_future(f) for f in futures], timeout=timeout_s)


_flights = PerStore(InFlight)


def in_flight(store: Store) -> InFlight:
    """The in-flight claims of one open store (made on first use)."""
    return _flights(store)
