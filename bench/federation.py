"""Federation simulation: villages on a geographic graph whose links are up a tenth of the time.

Real nodes (real stores, real replication rounds, the real ingest pipeline, real backups and
restores); only the transport is in-process (``sync.replication.LocalTransport``). Villages are
scattered over a 60 x 50 km region; neighbours within LINK_KM share a link, and every step (one
simulated hour) each link is up with probability ``uptime`` and then runs one round, started by
one end at random. Trust is what a region would set up: a coordinator node pairs every village
and each village takes it as introducer; linked neighbours pair each other. Requests are posted
during the first steps with a reach of 15 or 30 km and a short (urgent) lifetime.

The region has been in use: before the simulated days every link had its first contact, both
ways (``--cold`` leaves that out). What goes wrong, as it does in a region (all drawn from the seed):
  outages     a share of villages is down for a day (node closed, no rounds; what its people
              would post or change waits until it is back; the echo memory is lost);
  restores    some of them come back from a backup taken hours before they went down, in a new
              epoch (``noticeboard.privacy.backup``), so their peers must reconcile with them;
  aborted     a share of rounds is cut off midway: the transport fails after k calls or after a
              byte budget, either before the peer saw the request or after it acted on it;
  parallel    all rounds of an hour run at once, a node starting up to ``PARALLEL_ROUNDS`` as
              the service does, answering its neighbours' rounds meanwhile (worker threads);
  relays      entries reach villages beyond the first ring only through villages in between;
  updates     a share of requests is revised (status "matched") and a share withdrawn (a
              tombstone); a node has an entry only when it holds its newest version.

A node *needs* an entry when it lies within the entry's reach and is connected to the author
through nodes that also lie within reach (others never relay it: scope keeps it out).
  delivered   share of needed (node, entry) pairs whose newest version (the tombstone of a
              withdrawn one) arrived before the entry expired;
  redundancy  tracked entry copies received (pulled, fetched or pushed) / copies that were new
              to a node that needs them; the ideal protocol sends each version once, never one
              that is superseded where it arrives;
  rounds      steps from an entry's newest version until the last needing node had it;
  bytes       request and answer bodies of every round (no HTTP or TLS framing).

Seeds run side by side, one process per core; each prints one JSON line and a table.

    python -m bench.federation [--quick] [--villages N] [--seeds 7 11 23] [--cold]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench._common import report, trust, verdict
from crypto import vault
from crypto.encoding import b64u_decode
from noticeboard.clock import utcnow
from noticeboard.geo import Place, distance_km
from noticeboard.node import Node, NotFound, PostDraft, Profile, database_path
from noticeboard.privacy.backup import restore_backup, write_backup
from noticeboard.store import Unlock
from noticeboard.trust import PeerState, Trust
from sync import ingest as sync_ingest
from sync import wire
from sync.client import PeerUnreachable, choose_version
from sync.replication import LocalTransport, PeerRefused, run_round
from sync.service import PARALLEL_ROUNDS

LINK_KM = 9.0
STEP = dt.timedelta(hours=1)
GOAL_DELIVERED = 0.99
GOAL_REDUNDANCY = 1.10
SEEDS = (7, 11, 23)
Point = tuple[int, int]
Version = tuple[int, bytes]


@dataclass(frozen=True)
class Params:
    """The size of the region and how often each thing goes wrong."""

    villages: int = 100
    uptime: float = 0.10
    posts_per_village: float = 2.0
    post_steps: int = 10
    lifetime_steps: int = 72
    revised_share: float = 0.30
    withdrawn_share: float = 0.15
    change_after: tuple[int, int] = (4, 40)
    down_share: float = 0.10
    down_steps: int = 24
    down_from: tuple[int, int] = (0, 36)
    restored_share: float = 0.3
    backup_before: int = 6
    aborted_share: float = 0.10
    warm: bool = True
    # The highest protocol version the region's nodes speak (each serves every version up to it).
    protocol: int = wire.PROTOCOL


QUICK = Params(villages=30)


def scatter(count: int, rng: random.Random) -> list[Point]:
    """Village places (centidegrees) at least 2 km apart, around Groningen: 100 in a 60 x 50 km box,
    fewer in a smaller box, so that a smaller region is as dense (as many neighbours each)."""
    scale = min(1.0, math.sqrt(count / 100))
    lat_span, lon_span = max(2, round(45 * scale)), max(2, round(90 * scale))
    points: list[Point] = []
    while len(points) < count:
        p = (5300 + rng.randrange(0, lat_span), 620 + rng.randrange(0, lon_span))
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
    adjacent = _adjacent(edges, members)
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


def hops_from(start: int, members: set[int], edges: set[tuple[int, int]]) -> dict[int, int]:
    """Links on the shortest path from start to each member, through members only."""
    adjacent = _adjacent(edges, members)
    hops, ring = {start: 0}, [start]
    while ring:
        later = []
        for here in ring:
            for nxt in adjacent[here] - hops.keys():
                hops[nxt] = hops[here] + 1
                later.append(nxt)
        ring = later
    return hops


def _adjacent(edges: set[tuple[int, int]], members: set[int]) -> dict[int, set[int]]:
    adjacent: dict[int, set[int]] = defaultdict(set)
    for i, j in edges:
        if i in members and j in members:
            adjacent[i].add(j)
            adjacent[j].add(i)
    return adjacent


# ---- the villages ------------------------------------------------------------------------------


@dataclass
class Village:
    """One centre: its folder and key (so it can be closed, restored and opened again) and its node."""

    index: int
    data_dir: Path
    unlock: Unlock
    node: Node | None = None

    def open(self) -> Node:
        """Open the node (after an outage, or a restore)."""
        self.node = Node.open(self.data_dir, self.unlock)
        return self.node

    def close(self) -> None:
        """Close the node, as a power cut would end the service."""
        if self.node is not None:
            self.node.close()
            self.node = None

    @property
    def up(self) -> Node:
        """The open node; only called for villages that are up."""
        assert self.node is not None, f"village {self.index} is down"
        return self.node


class Templates:
    """Node folders made once (keys, certificate, schema) and copied for each seed: creating 101
    nodes costs more than simulating a day, and the keys need not differ between seeds."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, tuple[Path, Unlock]] = {}

    def copy(self, name: str, into: Path, profile: Profile) -> tuple[Path, Unlock]:
        """A node folder for name under into, holding profile (a new version of it for a copy)."""
        if name not in self.made:
            data_dir = self.root / name
            data_dir.mkdir(parents=True)
            secret = vault.new_key_file_secret()
            vault.write_key_file(data_dir / "node.key", secret)
            unlock = Unlock(key_file_secret=secret)
            Node.create(data_dir, unlock, profile).close()
            self.made[name] = (data_dir, unlock)
        source, unlock = self.made[name]
        target = into / name
        shutil.copytree(source, target)
        with Node.open(target, unlock) as node:
            if node.profile() != profile:
                node.publish_profile(profile)
        return target, unlock


