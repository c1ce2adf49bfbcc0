"""The noticeboard CLI in a process whose clock is off: ``python -m tests.faults.skewed_child SECONDS ARGS...``."""

from __future__ import annotations

import datetime as dt
import sys

import time_machine

from noticeboard.cli import main


def run(offset_s: float, argv: list[str]) -> int:
    """Run the CLI with the wall clock moved by offset_s seconds (it keeps ticking)."""
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=offset_s), tick=True):
        return main(argv)


if __name__ == "__main__":
    sys.exit(run(float(sys.argv[1]), sys.argv[2:]))
