"""``python -m noticeboard``: the command line (the web kiosk starts its app this way)."""

import sys

from noticeboard.cli import main

if __name__ == "__main__":
    sys.exit(main())
