"""One lockout rule for every secret a person types at a centre (volunteer PIN, coordinator
passphrase, the kiosk's exit PIN): five tries, then waits that double with each wrong try.

Pure and storage-free, so each caller keeps ``Tries`` where its secret lives. With a first
wait of 5 minutes that doubles up to a day, guessing a 4-digit PIN takes decades instead of
the week a fixed 5-minute wait allowed (issue 14, attack 9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

FREE_TRIES = 5
FIRST_WAIT = dt.timedelta(minutes=5)
LONGEST_WAIT = dt.timedelta(days=1)


def wait_after(failed: int) -> dt.timedelta:
    """How long no try is taken after ``failed`` wrong tries in a row (zero before the fifth)."""
    if failed < FREE_TRIES:
        return dt.timedelta(0)
    doublings = min(failed - FREE_TRIES, 20)  # 5 min * 2**9 already passes a day
    return min(FIRST_WAIT * 2**doublings, LONGEST_WAIT)


@dataclass(frozen=True)
class Tries:
    """Wrong tries in a row for one secret, and until when (Unix seconds) it is locked."""

    failed: int = 0
    locked_until: int = 0

    def locked(self, now: dt.datetime) -> bool:
        """Whether a try now is refused without being checked."""
        return self.locked_until > now.timestamp()

    def after_failure(self, now: dt.datetime) -> Tries:
        """The state after one more wrong try at ``now`` (a success starts again from ``Tries()``)."""
        failed = self.failed + 1
        wait = wait_after(failed)
        return Tries(failed, int((now + wait).timestamp()) if wait else 0)

    @property
    def left(self) -> int:
        """Tries left before the first wait."""
        return max(0, FREE_TRIES - self.failed)
