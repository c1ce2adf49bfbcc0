"""``kiosk``: the resident kiosk on this node (``--kiosk-mode`` locks it down for a shared screen)."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from noticeboard.cli.context import CliError, Context
from noticeboard.i18n import t

MIN_PIN = 4


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("kiosk", help="open the resident kiosk (browse, ask, offer help)")
    p.add_argument("--kiosk-mode", action="store_true",
                   help="lock down: quit and suspend keys do nothing; staff leave with the PIN (F12)")
    p.add_argument("--idle", type=float, metavar="SECONDS",
                   help="back to the start screen after this many seconds without input "
                        "(default: [kiosk] idle_timeout in the settings file, else 90)")
    p.add_argument("--config", help="settings file (default: NOTICEBOARD_CONFIG or config.toml in the data folder)")
    p.add_argument("--contrast", action="store_true", help="start in the high-contrast theme")
    p.add_argument("--large", action="store_true", help="start with the larger-text layout")
    p.add_argument("--web", action="store_true",
                   help="serve the kiosk as a page for a browser on this computer (127.0.0.1 only), one visitor at a time")
    add_web_options(p)
    p.add_argument("--set-exit-pin", action="store_true",
                   help="set the staff PIN that leaves kiosk mode (from NOTICEBOARD_KIOSK_PIN or asked)")
    p.set_defaults(func=cmd_kiosk)


def cmd_kiosk(args: argparse.Namespace, ctx: Context) -> int:
    """Open the kiosk on the node in the data folder (or set its exit PIN)."""
    from noticeboard.desk.exitpin import has_exit_pin, set_exit_pin

    unlock = ctx.unlock()
    with ctx.open_node(unlock) as node:
        if args.set_exit_pin:
            pin = os.environ.get("NOTICEBOARD_KIOSK_PIN") or getpass.getpass(t("kiosk.cli.pin_prompt"))
            if len(pin) < MIN_PIN or not pin.isdigit():
                raise CliError(t("kiosk.cli.pin_short"))
            set_exit_pin(node.store, pin)
            print(t("kiosk.cli.pin_set"))
            return 0
        if args.kiosk_mode and not has_exit_pin(node.store):
            print(t("kiosk.cli.no_pin"))
        idle = args.idle or _idle_setting(args, ctx)
        if not args.web:
            return run_kiosk(node, kiosk_mode=args.kiosk_mode, idle_seconds=idle, contrast=args.contrast,
                             large=args.large)
    # The web kiosk's apps open the node themselves, one per browser session.
    kiosk_args = ["--idle", str(idle), *[flag for flag, on in (("--kiosk-mode", args.kiosk_mode),
                                                               ("--contrast", args.contrast),
                                                               ("--large", args.large)) if on]]
    if args.config:
        kiosk_args += ["--config", args.config]
    return run_web_kiosk(ctx, kiosk_args, port=args.port, font_size=args.font_size, passphrase=unlock.passphrase)


def add_web_options(p: Any) -> None:
    """--port and --font-size of the web kiosk (kiosk --web and demo --web)."""
    from noticeboard.app.web import DEFAULT_FONT_SIZE, DEFAULT_PORT

    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the web kiosk (default: 8741)")
    p.add_argument("--font-size", type=int, default=DEFAULT_FONT_SIZE, metavar="PX",
                   help="font size of the web kiosk in pixels (default: 20; 'Grote letters' makes it 1.5 times as big)")


def run_web_kiosk(ctx: Context, kiosk_args: list[str], *, port: int, font_size: int, passphrase: str | None = None,
                  on_ready: Any = None) -> int:
    """Serve the kiosk to a browser on this computer until stopped (Ctrl+C, SIGTERM)."""
    import asyncio

    from noticeboard.app.kiosk.logfile import logs_to_file
    from noticeboard.app.web import WebKiosk, kiosk_command, passphrase_env, serve

    if not 1 <= port <= 65535 or not 8 <= font_size <= 200:
        raise CliError(t("kiosk.web.bad_option"))
    # A passphrase asked once at the start (checked by opening the node) unlocks each session's app too.
    kiosk = WebKiosk(kiosk_command(data_dir=ctx.data_dir, key_file=ctx.key_file, kiosk_args=kiosk_args),
                     port=port, font_size=font_size, env=passphrase_env(passphrase))

    def ready(url: str) -> None:
        print(t("kiosk.web.ready", url=url), flush=True)
        if on_ready is not None:
            on_ready(url)

    with logs_to_file(ctx.data_dir):
        try:
            asyncio.run(serve(kiosk, ready=ready))
        except OSError as exc:
            raise CliError(t("kiosk.web.port_in_use", port=port)) from exc
    return 0


def _idle_setting(args: argparse.Namespace, ctx: Context) -> float:
    from noticeboard import settings
    from noticeboard.app.kiosk.context import DEFAULT_IDLE_SECONDS

    path = settings.settings_path(ctx.data_dir, args.config)
    if not path.exists():
        return DEFAULT_IDLE_SECONDS
    try:
        return settings.load(path).kiosk_idle_timeout
    except settings.SettingsError as exc:
        raise CliError(str(exc)) from exc


def run_kiosk(node: Any, **options: Any) -> int:
    """Run the kiosk app until staff leave it; non-zero when it ended on an error (outside kiosk mode)."""
    from noticeboard.app.kiosk.app import make_app
    from noticeboard.app.kiosk.logfile import logs_to_file

    app = make_app(node, **options)
    with logs_to_file(node.data_dir):
        app.run()
    return app.return_code or 0
