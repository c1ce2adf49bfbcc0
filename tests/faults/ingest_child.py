"""A node taking in a file of entries batch by batch, saying after each commit how far it got.

Run by the kill test as ``python -m tests.faults.ingest_child DATA_DIR KEY_FILE ENTRIES BATCH``;
prints ``committed N`` once the first N lines of ENTRIES are in the database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from crypto import vault
from noticeboard.node import Node
from noticeboard.store import Unlock
from sync.ingest import Ingest


def main(argv: list[str]) -> int:
    """Ingest the entries file in batches, reporting each committed batch on stdout."""
    data_dir, key_file, source, batch = Path(argv[0]), Path(argv[1]), Path(argv[2]), int(argv[3])
    lines = source.read_bytes().splitlines()
    with Node.open(data_dir, Unlock(key_file_secret=vault.read_key_file(key_file))) as node:
        pipeline = Ingest(node)
        for start in range(0, len(lines), batch):
            report = pipeline.run(lines[start : start + batch], source="faults")
            if report.refused:
                print(f"refused {dict(report.refused)}", flush=True)
                return 1
            print(f"committed {min(start + batch, len(lines))}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
