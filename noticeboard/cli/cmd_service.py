"""``status`` and ``doctor``: is the always-on service working, and if not, why; and the service behind ``serve``."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import json
from dataclasses import replace
from typing import Any

from noticeboard.cli.context import CliError, Context
from noticeboard.i18n import set_language, t, tn
from noticeboard.node import database_path


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("status", help="what the sync service is doing: centres seen, last sync, counts")
    p.add_argument("--json", action="store_true", help="print the status as JSON (for monitoring)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("doctor", help="check for the usual reasons sync does not work, and say what to do")
    p.add_argument("--config", help="settings file (default: NOTICEBOARD_CONFIG or config.toml in the data folder)")
    p.set_defaults(func=cmd_doctor)


def load_config(ctx: Context, explicit: str | None) -> Any:
    """The node's settings, or a clear error naming the file and the wrong value."""
    from noticeboard.settings import SettingsError, settings_path
    from sync.config import load

    try:
        return load(settings_path(ctx.data_dir, explicit))
    except SettingsError as exc:
        raise CliError(t("service.error.config", path=str(exc.path), detail=exc.detail)) from exc


def run_serve(args: argparse.Namespace, ctx: Context) -> int:
    """``noticeboard serve``: the whole service (server, discovery, periodic sync, drop folder) until SIGTERM."""
    from noticeboard.privacy import handover, rekey
    from noticeboard.supervisor import serve

    config = load_config(ctx, getattr(args, "config", None))
    if not args.lang:
        set_language(config.language)
    changes: dict[str, Any] = {}
    if getattr(args, "host", None):
        changes["listen"] = args.host
    if getattr(args, "port", None) is not None:
        changes["port"] = args.port
    if getattr(args, "no_discovery", False):
        changes["mdns_enabled"] = False
    config = replace(config, **changes)

    unlock = ctx.unlock()
    # Key changes cut short by a power cut are finished before the service starts.
    rekey.finish_pending(database_path(ctx.data_dir), unlock)
    with ctx.open_node(unlock) as node:
        handover.finish_handover(node)

        def announce(port: int) -> None:
            print(t("sync.serve.listening", address=f"{config.listen}:{port}", code=node.fingerprint_code), flush=True)

        try:
            asyncio.run(serve(node, config, on_listening=announce))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(t("service.error.port_in_use", port=config.port)) from exc
            raise
    print(t("sync.serve.stopped"))
    return 0


def _when(stamp: object) -> str:
    if not isinstance(stamp, (int, float)):
        return t("status.never")
    return dt.datetime.fromtimestamp(stamp, dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_status(args: argparse.Namespace, ctx: Context) -> int:
    """Print the service's status as the kiosk shows it."""
    from sync.status import read_status

    with ctx.open_node() as node:
        status = read_status(node.store)
        last_seq = node.store.last_seq
    if args.json:
        print(json.dumps({**status, "entries": last_seq}, ensure_ascii=False, sort_keys=True, indent=1))
        return 0
    print(t("status.running" if status["running"] else "status.stopped", port=status.get("port") or "-"))
    print(t("status.entries", n=last_seq))
    if status["mdns"]:
        print(t("status.mdns", addresses=", ".join(status["mdns"])))
    if status.get("drop_folder"):
        print(t("status.drop", folder=status["drop_folder"]))
    if not status["peers"]:
        print(t("status.no_peers"))
    for peer in status["peers"]:
        trusted = peer["state"] in ("trusted", "introducer")
        state = t("status.state.paired") if trusted else (
            t("status.state.blocked") if peer["state"] == "blocked" else t("status.state.seen"))
        name = peer["name"] or peer["node"][:10]
        print(f"- {name}: {state}")
        if trusted or peer.get("last_sync"):
            print("  " + t("status.peer", last_sync=_when(peer.get("last_ok")), entries_in=peer.get("entries_in", 0),
                           entries_out=peer.get("entries_out", 0), refused=peer.get("refused", 0),
                           address=peer.get("address") or "-"))
        elif peer["state"] == "seen" and peer.get("address"):
            print("  " + t("status.pair_hint", address=peer["address"]))
        if peer.get("last_error"):
            print("  " + tn("status.peer_error", peer.get("failures", 0), reason=peer["last_error"],
                           retry=peer.get("next_try_s", "-")))
            if peer["last_error"] == "stale":
                print("  " + t("sync.error.clock"))
    return 0


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    """Run every check and print each finding with what to do; exit 1 if any failed."""
    from sync.doctor import run_all

    config = load_config(ctx, args.config)
    findings = run_all(config, ctx.data_dir, database_path(ctx.data_dir), ctx.key_file)
    for finding in findings:
        mark = t("doctor.mark_ok") if finding.ok else t("doctor.mark_fail")
        # lang given (None: current), so a value named lang cannot take its place.
        print(f"{mark} {t(finding.key, None, **finding.values)}")
        if not finding.ok:
            print("       " + t(finding.key + ".todo", None, **finding.values))
    failed = [f for f in findings if not f.ok]
    print(tn("doctor.summary_fail", len(failed)) if failed else t("doctor.summary_ok"))
    return 1 if failed else 0
