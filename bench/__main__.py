"""Run every benchmark in sequence: ``python -m bench`` (or ``./dev bench``).

Each runs in its own process, as ``python -m bench.<name>`` would, so one benchmark's memory
(the kiosk measures peak RSS) and threads do not colour the next.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time

# Cheapest first, so a broken setup shows early; kiosk runs when its module exists.
ORDER = ("unlock", "syncbytes", "ingest", "federation", "kiosk")


def main() -> int:
    """Run each benchmark; print a one-line JSON summary of what ran, how long, and how it ended."""
    took: dict[str, float] = {}
    failed: list[str] = []
    for name in ORDER:
        if importlib.util.find_spec(f"bench.{name}") is None:
            continue
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        took[name] = round(time.perf_counter() - start, 1)
        if done.returncode != 0:
            failed.append(name)
    print(json.dumps({"bench": "all", "seconds": took, "failed": failed}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
