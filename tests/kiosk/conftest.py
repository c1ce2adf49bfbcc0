"""The kiosk suite shares the pinned board of tests/app (see tests/app/conftest.py and fixtures.py)."""

from tests.app.conftest import board, idle_clock, kiosk_dir

__all__ = ["board", "idle_clock", "kiosk_dir"]
