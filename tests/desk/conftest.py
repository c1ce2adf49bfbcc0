"""Fixtures for the desk suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from noticeboard.node import Node
from tests.desk.fixtures import NodeDir, Village, make_desk_node, populate


@pytest.fixture
def desk_dir(tmp_path: Path) -> NodeDir:
    """A fresh node with a coordinator passphrase."""
    return make_desk_node(tmp_path)


@pytest.fixture
def village(desk_dir: NodeDir) -> Iterator[Village]:
    """The fixture village, open; closed afterwards."""
    node: Node = desk_dir.open()
    try:
        yield populate(node)
    finally:
        node.close()
