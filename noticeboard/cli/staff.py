"""Who is at the terminal: every command that reads or changes personal data names a person first.

``--as N`` (or ``--volunteer N``) is volunteer N, whose PIN comes from ``NOTICEBOARD_PIN`` or is
asked at the terminal; without it the coordinator logs in with the node passphrase
(``NOTICEBOARD_PASSPHRASE`` or asked). This holds even when a key file unlocks the node: the key
file opens the database, the PIN or passphrase says who looked, and the audit log names them.
A bare node without any staff (no passphrase, no volunteer accounts: a test node, or a hall
before its first start is finished) has nobody to ask; there the act is logged as ``keyfile``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from typing import Any

from noticeboard.cli.context import CliError, ask_passphrase
from noticeboard.desk import accounts
from noticeboard.desk.errors import DeskError, LockedOut, WrongPin
from noticeboard.desk.session import Role, Session
from noticeboard.i18n import t
from noticeboard.node import Node

KEY_FILE_ACTOR = "keyfile"


def add_actor(parser: argparse.ArgumentParser) -> None:
    """The options naming who is at the terminal."""
    parser.add_argument("--as", "--volunteer", dest="as_volunteer", type=int, metavar="N",
                        help="volunteer number N (PIN from NOTICEBOARD_PIN or asked); default: the coordinator "
                             "(passphrase from NOTICEBOARD_PASSPHRASE or asked)")


def login(args: argparse.Namespace, node: Node, now: dt.datetime) -> Session:
    """Log in as the volunteer given, else as the coordinator; raises the desk's errors."""
    number = getattr(args, "as_volunteer", None)
    if number is not None:
        pin = os.environ.get("NOTICEBOARD_PIN")
        if pin is None:
            if not sys.stdin.isatty():
                raise CliError(t("staff.cli.need_pin"), 4)
            pin = getpass.getpass(t("desk.login.pin"))
        return accounts.login_volunteer(node.store, number, pin, now=now)
    return accounts.login_coordinator(node.store, ask_passphrase(), now=now)


def has_staff(node: Node) -> bool:
    """Whether anyone can be asked: a coordinator passphrase or a volunteer account exists."""
    if "passphrase" in node.store.unlock_methods():
        return True
    with node.store.read() as conn:
        return conn.execute("SELECT 1 FROM desk_accounts LIMIT 1").fetchone() is not None


def who(args: argparse.Namespace, node: Node, now: dt.datetime, *, coordinator: bool = False) -> Session:
    """The person doing a personal-data act at the terminal; refuses (exit 4) without a PIN or passphrase."""
    if not has_staff(node):
        return Session(KEY_FILE_ACTOR, Role.COORDINATOR, now)
    try:
        session = login(args, node, now)
        session.touch(now, coordinator=coordinator)
    except DeskError as exc:
        code = 4 if isinstance(exc, WrongPin | LockedOut) else 1
        raise CliError(t(exc.text_key, None, **exc.values), code) from exc
    return session


def actor_options(sub: Any) -> None:
    """Add the actor options to every parser in ``sub`` (a subparsers action)."""
    for parser in dict.fromkeys(sub.choices.values()):
        add_actor(parser)
