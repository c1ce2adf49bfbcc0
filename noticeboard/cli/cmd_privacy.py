"""``backup``, ``restore``, ``keyfile``, ``keys`` and ``privacy``: the life of the data, from the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from crypto import vault
from noticeboard.cli import staff
from noticeboard.cli.context import CliError, Context, ask_passphrase
from noticeboard.clock import utcnow
from noticeboard.desk import audit
from noticeboard.files import write_new
from noticeboard.i18n import t, tn
from noticeboard.node import database_path
from noticeboard.privacy import backup, consent, handover, person, rekey, retention
from noticeboard.privacy import register as processing
from noticeboard.privacy.errors import LastUnlock
from noticeboard.store import Store, Unlock


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("backup", help="write an encrypted backup of this node to FILE (safe while it runs)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into a new epoch (peers sync it again)")
    p.add_argument("file", type=Path)
    p.add_argument("--check", action="store_true", help="only check that the backup is whole and opens")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("keyfile", help="add or remove the key file that unlocks this node")
    keyfile = p.add_subparsers(dest="keyfile_command", metavar="ACTION", required=True)
    q = keyfile.add_parser("add", help="make a new key file at PATH and let it unlock the node")
    q.add_argument("path", type=Path)
    q.set_defaults(func=cmd_keyfile_add)
    q = keyfile.add_parser("remove", help="stop the key file from unlocking the node (the passphrase stays)")
    q.set_defaults(func=cmd_keyfile_remove)

    p = sub.add_parser("keys", help="rotate the data key or the signing key")
    keys = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    q = keys.add_parser("rotate-data", help="re-encrypt all data under a new data key (resumable)")
    q.add_argument("--batch", type=int, default=rekey.DEFAULT_BATCH, help=argparse.SUPPRESS)
    q.set_defaults(func=cmd_rotate_data)
    q = keys.add_parser("rotate-signing", help="retire the signing key for a new one; peers follow the hand-over")
    q.set_defaults(func=cmd_rotate_signing)

    p = sub.add_parser("privacy", help="the processing register; access, erasure, retention and consent")
    p.set_defaults(func=cmd_register)
    privacy = p.add_subparsers(dest="privacy_command", metavar="ACTION")
    for name, func, text in (("export", cmd_export, "write everything this node holds about one person as JSON"),
                             ("erase", cmd_erase, "erase one person here, and their posts everywhere")):
        q = privacy.add_parser(name, help=text)
        q.add_argument("who", nargs="*", help="reference codes (BH-...) or phone numbers / e-mails")
        q.add_argument("--card", action="append", default=[], help="a card id from the card index")
        if name == "export":
            q.add_argument("--out", type=Path, help="write to this file instead of the screen")
        else:
            q.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        staff.add_actor(q)
        q.set_defaults(func=func)
    q = privacy.add_parser("retention", help="anonymise closed requests and matches older than the period")
    q.add_argument("--months", type=int, help="set the retention period (months) before running")
    q.set_defaults(func=cmd_retention)
    q = privacy.add_parser("consent", help="record or show what a person agreed to, for a post")
    q.add_argument("ref")
    q.add_argument("--agree", action="append", default=[], choices=consent.PURPOSES,
                   help="a purpose agreed to (repeat for more)")
    q.add_argument("--share-with", action="append", default=[], help="with whom it may be shared")
    q.add_argument("--withdraw", action="store_true", help="withdraw every consent for this post")
    q.add_argument("--health", help="health details to keep (needs --agree health now or before)")
    q.set_defaults(func=cmd_consent)


def _db(ctx: Context) -> Path:
    return database_path(ctx.data_dir)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    """Write an encrypted backup."""
    unlock = ctx.unlock()
    try:
        info = backup.write_backup(_db(ctx), args.file, unlock)
    except OSError as exc:
        raise CliError(t("privacy.error.write", path=str(args.file))) from exc
    print(t("privacy.backup.done", path=str(info.path), size=info.size // 1024 + 1))
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    """Check a backup, then put it in place in a new epoch."""
    if not args.file.exists():
        raise CliError(t("privacy.error.no_file", path=str(args.file)))
    unlock = ctx.unlock()
    if args.check:
        info = backup.verify_backup(args.file, unlock)
        print(t("privacy.restore.checked", created=info.created))
        return 0
    info = backup.read_info(args.file)
    epoch = backup.restore_backup(args.file, _db(ctx), unlock)
    print(t("privacy.restore.done", created=info.created, epoch=epoch[:8]))
    return 0


def cmd_keyfile_add(args: argparse.Namespace, ctx: Context) -> int:
    """Make a new key file and add it as an unlock method."""
    current = ctx.unlock()
    if args.path.exists():
        raise CliError(t("privacy.error.file_exists", path=str(args.path)))
    with Store.open(_db(ctx), current) as store:
        secret = vault.new_key_file_secret()
        try:
            args.path.parent.mkdir(parents=True, exist_ok=True)
            vault.write_key_file(args.path, secret)
        except OSError as exc:
            raise CliError(t("privacy.error.write", path=str(args.path))) from exc
        try:
            store.set_key_file(current, secret)
        except BaseException:
            args.path.unlink(missing_ok=True)
            raise
    print(t("privacy.keyfile.added", path=str(args.path)))
    return 0


def cmd_keyfile_remove(args: argparse.Namespace, ctx: Context) -> int:
    """Remove the key-file unlock; the passphrase must stay."""
    current = ctx.unlock()
    with Store.open(_db(ctx), current) as store:
        if "passphrase" not in store.unlock_methods():
            raise LastUnlock("no passphrase is set")
        store.set_key_file(current, None)
    print(t("privacy.keyfile.removed"))
    return 0


def all_unlocks(ctx: Context) -> Unlock:
    """Every unlock method at hand: the key file if given, and the passphrase if set or typed."""
    secret = ctx.key_file_secret()
    passphrase = os.environ.get("NOTICEBOARD_PASSPHRASE")
    if passphrase is None and (secret is None or sys.stdin.isatty()):
        passphrase = ask_passphrase()
    return Unlock(passphrase, secret)


def cmd_rotate_data(args: argparse.Namespace, ctx: Context) -> int:
    """Rotate the data key, printing progress; run it again to finish one that was cut short."""
    def progress(done: int, total: int) -> None:
        print(t("privacy.rotate.progress", done=done, total=total), flush=True)

    result = rekey.rotate_data_key(_db(ctx), all_unlocks(ctx), batch=max(1, args.batch), progress=progress)
    print(tn("privacy.rotate.resumed" if result.resumed else "privacy.rotate.done", result.rows))
    return 0


def cmd_register(args: argparse.Namespace, ctx: Context) -> int:
    """Print the processing register, generated from this node's own schema."""
    with ctx.open_node() as node:
        with node.store.read() as conn:
            found = processing.lines(conn)
            rotating = rekey.pending(conn)
        months = retention.period_months(node.store)
        handing_over = node.store.secret(handover.PENDING) is not None
    print(t("privacy.register.title"))
    print(tn("privacy.register.period", months))
    if rotating or handing_over:
        print(t("privacy.register.unfinished"))
    for line in found:
        print()
        if line.use is None:
            print(tn("privacy.register.undeclared", line.rows, table=line.table))
            continue
        use = line.use
        print(tn("privacy.register.table", line.rows, table=line.table))
        print(t("privacy.register.holds", value=", ".join(t(f"privacy.holds.{k}") for k in use.holds)))
        print(t("privacy.register.purpose", value=t(f"privacy.purpose.{use.purpose}")))
        print(t("privacy.register.retention", value=t(f"privacy.retention.{use.retention}")))
        print(t("privacy.register.audience", value=t(f"privacy.audience.{use.audience}")))
        print(t("privacy.register.sealed", value=t("privacy.yes") if use.sealed else t("privacy.register.no_sealed")))
    return 1 if any(line.use is None for line in found) else 0