def build(root: Path, templates: Templates, points: list[Point], edges: set[tuple[int, int]]) -> list[Village]:
    """Villages with a coordinator as introducer, linked neighbours paired, trust entries shared."""
    villages = []
    for i, (lat, lon) in enumerate(points):
        name = f"V{i:03d}"
        data_dir, unlock = templates.copy(name, root, Profile(f"Dorpshuis {name}", Place(f"Dorp {name}", lat, lon)))
        village = Village(i, data_dir, unlock)
        village.open()
        villages.append(village)
    coordinator_dir, unlock = templates.copy("Regio", root, Profile("Dorpshuis Regio", Place("Regio", 5320, 660)))
    coordinator = Node.open(coordinator_dir, unlock)
    nodes = [v.up for v in villages]
    for node in nodes:
        trust(coordinator, node)
        trust(node, coordinator)
        Trust(node).set_state(coordinator.node_id, PeerState.INTRODUCER)
    for i, j in edges:
        trust(nodes[i], nodes[j])
        trust(nodes[j], nodes[i])
    # The bootstrap a coordinator hands out: every profile and vouch, so rounds carry requests.
    now = utcnow()
    shared = {e.key: e for n in [*nodes, coordinator] for e in n.store.entries(types=["node", "vouch"])}
    for node in nodes:
        node.store.apply_many(list(shared.values()), now=now)
    coordinator.close()
    return villages


