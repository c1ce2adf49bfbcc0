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
    p.add_argument("--set-exit-pin", action="store_true",
                   help="set the staff PIN that leaves kiosk mode (from NOTICEBOARD_KIOSK_PIN or asked)")
    p.set_defaults(func=cmd_kiosk)


def cmd_kiosk(args: argparse.Namespace, ctx: Context) -> int:
    """Open the kiosk on the node in the data folder (or set its exit PIN)."""
    from noticeboard.desk.exitpin import has_exit_pin, set_exit_pin

    with ctx.open_node() as node:
        if args.set_exit_pin:
            pin = os.environ.get("NOTICEBOARD_KIOSK_PIN") or getpass.getpass(t("kiosk.cli.pin_prompt"))
            if len(pin) < MIN_PIN or not pin.isdigit():
                raise CliError(t("kiosk.cli.pin_short"))
            set_exit_pin(node.store, pin)
            print(t("kiosk.cli.pin_set"))
            return 0
        if args.kiosk_mode and not has_exit_pin(node.store):
            print(t("kiosk.cli.no_pin"))
        return run_kiosk(node, kiosk_mode=args.kiosk_mode, idle_seconds=args.idle or _idle_setting(args, ctx),
                         contrast=args.contrast, large=args.large)


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
