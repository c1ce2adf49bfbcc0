"""Nodes for the service tests: centres a few km apart that trust each other."""

from __future__ import annotations

from pathlib import Path

from noticeboard.clock import utcnow
from noticeboard.node import Node, PostDraft
from noticeboard.trust import Trust
from tests.support import NodeDir, make_node


def centre(root: Path, name: str, lon_cdeg: int = 644) -> NodeDir:
    """A centre on the same line of latitude as the others, so reach is a matter of longitude."""
    return make_node(root, name=name, village=name.split()[-1], lat_cdeg=5332, lon_cdeg=lon_cdeg)


def pair(a: NodeDir, b: NodeDir, address_of_b: str = "", address_of_a: str = "") -> None:
    """Trust each other both ways, as two coordinators would after comparing codes."""
    with a.open() as node_a, b.open() as node_b:
        profile_a, profile_b = node_a.profile_entry(), node_b.profile_entry()
        Trust(node_a).pair(profile_b, address_of_b)
        Trust(node_b).pair(profile_a, address_of_a)
        node_a.store.apply(profile_b, now=utcnow())
        node_b.store.apply(profile_a, now=utcnow())


def post(nd: NodeDir, title: str = "Boodschappen halen", reach_km: int = 30) -> str:
    """Post a request at a centre; returns its entry id."""
    with nd.open() as node:
        return node.post(PostDraft("request", "boodschappen", title, reach_km=reach_km)).id


def has_entry(nd: NodeDir, author: str, entry_id: str) -> bool:
    """Whether a centre holds this entry."""
    with nd.open() as node:
        return node.store.get(author, entry_id) is not None


def node_id(nd: NodeDir) -> str:
    """The node key of a centre."""
    with nd.open() as node:
        return node.node_id


def open_node(nd: NodeDir) -> Node:
    """Open a centre's node (caller closes it)."""
    return nd.open()
