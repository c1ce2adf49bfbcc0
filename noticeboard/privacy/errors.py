"""Errors of the privacy area, each with a translation key for the person who meets it."""

from __future__ import annotations

from noticeboard.store.errors import StoreError


class BackupDamaged(StoreError):
    """The backup file is damaged, cut short or changed; nothing was restored."""

    text_key = "privacy.error.backup_damaged"


class NotABackup(StoreError):
    """The file is not a buurthulp backup."""

    text_key = "privacy.error.not_a_backup"


class NodeBusy(StoreError):
    """Another program (the service, the kiosk) still has the node open."""

    text_key = "privacy.error.node_busy"


class AllUnlocksNeeded(StoreError):
    """Rotating the data key needs every unlock method the node has (passphrase and key file)."""

    text_key = "privacy.error.all_unlocks_needed"


class LastUnlock(StoreError):
    """Removing this unlock method would leave no way to open the node."""

    text_key = "privacy.error.last_unlock"


class UnknownPerson(StoreError):
    """Nothing on this node matches the person asked for."""

    text_key = "privacy.error.unknown_person"


class NoConsent(StoreError):
    """Health details need explicit consent first."""

    text_key = "privacy.error.no_consent"


class UndeclaredTable(StoreError):
    """A table is missing from the processing register, so a key rotation could not re-encrypt it."""

    text_key = "privacy.error.undeclared"
