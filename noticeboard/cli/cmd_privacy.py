"""``backup``, ``restore``, ``keyfile``, ``keys`` and ``privacy``: the life of the data, from the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from crypto import vault
from noticeboard.cli.context import CliError, Context, ask_passphrase
from noticeboard.i18n import t
from noticeboard.node import database_path
from noticeboard.privacy import backup, rekey
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


def _db(ctx: Context) -> Path:
    return database_path(ctx.data_dir)


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    """Write an encrypted backup."""
    info = backup.write_backup(_db(ctx), args.file, ctx.unlock())
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
        args.path.parent.mkdir(parents=True, exist_ok=True)
        vault.write_key_file(args.path, secret)
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
    print(t("privacy.rotate.resumed" if result.resumed else "privacy.rotate.done", rows=result.rows))
    return 0
