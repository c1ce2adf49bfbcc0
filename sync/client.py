"""The client side over HTTPS: signed requests to a pinned certificate, pairing, one round.

Every request after pairing pins the peer's certificate fingerprint (aiohttp
``Fingerprint``), so a server with another certificate on the same address is refused
before a byte of ours is sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import hashlib
import logging
import ssl
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp

from crypto.encoding import b64u_decode
from crypto.identity import fingerprint_code, normalise_code
from noticeboard import entry as entries
from noticeboard.clock import utcnow
from noticeboard.entry import Entry, EntryError
from noticeboard.node import Node
from noticeboard.trust import Peer, Trust
from sync import httpsig, wire
from sync.ingest import ingest
from sync.replication import PeerRefused, RoundSummary, run_round

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

log = logging.getLogger(__name__)

TIMEOUT_S = 30.0
# Idle connections stay open this long (the server keeps them a little longer, see sync.server).
KEEPALIVE_S = 900.0
# Headers we do not need: fewer bytes on every request.
_SKIP_HEADERS = ("User-Agent", "Accept-Encoding")
# How long the protocol version agreed with a peer is believed before /v1/hello is asked again
# (a peer that is upgraded is spoken to in its new version within the hour).
VERSION_TTL_S = 3600.0


class PairingRefused(Exception):
    """Pairing did not happen; ``reason`` is a stable code (code_mismatch, not_a_node, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PeerUnreachable(Exception):
    """The peer could not be reached, or its certificate is not the pinned one."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_session() -> aiohttp.ClientSession:
    """A client session for rounds with peers; keep one open so rounds reuse their TLS connections.

    A fresh TLS 1.3 handshake costs about 1.9 kB, more than a whole in-sync round, so a
    long-running service should pass one session to every :func:`sync_with`.
    """
    connector = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
                                 skip_auto_headers=_SKIP_HEADERS)


class _PinnedObject(ssl.SSLObject):
    """A TLS connection that checks the pinned certificate and keeps the newest session ticket."""

    context: PinnedContext

    def do_handshake(self) -> None:
        """Finish the handshake, then refuse any certificate but the pinned one (before a request goes out)."""
        super().do_handshake()
        der = self.getpeercert(binary_form=True)
        if der is None or hashlib.sha256(der).digest() != self.context.pin:
            raise ssl.SSLCertVerificationError("certificate does not match the pinned fingerprint")
        if self.session_reused:
            self.context.resumed += 1

    def read(self, len: int = 1024, buffer: WriteableBuffer | None = None) -> bytes:
        """Read, and note a session ticket the server sent (TLS 1.3 sends it after the handshake)."""
        data = super().read(len, buffer)
        session = self.session
        if session is not None and session.has_ticket and self.context.session is not session:
            self.context.session = session
        return data


class PinnedContext(ssl.SSLContext):
    """Client TLS 1.3 context for one peer certificate, resuming the last session (a ticket) on new connections.

    A full handshake with the node's certificate costs about 1.8 kB; a resumed one a few hundred bytes.
    The certificate is still checked on every connection: a resumed session carries the peer's certificate.
    """

    pin: bytes
    session: ssl.SSLSession | None
    # Connections that resumed a kept session (for status and tests).
    resumed: int

    def wrap_bio(self, incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO, server_side: bool = False,
                 server_hostname: str | bytes | None = None, session: ssl.SSLSession | None = None) -> ssl.SSLObject:
        """As SSLContext.wrap_bio, offering the kept session when none is given."""
        return super().wrap_bio(incoming, outgoing, server_side, server_hostname, session or self.session)


@functools.lru_cache(maxsize=256)
def _pin(tls_fp: bytes) -> PinnedContext:
    # One context per certificate: aiohttp pools connections by the ``ssl`` argument's identity,
    # and the context keeps that peer's session ticket between rounds and connections.
    context = PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    # No CA chain: the pin is the check (see _PinnedObject.do_handshake).
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.sslobject_class = _PinnedObject
    context.pin = tls_fp
    context.session = None
    context.resumed = 0
    return context


def pinned_context(tls_fp: bytes) -> PinnedContext:
    """The client TLS context used for the peer with this certificate fingerprint (shared by all rounds)."""
    return _pin(tls_fp)


@dataclass
class WireCount:
    """Bytes of bodies and headers, both ways (approximate for headers: names, values, separators)."""

    body_out: int = 0
    body_in: int = 0
    headers_out: int = 0
    headers_in: int = 0

    @property
    def total(self) -> int:
        """Everything counted, both ways."""
        return self.body_out + self.body_in + self.headers_out + self.headers_in


class HttpsTransport:
    """Signed requests to one paired peer, its certificate pinned."""

    def __init__(self, node: Node, peer: Peer, session: aiohttp.ClientSession) -> None:
        if not peer.address or len(peer.tls_fp) != 32:
            raise PeerUnreachable("no_address")
        self.node = node
        self.peer = peer
        self.session = session
        self.pin = _pin(peer.tls_fp)
        self.count = WireCount()

    async def call(self, path: str, body: bytes, content_type: str) -> bytes:
        """POST a signed request and return the answer's body; raises PeerRefused or PeerUnreachable."""
        url = f"https://{self.peer.address}{path}"
        headers = httpsig.sign_request(self.node.keys.signing_seed, self.node.node_id, "POST", url, body,
                                       int(utcnow().timestamp()))
        headers["Content-Type"] = content_type
        try:
            async with self.session.post(url, data=body, headers=headers, ssl=self.pin) as response:
                answer = await response.read()
                self.count.body_out += len(body)
                self.count.body_in += len(answer)
                self.count.headers_out += sum(len(k) + len(v) + 4 for k, v in response.request_info.headers.items())
                self.count.headers_in += sum(len(k) + len(v) + 4 for k, v in response.raw_headers)
                if response.status != 200:
                    reason = _reason(answer)
                    offset = _clock_offset(response.headers.get("Date")) if reason == "stale" else None
                    raise PeerRefused(response.status, reason, clock_offset_s=offset)
                return answer
        except (aiohttp.ServerFingerprintMismatch, aiohttp.ClientConnectorCertificateError) as exc:
            raise PeerUnreachable("certificate_mismatch") from exc
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            raise PeerUnreachable("unreachable") from exc


    async def hello_versions(self) -> tuple[int, ...]:
        """The protocol versions the peer serves, from its ``/v1/hello`` (pinned; no versions listed: 1 only)."""
        url = f"https://{self.peer.address}/v1/hello"
        try:
            async with self.session.get(url, ssl=self.pin) as response:
                body = await response.read()
                self.count.body_in += len(body)
                if response.status != 200:
                    raise PeerRefused(response.status, _reason(body))
        except (aiohttp.ServerFingerprintMismatch, aiohttp.ClientConnectorCertificateError) as exc:
            raise PeerUnreachable("certificate_mismatch") from exc
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            raise PeerUnreachable("unreachable") from exc
        return versions_in(body)


def versions_in(hello_body: bytes) -> tuple[int, ...]:
    """The versions a hello answer lists; a version 1 node lists none (it says only ``"proto": 1``)."""
    try:
        listed = wire.loads_object(hello_body).get("versions", [1])
    except wire.WireError:
        return (1,)
    if not isinstance(listed, list):
        return (1,)
    return tuple(v for v in listed if isinstance(v, int) and not isinstance(v, bool)) or (1,)


def choose_version(theirs: tuple[int, ...], ours: tuple[int, ...] = wire.VERSIONS) -> int:
    """The highest protocol version both sides speak (1 if they share none: every node serves it)."""
    shared = set(theirs) & set(ours)
    return max(shared) if shared else 1


# Agreed version per (address, certificate): (version, monotonic time it was learnt).
_agreed: dict[tuple[str, bytes], tuple[int, float]] = {}


async def agreed_version(transport: HttpsTransport, ours: tuple[int, ...] = wire.VERSIONS) -> int:
    """The version to speak with the transport's peer: asked once an hour, remembered in between."""
    key = (transport.peer.address, transport.peer.tls_fp)
    known = _agreed.get(key)
    if known is not None and time.monotonic() - known[1] < VERSION_TTL_S:
        return known[0]
    version = choose_version(await transport.hello_versions(), ours)
    _agreed[key] = (version, time.monotonic())
    return version


def forget_version(peer: Peer) -> None:
    """Ask the peer's versions again before the next round (it answered a path as not found)."""
    _agreed.pop((peer.address, peer.tls_fp), None)


def _clock_offset(date_header: str | None) -> int | None:
    """Seconds our clock is ahead of a server's, from the Date header of its answer (None if it sent none)."""
    if not date_header:
        return None
    try:
        theirs = email.utils.parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    if theirs.tzinfo is None:
        return None
    return int((utcnow() - theirs).total_seconds())


def _reason(body: bytes) -> str:
    try:
        value = wire.loads_object(body).get("error")
    except wire.WireError:
        return "error"
    return str(value) if value else "error"


async def fetch_profile(address: str, *, pin: bytes | None = None) -> Entry:
    """The signed profile a node at host:port serves, checked; without a pin any certificate is read."""
    async with open_session() as session:
        try:
            ssl_arg: aiohttp.Fingerprint | bool = aiohttp.Fingerprint(pin) if pin else False
            async with session.get(f"https://{address}/v1/hello", ssl=ssl_arg) as response:
                body = await response.read()
        except aiohttp.ServerFingerprintMismatch as exc:
            raise PeerUnreachable("certificate_mismatch") from exc
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            raise PeerUnreachable("unreachable") from exc
    try:
        profile = entries.validate(wire.loads_object(body).get("node"))
        entries.check_signature(profile)
    except (wire.WireError, EntryError) as exc:
        raise PairingRefused("not_a_node") from exc
    if profile.type != "node":
        raise PairingRefused("not_a_node")
    return profile


async def pair(node: Node, address: str, code: str, *, now: dt.datetime | None = None) -> Peer:
    """Trust the node at host:port if its fingerprint code is the one a person read out there."""
    profile = await fetch_profile(address)
    if normalise_code(code) != fingerprint_code(b64u_decode(profile.author)):
        raise PairingRefused("code_mismatch")
    if profile.author == node.node_id:
        raise PairingRefused("self")
    # The profile is signed by the key whose code matched; its certificate fingerprint is
    # now trustworthy, so prove the server holds that very certificate before trusting it.
    await fetch_profile(address, pin=b64u_decode(profile.body["tls_fp"]))
    trust = Trust(node)
    peer = await asyncio.to_thread(trust.pair, profile, address, now=now)
    await asyncio.to_thread(ingest, node, [profile], source=profile.author, now=now)
    return peer


async def sync_with(node: Node, peer: Peer, *, now: dt.datetime | None = None,
                    session: aiohttp.ClientSession | None = None,
                    versions: tuple[int, ...] = wire.VERSIONS) -> tuple[RoundSummary, WireCount]:
    """One replication round with a paired peer over HTTPS (in ``session`` if given, to reuse connections).

    The round speaks the highest protocol version of ``versions`` (ours; tests pass ``(1,)`` to
    act as a version 1 node) that the peer's ``/v1/hello`` lists.
    """
    if session is not None:
        return await _round(node, peer, session, now, versions)
    async with open_session() as own:
        return await _round(node, peer, own, now, versions)


async def _round(node: Node, peer: Peer, session: aiohttp.ClientSession, now: dt.datetime | None,
                 versions: tuple[int, ...]) -> tuple[RoundSummary, WireCount]:
    transport = HttpsTransport(node, peer, session)
    version = 1 if versions == (1,) else await agreed_version(transport, versions)
    try:
        return await run_round(node, peer.node_id, transport, now=now, version=version), transport.count
    except PeerRefused as exc:
        if exc.status != 404 or version == 1:
            raise
    # The peer no longer serves that version (an older program restored there): ask again next time,
    # and speak version 1 now, which every node serves.
    forget_version(peer)
    return await run_round(node, peer.node_id, transport, now=now, version=1), transport.count
