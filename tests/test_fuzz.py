"""Hostile answer and knowledge files end in a result or one clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.loading import default_knowledge_path
from backcheck.textfile import MAX_ANSWER_FILE_BYTES

pytestmark = pytest.mark.slow  # the fuzz tier: `pytest -m slow` (run by .ci/run)

FUZZ = settings(max_examples=150, deadline=5000, suppress_health_check=list(HealthCheck))
QUESTIONS = ["sensation", "spread", "fever", "age", "history", "injury", "below_knee"]
OPTIONS = ["pain", "one_leg", "yes", "no", "none", "fall", "cancer", "tingling"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(OPTIONS),
    st.text(min_size=1, max_size=20).map(lambda s: s * 5000),  # long strings
)
keys = st.one_of(
    st.sampled_from([*QUESTIONS, "answers", "version", "expect"]), st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=40,
)
answer_docs = st.one_of(
    values,
    st.dictionaries(st.sampled_from(QUESTIONS), values, max_size=8).map(lambda a: {"answers": a}),
    st.dictionaries(keys, values, max_size=5),
)

HOSTILE_TEXTS = [
    "answers: " + "[" * 30_000 + "]" * 30_000,  # deep flow nesting (crashes libyaml unguarded)
    '{"answers": ' + "[" * 30_000 + "]" * 30_000 + "}",
    "answers:\n" + "".join(" " * i + "-\n" for i in range(0, 600, 2)),  # deep block nesting
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "answers: {sensation: *d}\n",
    "base: &b {fever: yes}\nanswers:\n  <<: *b\n",
    "!!python/object/apply:os.system ['touch owned-by-yaml']\n",
    "answers: !!python/name:os.system\n",
    "answers: {age: 30, age: 40}\n",
    '{"answers": {"age": 30, "age": 40}}',
    "answers: {age: 1e3}\n",
    "answers: {age: 0x1F}\n",
    "answers: {age: 1:30}\n",
    "answers: {sensation: [pain, pain]}\n",
    "answers: {ƒever: yes}\n",
    "\ufeffanswers: {fever: no}\n",
    "answers: {fever: !!binary aGVsbG8=}\n",
    "answers: {fever: 2024-01-02}\n",
    "%YAML 1.1\n---\nanswers: {}\n...\n---\nanswers: {}\n",
    "answers: {" + ", ".join(f"k{i}: {i}" for i in range(2000)) + "}\n",
]


def _check(result: Result, allowed: tuple[int, ...]) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in allowed, (result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert lines, "an error must say what is wrong"
        assert all(line.startswith("error: ") for line in lines)


def _run(tmp_path: Path, content: str | bytes, name: str = "a.yaml") -> Result:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return CliRunner().invoke(app, ["run", "-f", "json", str(path)])


@FUZZ
@given(doc=answer_docs, as_json=st.booleans())
def test_generated_answer_files(tmp_path_factory: Any, doc: Any, as_json: bool) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    text = json.dumps(doc) if as_json else yaml.safe_dump(doc)
    result = _run(tmp, text, "a.json" if as_json else "a.yaml")
    _check(result, (0, 2))
    if result.exit_code == 2:  # every problem at once, each line naming the file
        name = "a.json" if as_json else "a.yaml"
        assert all(name in line for line in result.stderr.strip().splitlines())


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(tmp_path_factory: Any, data: bytes) -> None:
    _check(_run(tmp_path_factory.mktemp("bytes"), data), (0, 2))


@FUZZ
@given(text=st.text(max_size=300))
def test_random_text(tmp_path_factory: Any, text: str) -> None:
    _check(_run(tmp_path_factory.mktemp("text"), text), (0, 2))


def test_hostile_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # where an executed tag would create its file
    for index, text in enumerate(HOSTILE_TEXTS):
        result = _run(tmp_path, text, f"h{index}.yaml")
        _check(result, (0, 2))
    assert not (tmp_path / "owned-by-yaml").exists()


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    result = _run(tmp_path, f"!!python/object/apply:os.system ['touch {marker}']\n")
    assert result.exit_code == 2
    assert "could not determine a constructor" in result.stderr
    assert not marker.exists()


def test_aliases_and_deep_nesting_are_refused_by_name(tmp_path: Path) -> None:
    assert "aliases" in _run(tmp_path, HOSTILE_TEXTS[3], "l.yaml").stderr
    assert "nested too deeply" in _run(tmp_path, HOSTILE_TEXTS[0], "d.yaml").stderr


def test_oversized_answer_files_are_refused(tmp_path: Path) -> None:
    big = "answers: {}\n# " + "x" * MAX_ANSWER_FILE_BYTES + "\n"
    result = _run(tmp_path, big)
    assert result.exit_code == 2
    assert f"larger than the {MAX_ANSWER_FILE_BYTES // 1024} KiB allowed" in result.stderr
    stdin = CliRunner().invoke(app, ["run", "-"], input=big)
    assert stdin.exit_code == 2
    assert "<stdin>: larger than" in stdin.stderr


@pytest.mark.parametrize(
    "text",
    [
        "answers: !!python/object/apply:os.system ['touch owned-by-yaml']\n",
        "answers: !!python/name:os.system\n",
        "answers: !!python/object:collections.OrderedDict {}\n",
    ],
)
def test_yaml_is_only_read_with_a_safe_loader(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backcheck.textfile import parse_text

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="python"):
        parse_text(text, json_first=False)
    assert not (tmp_path / "owned-by-yaml").exists()


SHIPPED = yaml.safe_load(default_knowledge_path().read_text(encoding="utf-8"))
SECTIONS = sorted(SHIPPED)


@FUZZ
@given(
    section=st.sampled_from(SECTIONS),
    index=st.integers(0, 200),
    field=st.sampled_from(
        ["id", "when", "weight", "level", "findings", "options", "name", "prior", "type"]
    ),
    value=values,
)
def test_mutated_knowledge_files(
    tmp_path_factory: Any, section: str, index: int, field: str, value: Any
) -> None:
    import copy

    data = copy.deepcopy(SHIPPED)
    target = data[section]
    if isinstance(target, list) and target:
        entry = target[index % len(target)]
        if isinstance(entry, dict):
            entry[field] = value
    else:
        data[section] = value
    path = tmp_path_factory.mktemp("k") / "k.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    _check(result, (0, 1))
    if result.exit_code == 1:
        assert all(str(path) in line for line in result.stderr.strip().splitlines())


@FUZZ
@given(doc=values)
def test_generated_knowledge_files(tmp_path_factory: Any, doc: Any) -> None:
    path = tmp_path_factory.mktemp("k") / "k.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    _check(CliRunner().invoke(app, ["--knowledge", str(path), "lookup", "ms"]), (1,))


HOSTILE_VALUES = [[], {}, 7, None, [[]], {"any": []}]


def test_every_field_of_every_section_rejects_hostile_values() -> None:
    """Each field of each section's first entry, set to a wrong shape: a report, not a crash."""
    import copy

    cases = 0
    for section, items in SHIPPED.items():
        targets: list[tuple[Any, Any]] = [(SHIPPED, section)]
        if isinstance(items, list) and isinstance(items[0], dict):
            targets += [((section, 0), key) for key in items[0]]
        elif isinstance(items, dict):
            targets += [((section,), key) for key in items]
        for where, key in targets:
            for value in HOSTILE_VALUES:
                data = copy.deepcopy(SHIPPED)
                node = data
                if where is not SHIPPED:
                    for step in where:
                        node = node[step]
                node[key] = value
                assert all(line.startswith("k.yaml: ") for line in _problems(data))
                cases += 1
    assert cases > 300


def _problems(data: Any) -> list[str]:
    """The problem lines for a knowledge mapping (none when it is valid)."""
    from backcheck.errors import KnowledgeError
    from backcheck.knowledge.validate import build_knowledge

    try:
        build_knowledge(data, source="k.yaml")
    except KnowledgeError as exc:
        return exc.lines()
    return []
