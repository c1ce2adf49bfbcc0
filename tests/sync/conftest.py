"""Fixtures of the sync suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.sync.helpers import Servers


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    """Start real peer servers; all are stopped when the test ends."""
    started = Servers()
    yield started
    await started.stop_all()