# ---- what is tracked ---------------------------------------------------------------------------


@dataclass
class Tracked:
    """One request: who needs it, and every version its author made."""

    author: int
    author_id: str
    ref: str
    posted: int
    expires: int
    needing: set[int]
    versions: dict[Version, int] = field(default_factory=dict)
    withdrawn: bool = False
    # Relays needed to reach each needing node (links on the shortest path inside the reach).
    hops: dict[int, int] = field(default_factory=dict)

    @property
    def newest(self) -> Version:
        """The version every node must end with (higher version, then higher signature, wins)."""
        return max(self.versions)


def _version(line: dict[str, Any]) -> Version | None:
    try:
        return int(line["version"]), b64u_decode(str(line["sig"]))
    except (KeyError, TypeError, ValueError):
        return None


class Tally:
    """What crossed each transport: which version of which tracked request reached which node, when."""

    def __init__(self) -> None:
        self.tracked: dict[str, Tracked] = {}
        self.held: dict[tuple[int, str], Version] = {}
        self.arrived: dict[tuple[int, str, Version], int] = {}
        self.received = 0
        self.kinds: Counter[str] = Counter()
        # Copies that were not new, by what they were and the path that carried them.
        self.waste: Counter[str] = Counter()
        self.body_bytes = 0

    def made(self, node: int, entry_id: str, version: Version, step: int) -> None:
        """The author made a version (it holds it from then on)."""
        self.tracked[entry_id].versions[version] = step
        self.held[(node, entry_id)] = version
        self.arrived.setdefault((node, entry_id, version), step)

    def note(self, receiver: int, body: bytes, step: int, path: str) -> None:
        """Count the tracked entries in one body that went to receiver (ids and digests are not entries)."""
        try:
            _, lines = wire.read_page(body)
        except (wire.WireError, UnicodeDecodeError):
            return
        for raw in lines:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            entry_id = line.get("id") if isinstance(line, dict) else None
            if not isinstance(entry_id, str) or entry_id not in self.tracked or "sig" not in line:
                continue
            tracked, version = self.tracked[entry_id], _version(line)
            if version is None:
                continue
            self.received += 1
            kind = self._kind(receiver, tracked, entry_id, version, line.get("type"))
            self.kinds[kind] += 1
            if kind != "new":
                self.waste[f"{kind} {path}"] += 1
            self.arrived.setdefault((receiver, entry_id, version), step)

    def _kind(self, receiver: int, tracked: Tracked, entry_id: str, version: Version, entry_type: object) -> str:
        if receiver not in tracked.needing and receiver != tracked.author:
            return "tombstone beyond reach" if entry_type == "tombstone" else "beyond reach"
        held = self.held.get((receiver, entry_id))
        if held is not None and held >= version:
            return "same version again" if held == version else "superseded"
        self.held[(receiver, entry_id)] = version
        return "new"

    def restored(self, index: int, node: Node) -> None:
        """A node came back from a backup: it holds what the backup held, nothing it got since."""
        keys = {(t.author_id, eid) for eid, t in self.tracked.items()}
        stored = node.store.stored_versions(keys)
        for eid, t in self.tracked.items():
            have = stored.get((t.author_id, eid))
            if have is None:
                self.held.pop((index, eid), None)
            else:
                self.held[(index, eid)] = (have[0], have[1])


