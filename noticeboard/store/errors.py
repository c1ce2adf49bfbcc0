"""Errors a store can raise, each with a translation key for the person who meets it."""

from __future__ import annotations


class StoreError(Exception):
    """Something is wrong with the node's data; ``text_key`` names the sentence to show."""

    text_key = "error.store"


class NotInitialised(StoreError):
    """No node exists in this data directory."""

    text_key = "error.no_node"


class AlreadyInitialised(StoreError):
    """A node already exists in this data directory."""

    text_key = "error.node_exists"


class Locked(StoreError):
    """The passphrase or key file does not open this node."""

    text_key = "error.wrong_passphrase"


class NeedsUnlock(StoreError):
    """No passphrase or key file was given."""

    text_key = "error.need_passphrase"


class Damaged(StoreError):
    """A row or the database is damaged."""

    text_key = "error.damaged"


class DiskFull(StoreError):
    """The disk ran out of space during a write; the write was undone, nothing before it is lost."""

    text_key = "error.disk_full"
