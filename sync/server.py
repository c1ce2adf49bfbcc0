"""The peer server: aiohttp over TLS 1.3 with the node's own certificate.

``GET /v1/hello`` answers anyone with this node's signed public profile (what pairing
needs). Every other endpoint needs an RFC 9421 signature from a directly paired peer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import tempfile
from pathlib import Path

from aiohttp import web

from crypto import tls
from crypto.encoding import b64u_decode
from crypto.identity import key_digest
from noticeboard.clock import utcnow
from noticeboard.node import Node
from noticeboard.trust import PeerState, Trust
from sync import httpsig, wire
from sync.feed import PeerFeed, answer, endpoints
from sync.guard import GuardedSite, KnownHosts, Limits, Listener
from sync.httpsig import NonceCache, SignatureRefused
from sync.replication import may_connect
from sync.wire import WireError

log = logging.getLogger(__name__)

NODE_KEY = web.AppKey("node", Node)
FEED_KEY = web.AppKey("feed", PeerFeed)
NONCES_KEY = web.AppKey("nonces", NonceCache)
KNOWN_KEY = web.AppKey("known_hosts", KnownHosts)
VERSIONS_KEY: web.AppKey[tuple[int, ...]] = web.AppKey("versions")
SHUTDOWN_TIMEOUT_S = 5.0
# A paired peer that trickles its body (a broken link, or on purpose) gives up its connection.
BODY_TIMEOUT_S = 30.0
# Longer than the client's (sync.client.KEEPALIVE_S): a client never reuses a connection we just closed.
KEEPALIVE_S = 960.0
# Our requests carry about ten headers; a few dozen is plenty for any honest client.
MAX_HEADERS = 32


def server_ssl_context(node: Node) -> ssl.SSLContext:
    """A TLS 1.3-only server context with the node's self-signed certificate."""
    key_der = node.store.secret("tls_key")
    if key_der is None:
        raise RuntimeError("this node has no TLS key")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    # One session ticket per handshake (OpenSSL sends two by default): the client keeps only the newest.
    context.num_tickets = 1
    password = os.urandom(24).hex().encode()
    # load_cert_chain only reads files; the key is written encrypted and removed at once.
    with tempfile.TemporaryDirectory(prefix="bh-tls-") as folder:
        cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
        cert_path.write_bytes(tls.certificate_pem(node.tls_certificate))
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(tls.private_key_pem(key_der, password))
        context.load_cert_chain(cert_path, key_path, password=password)
    return context


def _error(status: int, reason: str) -> web.Response:
    return web.Response(status=status, body=wire.dumps({"error": reason}), content_type=wire.JSON)


async def hello(request: web.Request) -> web.Response:
    """This node's signed profile and the protocol versions it serves (no authentication: it is public)."""
    node = request.app[NODE_KEY]
    served: tuple[int, ...] = request.app[VERSIONS_KEY]
    versions = sorted(served)
    profile = await asyncio.to_thread(node.profile_entry)
    # "proto" stays 1 as version 1 wrote it (a peer of that version may insist on it); "versions" is what
    # a version 2 client reads.
    return web.Response(body=wire.dumps({"proto": 1, "versions": versions, "node": profile.to_wire()}),
                        content_type=wire.JSON)


async def _authenticate(request: web.Request) -> tuple[str, bytes]:
    """The requester's node key and the request body, or raise SignatureRefused."""
    node = request.app[NODE_KEY]
    signed = httpsig.parse(request.headers)
    target = f"{request.scheme}://{request.host}{request.path_qs}"
    # The signature first: without the key nobody learns whether that key is paired, blocked or
    # unknown here. Those last two get the same answer after the same two lookups.
    httpsig.check_signature(signed, request.method, target)
    peer = await asyncio.to_thread(Trust(node).peer, signed.keyid)
    allowed = await asyncio.to_thread(may_connect, node, signed.keyid)
    if not allowed or (peer is not None and peer.state is PeerState.BLOCKED):
        raise SignatureRefused("unknown_key", 403)
    now = int(utcnow().timestamp())
    httpsig.check_time(signed, now)
    if request.content_length is not None and request.content_length > wire.MAX_BODY_BYTES:
        raise SignatureRefused("too_large", 413)
    try:
        body = await asyncio.wait_for(request.read(), BODY_TIMEOUT_S)
    except TimeoutError as exc:
        raise SignatureRefused("timeout", 408) from exc
    httpsig.check_digest(signed, body)
    request.app[NONCES_KEY].admit(signed.keyid, signed.nonce, signed.created, now)
    return signed.keyid, body


