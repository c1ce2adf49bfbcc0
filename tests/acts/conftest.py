"""Fixtures of the acts suite: the desk's village (sessions of both roles) and real peer servers."""

from __future__ import annotations

from tests.desk.conftest import desk_dir, village
from tests.sync.conftest import servers

__all__ = ["desk_dir", "servers", "village"]
