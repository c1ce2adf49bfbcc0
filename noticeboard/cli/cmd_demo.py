"""``demo``: a ready-made node with sample villages, opened at once."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from noticeboard.cli.context import Context
from noticeboard.clock import utcnow
from noticeboard.demo import COORDINATOR_PASSPHRASE, KEY_FILE, PRACTICE_VOLUNTEERS, build_demo, demo_folder
from noticeboard.i18n import t
from noticeboard.node import database_path


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("demo", help="set up a demo board with sample villages and open the kiosk on it")
    p.add_argument("--no-open", action="store_true", help="only set it up, print where it is")
    p.add_argument("--web", action="store_true", help="open the demo kiosk in this computer's web browser")
    from noticeboard.cli.cmd_kiosk import add_web_options

    add_web_options(p)
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    """Build the demo board (in --data-dir, else the fixed demo folder) once, and show it."""
    data_dir = Path(args.data_dir) if args.data_dir else demo_folder()
    if not database_path(data_dir).exists():
        build_demo(data_dir, now=utcnow())
    print(t("demo.ready", path=str(data_dir)))
    print(t("demo.desk", passphrase=COORDINATOR_PASSPHRASE,
            volunteers=", ".join(f"{n} {pin}" for n, (_, pin) in enumerate(PRACTICE_VOLUNTEERS, 1))))
    demo_ctx = Context(data_dir, data_dir / KEY_FILE)
    if args.no_open:
        return 0
    from noticeboard.cli.cmd_kiosk import run_kiosk, run_web_kiosk

    if args.web:
        import threading
        import webbrowser

        def open_browser(url: str) -> None:
            # Off the server's loop: finding and starting a browser may take a moment.
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

        return run_web_kiosk(demo_ctx, [], port=args.port, font_size=args.font_size, on_ready=open_browser)

    with demo_ctx.open_node() as node:
        return run_kiosk(node)
