"""The body map: where the symptoms are and where they spread, drawn from the answers.

One model (the shaded regions of a back view and a front view) drives two drawings: an
SVG for the HTML report and a Unicode figure for the terminal (``--details``). It names
places in plain words only, never a nerve or a nerve root.

Sides are the person's own: a region is (row, side) with side ``L`` or ``R``. Seen from
behind, the person's left is on the viewer's left; seen from the front, on the right.
A spread to one side only (one leg, a band around one side, the groin) is drawn on the
left, and the words say that the side was not asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.knowledge.rules import Answers
    from backcheck.output.html import Markup

LOCATIONS = ("upper_back", "mid_back", "lower_back", "buttock")
# Rows top to bottom. The front rows line up with the back rows from the middle back down.
BACK_ROWS = ("upper_back", "mid_back", "lower_back", "buttock", "thigh", "shin")
FRONT_ROWS = ("", "chest", "belly", "groin", "front_thigh", "front_shin")
LEG_ROWS = frozenset({"thigh", "shin", "front_thigh", "front_shin"})
ROW_WORDS = {
    "upper_back": "upper back",
    "mid_back": "middle back",
    "lower_back": "lower back",
    "buttock": "buttock",
    "thigh": "back of thigh",
    "shin": "below the knee",
    "chest": "chest / ribs",
    "belly": "belly / waist",
    "groin": "groin / hip",
    "front_thigh": "front of thigh",
    "front_shin": "below the knee",
}
SPREAD_WORDS = {
    "none": "stays where it is",
    "one_leg": "down one leg",
    "both_legs": "down both legs",
    "around_torso": "in a band around one side of the chest or waist",
    "band_both_sides": "in a band around both sides of the chest or belly",
    "other_areas": "to the arms, face or elsewhere (not drawn)",
    "groin_or_front_thigh": "to the groin, the hip or the front of the thigh",
}
ONE_SIDE = "Drawn on the left: the side was not asked."
BOTH = ("L", "R")

Region = tuple[str, str]


class BodyMap(NamedTuple):
    """The shaded regions of the back and front views, and the words for them."""

    back: frozenset[Region]
    front: frozenset[Region]
    words: tuple[str, ...]


def body_map(answers: Answers) -> BodyMap:
    """Shade the reported locations and draw the spread."""
    back: set[Region] = set()
    front: set[Region] = set()
    location = answers.get("location")
    if isinstance(location, str):
        location = (location,)
    places = [p for p in location if p in LOCATIONS] if isinstance(location, tuple) else []
    for place in places:
        back.update((place, side) for side in BOTH)
    spread = answers.get("spread")
    below = answers.get("below_knee") == "yes"
    legs: tuple[str, ...] = ()
    if spread == "one_leg":
        legs = ("L",)
    elif spread == "both_legs":
        legs = BOTH
    for side in legs:
        back.update({("buttock", side), ("thigh", side)})
        if below:
            back.add(("shin", side))
    if spread == "around_torso":
        back.add(("mid_back", "L"))
        front.update({("chest", "L"), ("belly", "L")})
    elif spread == "band_both_sides":
        back.update(("mid_back", side) for side in BOTH)
        front.update((row, side) for row in ("chest", "belly") for side in BOTH)
    elif spread == "groin_or_front_thigh":
        front.update({("groin", "L"), ("front_thigh", "L")})
    words = ["Where: " + (", ".join(ROW_WORDS[p] for p in places) if places else "not given")]
    if isinstance(spread, str):
        line = "Spreads: " + SPREAD_WORDS.get(spread, spread.replace("_", " "))
        if legs:
            knee = answers.get("below_knee")
            line += {"yes": ", below the knee", "no": ", not below the knee"}.get(
                str(knee), ", below the knee not known"
            )
        words.append(line)
        if spread in ("one_leg", "around_torso", "groin_or_front_thigh"):
            words.append(ONE_SIDE)
    else:
        words.append("Spreads: not given")
    return BodyMap(frozenset(back), frozenset(front), tuple(words))


# --- The terminal figure ------------------------------------------------------------------

SHADED, CLEAR = "▓", "·"
LABEL = 15


def _cells(shaded: frozenset[Region], row: str, left_first: bool) -> str:
    """One row of a view: the two halves of the trunk, or two legs."""
    if not row:
        return " " * 7
    sides = ("L", "R") if left_first else ("R", "L")
    marks = [SHADED if (row, side) in shaded else CLEAR for side in sides]
    if row in LEG_ROWS:
        return f" {marks[0] * 2} {marks[1] * 2} "
    return f"{marks[0] * 3}│{marks[1] * 3}"


def text_figure(bmap: BodyMap) -> str:
    """Back and front side by side, each row named; ▓ marks where the symptoms are."""
    lines = [
        f"{'':<{LABEL}}{'Back':^7}     {'Front':^7}".rstrip(),
        f"{'':<{LABEL}}  ( )         ( )",
    ]
    for back_row, front_row in zip(BACK_ROWS, FRONT_ROWS, strict=True):
        back = _cells(bmap.back, back_row, left_first=True)
        front = _cells(bmap.front, front_row, left_first=False)
        right = ROW_WORDS[front_row] if front_row else ""
        lines.append(f"{ROW_WORDS[back_row]:<{LABEL}}{back}     {front}  {right}".rstrip())
    lines.append(f"{'':<{LABEL}} L   R       R   L")
    lines.append(
        f"{SHADED} where you feel it. L and R: your left and right (back seen from behind)"
    )
    lines.extend(bmap.words)
    return "\n".join(lines) + "\n"


# --- The SVG figure -----------------------------------------------------------------------

SHADE, PLAIN, LINE = "#c0392b", "#f4f4f4", "#555555"
TRUNK_H, LEG_H, TOP = 24, 34, 44


def _svg_view(shaded: frozenset[Region], rows: tuple[str, ...], x: int, title: str) -> list[Markup]:
    from backcheck.output.html import el, void

    parts = [
        el("text", title, x=x + 40, y=12, text_anchor="middle", font_size=11),
        void("circle", cx=x + 40, cy=28, r=11, fill=PLAIN, stroke=LINE),
    ]
    y = TOP
    left_first = title == "Back"
    for row in rows:
        height = LEG_H if row in LEG_ROWS else TRUNK_H
        if row:
            for index, side in enumerate(("L", "R") if left_first else ("R", "L")):
                leg = row in LEG_ROWS
                left, width = (x + index * 40 + 7, 26) if leg else (x + index * 40, 40)
                where = ("left " if side == "L" else "right ") + ROW_WORDS[row]
                is_on = (row, side) in shaded
                parts.append(
                    el(
                        "rect",
                        el("title", where + (": symptoms" if is_on else "")),
                        x=left,
                        y=y,
                        width=width,
                        height=height,
                        rx=4,
                        fill=SHADE if is_on else PLAIN,
                        stroke=LINE,
                        data_region=f"{row}-{side}",
                        data_shaded="yes" if is_on else "no",
                    )
                )
        y += height
    return parts


def svg_figure(bmap: BodyMap) -> Markup:
    """A small SVG of the back and front views; each region names itself in a title."""
    from backcheck.output.html import el, escaped, join

    height = TOP + 4 * TRUNK_H + 2 * LEG_H + 22
    sides = [
        el("text", side, x=x, y=height - 6, text_anchor="middle", font_size=10)
        for side, x in (("L", 30), ("R", 70), ("R", 130), ("L", 170))
    ]
    parts = [
        *_svg_view(bmap.back, BACK_ROWS, 10, "Back"),
        *_svg_view(bmap.front, FRONT_ROWS, 110, "Front"),
        *sides,
    ]
    return el(
        "svg",
        escaped("\n") + join(parts) + escaped("\n"),
        viewBox=f"0 0 200 {height}",
        width=200,
        height=height,
        role="img",
        aria_label=" ".join(["Body map.", *(w.rstrip(".") + "." for w in bmap.words)]),
    )