class WatchedTransport(LocalTransport):
    """The in-process transport, telling the tally what each body carried; it may be cut off.

    A cut transport fails like a dropped connection (``PeerUnreachable``) once ``calls`` requests
    went through or ``budget`` bytes crossed: a request over the budget never reaches the peer, an
    answer over it is lost after the peer acted on the request.
    """

    def __init__(self, remote: Node, requester: str, ends: tuple[int, int], tally: Tally, step: int,
                 *, versions: tuple[int, ...], calls: int | None = None, budget: int | None = None) -> None:
        super().__init__(remote, requester, versions=versions)
        self.ends, self.tally, self.step = ends, tally, step
        self.calls_left, self.budget = calls, budget
        self.cut = False

    def _over(self, size: int) -> bool:
        return self.budget is not None and self.sent_bytes + self.received_bytes + size > self.budget

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """Answer as the remote would; tally what went each way; fail where the cut falls."""
        if self.calls_left is not None:
            if self.calls_left <= 0:
                self.cut = True
                raise PeerUnreachable("cut")
            self.calls_left -= 1
        if self._over(len(body)):
            self.cut = True
            raise PeerUnreachable("cut")
        answer_body = await super().call(path, body, content_type)
        here, there = self.ends
        self.tally.note(there, body, self.step, path)
        if self._over(0):
            self.cut = True
            raise PeerUnreachable("cut")
        self.tally.note(here, answer_body, self.step, path)
        return answer_body


# ---- the simulation ----------------------------------------------------------------------------


@dataclass
class Change:
    """A revision or withdrawal its author makes at a step (later if the village is down then)."""

    step: int
    entry_id: str
    kind: str


@dataclass
class Outcome:
    """The figures of one seed."""

    figures: dict[str, Any]
    truth: dict[str, int]


