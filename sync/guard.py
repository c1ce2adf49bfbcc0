"""The peer server's front door: each connection is counted, timed and capped before aiohttp reads it.

asyncio's own TLS server gives a connection 60 s for its handshake, then no deadline at all for
the request headers, no cap on connections, and logs every failed accept when file descriptors
run out (issue 14, attack 5: 1,011 idle connections took all 1,024 descriptors and 508 MB of log).
Here the listening socket is our own:

- the TLS handshake must finish within ``handshake_s`` and each request's headers within
  ``header_s`` (counted from the connection, or from the first byte of the next request on a
  kept connection), else the connection is dropped;
- request headers larger than ``max_header_bytes`` are answered 431 and the connection closed;
- at most ``max_per_address`` connections from one address (more are closed at once) and
  ``max_connections`` in all: a newcomer past the cap pushes out the connection that has waited
  longest without sending a complete request, so idle connections never lock out a peer that
  talks;
- when accepting fails for want of descriptors or memory, the loop frees an idle connection,
  waits a little longer each time, and logs one line a minute with the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import ssl
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.web_runner import BaseRunner, BaseSite

from sync import memory

log = logging.getLogger(__name__)

RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
LOG_EVERY_S = 60.0
_TOO_LARGE = b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
_END = b"\r\n\r\n"


@dataclass(frozen=True)
class Limits:
    """How long and how many; ``[sync] header_timeout``, ``max_connections``, ``max_connections_per_address``."""

    handshake_s: float = 10.0
    header_s: float = 10.0
    max_connections: int = 256
    max_per_address: int = 16
    max_header_bytes: int = 16 * 1024
    # TLS handshakes in progress at once from addresses no paired peer has used lately: each
    # costs the event loop a key exchange, so a flood of them cannot starve a peer's round.
    max_handshakes: int = 32
    # ... and how many such handshakes may start per second (a burst of twice that is allowed).
    # Refusing the rest at accept costs nothing; a paired peer's address is never counted here.
    stranger_rate: float = 20.0


class KnownHosts:
    """Addresses a paired peer's signed request came from lately (``sync.server`` vouches for them).

    Their connections are taken in even while strangers' handshakes are at their limit, and
    pushed out last.
    """

    def __init__(self, remember_s: float = 6 * 3600.0) -> None:
        self.remember_s = remember_s
        self._until: dict[str, float] = {}

    def vouch(self, host: str) -> None:
        """A paired peer just spoke from this address."""
        if len(self._until) >= 1024:  # never a table an attacker could grow: only paired peers get here
            now = time.monotonic()
            self._until = {h: u for h, u in self._until.items() if u > now}
        self._until[host] = time.monotonic() + self.remember_s

    def __contains__(self, host: object) -> bool:
        until = self._until.get(str(host))
        return until is not None and until > time.monotonic()


class _Conn:
    """One accepted connection, from accept to close."""

    __slots__ = ("address", "deadline", "known", "released", "shaking", "task", "transport")

    def __init__(self, address: str, known: bool) -> None:
        self.address = address
        self.known = known
        self.shaking = True
        self.transport: asyncio.Transport | None = None
        self.task: asyncio.Task[Any] | None = None
        self.deadline: asyncio.TimerHandle | None = None
        self.released = False

    def drop(self) -> None:
        """Free the connection at once (no TLS goodbye: the other side may never read it)."""
        if self.deadline is not None:
            self.deadline.cancel()
        if self.transport is not None:
            self.transport.abort()
        elif self.task is not None:
            self.task.cancel()


class Listener:
    """Accepts connections on one socket for an aiohttp ``web.Server``, within :class:`Limits`."""

    def __init__(self, sock: socket.socket, factory: web.Server, context: ssl.SSLContext, limits: Limits,
                 known: KnownHosts | None = None) -> None:
        self.known = known or KnownHosts()
        self._strangers_shaking = 0
        self._tokens = 2 * limits.stranger_rate
        self._tokens_at = time.monotonic()
        self._sock = sock
        self._factory = factory
        self._context = context
        self.limits = limits
        self._all: set[_Conn] = set()
        self._per_address: defaultdict[str, int] = defaultdict(int)
        # Per address, connections that have not sent a complete request (oldest first); then the
        # kept idle ones. Pushing out from the address with the most of them spares a peer that
        # holds one connection while an attacker holds many.
        self._fresh: dict[str, OrderedDict[_Conn, None]] = {}
        self._idle: OrderedDict[_Conn, None] = OrderedDict()
        self._high = 0
        self._task: asyncio.Task[None] | None = None
        self._exhausted = 0
        self._logged_at = -LOG_EVERY_S
        self.refused = 0
        self.dropped = 0

    @property
    def sockets(self) -> list[socket.socket]:
        """The listening socket (what aiohttp's ``runner.addresses`` reads)."""
        return [self._sock]

    @property
    def open_connections(self) -> int:
        """Connections held now."""
        return len(self._all)

    def start(self) -> None:
        """Start accepting inside the running loop."""
        memory.keep_big_buffers_apart()
        self._task = asyncio.get_running_loop().create_task(self._accept_loop(), name="peer-accept")

    def close(self) -> None:
        """Stop accepting and drop connections still in their handshake (aiohttp closes the rest)."""
        for conn in list(self._all):
            if conn.transport is None:
                conn.drop()
        if self._task is None:
            self._sock.close()
            return
        # Closed once the accept loop has let go of it, or a pending accept sees a dead descriptor.
        self._task.add_done_callback(lambda _: self._sock.close())
        self._task.cancel()

    async def wait_closed(self) -> None:
        """Wait for the accept loop to end."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    # ---- accepting -------------------------------------------------------------------------

    async def _accept_loop(self) -> None:
        loop = asyncio.get_running_loop()
        pause = 0.0
        while True:
            try:
                sock, peer = await loop.sock_accept(self._sock)
            except OSError as exc:
                if exc.errno not in RESOURCE_ERRORS:
                    raise
                self._note_exhausted(exc)
                self._push_out_one()  # frees a descriptor for the next try
                pause = min(max(pause * 2, 0.05), 1.0)
                await asyncio.sleep(pause)
                continue
            pause = 0.0
            self._admit(sock, str(peer[0]))

    def _note_exhausted(self, exc: OSError) -> None:
        self._exhausted += 1
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_S:
            log.warning("event=accept_exhausted count=%d reason=%s open=%d", self._exhausted,
                        errno.errorcode.get(exc.errno or 0, "?"), len(self._all))
            self._logged_at, self._exhausted = now, 0

    def _admit(self, sock: socket.socket, address: str) -> None:
        known = address in self.known
        full_here = self._per_address[address] >= self.limits.max_per_address
        if (not known and not self._stranger_may_start()) or (
                full_here and not self._push_out_one(address)) or (
                len(self._all) >= self.limits.max_connections and not self._push_out_one()):
            self.refused += 1
            sock.close()
            return
        conn = _Conn(address, known)
        if not known:
            self._strangers_shaking += 1
        self._all.add(conn)
        self._high = max(self._high, len(self._all))
        self._per_address[address] += 1
        self._fresh.setdefault(address, OrderedDict())[conn] = None
        conn.task = asyncio.get_running_loop().create_task(self._handshake(sock, conn))

    def _stranger_may_start(self) -> bool:
        if self._strangers_shaking >= self.limits.max_handshakes:
            return False
        now = time.monotonic()
        rate = self.limits.stranger_rate
        self._tokens = min(2 * rate, self._tokens + (now - self._tokens_at) * rate)
        self._tokens_at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def shaken(self, conn: _Conn) -> None:
        """The handshake of a connection is over (done, failed or cut short)."""
        if conn.shaking:
            conn.shaking = False
            if not conn.known:
                self._strangers_shaking -= 1

    async def _handshake(self, sock: socket.socket, conn: _Conn) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.connect_accepted_socket(lambda: _Guarded(self, conn, self._factory()), sock,
                                               ssl=self._context, ssl_handshake_timeout=self.limits.handshake_s)
        except (OSError, ssl.SSLError, TimeoutError, asyncio.CancelledError):
            # A failed or cut-short handshake: the other side gets nothing, we keep nothing.
            sock.close()
            self.release(conn)

    def _push_out_one(self, address: str | None = None) -> bool:
        """Drop one connection that has not sent a request (of ``address``, else of the address
        holding most such connections), else the longest idle kept one (of ``address`` if given).
        False if all are working."""
        if address is not None:
            waiting = self._fresh.get(address)
            # Else this address's longest idle kept connection: kept-alive ones count toward its
            # cap too, and must not lock out its next connection (issue 14).
            victim = next(iter(waiting)) if waiting else next((c for c in self._idle if c.address == address), None)
        elif self._fresh:
            busiest = max(self._fresh, key=lambda a: (a not in self.known, len(self._fresh[a]), self._per_address[a]))
            victim = next(iter(self._fresh[busiest]))
        else:
            victim = next(iter(self._idle)) if self._idle else None
        if victim is None:
            return False
        self.dropped += 1
        victim.drop()
        self.release(victim)
        return True

    # ---- bookkeeping (called by _Guarded) --------------------------------------------------------

    def waiting(self, conn: _Conn) -> None:
        """The connection owes us the headers of a request, from now on."""
        self._idle.pop(conn, None)
        self._fresh.setdefault(conn.address, OrderedDict())[conn] = None
        if conn.deadline is not None:
            conn.deadline.cancel()
        conn.deadline = asyncio.get_running_loop().call_later(self.limits.header_s, self._too_slow, conn)

    def _unfresh(self, conn: _Conn) -> None:
        waiting = self._fresh.get(conn.address)
        if waiting is not None:
            waiting.pop(conn, None)
            if not waiting:
                del self._fresh[conn.address]

    def working(self, conn: _Conn) -> None:
        """A request's headers are in: the body has its own deadline (sync.server.BODY_TIMEOUT_S)."""
        self._unfresh(conn)
        self._idle.pop(conn, None)
        if conn.deadline is not None:
            conn.deadline.cancel()
            conn.deadline = None

    def resting(self, conn: _Conn) -> None:
        """The request is all in; the connection may be kept for the next one."""
        self._unfresh(conn)
        self._idle[conn] = None
        self._idle.move_to_end(conn)

    def _too_slow(self, conn: _Conn) -> None:
        self.dropped += 1
        conn.drop()
        self.release(conn)

    def release(self, conn: _Conn) -> None:
        """Forget a closed connection (once)."""
        if conn.released:
            return
        conn.released = True
        self.shaken(conn)
        if conn.deadline is not None:
            conn.deadline.cancel()
        self._all.discard(conn)
        self._unfresh(conn)
        self._idle.pop(conn, None)
        self._per_address[conn.address] -= 1
        if self._per_address[conn.address] <= 0:
            del self._per_address[conn.address]
        if self._high >= 64 and len(self._all) <= self._high // 4:
            # A flood has gone: hand the memory its TLS buffers took back to the system.
            self._high = len(self._all)
            memory.give_back()


class _Guarded(asyncio.Protocol):
    """aiohttp's protocol for one connection, with its header deadline and size limit in front."""

    def __init__(self, listener: Listener, conn: _Conn, inner: asyncio.Protocol) -> None:
        self._listener = listener
        self._conn = conn
        self._inner = inner
        self._head = b""
        self._body_left = 0
        self._in_head = True
        self._tracking = True
        self._waiting = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._conn.transport = transport
        self._listener.shaken(self._conn)
        self._listener.waiting(self._conn)
        self._waiting = True
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._tracking and not self._track(data):
            return
        self._inner.data_received(data)

    def _track(self, data: bytes) -> bool:
        """Follow request boundaries (headers, then Content-Length bytes); False when refused."""
        view = memoryview(data)
        while view:
            if not self._in_head:
                take = min(self._body_left, len(view))
                self._body_left -= take
                view = view[take:]
                if self._body_left == 0:
                    self._listener.resting(self._conn)
                    self._in_head = True
                continue
            if not self._waiting:
                self._listener.waiting(self._conn)
                self._waiting = True
            # Only the tail of the previous chunk can hold the start of the blank line.
            before = max(len(self._head) - 3, 0)
            self._head += bytes(view)
            end = self._head.find(_END, before)
            if end < 0:
                if len(self._head) > self._listener.limits.max_header_bytes:
                    self._refuse()
                    return False
                return True
            if end > self._listener.limits.max_header_bytes:
                self._refuse()
                return False
            rest = len(self._head) - end - len(_END)
            length = _content_length(self._head[:end])
            view = view[len(view) - rest:] if rest else view[len(view):]
            self._head = b""
            self._waiting = False
            self._listener.working(self._conn)
            if length is None:
                # Chunked or unreadable: leave the rest to aiohttp (its body deadline still holds).
                self._tracking = False
                return True
            self._in_head, self._body_left = False, length
            if length == 0:
                self._listener.resting(self._conn)
                self._in_head = True
        return True

    def _refuse(self) -> None:
        transport = self._conn.transport
        if transport is not None:
            transport.write(_TOO_LARGE)
            transport.close()
        self._tracking = False

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._listener.release(self._conn)
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


def _content_length(head: bytes) -> int | None:
    """The body length a request's headers announce: 0 if none, None if chunked or unreadable."""
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                return None
            if length < 0:
                return None
    return length


class GuardedSite(BaseSite):
    """An aiohttp site on a :class:`Listener` (``runner.addresses`` and ``runner.cleanup`` work as usual)."""

    __slots__ = ("_host", "_known", "_limits", "_port")

    def __init__(self, runner: BaseRunner, host: str, port: int, *, ssl_context: ssl.SSLContext,
                 limits: Limits, known: KnownHosts, backlog: int = 128) -> None:
        super().__init__(runner, ssl_context=ssl_context, backlog=backlog)
        self._host, self._port, self._limits, self._known = host, port, limits, known

    @property
    def name(self) -> str:
        return f"https://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.create_server((self._host, self._port), family=family, backlog=self._backlog)
        sock.setblocking(False)
        server = self._runner.server
        assert server is not None and self._ssl_context is not None
        listener = Listener(sock, server, self._ssl_context, self._limits, self._known)
        listener.start()
        self._server = listener  # type: ignore[assignment]

    @property
    def listener(self) -> Listener:
        """The listener, once started."""
        assert isinstance(self._server, Listener)
        return self._server
