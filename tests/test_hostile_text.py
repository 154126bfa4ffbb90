"""Text is text: markup, escape sequences, bidi controls and Markdown from a knowledge file, a
file name, a vignette id or a folder name are shown as written and never obeyed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.errors import one_line
from tests.conftest import EXAMPLES, OWN_VIGNETTES, ROOT

# Rich markup, a screen clear, an OSC 8 hyperlink, a right-to-left override, an HTML
# comment, a Markdown heading and code.
OSC8 = "\x1b]8;;http://example.org/\x1b\\click\x1b]8;;\x1b\\"
HOSTILE = f"[x] [/b] [link=file:///etc]L[/link] \x1b[2J {OSC8} \u202eevil\u202c <!-- # `tick` "
SHOWN = one_line(HOSTILE)  # how a terminal shows it: the control characters as escapes
# Pieces with no space, so that they survive line wrapping whole.
PIECES = [
    "[x]",
    "[/b]",
    "[link=file:///etc]L[/link]",
    "\\x1b[2J",
    "\\x1b]8;;http://example.org/\\x1b\\click\\x1b]8;;\\x1b\\",
    "\\u202eevil\\u202c",
    "<!--",
    "`tick`",
]
# Every free-text field of the knowledge and the safety net (not ids, options or enums).
TEXT_KEYS = {
    "advice",
    "aliases",
    "because",
    "disclaimer",
    "emergency_hint",
    "help",
    "label",
    "name",
    "risk_factors",
    "see_doctor_when",
    "self_help",
    "short",
    "source",
    "summary",
    "symptoms",
    "text",
    "title",
    "what",
    "why",
}
SAFETY_NET_TEXT_KEYS = TEXT_KEYS | {
    "avoid",
    "check_again",
    "course",
    "if",
    "then",
    "meantime",
    "now",
}
NAME = "odd[x]\x1b[2J\u202e<!--#`q`"  # for file and folder names


def _poison(value: Any, keys: set[str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, keys, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, keys, key) for v in value]
    if isinstance(value, str) and key in keys:
        return HOSTILE + value
    return value


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A knowledge file and safety net with HOSTILE in every text field, in a folder with a
    hostile name; an answer file and a vignette folder with hostile names and ids."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / NAME
    folder.mkdir()
    for name, keys in (("knowledge", TEXT_KEYS), ("safety_net", SAFETY_NET_TEXT_KEYS)):
        raw = yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text())
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(_poison(raw, keys), sort_keys=False))
    answers = folder / f"{NAME}.yaml"
    shutil.copy(EXAMPLES / "emergency.yaml", answers)
    vignettes = root / f"vignettes-{NAME}"
    vignettes.mkdir()
    for number, source in enumerate(sorted(OWN_VIGNETTES.glob("*.yaml"))[:4]):
        raw = yaml.safe_load(source.read_text())
        raw["id"] = f"{HOSTILE}{number}"
        if number == 0:  # one miss, so that an id is shown in the misses
            raw["expect"]["verdict"] = (
                "emergency" if raw["expect"]["verdict"] != "emergency" else "self_care"
            )
        (vignettes / f"{NAME}{number}.yaml").write_text(yaml.safe_dump(raw))
    return {"knowledge": folder / "knowledge.yaml", "answers": answers, "vignettes": vignettes}


def _run(hostile: dict[str, Path], *args: str) -> str:
    result = CliRunner().invoke(
        app, ["--knowledge", str(hostile["knowledge"]), *args], env={"COLUMNS": "120"}
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    output = result.output
    # Nothing a terminal would obey: no escape character, no bidi control, no C1 control.
    assert all(c.isprintable() or c == "\n" for c in output), [
        c for c in output if not (c.isprintable() or c == "\n")
    ][:5]
    return output


def _shown_literally(output: str) -> None:
    for piece in PIECES:
        assert piece in output, piece


@pytest.mark.parametrize("extra", [[], ["--details"]], ids=["brief", "details"])
def test_run_rich_shows_the_text_and_keeps_the_verdict(
    hostile: dict[str, Path], extra: list[str]
) -> None:
    output = _run(hostile, "run", *extra, str(hostile["answers"]))
    _shown_literally(output)
    assert "VERDICT: EMERGENCY:" in output
    assert one_line(str(hostile["answers"])) in output.replace("\n", "")


def _markdown_tokens(report: str) -> list[Any]:
    tokens = MarkdownIt("commonmark").enable("table").parse(report)
    flat = []
    for token in tokens:
        flat.append(token)
        flat += token.children or []
    return flat


def test_run_markdown_keeps_the_text_out_of_the_structure(hostile: dict[str, Path]) -> None:
    report = _run(hostile, "run", "-f", "markdown", str(hostile["answers"]))
    tokens = _markdown_tokens(report)
    kinds = {t.type for t in tokens}
    for structure in ("html_block", "html_inline", "code_inline", "code_block", "fence"):
        assert structure not in kinds, structure
    assert "link_open" not in kinds
    # The report's own headings only: one title, then its sections.
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    texts = [
        "".join(c.content for c in t.children or [] if c.type == "text")
        for t in tokens
        if t.type == "inline"
    ]
    assert any(SHOWN in text for text in texts)
    assert any(text == f"backcheck report: {one_line(str(hostile['answers']))}" for text in texts)
    assert any(text.startswith(f"Verdict: EMERGENCY: {SHOWN}") for text in texts)


def _strict(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_run_json_keeps_every_text_exactly(hostile: dict[str, Path]) -> None:
    output = _run(hostile, "run", "-f", "json", str(hostile["answers"]))
    result = _strict(output)
    assert result["source"] == str(hostile["answers"])
    assert result["verdict"] == "emergency"
    assert result["verdict_title"].startswith(HOSTILE)
    assert result["reasons"][0]["title"].startswith(HOSTILE)
    assert result["conditions"][0]["name"].startswith(HOSTILE)


def test_run_html_keeps_the_text_out_of_the_markup(hostile: dict[str, Path]) -> None:
    from html.parser import HTMLParser

    report = _run(hostile, "run", "-f", "html", str(hostile["answers"]))
    assert "<!-- #" not in report  # the comment opener is escaped wherever it appears
    assert "&lt;!--" in report

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.text: list[str] = []
            self.comments: list[str] = []
            self.links: list[str] = []

        def handle_data(self, data: str) -> None:
            self.text.append(data)

        def handle_comment(self, data: str) -> None:
            self.comments.append(data)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.links += [v or "" for k, v in attrs if k in ("href", "src")]

    page = Collect()
    page.feed(report)
    text = "".join(page.text)
    assert "[link=file:///etc]L[/link]" in text
    assert "EMERGENCY" in text
    assert not any("file:///etc" in link for link in page.links)
    assert not any("#" in comment and "tick" in comment for comment in page.comments)


def test_run_fhir_keeps_every_text_exactly(hostile: dict[str, Path]) -> None:
    output = _run(hostile, "run", "-f", "fhir", str(hostile["answers"]))
    texts: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str):
            texts.append(value)

    collect(_strict(output))
    assert any(text.startswith(HOSTILE) for text in texts)  # the same text, exactly


def test_lookup_and_conditions_show_the_text(hostile: dict[str, Path]) -> None:
    _shown_literally(_run(hostile, "lookup", "sciatica"))
    _shown_literally(_run(hostile, "conditions"))
    symptom = _run(hostile, "lookup", "numbness")  # a symptom word: a list of conditions
    assert "[x]" in symptom
    assert "error:" in _run(hostile, "lookup", NAME)  # no match: the query shown escaped


def test_validate_names_the_file_escaped(hostile: dict[str, Path]) -> None:
    output = _run(hostile, "validate")
    assert output.startswith(f"OK: {one_line(str(hostile['knowledge']))}: ")


def test_eval_shows_ids_and_folder_names(hostile: dict[str, Path]) -> None:
    output = _run(hostile, "eval", str(hostile["vignettes"]))
    assert "Misses (1)" in output
    _shown_literally(output)
    assert "`q`" in output  # from the folder name, in a column header
    result = _strict(_run(hostile, "eval", "-f", "json", str(hostile["vignettes"])))
    (misses,) = [s["misses"] for s in result["sets"].values()]
    assert misses[0]["id"] == f"{HOSTILE}0"


def test_an_error_about_a_hostile_answer_is_one_visible_line(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    bad = tmp_path / f"{NAME}.yaml"
    bad.write_text(yaml.safe_dump({"answers": {"sensation": [HOSTILE]}}))
    output = _run(hostile, "run", str(bad))
    (line,) = output.splitlines()
    assert line.startswith("error: ")
    assert "\\x1b[2J" in line


def test_history_shows_a_hostile_file_name_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`history add`, `export` (JSON Lines and CSV) write the name escaped, never raw."""
    monkeypatch.setenv("BACKCHECK_HOME", str(tmp_path / "home"))
    name = tmp_path / "[red]x[link=file:]\x1b[2J\u202e.yaml"
    name.write_text((ROOT / "examples" / "sciatica.yaml").read_text(encoding="utf-8"))
    runner = CliRunner()
    added = runner.invoke(app, ["history", "add", str(name), "--date", "2026-11-01"])
    assert added.exit_code == 0, added.output
    for args in (["history", "export"], ["history", "export", "--format", "csv"]):
        out = runner.invoke(app, args).stdout
        assert "[red]x[link=file:]" in out
        assert "\x1b" not in out, args
        assert "\u202e" not in out, args
    assert "\\x1b[2J\\u202e" in added.stdout
    assert "\x1b" not in added.stdout
