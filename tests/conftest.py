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


# The slow tier, by test id prefix (a file, or one test of a file): what takes more than about a second
# of CPU on an idle machine. Textual apps driven by Pilot and their snapshots, child processes (the
# console script, serve, kill -9), faults and fuzzing, big fixtures. `./dev test -m "not slow"` leaves
# them out (the fast tier, under a minute); `./dev test` and CI run everything. A new slow test: add
# @pytest.mark.slow to it, or its id here.
SLOW = (
    "tests/app/test_snapshots.py", "tests/app/test_category_pages.py", "tests/app/test_privacy.py",
    "tests/app/test_post_flow.py", "tests/app/test_kiosk_mode.py",
    "tests/faults/",
    "tests/desk/test_staff_snapshots.py", "tests/desk/test_staff_screens.py", "tests/desk/test_staff_flow.py",
    "tests/desk/test_staff_in_kiosk.py",
    "tests/kiosk/test_holds.py", "tests/kiosk/test_cli_terminal.py", "tests/kiosk/test_web.py",
    "tests/security/test_messages.py",
    "tests/service/test_serve_sigterm.py",
    "tests/desk/test_cli.py::test_phone_intake_to_feedback_from_the_terminal",
    "tests/desk/test_cli.py::test_wrong_pins_lock_the_role_with_exit_code_4",
    "tests/foundation/test_cli.py::test_passphrase_change_keeps_data_readable_with_the_new_one_only",
    "tests/foundation/test_cli.py::test_post_list_show_withdraw",
    "tests/foundation/test_cli.py::test_console_script_and_demo_board",
    "tests/foundation/test_cli.py::test_wrong_passphrase_one_line_error_nothing_changed",
    "tests/foundation/test_cli.py::test_entries_verify_independently_and_any_change_breaks_them",
    "tests/foundation/test_cli.py::test_unique_word_and_contact_are_nowhere_on_disk",
    "tests/foundation/test_entry.py::test_validator_never_crashes_on_json",
    "tests/foundation/test_store.py::test_any_order_with_duplicates_gives_the_same_state",
    "tests/privacy/test_keys.py::test_rotation_killed_several_times_resumes_and_ends_with_no_row_under_the_old_key",
    "tests/privacy/test_keys.py::test_keyfile_add_and_remove_keep_the_passphrase_working",
    "tests/security/test_files.py::test_bundle_import_of_a_fifo_or_a_huge_file_is_refused_at_once",
    "tests/security/test_files.py::test_acceptance_3_a_hostile_drop_folder_does_not_stop_the_service",
    "tests/service/test_dropfolder.py::test_two_services_sharing_only_a_folder_exchange_a_new_entry_within_one_interval",
    "tests/service/test_housekeeping.py::test_a_response_that_arrives_by_sync_is_opened_without_any_command",
    "tests/sync/test_cli.py::test_noticeboard_serve_runs_as_a_child_process_until_sigterm",
    "tests/sync/test_cli.py::test_pair_sync_respond_inbox_and_trust_commands",
    "tests/service/test_backoff.py::test_unreachable_peer_is_retried_with_backoff_and_synced_soon_after_it_returns",
    "tests/sync/test_convergence.py::test_any_schedule_of_rounds_converges_inside_each_reach",
    "tests/sync/test_https.py::test_first_contact_sends_little_more_than_the_missing_entries",
)


# The longest tests, longest first (measured with --durations). xdist hands out tests in the order
# collected, one at a time as a worker gets free: the longest first and the short ones filling in behind
# keeps every worker busy to the end, instead of one long test running alone at the end of the run.
LONGEST = (
    "tests/kiosk/test_exploration.py", "tests/faults/test_kill.py", "tests/sync/test_event_loop.py",
    "tests/kiosk/test_fit.py", "tests/security/test_messages.py", "tests/service/test_serve_sigterm.py",
    "tests/security/test_place.py", "tests/service/test_serve_netns.py", "tests/kiosk/test_demo.py",
    "tests/security/test_server.py", "tests/foundation/test_store.py", "tests/security/test_terminal.py",
    "tests/desk/test_staff_flow.py", "tests/foundation/test_cli.py",
)


def _run_order(item: pytest.Item) -> int:
    """Where a test goes in the run: the longest first, then the rest of the slow tier, then the fast tier."""
    for rank, prefix in enumerate(LONGEST):
        if item.nodeid.startswith(prefix):
            return rank
    return len(LONGEST) if item.get_closest_marker("slow") else len(LONGEST) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tier (netns tests are slow too, and run one at a time on one worker: they time real
    mDNS), and order the run longest first."""
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("netns"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("netns"))
    items.sort(key=_run_order)  # stable: within a rank, the order of the files


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
