"""The fast YAML reader for answer files gives exactly what the strict loader gives.

``parse_text`` builds plain documents (mappings, lists, strings, whole numbers, booleans,
nulls) straight from libyaml's nodes and leaves everything else to the strict loader;
for every text, accepted or refused, the outcome must be the strict loader's.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backcheck import textfile
from backcheck.textfile import parse_text


def _strict(text: str) -> Any:
    """What the strict loader alone makes of ``text`` (the reference)."""
    data = textfile._parse(text, json_first=False)
    textfile._check_tree(data)
    return data


def _outcome(read: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", read(text)
    except ValueError as exc:
        return "error", str(exc)


def _same(text: str) -> None:
    fast, strict = (
        _outcome(lambda t: parse_text(t, json_first=False), text),
        _outcome(_strict, text),
    )
    assert fast == strict
    if fast[0] == "ok":  # True == 1 in Python: types must agree too
        assert repr(fast[1]) == repr(strict[1])


SCALARS = [
    "35",
    "050",
    "0x20",
    "1_000",
    "1:05",
    "-7",
    "+3",
    "3.5",
    "1e3",
    ".inf",
    ".nan",
    "yes",
    "no",
    "on",
    "true",
    "False",
    "~",
    "null",
    "",
    "2024-01-02",
    "'050'",
    '"yes"',
    "!!int 050",
    "!!int '12'",
    '!!int "5\\n"',
    "!!bool yes",
    "!!float 1",
    "!!str 12",
    "!!null x",
    "!!binary aGk=",
    "!!timestamp 2024-01-02",
    "!custom x",
    "[a, b]",
    "{a: 1}",
    "!!str [a]",
    "!!seq {a: 1}",
    "!!set {a, b}",
    "&x [1]",
    "*x",
    "<<: {a: 1}",
    "pain",
]


@pytest.mark.parametrize("value", SCALARS)
def test_every_kind_of_value_reads_as_the_strict_loader_reads_it(value: str) -> None:
    _same(f"answers:\n  age: {value}\n  sensation: [pain]\n")
    _same(f"answers:\n  a: &x [1]\n  b: {value}\n")


def test_an_alias_a_duplicate_key_and_a_deep_tree_are_refused_as_before() -> None:
    alias = "answers:\n  a: &x [pain]\n  b: *x\n"
    duplicate = "answers:\n  age: 30\n  age: 31\n"
    deep = "answers:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 120)) + "  x: 1\n"
    for text in (alias, duplicate, deep):
        _same(text)
        assert _outcome(lambda t: parse_text(t, json_first=False), text)[0] == "error"


def test_a_plain_answer_file_is_read_without_the_strict_loader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(text: str, *, json_first: bool) -> Any:
        raise AssertionError("the fast reader should have read this file")

    monkeypatch.setattr(textfile, "_parse", refuse)
    text = "version: 2\nanswers:\n  sensation: [pain, tingling]\n  age: 40\n  fever: no\n"
    assert parse_text(text, json_first=False) == {
        "version": 2,
        "answers": {"sensation": ["pain", "tingling"], "age": 40, "fever": "no"},
    }


_scalar_text = st.sampled_from(SCALARS[:-10]) | st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8
).map(lambda s: yaml.safe_dump(s).removesuffix("\n...\n").strip())
_keys = st.sampled_from(["age", "a", "b", "no", "1", "~", "'x'", "true"])


def _doc(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _scalar_text
    inner = _doc(depth - 1)
    flow_list = st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    flow_map = st.lists(st.tuples(_keys, inner), max_size=3).map(
        lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
    )
    return _scalar_text | flow_list | flow_map


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_keys, _doc(2)), min_size=1, max_size=5))
def test_generated_documents_read_the_same_both_ways(items: list[tuple[str, str]]) -> None:
    _same("answers:\n" + "".join(f"  {key}: {value}\n" for key, value in items))
