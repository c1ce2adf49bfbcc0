"""What every command needs: the data folder and a way to unlock the node."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from crypto import vault
from noticeboard.i18n import t, tn
from noticeboard.node import Node
from noticeboard.paths import default_data_dir, default_key_file
from noticeboard.store import Unlock

MIN_PASSPHRASE = 8


class CliError(Exception):
    """An error for the person at the terminal: a translated sentence and an exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@dataclass
class Context:
    """The node folder and unlock settings from the command line and environment."""

    data_dir: Path
    key_file: Path | None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        """Read --data-dir and --key-file, falling back to the environment."""
        data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
        key_file = Path(args.key_file) if args.key_file else default_key_file()
        return cls(data_dir, key_file)

    def key_file_secret(self) -> bytes | None:
        """The key file's secret, if a key file is configured."""
        if self.key_file is None:
            return None
        try:
            return vault.read_key_file(self.key_file)
        except (OSError, vault.VaultError) as exc:
            raise CliError(t("error.key_file", path=str(self.key_file))) from exc

    def unlock(self) -> Unlock:
        """How to open the node: key file, NOTICEBOARD_PASSPHRASE, or a prompt."""
        secret = self.key_file_secret()
        if secret is not None:
            return Unlock(key_file_secret=secret)
        return Unlock(passphrase=ask_passphrase())

    def open_node(self, unlock: Unlock | None = None) -> Node:
        """Open and unlock the node in the data folder."""
        return Node.open(self.data_dir, unlock or self.unlock())


def ask_passphrase(*, new: bool = False, env: str = "NOTICEBOARD_PASSPHRASE") -> str:
    """The passphrase from the environment, or asked at the terminal (twice when new)."""
    value = os.environ.get(env)
    if value is not None:
        if new and len(value) < MIN_PASSPHRASE:
            raise CliError(tn("error.passphrase_short", MIN_PASSPHRASE))
        return value
    if not sys.stdin.isatty():
        raise CliError(t("error.need_passphrase"))
    first = getpass.getpass(t("prompt.passphrase_new" if new else "prompt.passphrase"))
    if new:
        if len(first) < MIN_PASSPHRASE:
            raise CliError(tn("error.passphrase_short", MIN_PASSPHRASE))
        if getpass.getpass(t("prompt.passphrase_again")) != first:
            raise CliError(t("error.passphrase_mismatch"))
    return first
