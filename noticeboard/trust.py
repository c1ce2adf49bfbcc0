"""Which nodes we take entries from: paired peers, introducers' vouches, and blocks.

A coordinator pairs two centres by comparing the fingerprint code out of band. Every
directly trusted peer gets a signed ``vouch`` from us; nodes that marked us introducer then
trust that peer too (as Syncthing's introducers do). Blocking tombstones our vouch, purges
the node's entries and refuses new ones; a local block always beats any introducer's vouch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from crypto import signing
from crypto.encoding import b64u_decode
from crypto.identity import fingerprint_code, normalise_code
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.entry import Entry
from noticeboard.node import Node
from noticeboard.store import Store
from noticeboard.store.errors import StoreError

log = logging.getLogger(__name__)


# A vouch is re-signed this long before it would expire, so trust never lapses between rounds.
RENEW_BEFORE = dt.timedelta(days=30)


class PeerState(StrEnum):
    """How much we trust a node."""

    TRUSTED = "trusted"
    INTRODUCER = "introducer"
    BLOCKED = "blocked"
    SEEN = "seen"


class UnknownPeer(StoreError):
    """No peer matches what was typed."""

    text_key = "sync.error.unknown_peer"


class AmbiguousPeer(StoreError):
    """More than one peer matches what was typed."""

    text_key = "sync.error.ambiguous_peer"


@dataclass(frozen=True)
class Peer:
    """One other node as we know it."""

    node_id: str
    name: str
    address: str
    tls_fp: bytes
    state: PeerState
    vouch_id: str | None = None

    @property
    def trusted(self) -> bool:
        """Whether we take its entries and answer its requests."""
        return self.state in (PeerState.TRUSTED, PeerState.INTRODUCER)

    @property
    def code(self) -> str:
        """Its fingerprint code, as ``whoami`` prints it there."""
        return fingerprint_code(b64u_decode(self.node_id))


@dataclass(frozen=True)
class TrustView:
    """A snapshot of trust, for checking many entries quickly."""

    me: str
    direct: frozenset[str]
    blocked: frozenset[str]
    vouched: frozenset[str]

    def refusal(self, author: str) -> str | None:
        """None if entries of author are welcome, else the reason (``blocked`` or ``untrusted``)."""
        if author == self.me:
            return None
        if author in self.blocked:
            return "blocked"
        if author in self.direct or author in self.vouched:
            return None
        return "untrusted"

    def trusts(self, author: str) -> bool:
        """Whether entries of author are welcome."""
        return self.refusal(author) is None


_COLUMNS = "node_id, name, address, tls_fp, state, vouch_id"


def _widens(old: PeerState, new: PeerState) -> bool:
    """Whether moving a peer from old to new makes more entries welcome."""
    rank = {PeerState.BLOCKED: 0, PeerState.SEEN: 0, PeerState.TRUSTED: 1, PeerState.INTRODUCER: 2}
    return rank[new] > rank[old]


def _peer(row: tuple[Any, ...]) -> Peer:
    node_id, name, address, tls_fp, state, vouch_id = row
    return Peer(str(node_id), str(name or ""), str(address or ""), bytes(tls_fp or b""),
                PeerState(str(state)), str(vouch_id) if vouch_id else None)


class Trust:
    """The peers table of one node and the decisions made from it."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.store = node.store

    # ---- reading ---------------------------------------------------------------------------

    def peers(self) -> list[Peer]:
        """Every known peer, by name."""
        return self.peers_in(self.store)

    @staticmethod
    def peers_in(store: Store) -> list[Peer]:
        """Every peer known to a store, by name, for readers that hold the store but not the node."""
        with store.read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM peers ORDER BY name, node_id").fetchall()
        return [_peer(row) for row in rows]

    def peer(self, node_id: str) -> Peer | None:
        """The peer with this node key, or None."""
        with self.store.read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM peers WHERE node_id = ?", (node_id,)).fetchone()
        return _peer(row) if row else None

    def by_address(self, address: str) -> Peer | None:
        """The trusted peer last seen at host:port, or None."""
        found = [p for p in self.peers() if p.address == address]
        found.sort(key=lambda p: not p.trusted)
        return found[0] if found else None

    def find(self, text: str) -> Peer:
        """The one peer named by key (or its start, 6+ characters), code, address or name."""
        text = text.strip()
        code = normalise_code(text)
        found = [p for p in self.peers()
                 if (len(text) >= 6 and p.node_id.startswith(text)) or p.code == code
                 or p.address == text or p.name.casefold() == text.casefold()]
        if not found:
            raise UnknownPeer(text)
        if len(found) > 1:
            raise AmbiguousPeer(text)
        return found[0]

    def view(self) -> TrustView:
        """The current trust decisions, including live vouches of introducers; reads only.

        Hand-overs are applied where entries are applied (ingest calls :func:`take_handovers`
        after it admits vouches), so looking at trust never changes it.
        """
        peers = self.peers()
        direct = frozenset(p.node_id for p in peers if p.trusted)
        blocked = frozenset(p.node_id for p in peers if p.state is PeerState.BLOCKED)
        introducers = [p.node_id for p in peers if p.state is PeerState.INTRODUCER]
        vouched = set()
        for introducer in introducers:
            for vouch in self.store.entries(types=["vouch"], author=introducer):
                vouched.add(vouch.body["subject"])
        return TrustView(self.node.node_id, direct, blocked, frozenset(vouched - blocked))

    # ---- changing --------------------------------------------------------------------------

    def _upsert(self, node_id: str, name: str, address: str, tls_fp: bytes, state: PeerState,
                now: dt.datetime) -> None:
        stamp = int(now.timestamp())
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO peers(node_id, name, address, tls_fp, state, vouch_id, added, updated) "
                "VALUES (?,?,?,?,?,NULL,?,?) ON CONFLICT(node_id) DO UPDATE SET name = excluded.name, "
                "address = excluded.address, tls_fp = excluded.tls_fp, state = excluded.state, "
                "updated = excluded.updated",
                (node_id, name, address, tls_fp, state.value, stamp, stamp))

    def pair(self, profile: Entry, address: str, *, now: dt.datetime | None = None) -> Peer:
        """Trust the node whose signed profile this is (its code was checked by a person)."""
        if profile.type != "node" or not profile.verify():
            raise entries.EntryError("bad_signature", "a pairing needs the node's signed profile")
        now = now or utcnow()
        current = self.peer(profile.author)
        state = current.state if current and current.trusted else PeerState.TRUSTED
        self._upsert(profile.author, profile.body["name"], address, b64u_decode(profile.body["tls_fp"]), state, now)
        self._vouch(profile.author, profile.body["name"], now)
        if current is None or not current.trusted:
            self.restart_checkpoints()
        return self.peer(profile.author)  # type: ignore[return-value]

    def note_seen(self, node_id: str, name: str, address: str, tls_fp: bytes, *, now: dt.datetime | None = None) -> Peer:
        """Remember a node we met (discovery, a refused request) without trusting it."""
        current = self.peer(node_id)
        if current is not None:
            if current.trusted and address and address != current.address:
                self.set_address(node_id, address)
            return self.peer(node_id) or current
        self._upsert(node_id, name, address, tls_fp, PeerState.SEEN, now or utcnow())
        return self.peer(node_id)  # type: ignore[return-value]

    def set_address(self, node_id: str, address: str) -> None:
        """Where a peer can be reached now."""
        with self.store.write() as conn:
            conn.execute("UPDATE peers SET address = ? WHERE node_id = ?", (address, node_id))

    def set_state(self, node_id: str, state: PeerState, *, now: dt.datetime | None = None) -> Peer:
        """Trust, make introducer, or demote a known peer to seen; blocking goes through :meth:`block`."""
        now = now or utcnow()
        current = self.peer(node_id)
        if current is None:
            raise UnknownPeer(node_id)
        if state is PeerState.BLOCKED:
            return self.block(node_id, now=now)
        with self.store.write() as conn:
            conn.execute("UPDATE peers SET state = ?, updated = ? WHERE node_id = ?",
                         (state.value, int(now.timestamp()), node_id))
            if current.state is PeerState.BLOCKED or _widens(current.state, state):
                # Who we take entries from changed: entries refused (or purged) before may now be
                # welcome, and every checkpoint is past them, so start over with all peers.
                conn.execute("DELETE FROM checkpoints")
        if state in (PeerState.TRUSTED, PeerState.INTRODUCER):
            self._vouch(node_id, current.name, now)
        else:
            self._revoke(node_id, now)
        return self.peer(node_id)  # type: ignore[return-value]

    def block(self, node_id: str, *, now: dt.datetime | None = None) -> Peer:
        """Refuse a node from now on: revoke our vouch and purge all its entries here."""
        now = now or utcnow()
        current = self.peer(node_id)
        if current is None:
            self._upsert(node_id, "", "", b"", PeerState.BLOCKED, now)
        else:
            with self.store.write() as conn:
                conn.execute("UPDATE peers SET state = 'blocked', updated = ? WHERE node_id = ?",
                             (int(now.timestamp()), node_id))
        self._revoke(node_id, now)
        self.store.purge_author(node_id)
        return self.peer(node_id)  # type: ignore[return-value]

    def unblock(self, node_id: str, *, now: dt.datetime | None = None) -> Peer:
        """Lift a block; the node is only ``seen`` until it is paired or trusted again."""
        return self.set_state(node_id, PeerState.SEEN, now=now)

    def restart_checkpoints(self) -> None:
        """Make the next round with every peer reconcile (after trust widened)."""
        with self.store.write() as conn:
            conn.execute("DELETE FROM checkpoints")

    def _vouch(self, subject: str, name: str, now: dt.datetime) -> None:
        peer = self.peer(subject)
        if peer is not None and peer.vouch_id:
            current = self.store.get(self.node.node_id, peer.vouch_id)
            if current is not None and current.type == "vouch":
                return
        body = {"subject": subject, **({"name": name[:60]} if name.strip() else {})}
        made = entries.make(self.node.keys.signing_seed, self.node.node_id, "vouch", body, now=now)
        self.store.apply(made, now=now)
        with self.store.write() as conn:
            conn.execute("UPDATE peers SET vouch_id = ? WHERE node_id = ?", (made.id, subject))

    def renew_vouches(self, *, now: dt.datetime | None = None) -> int:
        """Sign a fresh version of our vouches that expire within RENEW_BEFORE; return how many."""
        now = now or utcnow()
        renewed = 0
        for peer in self.peers():
            if not peer.trusted or not peer.vouch_id:
                continue
            current = self.store.get(self.node.node_id, peer.vouch_id)
            if current is None or current.type != "vouch":
                self._vouch(peer.node_id, peer.name, now)
                renewed += 1
            elif current.expires_at - now < RENEW_BEFORE:
                made = entries.revise(self.node.keys.signing_seed, current, current.body, now=now,
                                      expires=now + entries.DEFAULT_LIFETIME["vouch"])
                self.store.apply(made, now=now)
                renewed += 1
        return renewed

    def _revoke(self, subject: str, now: dt.datetime) -> None:
        peer = self.peer(subject)
        if peer is None or not peer.vouch_id:
            return
        current = self.store.get(self.node.node_id, peer.vouch_id)
        if current is not None and current.type == "vouch":
            self.store.apply(entries.tombstone(self.node.keys.signing_seed, current, now=now), now=now)
        with self.store.write() as conn:
            conn.execute("UPDATE peers SET vouch_id = NULL WHERE node_id = ?", (subject,))

    # ---- refusals --------------------------------------------------------------------------

    def record_refusals(self, source: str, reasons: Counter[str], *, now: dt.datetime | None = None) -> None:
        """Add refused entries (by reason) to the counts kept for one source."""
        if not reasons:
            return
        stamp = int((now or utcnow()).timestamp())
        with self.store.write() as conn:
            for reason, count in reasons.items():
                conn.execute("INSERT INTO refusals(source, reason, count, last) VALUES (?,?,?,?) "
                             "ON CONFLICT(source, reason) DO UPDATE SET count = count + excluded.count, "
                             "last = excluded.last", (source, reason, count, stamp))

    def refusals(self, sources: Iterable[str] | None = None) -> dict[str, Counter[str]]:
        """Refusal counts per source and reason."""
        with self.store.read() as conn:
            rows = conn.execute("SELECT source, reason, count FROM refusals").fetchall()
        wanted = set(sources) if sources is not None else None
        result: dict[str, Counter[str]] = {}
        for source, reason, count in rows:
            if wanted is None or source in wanted:
                result.setdefault(source, Counter())[reason] += count
        return result