def _query(args: argparse.Namespace) -> person.PersonQuery:
    refs = tuple(w for w in args.who if w.upper().replace(" ", "").startswith("BH-"))
    contacts = tuple(w for w in args.who if w not in refs)
    if any(not person.is_contact(person.normalise_contact(c)) for c in contacts) or not (refs or contacts or args.card):
        raise CliError(t("privacy.error.who"))
    return person.PersonQuery(refs, contacts, tuple(args.card))


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    """Write the access export as JSON."""
    query, now = _query(args), utcnow()
    with ctx.open_node() as node:
        session = staff.who(args, node, now)
        data = person.export(node, query, now=now)
        audit.log(node.store, session.actor, "privacy_export", ",".join(query.cards) or "person", now=now,
                  details={"refs": list(query.refs), "contacts": len(query.contacts)})
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        write_new(Path(args.out), text.encode("utf-8"))
    except OSError as exc:
        raise CliError(t("privacy.error.write", path=str(args.out))) from exc
    print(t("privacy.export.done", path=str(args.out)))
    return 0


def cmd_erase(args: argparse.Namespace, ctx: Context) -> int:
    """Erase one person, after a confirmation."""
    query, now = _query(args), utcnow()
    with ctx.open_node() as node:
        # Erasure is the coordinator's: it cannot be undone.
        session = staff.who(args, node, now, coordinator=True)
        found = person.find(node, query)
        if found.empty:
            raise CliError(t("privacy.error.unknown_person"))
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError(t("privacy.erase.needs_yes"))
            answer = input(t("privacy.erase.confirm", posts=tn("privacy.count.posts", len(found.posts)),
                             cards=tn("privacy.count.cards", len(found.cards))))
            if answer.strip().lower() not in ("j", "ja", "y", "yes"):
                print(t("privacy.erase.cancelled"))
                return 1
        done = person.erase(node, query, now=now)
        # No card id in the line: the card is gone, and so is every trace pointing to it.
        audit.log(node.store, session.actor, "privacy_erase", "person", now=now,
                  details={"posts": done.posts, "cards": done.cards})
    print(t("privacy.erase.done", posts=tn("privacy.count.posts", done.posts),
            responses=tn("privacy.count.responses", done.responses), cards=tn("privacy.count.cards", done.cards),
            matches=tn("privacy.erase.matches", done.matches)))
    return 0


