"""The kiosk in a browser on this computer: textual-serve's app service and page scripts, on 127.0.0.1 only.

One session at a time: each browser connection runs the kiosk app in a child process with Textual's web driver
(textual-serve's ``AppService``); a second connection while one is open is closed with ``BUSY_CLOSE`` and the
page says "De kiosk is al in gebruik". Nothing is fetched from outside: the page, textual-serve's JavaScript and
its Roboto Mono font are served from here (textual-serve's own page links a web font; ours does not).
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import shlex
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from noticeboard.i18n import current_language, t

HOST = "127.0.0.1"
DEFAULT_PORT = 8741
DEFAULT_FONT_SIZE = 20
LARGE_FONT_RATIO = 1.5
# A browser whose connection was refused because another is open (a code for applications, RFC 6455 7.4.2).
BUSY_CLOSE = 4000
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebKiosk:
    """What the web kiosk serves: the command that runs one kiosk app, the port, and the font sizes."""

    command: list[str]
    port: int = DEFAULT_PORT
    font_size: int = DEFAULT_FONT_SIZE
    # Only for the kiosk app's process (a passphrase typed at the start), never for the page.
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Where a browser on this computer opens it."""
        return f"http://{HOST}:{self.port}/"

    @property
    def large_font_size(self) -> int:
        """The font size of 'Grote letters'."""
        return round(self.font_size * LARGE_FONT_RATIO)


class KioskService(AppService):
    """One kiosk app in a child process, with the environment the web kiosk was started with."""

    def __init__(self, kiosk: WebKiosk, **kwargs: Any) -> None:
        super().__init__(shlex.join(kiosk.command), **kwargs)
        self.extra_env = kiosk.env

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        # textual-serve's hook for the child's environment (its web driver, size); ours adds the unlock.
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_env)
        return environment


@dataclass
class Sessions:
    """Whether a browser has the kiosk now (the server runs on one event loop: no lock needed)."""

    busy: bool = False


KIOSK = web.AppKey("kiosk", WebKiosk)
SESSIONS = web.AppKey("sessions", Sessions)
DOWNLOADS = web.AppKey("downloads", DownloadManager)


def static_folder() -> Path:
    """textual-serve's JavaScript, style sheet and fonts, as installed with it."""
    return Path(str(files("textual_serve") / "static"))


def page_template() -> str:
    """The kiosk's page (package data beside the kiosk's styles)."""
    return (files("noticeboard.app.kiosk") / "web.html").read_text(encoding="utf-8")


def make_web_app(kiosk: WebKiosk) -> web.Application:
    """The aiohttp application: the page, the session's websocket, and the static files."""
    app = web.Application()
    app[KIOSK] = kiosk
    app[SESSIONS] = Sessions()
    app[DOWNLOADS] = DownloadManager()
    app.add_routes([
        web.get("/", page),
        web.get("/ws", session),
        web.static("/static", static_folder()),
    ])
    return app


def _from_here(request: web.Request) -> bool:
    """Addressed to this server by its own name, and (for the websocket) from its own page.

    The socket listens on 127.0.0.1 only; this also refuses a page from elsewhere that a browser here was
    tricked into opening (DNS rebinding, a cross-site websocket).
    """
    port = request.app[KIOSK].port
    names = {f"{HOST}:{port}", f"localhost:{port}"}
    if request.host not in names:
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin in {f"http://{name}" for name in names}


async def page(request: web.Request) -> web.Response:
    """The page: textual-serve's terminal, our fonts, the kiosk's texts and its font sizes."""
    if not _from_here(request):
        raise web.HTTPForbidden()
    kiosk = request.app[KIOSK]
    values = {
        "lang": current_language(),
        "title": "Buurthulp",
        "websocket": f"ws://{HOST}:{kiosk.port}/ws",
        "font_size": str(kiosk.font_size),
        "large_font_size": str(kiosk.large_font_size),
        "busy": t("kiosk.web.busy"),
        "ended": t("kiosk.web.ended"),
        "busy_close": str(BUSY_CLOSE),
    }
    text = page_template()
    for name, value in values.items():
        text = text.replace("{{ " + name + " }}", html.escape(value))
    return web.Response(text=text, content_type="text/html", headers={
        # Nothing from anywhere else, and no framing by another page.
        "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                   "style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:*; "
                                   "frame-ancestors 'none'",
        "Cache-Control": "no-store",
    })


async def session(request: web.Request) -> web.WebSocketResponse:
    """One visit: the kiosk app runs while this browser is connected; a second browser is refused."""
    if not _from_here(request):
        raise web.HTTPForbidden()
    socket = web.WebSocketResponse(heartbeat=15)
    await socket.prepare(request)
    sessions = request.app[SESSIONS]
    if sessions.busy:
        log.info("web kiosk: a second session was refused")
        await socket.close(code=BUSY_CLOSE, message=b"busy")
        return socket
    sessions.busy = True
    service = KioskService(request.app[KIOSK], write_bytes=socket.send_bytes, write_str=socket.send_str,
                           close=socket.close, download_manager=request.app[DOWNLOADS])
    try:
        await service.start(_number(request.query.get("width"), 80), _number(request.query.get("height"), 24))
        await _relay(socket, service)
    finally:
        # The app quits when its browser goes: nothing of the visit survives it.
        await service.stop()
        sessions.busy = False
    return socket


def _number(value: str | None, default: int) -> int:
    try:
        return max(1, min(1000, int(value or default)))
    except ValueError:
        return default


async def _relay(socket: web.WebSocketResponse, service: AppService) -> None:
    """What the page sends: keys and taps, its size, focus; the app's output goes back by the service."""
    async for message in socket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(_number(str(data.get("width")), 80), _number(str(data.get("height")), 24))
        elif kind == "ping":
            await socket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


async def serve(kiosk: WebKiosk, *, ready: Callable[[str], None] | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Serve until stop is set (or SIGTERM/SIGINT when no event is given); every session ends with it."""
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(make_web_app(kiosk), shutdown_timeout=5, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, HOST, kiosk.port, reuse_address=False)
        await site.start()
        if ready is not None:
            ready(kiosk.url)
        await stop.wait()
    finally:
        await runner.cleanup()


def kiosk_command(*, data_dir: Path, key_file: Path | None, kiosk_args: list[str]) -> list[str]:
    """The command that runs one kiosk app for a browser session (this Python, this node, these options)."""
    import sys

    command = [sys.executable, "-m", "noticeboard", "--data-dir", str(data_dir), "--lang", current_language()]
    if key_file is not None:
        command += ["--key-file", str(key_file)]
    return [*command, "kiosk", *kiosk_args]


def passphrase_env(passphrase: str | None) -> dict[str, str]:
    """A passphrase typed at the start, for the kiosk apps (only their environment; never on the page)."""
    return {} if passphrase is None else {"NOTICEBOARD_PASSPHRASE": passphrase}

