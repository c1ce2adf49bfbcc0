"""While the kiosk draws on the terminal, log lines go to a file in the data folder, never to the screen.

Textual draws on the terminal (its stderr); a log line written there lands on top of the kiosk.
So for as long as the app runs, the root logger writes only to ``<data dir>/logs/kiosk.log``
(rotating: 1 MiB, three old files kept), and Python warnings go there too.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG_FOLDER = "logs"
LOG_FILE = "kiosk.log"
MAX_BYTES = 1 << 20
KEEP = 3


def log_path(data_dir: Path) -> Path:
    """Where the kiosk's log file is."""
    return data_dir / LOG_FOLDER / LOG_FILE


@contextmanager
def logs_to_file(data_dir: Path) -> Iterator[Path]:
    """Send every log line to the kiosk's log file instead of stderr, until the block ends."""
    path = log_path(data_dir)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    saved = root.handlers[:]
    for old in saved:
        root.removeHandler(old)
    root.addHandler(handler)
    logging.captureWarnings(True)
    try:
        yield path
    finally:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        handler.close()
        for old in saved:
            root.addHandler(old)
