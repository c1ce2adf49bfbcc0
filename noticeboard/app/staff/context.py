"""What every staff screen shares: the open node, the clock, and the staff session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from noticeboard.clock import utcnow
from noticeboard.desk.session import Session
from noticeboard.node import Node


@dataclass
class StaffContext:
    """The node, a clock (pinned in tests) and who is logged in; ``on_logout`` is the host's to set."""

    node: Node
    clock: Callable[[], dt.datetime] = utcnow
    session: Session | None = None
    on_logout: Callable[[], None] | None = field(default=None, repr=False)
    # On a volunteer's PC the login is the bottom screen; at the kiosk Escape leaves it.
    login_is_home: bool = False

    def now(self) -> dt.datetime:
        """The current time by this context's clock."""
        return self.clock()

    @property
    def session_or_raise(self) -> Session:
        """The session; staff screens only exist while there is one."""
        if self.session is None:
            raise RuntimeError("no staff session")
        return self.session

    # Whether the "logging out soon" warning is showing for the current idle stretch.
    warned: bool = False

    def activity(self) -> None:
        """Count a key press or click as activity, unless the session already ended."""
        session = self.session
        if session is not None and not session.expired(self.now()):
            session.last_active = self.now()
            self.warned = False

    def idle_left(self) -> dt.timedelta | None:
        """How long until the session ends by idling (None without a session)."""
        session = self.session
        if session is None:
            return None
        return session.idle - (self.now() - session.last_active)

    def idle_over(self) -> bool:
        """Whether the session ended by idling (or logging out)."""
        return self.session is not None and self.session.expired(self.now())
