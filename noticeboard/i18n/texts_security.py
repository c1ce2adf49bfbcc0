"""Texts of the hardening against hostile peers, files and networks (issue 14)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "security.inbox.unopened": (
        "{count} bericht(en) van {name} gingen niet open en zijn overgeslagen.",
        "{count} message(s) from {name} did not open and were skipped.",
    ),
    "sync.reason.too_far_ahead": ("meer dan 7 dagen vooruit gedateerd", "dated more than 7 days ahead"),
    "security.peers.handover": (
        "{name} gaf op {when} de sleutel door: oude code {old}, nieuwe code {new}. "
        "Klopt dat niet, bel het buurthuis en blokkeer de nieuwe sleutel.",
        "{name} handed over its key on {when}: old code {old}, new code {new}. "
        "If that is not right, phone the centre and block the new key.",
    ),
}
