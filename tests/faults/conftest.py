"""Fixtures of the fault suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.sync.helpers import Servers


@pytest.fixture
async def servers() -> AsyncIterator[Servers]:
    """Start real peer servers on 127.0.0.1; all are stopped when the test ends."""
    started = Servers()
    yield started
    await started.stop_all()
