"""The supervisor behind ``noticeboard serve``: the sync service plus the node's chores.

It sits above ``sync`` (which uses only crypto and the core): it starts the
:class:`sync.service.Service` with the desk's match intake as its ``on_new_entries`` hook,
publishes the profile the settings name, and runs retention and profile renewal.
"""

from noticeboard.supervisor.chores import (
    HOUSEKEEPING_FIRST_S,
    HOUSEKEEPING_S,
    PROFILE_RENEW_BEFORE,
    apply_evaluation_settings,
    apply_profile_settings,
    housekeeping,
    take_in_desk_messages,
)
from noticeboard.supervisor.supervisor import Supervisor, serve

__all__ = [
    "HOUSEKEEPING_FIRST_S",
    "HOUSEKEEPING_S",
    "PROFILE_RENEW_BEFORE",
    "Supervisor",
    "apply_evaluation_settings",
    "apply_profile_settings",
    "housekeeping",
    "serve",
    "take_in_desk_messages",
]
