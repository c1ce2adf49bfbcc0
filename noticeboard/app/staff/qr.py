"""A QR code drawn with half blocks, two module rows per terminal line."""

from __future__ import annotations

import segno

_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_text(data: str, border: int = 2) -> str:
    """The QR code of ``data`` as lines of text (dark modules drawn in the foreground colour)."""
    rows = [[bool(v) for v in row] for row in segno.make(data, error="m", micro=False).matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return "\n".join("".join(_CELLS[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
                     for i in range(0, len(rows), 2))
