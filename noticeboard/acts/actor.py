"""Who does an act: a resident at the kiosk, volunteer n, the coordinator, or the service."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of actor; the audit log names each without a person's name."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    SERVICE = "service"
    # Whoever holds the key file of a node that has no staff yet (no passphrase, no volunteer):
    # there is nobody to log in, so they act as the coordinator and the log says "keyfile".
    KEY_FILE = "keyfile"


@dataclass(frozen=True)
class Actor:
    """One actor; ``number`` is the volunteer's account number, for volunteers only."""

    kind: Kind
    number: int | None = None

    def __post_init__(self) -> None:
        if (self.kind is Kind.VOLUNTEER) != (self.number is not None):
            raise ValueError("a volunteer actor has a number, and only a volunteer")

    @classmethod
    def resident(cls) -> Actor:
        """A resident at the kiosk (no login, no name)."""
        return cls(Kind.RESIDENT)

    @classmethod
    def volunteer(cls, number: int) -> Actor:
        """Volunteer account ``number``."""
        return cls(Kind.VOLUNTEER, number)

    @classmethod
    def coordinator(cls) -> Actor:
        """The coordinator (the professional back-up)."""
        return cls(Kind.COORDINATOR)

    @classmethod
    def service(cls) -> Actor:
        """The node's own service (sync, housekeeping)."""
        return cls(Kind.SERVICE)

    @classmethod
    def key_file(cls) -> Actor:
        """The key file's holder on a node without staff (acts as the coordinator)."""
        return cls(Kind.KEY_FILE)

    @property
    def audit_name(self) -> str:
        """The name written in the audit log: the strings the log has always used."""
        match self.kind:
            case Kind.RESIDENT:
                return "kiosk"
            case Kind.VOLUNTEER:
                return f"volunteer:{self.number}"
            case Kind.COORDINATOR:
                return "coordinator"
            case Kind.SERVICE:
                return "system"
            case Kind.KEY_FILE:
                return "keyfile"

    @property
    def is_staff(self) -> bool:
        """A volunteer or the coordinator."""
        return self.kind in (Kind.VOLUNTEER, Kind.COORDINATOR, Kind.KEY_FILE)

    @property
    def is_coordinator(self) -> bool:
        """The coordinator."""
        return self.kind in (Kind.COORDINATOR, Kind.KEY_FILE)
