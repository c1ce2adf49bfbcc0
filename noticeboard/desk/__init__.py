"""The staff desk: card index, phone intake, matching, follow-up, reciprocity, safeguarding, statistics.

Headless (never imports textual or sync); the CLI and the staff screens sit on top of it.
Every function that shows or changes personal data takes a :class:`Session` and writes the
audit log.
"""

from noticeboard.desk.session import IDLE_LIMIT, Role, Session

__all__ = ["IDLE_LIMIT", "Role", "Session"]
