"""The villages the desk knows, each with its coarse location: for the intake's village field and distances.

Known are this centre's own village, the villages of the centres whose profiles we hold, and
any the coordinator added (``desk.villages`` in the meta table: names and centidegrees only).
"""

from __future__ import annotations

import datetime as dt
import json

from noticeboard.desk import audit
from noticeboard.desk.session import Session
from noticeboard.geo import Place
from noticeboard.node import Node

_META = "desk_villages"


def known(node: Node) -> dict[str, Place]:
    """Every known village by name, this centre's first."""
    here = node.profile().place
    found: dict[str, Place] = {here.village: here}
    for profile in node.store.entries(types=["node"]):
        place = Place.from_wire(profile.body["place"])
        found.setdefault(place.village, place)
    for name, (lat, lon) in json.loads(node.store.meta(_META) or "{}").items():
        found.setdefault(name, Place(name, int(lat), int(lon)))
    return found


def find(node: Node, village: str) -> Place | None:
    """The known village of this name (any case), or None."""
    wanted = village.strip().casefold()
    return next((p for name, p in known(node).items() if name.casefold() == wanted), None) if wanted else None


def add(node: Node, session: Session, name: str, location: tuple[int, int], *, now: dt.datetime) -> None:
    """Add a village (a hamlet without a centre) with its location (coordinator only)."""
    session.touch(now, coordinator=True)
    extra = json.loads(node.store.meta(_META) or "{}")
    extra[name.strip()] = list(location)
    with node.store.write() as conn:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (_META, json.dumps(extra)))
        audit.record(node.store, conn, session.actor, "village_add", name.strip(), now=now)
