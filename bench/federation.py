"""Federation simulation: villages on a geographic graph whose links are up a tenth of the time.

Real nodes (real stores, real replication rounds, the real ingest pipeline); only the
transport is in-process (``sync.replication.LocalTransport``). Villages are scattered over a
60 x 50 km region; neighbours within LINK_KM share a link, and every step (one simulated hour)
each link is up with probability UPTIME, running one round. Trust is what a region would set
up: a coordinator node pairs every village and each village takes it as introducer; linked
neighbours pair each other. Requests are posted during the first steps with a reach of 15 or
30 km and a short (urgent) lifetime.

A node *needs* an entry when it lies within the entry's reach and is connected to the author
through nodes that also lie within reach (other nodes never relay it: scope keeps it out).
  delivered   share of needed (node, entry) pairs that arrived before the entry expired;
  rounds      steps from posting until the last needing node had it;
  redundancy  request entries received (pulled or pushed, duplicates included) / needed.

    python -m bench.federation [villages] [seed]
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench._common import new_node, report, trust, verdict
from noticeboard.clock import utcnow
from noticeboard.geo import distance_km
from noticeboard.node import Node, PostDraft
from noticeboard.trust import PeerState, Trust
from sync import ingest as sync_ingest
from sync import wire
from sync.replication import LocalTransport, run_round

UPTIME = 0.10
LINK_KM = 9.0
POSTS_PER_VILLAGE = 2
POST_STEPS = 10
LIFETIME_STEPS = 72
STEP = dt.timedelta(hours=1)
GOAL_DELIVERED = 0.95
GOAL_REDUNDANCY = 1.5
Point = tuple[int, int]


def scatter(count: int, rng: random.Random) -> list[Point]:
    """Village places (centidegrees) in a 60 x 50 km box around Groningen, at least 2 km apart."""
    points: list[Point] = []
    while len(points) < count:
        p = (5300 + rng.randrange(0, 45), 620 + rng.randrange(0, 90))
        if all(distance_km(p, q) >= 2.0 for q in points):
            points.append(p)
    return points


def link(points: list[Point]) -> set[tuple[int, int]]:
    """Neighbours within LINK_KM, plus the shortest links that join any separate parts."""
    edges = {(i, j) for i in range(len(points)) for j in range(i + 1, len(points))
             if distance_km(points[i], points[j]) <= LINK_KM}
    while True:
        parts = components(len(points), edges)
        if len(parts) == 1:
            return edges
        first, rest = parts[0], set().union(*parts[1:])
        i, j = min(((i, j) for i in first for j in rest), key=lambda e: distance_km(points[e[0]], points[e[1]]))
        edges.add((min(i, j), max(i, j)))


def components(count: int, edges: set[tuple[int, int]], members: set[int] | None = None) -> list[set[int]]:
    """Connected parts of the graph restricted to members."""
    members = set(range(count)) if members is None else members
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in edges:
        if i in members and j in members:
            adjacent[i].add(j)
            adjacent[j].add(i)
    seen: set[int] = set()
    parts = []
    for start in sorted(members):
        if start in seen:
            continue
        part, todo = {start}, [start]
        while todo:
            for nxt in adjacent[todo.pop()] - part:
                part.add(nxt)
                todo.append(nxt)
        seen |= part
        parts.append(part)
    return parts


class Tally:
    """Which tracked request reached which node, and when (from what crossed each transport)."""

    def __init__(self, needed: dict[str, set[int]]) -> None:
        self.needed = needed
        self.received = 0
        self.arrived: dict[tuple[int, str], int] = {}
        self.refused: Counter[str] = Counter()
        self.got: set[tuple[int, str]] = set()
        self.copies: Counter[str] = Counter()

    def note(self, receiver: int, body: bytes, step: int, path: str) -> None:
        """Count the tracked requests in one page that went to receiver (by path, copies apart)."""
        _, lines = wire.read_page(body)
        for line in lines:
            entry_id = json.loads(line).get("id")
            if entry_id in self.needed:
                self.received += 1
                if (receiver, entry_id) in self.got:
                    self.copies[path] += 1
                self.got.add((receiver, entry_id))
                if receiver in self.needed[entry_id]:
                    self.arrived.setdefault((receiver, entry_id), step)


class WatchedTransport(LocalTransport):
    """The in-process transport, telling the tally what each page carried."""

    def __init__(self, remote: Node, requester: str, ends: tuple[int, int], tally: Tally, step: int) -> None:
        super().__init__(remote, requester)
        self.ends, self.tally, self.step = ends, tally, step

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer as the remote would; tally pushed and pulled pages."""
        answer_body = await super().call(path, body, content_type)
        here, there = self.ends
        if path in ("/v1/push", "/v2/push"):
            self.tally.note(there, body, self.step, path)
        elif path in ("/v1/changes", "/v1/fetch", "/v2/fetch"):
            self.tally.note(here, answer_body, self.step, path)
        return answer_body


