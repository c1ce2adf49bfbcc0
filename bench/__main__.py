"""Run every benchmark in sequence: ``python -m bench`` (or ``./dev bench``)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time

# Cheapest first, so a broken setup shows early; kiosk runs when its module exists.
ORDER = ("unlock", "syncbytes", "ingest", "federation", "kiosk")


def main() -> int:
    """Run each benchmark's ``run()``; print a one-line JSON summary of timings at the end."""
    took: dict[str, float] = {}
    for name in ORDER:
        if importlib.util.find_spec(f"bench.{name}") is None:
            continue
        module = importlib.import_module(f"bench.{name}")
        start = time.perf_counter()
        module.run()
        took[name] = round(time.perf_counter() - start, 1)
    print(json.dumps({"bench": "all", "seconds": took}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