class SimClock:
    """The simulated time, read like ``utcnow``."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        """The current simulated time."""
        return self.now


class Federation:
    """One seed's region, run step by step."""

    def __init__(self, root: Path, villages: list[Village], points: list[Point], edges: set[tuple[int, int]],
                 params: Params, rng: random.Random, clock: SimClock) -> None:
        self.root, self.villages, self.points, self.edges = root, villages, points, edges
        self.p, self.rng, self.clock = params, rng, clock
        self.start = clock.now
        self.tally = Tally()
        self.changes: list[Change] = []
        self.rounds: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.unreachable = 0
        self.active: Counter[int] = Counter()
        self.limits = [asyncio.Semaphore(PARALLEL_ROUNDS) for _ in villages]
        self.down: dict[int, tuple[int, int]] = {}
        self.restore_from: dict[int, int] = {}
        self.backups: dict[int, Path] = {}
        self.checked: set[str] = set()
        # Every node runs the same program: each round speaks what the two agree (sync.client).
        self.versions = tuple(v for v in wire.VERSIONS if v <= params.protocol)
        self.version = choose_version(self.versions, self.versions)
        self._plan_outages()

    def _plan_outages(self) -> None:
        count = round(self.p.down_share * len(self.villages))
        chosen = self.rng.sample(range(len(self.villages)), count)
        for k, index in enumerate(chosen):
            begin = self.rng.randint(*self.p.down_from)
            self.down[index] = (begin, begin + self.p.down_steps)
            if k < round(self.p.restored_share * count):
                self.restore_from[index] = max(0, begin - self.p.backup_before)

    def is_down(self, index: int, step: int) -> bool:
        """Whether the village is out at this step."""
        span = self.down.get(index)
        return span is not None and span[0] <= step < span[1]

    # -- events

    def _outages(self, step: int) -> None:
        for index, (begin, end) in self.down.items():
            village = self.villages[index]
            if self.restore_from.get(index) == step and not self.is_down(index, step):
                self._backup(village)
            if step == begin:
                village.close()
            elif step == end:
                if index in self.backups:
                    restore_backup(self.backups[index], database_path(village.data_dir), village.unlock)
                    self.tally.restored(index, village.open())
                    self.rounds["restored in a new epoch"] += 1
                else:
                    village.open()

    def _backup(self, village: Village) -> None:
        target = self.root / f"backup-{village.index}.nbk"
        write_backup(database_path(village.data_dir), target, village.unlock, now=self.clock.now)
        self.backups[village.index] = target

    def _post(self, step: int) -> None:
        now = self.clock.now
        p = self.p
        for author, village in enumerate(self.villages):
            if self.rng.random() >= p.posts_per_village / p.post_steps:
                continue
            reach = self.rng.choice((15, 30))
            change = self.rng.random()
            when = step + self.rng.randint(*p.change_after)
            if self.is_down(author, step):
                continue  # nobody posts at a centre whose machine is off
            made = village.up.post(PostDraft("request", "boodschappen", f"Vraag {author}-{step}",
                                             "Wie helpt deze week?", reach_km=reach),
                                   now=now, expires=now + p.lifetime_steps * STEP)
            in_range = {k for k, q in enumerate(self.points)
                        if k == author or distance_km(self.points[author], q) <= reach}
            part = next(c for c in components(len(self.points), self.edges, in_range) if author in c)
            self.unreachable += len(in_range) - len(part)
            self.tally.tracked[made.id] = Tracked(author, made.author, made.body["ref"], step,
                                                  step + p.lifetime_steps, part - {author},
                                                  hops=hops_from(author, part, self.edges))
            self.tally.made(author, made.id, (made.version, b64u_decode(made.sig)), step)
            # A share is revised, a share withdrawn, and a few revised first and withdrawn later.
            if change < p.revised_share:
                self.changes.append(Change(when, made.id, "revise"))
            if change < p.revised_share * p.withdrawn_share:
                self.changes.append(Change(when + 8, made.id, "withdraw"))
            elif p.revised_share <= change < p.revised_share + p.withdrawn_share:
                self.changes.append(Change(when, made.id, "withdraw"))

    def _change(self, step: int) -> None:
        now = self.clock.now
        waiting = []
        for change in self.changes:
            tracked = self.tally.tracked[change.entry_id]
            node = self.villages[tracked.author].node
            if change.step > step or node is None:
                waiting.append(change)
                continue
            try:
                if change.kind == "revise":
                    made = node.set_status(tracked.ref, "matched", now=now)
                else:
                    made = node.withdraw(tracked.ref, now=now)
                    tracked.withdrawn = True
            except NotFound:
                # Restored from a backup older than the post: it waits until a neighbour brings it back.
                waiting.append(change)
                continue
            self.tally.made(tracked.author, made.id, (made.version, b64u_decode(made.sig)), step)
        self.changes = waiting

    # -- rounds

    async def _round(self, here: int, there: int, step: int, cut: dict[str, int]) -> None:
        near, far = self.villages[here].up, self.villages[there].up
        transport = WatchedTransport(far, near.node_id, (here, there), self.tally, step, versions=self.versions,
                                     **cut)
        async with self.limits[here]:
            if self.active[here] or self.active[there]:
                self.rounds["overlapping another round of the same node"] += 1
            self.active[here] += 1
            self.active[there] += 1
            try:
                summary = await run_round(near, far.node_id, transport, now=self.clock.now, version=self.version)
            except PeerUnreachable:
                self.rounds["cut off midway"] += 1
            except PeerRefused as exc:
                self.rounds[f"refused ({exc.reason})"] += 1
            else:
                self.refused.update(summary.received.refused)
                self.refused.update(summary.refused_there)
                if summary.reconciled:
                    self.rounds["reconciled (first contact or new epoch)"] += 1
                if transport.cut:
                    self.rounds["cut off after its last call"] += 1
            finally:
                self.active[here] -= 1
                self.active[there] -= 1
                self.rounds["run"] += 1
                self.tally.body_bytes += transport.sent_bytes + transport.received_bytes

    def _plan_rounds(self, step: int) -> list[tuple[int, int, dict[str, int]]]:
        planned = []
        for i, j in sorted(self.edges):
            if self.rng.random() >= self.p.uptime:
                continue
            here, there = (i, j) if self.rng.random() < 0.5 else (j, i)
            cut: dict[str, int] = {}
            if self.rng.random() < self.p.aborted_share:
                if self.rng.random() < 0.5:
                    cut["calls"] = self.rng.randint(0, 3)
                else:
                    cut["budget"] = self.rng.randint(100, 30_000)
            if self.is_down(here, step) or self.is_down(there, step):
                continue
            planned.append((here, there, cut))
        return planned

    async def step(self, step: int) -> None:
        """One simulated hour: outages begin and end, people post and change, every link up runs a round."""
        self.clock.now = self.start + step * STEP
        self._outages(step)
        if step < self.p.post_steps:
            self._post(step)
        self._change(step)
        await asyncio.gather(*(self._round(here, there, step, cut) for here, there, cut in self._plan_rounds(step)))

    def finished(self, step: int) -> bool:
        """Every needing node holds every entry's newest version and nothing is left to happen."""
        if step < self.p.post_steps or self.changes or any(end > step for _, end in self.down.values()):
            return False
        return all(self.tally.held.get((n, eid)) == t.newest for eid, t in self.tally.tracked.items()
                   for n in t.needing)

    async def warm_up(self) -> None:
        """Every link has had its first contact, both ways, before the simulated days begin.

        A region in use reconciles with a neighbour once, when they pair; the days measured are
        the days after. (``--cold`` leaves this out: then the first contacts fall in the days.)
        """
        for i, j in sorted(self.edges):
            for here, there in ((i, j), (j, i)):
                near, far = self.villages[here].up, self.villages[there].up
                transport = LocalTransport(far, near.node_id, versions=self.versions)
                await run_round(near, far.node_id, transport, now=self.clock.now, version=self.version)

    async def run(self) -> tuple[int, dict[str, int]]:
        """Run until done or the last entry expired; check each entry in the stores in its last hour."""
        if self.p.warm:
            await self.warm_up()
        truth: Counter[str] = Counter()
        last = self.p.post_steps + self.p.lifetime_steps
        step = 0
        unchecked = set()
        for step in range(last):
            await self.step(step)
            unchecked |= set(self.tally.tracked) - self.checked
            done = self.finished(step)
            # Checked before the first round that may purge it, or when every store should be true.
            due = unchecked if done else {e for e in unchecked if self.tally.tracked[e].expires == step + 1}
            if due:
                truth.update(self.truth(due))
                self.checked |= due
                unchecked -= due
            if done:
                break
        return step + 1, dict(truth)

    def truth(self, entry_ids: set[str]) -> Counter[str]:
        """What the stores of the live villages really hold against what they should, for some entries."""
        found: Counter[str] = Counter()
        tracked = {eid: self.tally.tracked[eid] for eid in entry_ids}
        keys = {(t.author_id, eid) for eid, t in tracked.items()}
        for index, village in enumerate(self.villages):
            if village.node is None:
                found["needing villages down at the check"] += sum(1 for t in tracked.values() if index in t.needing)
                continue
            stored = village.node.store.stored_versions(keys)
            shown = {e.id for e in village.node.store.entries(types=["request"])}
            for eid, t in tracked.items():
                if t.withdrawn and eid in shown:
                    found["withdrawn post still shown"] += 1
                if index not in t.needing:
                    continue
                have = stored.get((t.author_id, eid))
                if have is not None and (have[0], have[1]) == t.newest:
                    found["newest version held"] += 1
                    found["withdrawn and erased" if t.withdrawn else "live and newest"] += 1
                else:
                    found["newest version missing"] += 1
        return found


