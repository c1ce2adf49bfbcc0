"""Staff roles and sessions: who is at the desk, and for how long without touching it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from noticeboard.acts.actor import Actor
from noticeboard.desk.errors import NotAllowed, SessionEnded

# Same spirit as the kiosk: a desk left alone closes itself.
IDLE_LIMIT = dt.timedelta(minutes=5)


class Role(StrEnum):
    """The two staff roles."""

    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


@dataclass
class Session:
    """One logged-in staff member; ends after ``idle`` without activity."""

    actor: str
    role: Role
    started: dt.datetime
    last_active: dt.datetime = field(default=dt.datetime.min.replace(tzinfo=dt.UTC))
    idle: dt.timedelta = IDLE_LIMIT
    ended: bool = False

    def __post_init__(self) -> None:
        if self.last_active < self.started:
            self.last_active = self.started

    @property
    def is_coordinator(self) -> bool:
        """Whether this is the coordinator (the professional back-up)."""
        return self.role is Role.COORDINATOR

    @property
    def by(self) -> Actor:
        """The actor this session's acts are done by (the desk hands it to every act)."""
        if self.actor == Actor.key_file().audit_name:
            return Actor.key_file()
        if self.is_coordinator:
            return Actor.coordinator()
        return Actor.volunteer(int(self.actor.rsplit(":", 1)[1]))

    def expired(self, now: dt.datetime) -> bool:
        """Whether the session has ended (logged out or idle too long)."""
        return self.ended or now - self.last_active > self.idle

    def touch(self, now: dt.datetime, *, coordinator: bool = False) -> None:
        """Check the session is alive (and the role, if asked) and count this as activity."""
        if self.expired(now):
            self.ended = True
            raise SessionEnded()
        if coordinator and not self.is_coordinator:
            raise NotAllowed("coordinator only")
        self.last_active = now

    def end(self) -> None:
        """Log out."""
        self.ended = True
