"""How verdicts look: words and colours, and an indented list; shared by every renderer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.knowledge import Verdict

if TYPE_CHECKING:
    from rich.console import Console

VERDICT_STYLE = {
    Verdict.EMERGENCY: "bold white on red",
    Verdict.URGENT: "bold black on dark_orange",
    Verdict.SEE_DOCTOR: "bold black on yellow",
    Verdict.SELF_CARE: "bold black on green",
}
VERDICT_WORD = {
    Verdict.EMERGENCY: "EMERGENCY",
    Verdict.URGENT: "URGENT",
    Verdict.SEE_DOCTOR: "SEE A DOCTOR",
    Verdict.SELF_CARE: "SELF-CARE",
}


def bullets(console: Console, items: list[str], indent: int = 2) -> None:
    """A list whose wrapped lines stay indented under their text."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=indent + 1, justify="right")
    grid.add_column()
    for item in items:
        grid.add_row("-", item)
    console.print(grid)
