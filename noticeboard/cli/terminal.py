"""What the command line writes to a terminal never carries a control sequence from a text.

Names, messages and centre names come from residents and from other centres; a peer could put
"clear the screen" or OSC 52 ("put this on the clipboard") in a response, and ``inbox`` printed
it as it was (issue 14, attack 9). Every character that is a control (C0 except newline and
tab, DEL, C1) or that turns text direction around (the bidi overrides and isolates) is written
as a visible ``\\x..``/``\\u....`` escape instead. Textual apps are not affected: they write
to the terminal through the original streams, not ``sys.stdout``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """The text with every control or direction character shown as an escape."""
    return _UNSAFE.sub(_escape, text)


class EscapingStream:
    """A text stream that escapes controls in everything written through it."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """While inside, ``sys.stdout`` and ``sys.stderr`` escape controls; restored afterwards."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
