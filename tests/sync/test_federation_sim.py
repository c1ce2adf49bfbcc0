"""The federation simulation of bench/federation.py, small: with every failure it models, the stores end true.

Ten real villages, links up half the time so a few simulated days suffice: outages, a restore from
a backup in a new epoch, rounds cut off midway, rounds of one node overlapping, revisions and
withdrawals. At the end every live village holds the newest version of every entry in its reach,
and no withdrawn post is shown anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.federation import Params, Templates, simulate

SMALL = Params(villages=10, uptime=0.5, post_steps=3, lifetime_steps=40, revised_share=0.4, withdrawn_share=0.3,
               change_after=(1, 6), down_share=0.2, down_steps=6, down_from=(1, 4), restored_share=0.5, backup_before=1,
               aborted_share=0.3)


@pytest.mark.slow
def test_ten_villages_with_outages_cuts_changes_and_a_restore_converge_to_the_truth(tmp_path: Path) -> None:
    outcome = simulate(tmp_path, Templates(tmp_path / "templates"), SMALL, seed=7)
    figures, truth, rounds = outcome.figures, outcome.truth, outcome.figures["rounds"]
    # The failures really happened.
    assert figures["outages"] == 2 and figures["restored"] == 1 and rounds["restored in a new epoch"] == 1
    assert rounds["cut off midway"] >= 1
    assert rounds["overlapping another round of the same node"] >= 1
    assert figures["versions"] > figures["entries"] and truth["withdrawn and erased"] >= 1
    # And the stores hold the truth.
    assert truth["newest version held"] == figures["needed_pairs"]
    assert "newest version missing" not in truth and "withdrawn post still shown" not in truth
    assert "villages down at the check" not in truth
    assert figures["delivered_before_expiry"] == 1.0