# ---- one seed, three seeds ---------------------------------------------------------------------


def simulate(root: Path, templates: Templates, params: Params, seed: int) -> Outcome:
    """Build one seed's region, run it, and gather its figures."""
    rng = random.Random(seed)
    points = scatter(params.villages, rng)
    edges = link(points)
    folder = root / f"seed-{seed}"
    folder.mkdir()
    t0 = time.perf_counter()
    villages = build(folder, templates, points, edges)
    setup_s = time.perf_counter() - t0
    clock = SimClock(utcnow())
    # The answering side of the in-process transport takes pushes through sync.ingest, which reads
    # the wall clock; it must see the simulated hour too, or pushed entries look early and are held.
    wall, sync_ingest.utcnow = sync_ingest.utcnow, clock
    t0 = time.perf_counter()
    try:
        sim = Federation(folder, villages, points, edges, params, rng, clock)
        steps, truth = asyncio.run(sim.run())
    finally:
        sync_ingest.utcnow = wall
        for village in villages:
            village.close()
    sim_s = time.perf_counter() - t0
    shutil.rmtree(folder)
    return Outcome(figures(sim, steps, setup_s, sim_s, seed), truth)


def figures(sim: Federation, steps: int, setup_s: float, sim_s: float, seed: int) -> dict[str, Any]:
    """The figures of one seed's run."""
    tally = sim.tally
    pairs = [(n, eid, t) for eid, t in tally.tracked.items() for n in sorted(t.needing)]
    on_time = 0
    converge: dict[str, int] = {}
    late: Counter[str] = Counter()
    hours_left: list[int] = []
    far: Counter[int] = Counter()
    for n, eid, t in pairs:
        at = tally.arrived.get((n, eid, t.newest))
        if at is not None and at < t.expires:
            on_time += 1
        else:
            older = any((n, eid, v) in tally.arrived for v in t.versions)
            where = "restored village" if n in sim.backups else "village down a day" if n in sim.down else "village"
            author = " (its author restored)" if t.author in sim.backups else " (its author down a day)" \
                if t.author in sim.down else ""
            late[f"{where}, {'an older version' if older else 'nothing'} before expiry{author}"] += 1
            hours_left.append(t.expires - t.versions[t.newest])
            far[t.hops.get(n, -1)] += 1
        if at is not None:
            converge[eid] = max(converge.get(eid, 0), at - t.versions[t.newest] + 1)
    complete = [converge[eid] for eid, t in tally.tracked.items() if t.needing and eid in converge and all(
        (n, eid, t.newest) in tally.arrived for n in t.needing)]
    useful = tally.kinds["new"]
    degrees = [sum(1 for e in sim.edges if k in e) for k in range(len(sim.villages))]
    return {
        "seed": seed, "villages": len(sim.villages), "links": len(sim.edges),
        "mean_degree": round(statistics.mean(degrees), 1), "uptime": sim.p.uptime,
        "lifetime_steps": sim.p.lifetime_steps, "protocol": sim.version,
        "entries": len(tally.tracked), "versions": sum(len(t.versions) for t in tally.tracked.values()),
        "needed_pairs": len(pairs), "in_range_but_cut_off_pairs": sim.unreachable,
        "delivered_before_expiry": round(on_time / len(pairs), 4) if pairs else 1.0, "not_delivered": dict(late),
        "not_delivered_hours_from_newest_to_expiry": sorted(Counter(hours_left).items()),
        "not_delivered_by_hops": sorted(far.items()),
        "needed_by_hops": sorted(Counter(h for t in tally.tracked.values() for n, h in t.hops.items()
                                         if n in t.needing).items()),
        "received": tally.received, "useful": useful,
        "redundancy": round(tally.received / useful, 3) if useful else 0.0,
        "copies": dict(tally.kinds), "not_new_by_path": dict(tally.waste), "body_bytes": tally.body_bytes,
        "rounds": dict(sim.rounds), "refused": dict(sim.refused), "steps_run": steps,
        "outages": len(sim.down), "restored": len(sim.backups),
        "rounds_to_converge_median": statistics.median(complete) if complete else None,
        "rounds_to_converge_p95": sorted(complete)[int(0.95 * (len(complete) - 1))] if complete else None,
        "rounds_to_converge_max": max(complete) if complete else None,
        "setup_s": round(setup_s, 1), "simulation_s": round(sim_s, 1),
    }


