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


def test_a_plain_answer_file_is_read_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> Any:
        raise AssertionError("the line reader should have read this file")

    monkeypatch.setattr(textfile, "_plain_yaml", refuse)
    text = (
        "# written by hand\nversion: 2\nanswers:\n  sensation:\n  - pain\n  - tingling\n"
        "  location: [lower_back]  # where\n\n  age: 40\n  fever: false\n  spread: none\n"
    )
    assert parse_text(text, json_first=False) == {
        "version": 2,
        "answers": {
            "sensation": ["pain", "tingling"],
            "location": ["lower_back"],
            "age": 40,
            "fever": False,
            "spread": "none",
        },
    }
    assert parse_text(text.replace("\n", "\r\n"), json_first=False) == parse_text(
        text, json_first=False
    )


# Block YAML near the line reader's edges: words, lists either way, nesting, comments,
# odd indentation and spacing, and characters that change what a line means.
_words = st.sampled_from(
    ["pain", "a", "b", "x_1", "35", "050", "0", "true", "False", "NULL", "yes", "~", "1e3"]
)
_pieces = st.sampled_from(
    [
        *["", " ", "  ", "#", " #", " # c", ":", ": ", "-", "- ", "[", "]", ",", "'", '"'],
        *["\t", "\r", "\r\n", "\n", "&a ", "*a", "!!str ", "|", ">", "?", "{", "}", "---"],
        *["é", "\x0b"],
    ]
)


def _block(depth: int) -> st.SearchStrategy[str]:
    """A block mapping at no indent; nested blocks are indented by 1 to 4 spaces."""
    flow = st.lists(_words, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    value = _words | flow | st.just("")
    pair = st.tuples(_keys | _words, value).map(lambda kv: f"{kv[0]}: {kv[1]}".rstrip())
    items = st.tuples(_keys, st.integers(0, 3), st.lists(_words, min_size=1, max_size=3)).map(
        lambda k: f"{k[0]}:\n" + "".join(" " * k[1] + f"- {w}\n" for w in k[2])
    )
    entry = pair.map(lambda p: p + "\n") | items
    if depth:
        nested = st.tuples(_keys, st.integers(1, 4), _block(depth - 1)).map(
            lambda k: f"{k[0]}:\n" + "".join(" " * k[1] + line + "\n" for line in k[2].splitlines())
        )
        entry = entry | nested
    return st.lists(entry | st.sampled_from(["\n", "# note\n", "  # note\n"]), max_size=5).map(
        "".join
    )


@settings(max_examples=600, deadline=None)
@given(_block(2), st.lists(st.tuples(st.integers(0, 400), _pieces), max_size=2))
def test_block_documents_read_the_same_by_lines_and_by_libyaml(
    text: str, edits: list[tuple[int, str]]
) -> None:
    for at, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    _same(text)


def test_the_line_reader_reads_answer_files_as_libyaml_does() -> None:
    """The examples, the blank template and every vignette's answers as an answer file
    (written as yaml.safe_dump writes them): read by lines, and the same as libyaml."""
    from pathlib import Path

    from backcheck.knowledge.loading import load_knowledge
    from backcheck.output.template import answer_template

    root = Path(__file__).parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.glob("examples/*.yaml"))]
    texts.append(answer_template(load_knowledge()))
    for path in sorted(root.glob("tests/vignettes*/*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        answer_file = {"version": case.get("version", 1), "answers": case["answers"]}
        texts.append(yaml.safe_dump(answer_file, sort_keys=False))
        texts.append(yaml.safe_dump(answer_file, sort_keys=False, default_flow_style=None))
    for text in texts:
        assert repr(textfile._line_yaml(text)) == repr(_strict(text)), text
    assert len(texts) > 100


@pytest.mark.parametrize("levels", [98, 99, 100, 101])
def test_deep_block_mappings_and_their_lists_read_the_same_both_ways(levels: int) -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(levels))
    _same(nested + " " * levels + "x: 1\n")
    _same(nested + " " * levels + "- a\n")
