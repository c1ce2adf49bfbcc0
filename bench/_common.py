"""What every benchmark shares: throwaway nodes unlocked by a key file, and the JSON + table report."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from crypto import vault
from noticeboard.geo import Place
from noticeboard.node import Node, Profile
from noticeboard.store import Unlock
from noticeboard.trust import Trust


def new_node(root: Path, name: str, lat_cdeg: int = 5300, lon_cdeg: int = 600) -> Node:
    """Create and open a node under root/name, unlocked by a key file (no scrypt cost)."""
    data_dir = root / name.replace(" ", "_")
    data_dir.mkdir(parents=True)
    secret = vault.new_key_file_secret()
    vault.write_key_file(data_dir / "node.key", secret)
    unlock = Unlock(key_file_secret=secret)
    Node.create(data_dir, unlock, Profile(f"Dorpshuis {name}", Place(f"Dorp {name}", lat_cdeg, lon_cdeg))).close()
    return Node.open(data_dir, unlock)


def trust(node: Node, other: Node, address: str = "") -> None:
    """Make node trust other as a pairing would, holding its signed profile."""
    profile = other.profile_entry()
    node.store.apply(profile, now=dt.datetime.now(dt.UTC))
    Trust(node).pair(profile, address)


def best_of(runs: int, fn: Callable[[], float]) -> list[float]:
    """Run fn (which returns a figure) several times; return every figure."""
    return [fn() for _ in range(runs)]


def median(values: Sequence[float]) -> float:
    """The median, rounded for a report."""
    return round(statistics.median(values), 3)


def report(name: str, figures: dict[str, Any], rows: Sequence[tuple[str, Any, str, str]]) -> None:
    """Print the figures as one JSON line, then a short table (figure, value, goal, verdict)."""
    print(json.dumps({"bench": name, **figures}, sort_keys=True))
    width = max(len(r[0]) for r in rows)
    print(f"\n{name}")
    for label, value, goal, verdict in rows:
        print(f"  {label:<{width}}  {value!s:>14}  {goal:<22} {verdict}")
    print()
    sys.stdout.flush()


def verdict(ok: bool) -> str:
    """MET or MISSED, for the table."""
    return "MET" if ok else "MISSED"
