"""Fixtures for the kiosk suite: a pinned board, and helpers to drive the app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from crypto import vault
from noticeboard.app.kiosk.app import KioskApp, make_app
from noticeboard.node import Node
from tests.app.fixtures import HOME, NOW, T0, KioskBoard, populate
from tests.helpers import seed_codes
from tests.support import NodeDir


@pytest.fixture
def kiosk_dir(tmp_path: Path) -> NodeDir:
    """A fresh node for the kiosk, made at a pinned time."""
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    nd = NodeDir(data_dir, data_dir / "node.key")
    vault.write_key_file(nd.key_file, vault.new_key_file_secret())
    Node.create(data_dir, nd.unlock, HOME, now=T0 - dt.timedelta(days=2)).close()
    return nd


@pytest.fixture
def board(kiosk_dir: NodeDir, monkeypatch: pytest.MonkeyPatch) -> Iterator[KioskBoard]:
    """The pinned board, open; reference codes come from a seeded generator."""
    seed_codes(monkeypatch)
    node = kiosk_dir.open()
    try:
        yield populate(node)
    finally:
        node.close()


class FakeIdle:
    """An idle clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def idle_clock() -> FakeIdle:
    """The kiosk's idle clock, moved by the test."""
    return FakeIdle()


def kiosk(board: KioskBoard, idle: FakeIdle | None = None, **options: object) -> KioskApp:
    """The kiosk on the pinned board with the wall clock pinned."""
    return make_app(board.node, clock=lambda: NOW, monotonic=idle or FakeIdle(), **options)  # type: ignore[arg-type]
