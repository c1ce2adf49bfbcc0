"""Texts of the hardening against hostile peers, files and networks (issue 14)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "security.inbox.unopened": (
        "{count} bericht(en) van {name} gingen niet open en zijn overgeslagen.",
        "{count} message(s) from {name} did not open and were skipped.",
    ),
}
