"""What mDNS tells us about centres we have not paired: kept small, kept briefly, asked rarely.

Anyone on the network can announce services. Before issue 14 every announcement became a
permanent ``seen`` row, a line in the status file and a ``/v1/hello`` fetch to an address the
announcer chose (1,500 fake services: 634 rows, a 191 KB status file, 635 fetches). Now an
unpaired announcement lands in a table of at most 64 rows that forgets a row an hour after it
was last announced (the oldest goes first when it is full), and each address is asked for its
profile at most once a minute, with at most 64 such fetches a minute in all.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MAX_ROWS = 64
KEEP_S = 3600.0
FETCH_EVERY_S = 60.0
FETCHES_PER_MINUTE = 64


@dataclass
class Stranger:
    """An unpaired centre as its announcement says (the name only from its signed profile)."""

    node_id: str
    address: str
    name: str
    seen: float          # wall clock, for people
    until: float         # monotonic: forgotten after this

    def to_status(self) -> dict[str, Any]:
        """The fields the status file shows for it."""
        return {"address": self.address, "source": "mdns", "seen": self.seen, "name": self.name}


class Strangers:
    """The bounded, expiring table of unpaired announcements."""

    def __init__(self, max_rows: int = MAX_ROWS, keep_s: float = KEEP_S) -> None:
        self.max_rows = max_rows
        self.keep_s = keep_s
        self._rows: OrderedDict[str, Stranger] = OrderedDict()

    def _expire(self, now: float) -> None:
        while self._rows and next(iter(self._rows.values())).until <= now:
            self._rows.popitem(last=False)

    def get(self, node_id: str) -> Stranger | None:
        """The row for a node key, if it is still kept."""
        self._expire(time.monotonic())
        return self._rows.get(node_id)

    def note(self, node_id: str, address: str, name: str) -> Stranger:
        """Keep (or refresh) a row; the least recently announced goes when the table is full."""
        now = time.monotonic()
        self._expire(now)
        self._rows.pop(node_id, None)
        row = Stranger(node_id, address, name, time.time(), now + self.keep_s)
        self._rows[node_id] = row
        while len(self._rows) > self.max_rows:
            self._rows.popitem(last=False)
        return row

    def forget(self, node_id: str) -> None:
        """Drop a row (the node was paired, or said goodbye)."""
        self._rows.pop(node_id, None)

    def rows(self) -> list[Stranger]:
        """The rows kept now, oldest announcement first."""
        self._expire(time.monotonic())
        return list(self._rows.values())

    def __len__(self) -> int:
        return len(self.rows())


class FetchLimit:
    """At most one profile fetch a minute per host, and a ceiling a minute in all."""

    def __init__(self, every_s: float = FETCH_EVERY_S, per_minute: int = FETCHES_PER_MINUTE) -> None:
        self.every_s = every_s
        self.per_minute = per_minute
        self._last: OrderedDict[str, float] = OrderedDict()

    def may_fetch(self, address: str) -> bool:
        """Whether ``host:port`` may be asked now; counts the fetch when it may."""
        host = address.rsplit(":", 1)[0]
        now = time.monotonic()
        while self._last and next(iter(self._last.values())) <= now - self.every_s:
            self._last.popitem(last=False)
        if host in self._last or len(self._last) >= self.per_minute:
            return False
        self._last[host] = now
        return True