def build(root: Path, points: list[Point], edges: set[tuple[int, int]]) -> list[Node]:
    """Villages with a coordinator as introducer, linked neighbours paired, trust entries shared."""
    villages = [new_node(root, f"V{i:03d}", *p) for i, p in enumerate(points)]
    coordinator = new_node(root, "Regio", 5320, 660)
    for village in villages:
        trust(coordinator, village)
        trust(village, coordinator)
        Trust(village).set_state(coordinator.node_id, PeerState.INTRODUCER)
    for i, j in edges:
        trust(villages[i], villages[j])
        trust(villages[j], villages[i])
    # The bootstrap a coordinator hands out: every profile and vouch, so rounds carry requests.
    now = utcnow()
    shared = {e.key: e for n in [*villages, coordinator] for e in n.store.entries(types=["node", "vouch"])}
    for village in villages:
        village.store.apply_many(list(shared.values()), now=now)
    coordinator.close()
    return villages


async def simulate(villages: list[Node], points: list[Point], edges: set[tuple[int, int]],
                   rng: random.Random, max_steps: int) -> tuple[Tally, dict[str, int], int, int, tuple[int, int]]:
    """Post, then run steps until every needed pair arrived or all entries expired.

    Before the first entry expires (and is purged) the tally is checked against the stores:
    (arrivals found in the receiving store, arrivals counted).
    """
    start = utcnow()
    clock = SimClock(start)
    # The answering side of the in-process transport takes pushes through sync.ingest, which reads
    # the wall clock; it must see the simulated hour too, or pushed entries look early and are held.
    wall, sync_ingest.utcnow = sync_ingest.utcnow, clock
    try:
        return await _steps(villages, points, edges, rng, max_steps, clock)
    finally:
        sync_ingest.utcnow = wall