async def exchange(request: web.Request) -> web.Response:
    """Any signed replication endpoint: authenticate, then answer from the feed."""
    try:
        requester, body = await _authenticate(request)
    except SignatureRefused as exc:
        log.info("refused request: %s", exc.reason)
        return _error(exc.status, exc.reason)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "too_large")
    try:
        content_type, answer_body = await asyncio.to_thread(answer, request.app[FEED_KEY], request.path,
                                                            requester, body)
    except WireError as exc:
        log.info("malformed request from %s: %s", key_digest(b64u_decode(requester)), exc.reason)
        return _error(400, exc.reason)
    if request.remote:
        # A paired peer spoke from here: its next connections get in even under a flood.
        request.app[KNOWN_KEY].vouch(request.remote)
    return web.Response(body=answer_body, content_type=content_type)


async def _plain_server_header(request: web.Request, response: web.StreamResponse) -> None:
    # The default Server header names Python and aiohttp versions: bytes on every answer, and a fingerprint.
    response.headers["Server"] = "buurthulp"


def make_app(node: Node, versions: tuple[int, ...] = wire.VERSIONS) -> web.Application:
    """The peer server application for one node, serving these protocol versions (tests serve only 1)."""
    app = web.Application(client_max_size=wire.MAX_BODY_BYTES)
    app[NODE_KEY] = node
    app[VERSIONS_KEY] = versions
    app[FEED_KEY] = PeerFeed(node)
    app[NONCES_KEY] = NonceCache()
    app[KNOWN_KEY] = KnownHosts()
    app.router.add_get("/v1/hello", hello)
    for path in endpoints(versions):
        app.router.add_post(path, exchange)
    app.on_response_prepare.append(_plain_server_header)
    return app


async def start_server(node: Node, host: str = "127.0.0.1", port: int = 0, *,
                       limits: Limits | None = None, versions: tuple[int, ...] = wire.VERSIONS) -> web.AppRunner:
    """Start serving peers on host:port inside the running loop; stop with :func:`stop_server`."""
    limits = limits or Limits()
    runner = web.AppRunner(make_app(node, versions), shutdown_timeout=SHUTDOWN_TIMEOUT_S, access_log=None,
                           keepalive_timeout=KEEPALIVE_S, max_headers=MAX_HEADERS,
                           max_line_size=limits.max_header_bytes, max_field_size=limits.max_header_bytes)
    await runner.setup()
    # Reads the TLS key from the store and writes two temporary files: not on the loop.
    context = await asyncio.to_thread(server_ssl_context, node)
    site = GuardedSite(runner, host, port, ssl_context=context, limits=limits, known=runner.app[KNOWN_KEY])
    await site.start()
    return runner


def listener_of(runner: web.AppRunner) -> Listener:
    """The listener of a server started by :func:`start_server` (its counts, for status and tests)."""
    for site in runner.sites:
        if isinstance(site, GuardedSite):
            return site.listener
    raise RuntimeError("server is not listening")


def bound_port(runner: web.AppRunner) -> int:
    """The port a started server listens on (useful after asking for port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    raise RuntimeError("server is not listening")


async def stop_server(runner: web.AppRunner) -> None:
    """Stop a server started by :func:`start_server` and wait for it to close."""
    await runner.cleanup()
