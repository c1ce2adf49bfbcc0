"""``post``, ``list``, ``show``, ``withdraw`` and ``entries``: the board from the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from noticeboard.categories import BY_CODE, COSTS, URGENCY, WHERE
from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context
from noticeboard.clock import utcnow
from noticeboard.desk import audit
from noticeboard.entry import MAX_REACH_KM, Entry, EntryError
from noticeboard.i18n import current_language, t
from noticeboard.node import PostDraft
from noticeboard.store import BoardQuery


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("post", help="post a request or an offer; prints its reference code")
    p.add_argument("kind", choices=("request", "offer"))
    p.add_argument("--category", required=True, help="one of: " + ", ".join(BY_CODE))
    p.add_argument("--title", required=True)
    p.add_argument("--text", default="")
    p.add_argument("--when", default="", help="when, in words (e.g. 'dinsdagmiddag')")
    p.add_argument("--reach-km", type=int, default=10, help=f"how far it may travel (0-{MAX_REACH_KM} km)")
    p.add_argument("--name", default="", help="first name or initials shown on the board")
    p.add_argument("--contact", default="", help="phone or e-mail; stays on this node only")
    p.add_argument("--urgency", choices=URGENCY)
    p.add_argument("--where", choices=WHERE)
    p.add_argument("--costs", choices=COSTS)
    p.add_argument("--recurring", action="store_true")
    p.set_defaults(func=cmd_post)

    p = sub.add_parser("list", help="list the board")
    p.add_argument("--kind", choices=("request", "offer"))
    p.add_argument("--category", choices=tuple(BY_CODE))
    p.add_argument("--status", choices=("open", "matched", "done"))
    p.add_argument("--village")
    p.add_argument("--search", default="", help="words that must appear")
    p.add_argument("--json", action="store_true", help="print JSON (public fields only)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show one request or offer by its code")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("withdraw", help="withdraw one of this node's posts (erased everywhere)")
    p.add_argument("ref")
    staff.add_actor(p)
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser("entries", help="print the signed entries exactly as they travel")
    p.add_argument("--jsonl", action="store_true", help="one JSON object a line (the default)")
    p.set_defaults(func=cmd_entries)


def cmd_post(args: argparse.Namespace, ctx: Context) -> int:
    """Sign and store a new post, print its code."""
    if args.category not in BY_CODE:
        raise CliError(t("error.category", code=args.category, codes=", ".join(BY_CODE)))
    tags: dict[str, Any] = {k: getattr(args, k) for k in ("urgency", "where", "costs") if getattr(args, k)}
    if args.recurring:
        tags["recurring"] = True
    draft = PostDraft(args.kind, args.category, args.title, args.text, args.when, args.reach_km,
                      args.name, current_language(), tags)
    with ctx.open_node() as node:
        try:
            made = node.post(draft, contact={"contact": args.contact, "name": args.name} if args.contact else None)
        except EntryError as exc:
            raise CliError(_entry_message(exc)) from exc
    print(t("post.done", ref=made.body["ref"]))
    return 0


def _entry_message(exc: EntryError) -> str:
    if exc.reason == "contact_data":
        return t("error.contact_in_text")
    if exc.reason == "too_large":
        return t("error.too_long")
    return t("error.entry", detail=exc.detail)


def public_view(entry: Entry) -> dict[str, Any]:
    """What anyone may see of a post: the signed public fields, never contact details."""
    return {"kind": entry.type, "author": entry.author, "id": entry.id, "version": entry.version,
            "created": entry.created, "updated": entry.updated, "expires": entry.expires, **entry.body}


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    """Print the live posts, newest first."""
    query = BoardQuery(kind=args.kind, category=args.category, status=args.status,
                       village=args.village, text=args.search)
    with ctx.open_node() as node:
        posts, _ = node.store.board(query, now=utcnow())
    if args.json:
        json.dump([public_view(e) for e in posts], sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if not posts:
        print(t("list.empty"))
    lang = current_language()
    for e in posts:
        b = e.body
        print(f"{b['ref']}  {t('kind.' + e.type):7}  {BY_CODE[b['category']].label(lang)[:28]:28}  "
              f"{b['place']['village'][:16]:16}  {t('status.' + b['status'])[:12]:12}  {b['title']}")
    return 0


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    """Print one post in full (public fields)."""
    with ctx.open_node() as node:
        e = node.find(args.ref)
    if args.json:
        print(json.dumps(public_view(e), ensure_ascii=False, indent=1))
        return 0
    b, lang = e.body, current_language()
    rows = [
        (t("field.code"), b["ref"]), (t("kind." + e.type), b["title"]),
        (t("field.category"), BY_CODE[b["category"]].label(lang)), (t("field.village"), b["place"]["village"]),
        (t("field.when"), b.get("when", {}).get("text", "")), (t("field.status"), t("status." + b["status"])),
        (t("field.expires"), e.expires[:10]), (t("field.text"), b.get("text", "")),
    ]
    for label, value in rows:
        if value:
            print(f"{label + ':':14} {value}")
    return 0


def cmd_withdraw(args: argparse.Namespace, ctx: Context) -> int:
    """Withdraw one of our own posts."""
    now = utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now)
        ref = node.find_own(args.ref).body["ref"]
        node.withdraw(ref, now=now)
        audit.log(node.store, session.actor, "withdraw", ref, now=now)
    print(t("withdraw.done", ref=ref))
    return 0


def cmd_entries(args: argparse.Namespace, ctx: Context) -> int:
    """Every stored entry as canonical JSON, one a line."""
    with ctx.open_node() as node:
        for e in node.store.entries():
            sys.stdout.write(e.canonical().decode("utf-8") + "\n")
    return 0
