"""``bundle export`` and ``bundle import``: carrying entries on a USB stick."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context
from noticeboard.clock import utcnow
from noticeboard.desk import audit
from noticeboard.i18n import t, tn


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("bundle", help="carry entries to another centre in a file (USB stick)")
    bundle_sub = p.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    e = bundle_sub.add_parser("export", help="write the entries others do not have yet to FILE")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--for", dest="recipients", action="append", default=[], metavar="NODE",
                   help="only what this centre needs (key, pairing code or name; write a key that starts "
                        "with '-' as --for=KEY); repeatable")
    e.add_argument("--since-last", action="store_true",
                   help="only what changed since the last bundle for these centres")
    e.add_argument("--seal", action="store_true", help="seal the bundle so only the --for centres can open it")
    staff.add_actor(e)
    e.set_defaults(func=cmd_export)

    i = bundle_sub.add_parser("import", help="take in the entries of a bundle FILE")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--pair", metavar="CODE",
                   help="first pair with the centre that made it: its code, read out over the phone")
    staff.add_actor(i)
    i.set_defaults(func=cmd_import)


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write a bundle."""
    from sync.bundle import export_bundle, resolve_recipients

    now = utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now)
        recipients = resolve_recipients(node, args.recipients)
        result = export_bundle(node, Path(args.file), recipients=recipients, since_last=args.since_last,
                               seal=args.seal)
        audit.log(node.store, session.actor, "bundle_export", Path(args.file).name, now=now,
                  details={"count": result.count, "sealed": result.sealed,
                           "for": [r[:12] for r in result.recipients]})
    done = tn("bundle.exported", result.count, file=str(result.path))
    print(f"{done} {tn('bundle.sealed_for', len(result.recipients))}" if result.sealed else done)
    return 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    """Read a bundle through the ingest pipeline."""
    from sync.bundle import import_bytes, pair_from_bundle, read_bundle_file

    data = read_bundle_file(Path(args.file))
    now = utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now)
        if args.pair:
            profile = pair_from_bundle(node, data, args.pair)
            audit.log(node.store, session.actor, "peer_pair", profile.author, now=now, details={"by": "bundle"})
            print(t("bundle.paired", name=profile.body["name"]))
        result = import_bytes(node, data)
        audit.log(node.store, session.actor, "bundle_import", result.header.author, now=now,
                  details={"new": result.report.applied})
        sender = node.node_profile(result.header.author)
    report = result.report
    name = sender.body["name"] if sender else result.header.author[:12]
    print(t("bundle.imported", name=name, new=report.applied, had=tn("bundle.imported.had", report.unchanged),
            refused=report.refused_total, held=tn("bundle.imported.held", report.held)))
    if report.refused:
        reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(report.refused.items()))
        print(t("bundle.refused_reasons", reasons=reasons))
    if not result.complete:
        raise CliError(tn("bundle.truncated", report.applied))
    if not result.intact:
        raise CliError(tn("bundle.tampered", report.applied))
    return 0
