"""The node's chores while it serves: the configured profile, retention, profile renewal, match intake,
and the monthly ``stats`` entries of the evaluation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from noticeboard.desk import evaluation
from noticeboard.desk import matches as desk_matches
from noticeboard.geo import Place, parse_location
from noticeboard.node import Node, Profile
from noticeboard.privacy.retention import run_retention
from noticeboard.settings import Settings, SettingsError
from sync.service import event

log = logging.getLogger("sync.service")

# Chores (retention, profile renewal) run a minute after start, then every six hours.
HOUSEKEEPING_FIRST_S = 60.0
HOUSEKEEPING_S = 6 * 3600.0
PROFILE_RENEW_BEFORE = dt.timedelta(days=60)


def apply_profile_settings(node: Node, settings: Settings) -> bool:
    """Publish a new profile version when the settings name the centre differently; True if it did."""
    current = node.profile()
    name = settings.name.strip() or current.name
    place = current.place
    if settings.village.strip() or settings.location.strip():
        lat, lon = (parse_location(settings.location) if settings.location.strip()
                    else (place.lat_cdeg, place.lon_cdeg))
        place = Place(settings.village.strip() or place.village, lat, lon)
    wanted = Profile(name, place, current.phone, current.hours)
    if wanted == current:
        return False
    node.publish_profile(wanted)
    event("profile_updated")
    return True


def apply_evaluation_settings(node: Node, settings: Settings) -> bool:
    """Take the variant the settings file names (``[evaluation] place``, ``matching``); True if it changed.

    A wrong value there must not keep the centre from syncing: it is logged, and the variant
    stays as it was.
    """
    try:
        changed = evaluation.apply_settings(node.store, settings)
    except SettingsError as exc:
        log.error("settings: %s", exc)
        event("evaluation_settings_refused")
        return False
    if changed:
        event("evaluation_variant_updated")
    return changed


def take_in_desk_messages(node: Node, now: dt.datetime) -> None:
    """The desk's match messages among newly arrived entries (the service's ``on_new_entries``)."""
    desk_matches.take_in(node, now=now)


def housekeeping(node: Node, now: dt.datetime) -> None:
    """Anonymise what is past retention, publish the month's figures, renew our profile before it expires."""
    report = run_retention(node, now)
    event("retention", **dataclasses.asdict(report))
    # After retention: the figures come from the desk's events, which retention leaves as they are.
    published = evaluation.publish_due(node, now)
    if published:
        event("stats_published", entries=len(published))
    if node.profile_entry().expires_at - now < PROFILE_RENEW_BEFORE:
        node.publish_profile(node.profile(), now=now)
        event("profile_renewed")
