"""Fixtures for every suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from noticeboard.i18n import set_language
from tests.service.netns import UNAVAILABLE, namespaces_available
from tests.support import NodeDir, make_node

# The machines are shared and noisy: no per-example deadlines, no "too slow" failures.
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The long fuzz run documented in the README: HYPOTHESIS_PROFILE=long ./dev test tests/faults
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=100_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """netns tests are slow, and run one at a time on one worker: they time real mDNS between namespaces."""
    for item in items:
        if item.get_closest_marker("netns"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("netns"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """One rule for netns tests: skipped with the reason where namespaces cannot be made, except in CI."""
    if item.get_closest_marker("netns") and not namespaces_available() and os.environ.get("CI") != "true":
        pytest.skip(f"{UNAVAILABLE} (under CI=true these run and must pass)")


@pytest.fixture(autouse=True)
def _dutch_and_clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts in Dutch with no node settings leaking in from the machine."""
    for var in ("NOTICEBOARD_HOME", "NOTICEBOARD_PASSPHRASE", "NOTICEBOARD_KEY_FILE", "NOTICEBOARD_LANG",
                "CREDENTIALS_DIRECTORY", "NOTICEBOARD_MDNS_INTERFACES"):
        monkeypatch.delenv(var, raising=False)
    set_language("nl")
    yield
    set_language("nl")


@pytest.fixture
def node_dir(tmp_path: Path) -> NodeDir:
    """A fresh node in a temporary folder, unlocked by a key file."""
    return make_node(tmp_path)
