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

    @property
    def is_staff(self) -> bool:
        """A volunteer or the coordinator."""
        return self.kind in (Kind.VOLUNTEER, Kind.COORDINATOR)

    @property
    def is_coordinator(self) -> bool:
        """The coordinator."""
        return self.kind is Kind.COORDINATOR