class SimClock:
    """The simulated time, read like ``utcnow``."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        """The current simulated time."""
        return self.now


async def _steps(villages: list[Node], points: list[Point], edges: set[tuple[int, int]], rng: random.Random,
                 max_steps: int, clock: SimClock) -> tuple[Tally, dict[str, int], int, int, tuple[int, int]]:
    start = clock.now
    tally = Tally({})
    posted: dict[str, int] = {}
    unreachable = 0
    step = 0
    checked = (0, 0)
    for step in range(max_steps):
        now = clock.now = start + step * STEP
        if step < POST_STEPS:
            for author in range(len(villages)):
                if rng.random() < POSTS_PER_VILLAGE / POST_STEPS:
                    reach = rng.choice((15, 30))
                    made = villages[author].post(
                        PostDraft("request", "boodschappen", f"Vraag {author}-{step}", "Wie helpt deze week?",
                                  reach_km=reach), now=now, expires=now + LIFETIME_STEPS * STEP)
                    in_range = {k for k, p in enumerate(points) if k == author or distance_km(points[author], p) <= reach}
                    part = next(c for c in components(len(points), edges, in_range) if author in c)
                    tally.needed[made.id] = part - {author}
                    unreachable += len(in_range) - len(part)
                    posted[made.id] = step
        for i, j in sorted(edges):
            if rng.random() >= UPTIME:
                continue
            here, there = (i, j) if rng.random() < 0.5 else (j, i)
            transport = WatchedTransport(villages[there], villages[here].node_id, (here, there), tally, step)
            summary = await run_round(villages[here], villages[there].node_id, transport, now=now)
            tally.refused.update(summary.received.refused)
            tally.refused.update(summary.refused_there)
        done = sum(len(n) for n in tally.needed.values())
        finished = step >= POST_STEPS and len(tally.arrived) == done
        if step == LIFETIME_STEPS - 1 or (finished and not checked[1]):
            checked = verify(villages, tally)
        if finished:
            break
    return tally, posted, step + 1, unreachable, checked


def verify(villages: list[Node], tally: Tally) -> tuple[int, int]:
    """(arrivals the receiving store really holds, arrivals counted so far)."""
    held = {i: {e.id for e in v.store.entries(types=["request"])} for i, v in enumerate(villages)}
    return sum(1 for (node, eid) in tally.arrived if eid in held[node]), len(tally.arrived)


def run(count: int = 100, seed: int = 7, max_steps: int = POST_STEPS + LIFETIME_STEPS) -> dict[str, Any]:
    """Measure and report; return the figures."""
    rng = random.Random(seed)
    points = scatter(count, rng)
    edges = link(points)
    with tempfile.TemporaryDirectory(prefix="bench-federation-") as tmp:
        t0 = time.perf_counter()
        villages = build(Path(tmp), points, edges)
        setup_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        tally, posted, steps, unreachable, (in_store, counted) = asyncio.run(
            simulate(villages, points, edges, rng, max_steps))
        sim_s = time.perf_counter() - t0
        for village in villages:
            village.close()
    needed = sum(len(n) for n in tally.needed.values())
    on_time = sum(1 for (_, eid), at in tally.arrived.items() if at - posted[eid] < LIFETIME_STEPS)
    latest = [max((tally.arrived[(n, eid)] for n in nodes if (n, eid) in tally.arrived), default=posted[eid])
              - posted[eid] + 1 for eid, nodes in tally.needed.items() if nodes]
    complete = [latest_i for latest_i, (eid, nodes) in zip(latest, ((e, n) for e, n in tally.needed.items() if n),
                                                            strict=True)
                if all((n, eid) in tally.arrived for n in nodes)]
    degrees = [sum(1 for e in edges if k in e) for k in range(count)]
    figures: dict[str, Any] = {
        "villages": count, "links": len(edges), "mean_degree": round(statistics.mean(degrees), 1),
        "uptime": UPTIME, "entries": len(posted), "needed_pairs": needed,
        "in_range_but_cut_off_pairs": unreachable,
        "delivered_before_expiry": round(on_time / needed, 4) if needed else 1.0,
        "arrivals_verified_in_store": in_store, "arrivals_checked": counted, "arrivals": len(tally.arrived),
        "entries_fully_delivered": len(complete),
        "rounds_to_converge_median": statistics.median(complete) if complete else None,
        "rounds_to_converge_p95": sorted(complete)[int(0.95 * (len(complete) - 1))] if complete else None,
        "rounds_to_converge_max": max(complete) if complete else None,
        "steps_run": steps, "received": tally.received,
        "redundancy": round(tally.received / needed, 3) if needed else 0.0,
        "refused": dict(tally.refused), "second_copies_by_path": dict(tally.copies), "setup_s": round(setup_s, 1), "simulation_s": round(sim_s, 1),
    }
    f = figures
    report("federation", figures, [
        ("villages / links / mean degree", f"{count}/{len(edges)}/{f['mean_degree']}", f"links up {UPTIME:.0%}", ""),
        ("entries / needed (node, entry)", f"{len(posted)}/{needed}", "", ""),
        ("delivered before expiry", f"{f['delivered_before_expiry']:.2%}", f">= {GOAL_DELIVERED:.0%}",
         verdict(f["delivered_before_expiry"] >= GOAL_DELIVERED)),
        ("rounds to converge, median/p95/max", f"{f['rounds_to_converge_median']}/{f['rounds_to_converge_p95']}/"
         f"{f['rounds_to_converge_max']}", f"lifetime {LIFETIME_STEPS}", ""),
        ("redundancy (received / needed)", f"{f['redundancy']}x", f"<= {GOAL_REDUNDANCY}x",
         verdict(f["redundancy"] <= GOAL_REDUNDANCY)),
        ("arrivals found in the stores", f"{in_store}/{counted}", "all", verdict(in_store == counted)),
    ])
    return figures


if __name__ == "__main__":
    run(*[int(a) for a in sys.argv[1:3]])
