"""RFC 8785 canonical bytes: our float-free fast path against the reference encoder."""

from __future__ import annotations

import json

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from crypto.canonical import CanonicalError, canonical_bytes

ascii_keys = st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=8)
scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=20)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ascii_keys, inner, max_size=4),
                      max_leaves=20)


@given(values)
def test_matches_reference_encoder(value: object) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)


def test_known_vector() -> None:
    # Key order, no whitespace, UTF-8 kept, control characters escaped as RFC 8785 says.
    value = {"b": [1, "é", "\n\u001f"], "a": {"z": None, "y": True}}
    assert canonical_bytes(value) == '{"a":{"y":true,"z":null},"b":[1,"é","\\n\\u001f"]}'.encode()


@pytest.mark.parametrize("bad", [1.5, {"x": 0.0}, [2**53], "\ud800", {1: "x"}, {"ké": 1}, {"x": {1, 2}}])
def test_refuses_values_outside_the_subset(bad: object) -> None:
    with pytest.raises(CanonicalError):
        canonical_bytes(bad)


def test_refuses_deep_nesting() -> None:
    deep: object = "x"
    for _ in range(40):
        deep = [deep]
    with pytest.raises(CanonicalError):
        canonical_bytes(deep)


def test_output_is_valid_json() -> None:
    assert json.loads(canonical_bytes({"a": "\u2028"})) == {"a": "\u2028"}