def run(params: Params = Params(), seeds: Iterable[int] = SEEDS, *, workers: int | None = None) -> list[Outcome]:
    """Measure every seed (in as many processes as cores) and report them with the goals."""
    chosen = list(seeds)
    workers = workers or min(len(chosen), os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="bench-federation-", dir=_fast_dir()) as tmp:
        jobs = ([params] * len(chosen), chosen, [Path(tmp)] * len(chosen))
        if workers <= 1:
            outcomes = list(map(one_seed, *jobs))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                outcomes = list(pool.map(one_seed, *jobs))
    for outcome in outcomes:
        _report(outcome)
    _summary([o.figures for o in outcomes])
    return outcomes


def _summary(seeds: list[dict[str, Any]]) -> None:
    """One table over the seeds: each seed's delivered, redundancy, bytes and rounds, and the goals."""
    worst_delivered = min(f["delivered_before_expiry"] for f in seeds)
    worst_redundancy = max(f["redundancy"] for f in seeds)
    rows = [(f"seed {f['seed']}: delivered / redundancy", f"{f['delivered_before_expiry']:.2%} / {f['redundancy']}x",
             f"bytes {f['body_bytes']:,}, rounds {f['rounds'].get('run', 0)}", "") for f in seeds]
    rows += [("delivered before expiry, worst seed", f"{worst_delivered:.2%}", f">= {GOAL_DELIVERED:.0%}",
              verdict(worst_delivered >= GOAL_DELIVERED)),
             ("redundancy, worst seed", f"{worst_redundancy}x", f"<= {GOAL_REDUNDANCY:.2f}x",
              verdict(worst_redundancy <= GOAL_REDUNDANCY))]
    report("federation", {"seeds": [f["seed"] for f in seeds], "delivered_worst": worst_delivered,
                          "redundancy_worst": worst_redundancy}, rows)