def cmd_retention(args: argparse.Namespace, ctx: Context) -> int:
    """Run the retention job now."""
    with ctx.open_node() as node:
        if args.months is not None:
            if args.months < 1:
                raise CliError(t("privacy.error.months"))
            retention.set_period_months(node.store, args.months)
        report = retention.run_retention(node, utcnow())
        months = retention.period_months(node.store)
    print(t("privacy.retention.done", months=tn("privacy.count.months", months),
            rows=tn("privacy.count.rows", report.total)))
    return 0


def cmd_consent(args: argparse.Namespace, ctx: Context) -> int:
    """Record, withdraw or show consent for one of this node's posts."""
    now = utcnow()
    with ctx.open_node() as node:
        post = node.find_own(args.ref)
        subject = consent.post_subject(*post.key)
        if args.withdraw:
            consent.withdraw(node.store, subject, now=now)
            print(t("privacy.consent.withdrawn", ref=post.body["ref"]))
            return 0
        if args.agree:
            consent.record(node.store, subject, args.agree, shared_with=args.share_with, recorded_by="cli", now=now)
        if args.health is not None:
            consent.set_health(node.store, *post.key, args.health, now=now)
        for item in consent.consents(node.store, subject):
            state = t("privacy.consent.withdrawn_state") if item.withdrawn else ""
            print(f"{dt_text(item.created)}  {item.wording}  {', '.join(item.purposes)}  "
                  f"{', '.join(item.shared_with)}  {state}".rstrip())
    return 0


def dt_text(stamp: int) -> str:
    """A stored time as the date people read."""
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M")


def cmd_rotate_signing(args: argparse.Namespace, ctx: Context) -> int:
    """Rotate the signing key (or finish a hand-over cut short) and print the new pairing code."""
    with ctx.open_node() as node:
        if handover.finish_handover(node):
            print(t("privacy.signing.finished", code=node.fingerprint_code))
            return 0
        done = handover.rotate_signing_key(node)
        print(tn("privacy.signing.done", done.reissued, code=node.fingerprint_code))
    return 0
