"""``noticeboard evaluation``: the report over every centre's signed ``stats`` entries, and publishing our own.

The report reads only ``stats`` entries and centre profiles (public, no personal data), so it
needs the node unlocked and nobody's login. Publishing signs on behalf of the centre and
setting the variant changes what it says: both are the coordinator's (docs/desk.md).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context
from noticeboard.clock import utcnow
from noticeboard.desk import evaluation
from noticeboard.desk import evaluation_report as report
from noticeboard.desk.errors import DeskError
from noticeboard.entry import VARIANT
from noticeboard.files import write_new
from noticeboard.i18n import current_language, t, tn
from noticeboard.settings import SettingsError, load, settings_path


def register(sub: Any) -> None:
    """Add ``evaluation`` and its subcommands."""
    p = sub.add_parser("evaluation", help="compare the centres this node knows: the funnel, time to match, "
                                          "reciprocity, by variant and kind of place")
    p.add_argument("--csv", nargs="?", const="-", metavar="FILE",
                   help="write the figures as CSV to FILE (without FILE: to the screen)")
    p.add_argument("--html", metavar="FILE", type=Path, help="write the report as one HTML page with charts")
    p.add_argument("--width", type=int, default=80, help="width of the charts in characters")
    p.set_defaults(func=cmd_report)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    q = actions.add_parser("publish", help="sign this centre's figures of the last twelve months now (coordinator)")
    staff.add_actor(q)
    q.set_defaults(func=cmd_publish)
    q = actions.add_parser("variant", help="show or set this centre's variant: kind of place and matching mode "
                                           "(coordinator to change)")
    q.add_argument("--place", choices=VARIANT["place"], help="the kind of place")
    q.add_argument("--matching", choices=(*VARIANT["matching"], "auto"),
                   help="how requests are matched (auto: read from the work done each month)")
    staff.add_actor(q)
    q.set_defaults(func=cmd_variant)


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    """Print the report, or write it as CSV or HTML."""
    now = utcnow()
    with ctx.open_node() as node:
        found = report.collect(node.store)
    wrote = False
    if args.csv == "-":
        sys.stdout.write(report.to_csv(found))
        return 0
    if args.csv:
        write_new(Path(args.csv), report.to_csv(found).encode("utf-8"), mode=0o644)
        print(t("evaluation.written", path=str(args.csv)))
        wrote = True
    if args.html:
        write_new(args.html, report.to_html(found, now=now, lang=current_language()).encode("utf-8"), mode=0o644)
        print(t("evaluation.written", path=str(args.html)))
        wrote = True
    if wrote:
        return 0
    if not found.rows:
        print(t("evaluation.none"))
        return 0
    print(t("evaluation.title"))
    for title, groups in ((t("evaluation.section.centres"), found.centres()),
                          (t("evaluation.section.variant"), found.by_variant()),
                          (t("evaluation.section.place"), found.by_place())):
        print()
        print(title)
        for line in report.table_lines(groups, args.width - 2):
            print("  " + line)
    print()
    print(report.terminal_charts(found, max(40, args.width)))
    print(textwrap.fill(t("evaluation.rule"), max(40, args.width)))
    return 0


def cmd_publish(args: argparse.Namespace, ctx: Context) -> int:
    """Sign the centre's figures now, with the variant the settings file names (as the service would)."""
    now = utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now, coordinator=True)
        try:
            evaluation.apply_settings(node.store, load(settings_path(ctx.data_dir)))
        except SettingsError as exc:
            raise CliError(t("service.error.config", path=str(exc.path), detail=exc.detail)) from exc
        try:
            made = evaluation.publish_by(node, session, now=now)
        except DeskError as exc:
            raise CliError(t(exc.text_key, None, **exc.values)) from exc
    print(tn("evaluation.published", len(made)))
    return 0


def cmd_variant(args: argparse.Namespace, ctx: Context) -> int:
    """Show the variant, or set it (coordinator)."""
    now = utcnow()
    with ctx.open_node() as node:
        if args.place is not None or args.matching is not None:
            session = staff.who(args, node, now, coordinator=True)
            try:
                evaluation.set_variant(node.store, session, place=args.place, matching=args.matching, now=now)
            except DeskError as exc:
                raise CliError(t(exc.text_key, None, **exc.values)) from exc
        setting = evaluation.variant_setting(node.store)
    matching = t(f"evaluation.matching.{setting.matching}") if setting.matching else t("evaluation.matching.auto")
    print(t("evaluation.variant.show", place=t(f"evaluation.place.{setting.place}"), matching=matching))
    return 0
