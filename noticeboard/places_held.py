"""A centre's new place waits for our coordinator: a peer cannot move itself to reach other posts.

Which posts reach a centre depends on where its signed profile says it is. Before issue 14 a
peer could sign a new profile with another place and at once get posts meant for elsewhere.
Now a new version of a profile we already hold that names another place is kept aside (in
meta, one per centre: the newest wins) and shown by ``noticeboard peers list``; only
``noticeboard peers move NODE`` (the coordinator) applies it. A profile that keeps its place
(renewed, new address or certificate) is taken in as always.
"""

from __future__ import annotations

import datetime as dt
import json

from noticeboard.entry import Entry, decode
from noticeboard.store import Store

PREFIX = "place_held|"


def _place(entry: Entry) -> tuple[object, object, object]:
    place = entry.body.get("place") or {}
    return place.get("village"), place.get("lat_cdeg"), place.get("lon_cdeg")


def moves(store: Store, entry: Entry) -> bool:
    """Whether a node profile would move a centre whose profile we hold."""
    if entry.type != "node":
        return False
    held = [e for e in store.entries(types=["node"], author=entry.author)]
    if not held:
        return False
    current = max(held, key=lambda e: e.updated)
    return entry.updated >= current.updated and _place(entry) != _place(current)


def hold(store: Store, entry: Entry) -> None:
    """Keep a moving profile aside for the coordinator (the newest of a centre wins)."""
    found = pending(store).get(entry.author)
    if found is None or entry.updated >= found.updated:
        store.set_meta(PREFIX + entry.author, entry.canonical().decode("utf-8"))


def pending(store: Store) -> dict[str, Entry]:
    """Held moves by centre key."""
    return {key[len(PREFIX):]: decode(value.encode("utf-8")) for key, value in store.meta_with_prefix(PREFIX)}


def confirm(store: Store, author: str, *, now: dt.datetime) -> Entry | None:
    """Apply a centre's held move (the coordinator said yes); None if there is none."""
    found = pending(store).get(author)
    if found is None:
        return None
    with store.write():  # the move and forgetting it are one change
        store.apply(found, now=now)
        store.delete_meta(PREFIX + author)
    return found


def describe(entry: Entry) -> str:
    """Village and coordinates of a held profile, for people."""
    village, lat, lon = _place(entry)
    return json.dumps({"village": village, "lat_cdeg": lat, "lon_cdeg": lon}, ensure_ascii=False)
