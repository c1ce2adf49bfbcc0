"""The printable board: an A4 HTML page of open posts with their codes, for the village-hall wall.

No personal data: no names (not even first names), no contacts; the title, category,
village and when, as anyone can read them on the board.
"""

from __future__ import annotations

import datetime as dt
import html

from noticeboard.categories import BY_CODE
from noticeboard.i18n import current_language, t
from noticeboard.node import Node
from noticeboard.store import BoardQuery

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: sans-serif; font-size: 12pt; color: #000; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
p.lead { margin: 0 0 6mm; }
section { break-inside: avoid; border: 1px solid #000; border-radius: 2mm; padding: 3mm 4mm; margin: 0 0 4mm; }
.ref { font-family: monospace; font-size: 16pt; font-weight: bold; float: right; }
.kind { text-transform: uppercase; font-size: 10pt; letter-spacing: .05em; }
h2 { font-size: 14pt; margin: 1mm 0; }
.meta { font-size: 10pt; }
footer { font-size: 10pt; margin-top: 6mm; }
"""


def render(node: Node, *, now: dt.datetime) -> str:
    """The page as HTML text (open requests first, then offers)."""
    lang = current_language()
    profile = node.profile()
    parts = [f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">",
             f"<title>{html.escape(t('desk.print.title', name=profile.name))}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(t('desk.print.title', name=profile.name))}</h1>",
             f"<p class=\"lead\">{html.escape(t('desk.print.lead', phone=profile.phone or '-'))}</p>"]
    for kind in ("request", "offer"):
        posts, _ = node.store.board(BoardQuery(kind=kind, status="open"), now=now)
        for entry in sorted(posts, key=lambda e: (e.body["category"], e.body["ref"])):
            body = entry.body
            when = body.get("when", {}).get("text", "")
            meta = " · ".join(x for x in (BY_CODE[body["category"]].label(lang), body["place"]["village"], when) if x)
            parts.append(
                f"<section><span class=\"ref\">{html.escape(body['ref'])}</span>"
                f"<div class=\"kind\">{html.escape(t('kind.' + kind))}</div>"
                f"<h2>{html.escape(body['title'])}</h2><div class=\"meta\">{html.escape(meta)}</div></section>")
    parts.append(f"<footer>{html.escape(t('desk.print.footer', date=now.date().isoformat()))}</footer></body></html>")
    return "\n".join(parts)
