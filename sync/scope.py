"""How far an entry travels: posts within their reach, messages toward their one recipient.

Posts (requests and offers) go to nodes whose place lies within ``reach_km`` of the
post's place. A sealed ``message`` goes to its recipient and to the nodes on the way: those
no farther from the recipient than the sender is (plus a little slack for rounded places).
Node profiles, vouches and the monthly ``stats`` figures are small and public and go to every
trusted peer. A post's tombstone goes where the post could go: its stored row keeps the post's
place and reach. One that arrived where the post never did stays there (whoever gave a node the
post held it, and gets the tombstone with the post's place). Other tombstones go to every
trusted peer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from noticeboard.entry import POSTS, Entry
from noticeboard.geo import distance_km
from noticeboard.store import FeedRow, Store

MESSAGE_SLACK_KM = 1.0

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Reach:
    """The clear facts about an entry that decide where it may travel."""

    type: str
    author: str
    place: Point | None
    reach_km: int | None
    recipient: str | None

    @classmethod
    def of_entry(cls, entry: Entry) -> Reach:
        """Reach of a decoded entry."""
        body = entry.body
        place = body.get("place") if entry.type in POSTS else None
        return cls(entry.type, entry.author, (place["lat_cdeg"], place["lon_cdeg"]) if place else None,
                   body.get("reach_km") if entry.type in POSTS else None,
                   body.get("to") if entry.type == "message" else None)

    @classmethod
    def of_row(cls, row: FeedRow) -> Reach:
        """Reach of a stored row, from its clear columns only."""
        place = (row.lat_cdeg, row.lon_cdeg) if row.lat_cdeg is not None and row.lon_cdeg is not None else None
        return cls(row.type, row.author, place, row.reach_km, row.recipient)


@dataclass
class Places:
    """Where each known centre is, from the signed ``node`` entries we hold."""

    points: dict[str, Point]

    @classmethod
    def from_store(cls, store: Store) -> Places:
        """Collect the newest place of every node profile in the store."""
        best: dict[str, tuple[str, Point]] = {}
        for entry in store.entries(types=["node"]):
            place = entry.body["place"]
            if entry.author not in best or entry.updated >= best[entry.author][0]:
                best[entry.author] = (entry.updated, (place["lat_cdeg"], place["lon_cdeg"]))
        return cls({author: point for author, (_, point) in best.items()})

    def of(self, node_id: str) -> Point | None:
        """The place of a node, if its profile is known."""
        return self.points.get(node_id)


def delivers(reach: Reach, target: str, places: Places) -> bool:
    """Whether an entry with this reach belongs at the node ``target``."""
    if reach.type == "tombstone" and reach.reach_km is not None:
        # A stored tombstone of a post keeps the post's place and reach (see Store._tombstone_reach).
        if reach.place is None:
            return False
        return delivers(Reach("request", reach.author, reach.place, reach.reach_km, None), target, places)
    if reach.type in POSTS:
        where = places.of(target)
        if where is None or reach.place is None or reach.reach_km is None:
            return False
        return distance_km(reach.place, where) <= reach.reach_km
    if reach.type == "message":
        if reach.recipient == target:
            return True
        where, home, sender = places.of(target), places.of(reach.recipient or ""), places.of(reach.author)
        if where is None or home is None or sender is None:
            return False
        return distance_km(where, home) <= distance_km(sender, home) + MESSAGE_SLACK_KM
    return True


def select_for(rows: Iterable[FeedRow], target: str, places: Places, *, skip_own: bool = True) -> list[FeedRow]:
    """The rows that belong at ``target``; by default without echoing a node's own entries back to it.

    Reconciliation passes ``skip_own=False``: a node restored from a backup gets back its own
    entries that others still hold.
    """
    return [row for row in rows if (row.author != target or not skip_own)
            and delivers(Reach.of_row(row), target, places)]