_templates: dict[Path, Templates] = {}


def one_seed(params: Params, seed: int, root: Path) -> Outcome:
    """One seed in a folder of its own under root; node folders are made once per process."""
    if root not in _templates:
        _templates[root] = Templates(root / f"templates-{os.getpid()}")
    return simulate(root, _templates[root], params, seed)


def _fast_dir() -> str | None:
    # Stores in memory when the machine has a RAM disk: the rounds, not the disk, are measured.
    return "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def _report(outcome: Outcome) -> None:
    f, t = outcome.figures, outcome.truth
    rounds = f["rounds"]
    report(f"federation seed {f['seed']}", {**f, "truth": t}, [
        ("villages / links / mean degree", f"{f['villages']}/{f['links']}/{f['mean_degree']}",
         f"links up {f['uptime']:.0%}", ""),
        ("protocol version spoken", f"{f['protocol']}", "", ""),
        ("entries / versions / needed pairs", f"{f['entries']}/{f['versions']}/{f['needed_pairs']}", "", ""),
        ("outages / restored, new epoch", f"{f['outages']}/{f['restored']}", "a day down", ""),
        ("rounds / cut off / overlapping", f"{rounds.get('run', 0)}/{rounds.get('cut off midway', 0)}/"
         f"{rounds.get('overlapping another round of the same node', 0)}", "", ""),
        ("delivered before expiry (newest)", f"{f['delivered_before_expiry']:.2%}", f">= {GOAL_DELIVERED:.0%}",
         verdict(f["delivered_before_expiry"] >= GOAL_DELIVERED)),
        ("redundancy (received / new)", f"{f['redundancy']}x", f"<= {GOAL_REDUNDANCY:.2f}x",
         verdict(f["redundancy"] <= GOAL_REDUNDANCY)),
        ("body bytes", f"{f['body_bytes']:,}", "", ""),
        ("rounds to converge, median/p95/max", f"{f['rounds_to_converge_median']}/{f['rounds_to_converge_p95']}/"
         f"{f['rounds_to_converge_max']}", f"lifetime {f['lifetime_steps']}", ""),
        ("stores hold the newest version", f"{t.get('newest version held', 0)}/"
         f"{t.get('newest version held', 0) + t.get('newest version missing', 0)}", "all",
         verdict(not t.get("newest version missing") and not t.get("withdrawn post still shown"))),
    ])


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.federation [--quick] [--villages N] [--seeds ...]``; 1 when a goal is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.federation")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK.villages} villages instead of 100")
    parser.add_argument("--villages", type=int)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--cold", action="store_true", help="no first contact before the days begin")
    parser.add_argument("--protocol", type=int, default=wire.PROTOCOL, help="the highest version the nodes speak")
    args = parser.parse_args(argv)
    params = QUICK if args.quick else Params()
    if args.villages:
        params = replace(params, villages=args.villages)
    if args.cold:
        params = replace(params, warm=False)
    params = replace(params, protocol=args.protocol)
    outcomes = run(params, args.seeds)
    met = all(o.figures["delivered_before_expiry"] >= GOAL_DELIVERED and o.figures["redundancy"] <= GOAL_REDUNDANCY
              for o in outcomes)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