# ---- signing-key hand-over (issue 8; the entry is described in docs/privacy.md) ----------------


def take_handovers(trust: Trust, *, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Let the successor key of a directly trusted peer take its place; block the retired key.

    A hand-over is a ``vouch`` with ``successor: true`` signed by the old key (its signature
    was checked on ingest). The new key gets the old one's state, name, address and pinned
    certificate, and our vouch, so nobody pairs again; the old key is blocked, so whatever it
    signs after the hand-over is refused, and its old entries (issued again under the new
    key) are purged. A local block of the new key wins. Returns (old, new) pairs taken.
    """
    taken: list[tuple[str, str]] = []
    for peer in trust.peers():
        if not peer.trusted:
            continue
        for vouch in trust.store.entries(types=["vouch"], author=peer.node_id):
            subject = vouch.body["subject"]
            if vouch.body.get("successor") is not True or subject in (peer.node_id, trust.node.node_id):
                continue
            if not _cosigned(vouch):
                # Only the key that takes over can say it does: a peer cannot hand its place
                # (and our trust) to a node nobody paired here (issue 14, attack 8).
                log.info("hand-over refused: key %s named %s without its signature", peer.node_id[:8], subject[:8])
                continue
            current = trust.peer(subject)
            if current is not None and current.state is PeerState.BLOCKED:
                continue
            moment = now or utcnow()
            if current is None:
                trust._upsert(subject, peer.name, peer.address, peer.tls_fp, peer.state, moment)
            elif not current.trusted:
                # A node we already know keeps its own name, address and pin: a hand-over cannot redirect it.
                trust._upsert(subject, current.name, current.address, current.tls_fp, peer.state, moment)
            trust._vouch(subject, peer.name, moment)
            trust.block(peer.node_id, now=moment)
            _note_handover(trust.store, peer, subject, moment)
            log.info("hand-over: key %s retired, successor %s", peer.node_id[:8], subject[:8])
            taken.append((peer.node_id, subject))
            break
    return taken


def _cosigned(vouch: Entry) -> bool:
    """Whether the hand-over carries the new key's signature over the successor statement."""
    try:
        signature = b64u_decode(str(vouch.body.get("successor_sig", "")))
        public = b64u_decode(vouch.body["subject"])
    except ValueError:
        return False
    return signing.verify(public, entries.successor_statement(vouch.author, vouch.body["subject"]), signature)


HANDOVERS_META = "trust.handovers"
# The coordinator sees the hand-overs of the last 90 days in `noticeboard peers`.
SHOW_HANDOVERS = dt.timedelta(days=90)


@dataclass(frozen=True)
class TakenHandover:
    """A key hand-over this node followed: who, from which key to which, and when."""

    name: str
    old: str
    new: str
    at: dt.datetime


def _note_handover(store: Store, peer: Peer, new: str, now: dt.datetime) -> None:
    kept = [h for h in json.loads(store.meta(HANDOVERS_META) or "[]")
            if now.timestamp() - float(h["at"]) < SHOW_HANDOVERS.total_seconds()]
    kept.append({"name": peer.name, "old": peer.node_id, "new": new, "at": int(now.timestamp())})
    store.set_meta(HANDOVERS_META, json.dumps(kept[-32:]))


def handovers(store: Store, *, now: dt.datetime | None = None) -> list[TakenHandover]:
    """The hand-overs followed here lately, oldest first (for the coordinator to see)."""
    stamp = (now or utcnow()).timestamp()
    return [TakenHandover(str(h["name"]), str(h["old"]), str(h["new"]), dt.datetime.fromtimestamp(int(h["at"]), dt.UTC))
            for h in json.loads(store.meta(HANDOVERS_META) or "[]")
            if stamp - float(h["at"]) < SHOW_HANDOVERS.total_seconds()]
