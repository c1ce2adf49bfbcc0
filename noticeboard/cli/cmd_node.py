"""``init``, ``whoami`` and ``passphrase``: creating a node and its keys."""

from __future__ import annotations

import argparse
import os
from typing import Any

from crypto import vault
from crypto.encoding import b64u_encode
from noticeboard.cli.context import CliError, Context, ask_passphrase
from noticeboard.geo import Place, parse_location
from noticeboard.i18n import t
from noticeboard.node import Node, Profile
from noticeboard.store import Unlock


def register(sub: Any) -> None:
    """Add this module's commands."""
    p = sub.add_parser("init", help="create a new node in the data folder")
    p.add_argument("--name", required=True, help="the centre's name")
    p.add_argument("--village", required=True)
    p.add_argument("--location", required=True, help="LAT,LON in degrees, e.g. 53.32,6.44")
    p.add_argument("--phone", default="", help="the centre's public phone number")
    p.add_argument("--hours", default="", help="opening hours, e.g. 'ma-vr 9-12'")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("whoami", help="show this node's key and pairing code")
    p.set_defaults(func=cmd_whoami)

    p = sub.add_parser("passphrase", help="change the passphrase (data stays as it is)")
    p.set_defaults(func=cmd_passphrase)


def cmd_init(args: argparse.Namespace, ctx: Context) -> int:
    """Create a node; a --key-file that does not exist yet is made."""
    try:
        lat, lon = parse_location(args.location)
    except ValueError as exc:
        raise CliError(t("error.location")) from exc
    secret = None
    if ctx.key_file is not None:
        if not ctx.key_file.exists():
            ctx.key_file.parent.mkdir(parents=True, exist_ok=True)
            vault.write_key_file(ctx.key_file, vault.new_key_file_secret())
        secret = ctx.key_file_secret()
    passphrase = None
    if secret is None or "NOTICEBOARD_PASSPHRASE" in os.environ:
        passphrase = ask_passphrase(new=True)
    profile = Profile(args.name, Place(args.village, lat, lon), args.phone, args.hours)
    with Node.create(ctx.data_dir, Unlock(passphrase, secret), profile):
        print(t("init.done", name=args.name, village=args.village))
    return 0


def cmd_whoami(args: argparse.Namespace, ctx: Context) -> int:
    """Print the node key, the pairing code and the TLS fingerprint."""
    with ctx.open_node() as node:
        profile = node.profile()
        print(f"{t('whoami.node')}: {profile.name} ({profile.place.village})")
        print(f"{t('whoami.key')}: {node.node_id}")
        print(f"{t('whoami.code')}: {node.fingerprint_code}")
        print(f"{t('whoami.tls')}: {b64u_encode(node.tls_fingerprint)}")
    return 0


def cmd_passphrase(args: argparse.Namespace, ctx: Context) -> int:
    """Set a new passphrase, checked against the current unlock first."""
    current = ctx.unlock()
    with ctx.open_node(current) as node:
        new = ask_passphrase(new=True, env="NOTICEBOARD_NEW_PASSPHRASE")
        node.store.set_passphrase(current, new)
    print(t("passphrase.changed"))
    return 0
