"""The body map: regions shaded from the answers, and snapshots of both drawings.

The snapshots under tests/output/snapshots/bodymap/ are the figures as a person sees
them; after a deliberate change to a drawing, rewrite them with
``BACKCHECK_UPDATE_SNAPSHOTS=1 python -m pytest tests/output/test_bodymap.py`` and look
at the difference before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcheck.cli.app import app
from backcheck.knowledge.model import Knowledge
from backcheck.output.bodymap import LOCATIONS, BodyMap, body_map, svg_figure, text_figure
from tests.conftest import EXAMPLES

SNAPSHOTS = Path(__file__).parent / "snapshots" / "bodymap"
UPDATE = os.environ.get("BACKCHECK_UPDATE_SNAPSHOTS") == "1"

# One case for each location and each spread (down a leg with and without below the knee).
LOW = ("lower_back",)
CASES: dict[str, dict[str, Any]] = {
    **{f"location-{p}": {"location": (p,), "spread": "none"} for p in LOCATIONS},
    **{
        f"spread-{legs}-{'below' if knee == 'yes' else 'above'}_knee": {
            "location": LOW,
            "spread": legs,
            "below_knee": knee,
        }
        for legs in ("one_leg", "both_legs")
        for knee in ("yes", "no")
    },
    "spread-around_torso": {"location": ("mid_back",), "spread": "around_torso"},
    "spread-band_both_sides": {"location": ("mid_back",), "spread": "band_both_sides"},
    "spread-groin_or_front_thigh": {"location": LOW, "spread": "groin_or_front_thigh"},
    "spread-other_areas": {"location": ("upper_back",), "spread": "other_areas"},
    "nothing-given": {},
}


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with BACKCHECK_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its snapshot"


@pytest.mark.parametrize("case", CASES)
def test_text_figure_matches_its_snapshot(case: str) -> None:
    check_snapshot(f"{case}.txt", text_figure(body_map(CASES[case])))


@pytest.mark.parametrize("case", CASES)
def test_svg_figure_matches_its_snapshot(case: str) -> None:
    check_snapshot(f"{case}.svg", svg_figure(body_map(CASES[case])) + "\n")


def shaded_svg(bmap: BodyMap) -> set[str]:
    return set(re.findall(r'data-region="([^"]+)" data-shaded="yes"', svg_figure(bmap)))


def test_each_location_shades_its_own_region_on_both_sides_and_nothing_else() -> None:
    for place in LOCATIONS:
        bmap = body_map({"location": (place,), "spread": "none"})
        assert bmap.back == {(place, "L"), (place, "R")}
        assert bmap.front == set()
        assert shaded_svg(bmap) == {f"{place}-L", f"{place}-R"}


def test_a_leg_is_shaded_below_the_knee_only_when_it_reaches_there() -> None:
    below = body_map({"spread": "one_leg", "below_knee": "yes"})
    above = body_map({"spread": "one_leg", "below_knee": "no"})
    assert ("shin", "L") in below.back
    assert ("shin", "L") not in above.back
    assert ("thigh", "L") in above.back
    assert not {("thigh", "R"), ("shin", "R")} & below.back  # one leg only
    both = body_map({"spread": "both_legs", "below_knee": "yes"})
    assert {("shin", "L"), ("shin", "R"), ("thigh", "L"), ("thigh", "R")} <= both.back
    assert "below the knee" in both.words[1]
    assert "not below the knee" in body_map({"spread": "both_legs", "below_knee": "no"}).words[1]


def test_bands_and_the_groin_are_drawn_on_the_front() -> None:
    one = body_map({"spread": "around_torso"})
    assert one.front == {("chest", "L"), ("belly", "L")}
    both = body_map({"spread": "band_both_sides"})
    assert both.front == {(r, s) for r in ("chest", "belly") for s in ("L", "R")}
    groin = body_map({"spread": "groin_or_front_thigh"})
    assert groin.front == {("groin", "L"), ("front_thigh", "L")}
    assert groin.back == set()
    for bmap in (one, groin, body_map({"spread": "one_leg"})):
        assert "the side was not asked" in bmap.words[2]


def test_a_spread_that_cannot_be_drawn_is_said_in_words() -> None:
    bmap = body_map({"location": ("upper_back",), "spread": "other_areas"})
    assert bmap.front == set()
    assert bmap.back == {("upper_back", "L"), ("upper_back", "R")}
    assert "not drawn" in bmap.words[1]


def test_the_front_view_is_mirrored_and_sides_are_labelled() -> None:
    # Seen from the front, the person's left is on the viewer's right.
    figure = text_figure(body_map({"spread": "groin_or_front_thigh"}))
    groin = next(line for line in figure.splitlines() if line.endswith("groin / hip"))
    assert groin.rstrip().endswith("···│▓▓▓  groin / hip")
    assert "L   R       R   L" in figure


def test_no_nerve_or_nerve_root_is_named(knowledge: Knowledge) -> None:
    spreads = knowledge.questions["spread"].option_ids
    for spread in spreads:
        for knee in ("yes", "no", None):
            answers = {"location": LOCATIONS, "spread": spread, "below_knee": knee}
            bmap = body_map(answers)
            for drawing in (text_figure(bmap), svg_figure(bmap)):
                assert not re.search(r"\b[LS][1-5]\b|\bnerve|dermatome|sciatic", drawing, re.I)


def test_every_spread_option_of_the_knowledge_has_words(knowledge: Knowledge) -> None:
    for spread in knowledge.questions["spread"].option_ids:
        words = body_map({"spread": spread}).words[1]
        assert "_" not in words, f"spread {spread!r} has no words of its own: {words}"


def test_details_show_the_body_map_in_the_terminal(runner: CliRunner) -> None:
    result = runner.invoke(app, ["run", "--details", str(EXAMPLES / "sciatica.yaml")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Body map" in out
    assert "lower back     ▓▓▓│▓▓▓" in out
    assert "Spreads: down one leg, below the knee" in out
    assert out.index("Body map") < out.index("not a diagnosis")
    brief = runner.invoke(app, ["run", str(EXAMPLES / "sciatica.yaml")])
    assert "Body map" not in brief.stdout  # the short summary stays one screen
