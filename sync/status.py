"""What the always-on service is doing, kept in a small JSON file beside the database.

The service writes it after every round and on a heartbeat; ``noticeboard status`` and the
kiosk read it with :func:`read_status`. It holds node keys, centre names, addresses,
times and counts: public facts about centres, never anything about a person.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from noticeboard.store import Store
from noticeboard.trust import Trust

FILENAME = "service-status.json"
# The service writes at least this often while it runs (and at once when something changed);
# not more often, to spare the SD cards halls run on.
HEARTBEAT_S = 30.0


def status_path(store_path: Path) -> Path:
    """Where the status of the node whose database is at store_path lives."""
    return store_path.with_name(FILENAME)


def write_status(path: Path, status: dict[str, Any]) -> None:
    """Replace the status file atomically (a reader never sees half a file)."""
    text = json.dumps(status, ensure_ascii=False, sort_keys=True, indent=1)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                     delete=False) as handle:
        handle.write(text)
    os.replace(handle.name, path)


def load_status(path: Path) -> dict[str, Any]:
    """The last status written, or an empty one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pid_alive(pid: object) -> bool:
    """Whether a process with this id exists (the service that wrote a status file)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_status(store: Store) -> dict[str, Any]:
    """The service's status for this store, with ``running`` and every known peer's trust state.

    Keys: ``running`` (bool), ``updated`` (unix time or None), ``port``, ``mdns`` (addresses),
    ``peers`` (list of dicts: node, name, state, source, address, seen, last_sync, last_ok,
    last_error, failures, next_try_s, entries_in, entries_out, refused), ``drop_folder``.
    """
    data = load_status(status_path(store.path))
    updated = data.get("updated")
    fresh = isinstance(updated, (int, float)) and time.time() - updated < 2 * HEARTBEAT_S + 10
    running = bool(data.get("running")) and fresh and pid_alive(data.get("pid"))
    peers: dict[str, dict[str, Any]] = {}
    for node_id, info in (data.get("peers") or {}).items():
        if isinstance(info, dict):
            peers[node_id] = {"node": node_id, **info}
    for peer in Trust.peers_in(store):
        entry = peers.setdefault(peer.node_id, {"node": peer.node_id})
        entry["name"] = entry.get("name") or peer.name
        entry["address"] = entry.get("address") or peer.address
        entry["state"] = peer.state.value
    for entry in peers.values():
        entry.setdefault("state", "seen")
        entry.setdefault("name", "")
    return {
        "running": running,
        "updated": updated if isinstance(updated, (int, float)) else None,
        "started": data.get("started"),
        "port": data.get("port"),
        "mdns": data.get("mdns") or [],
        "drop_folder": data.get("drop_folder"),
        "peers": sorted(peers.values(), key=lambda p: (p["state"] not in ("trusted", "introducer"), p["name"],
                                                       p["node"])),
    }
