"""The `eval` tables: figures against targets, the confusion table and the misses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backcheck.evaluation import TARGETS, Evaluation, combined
from backcheck.output.style import literal

if TYPE_CHECKING:
    from rich.console import Console

LABELS = {
    "emergency_sensitivity": "Emergency sensitivity",
    "exact_triage": "Exact triage",
    "safe_triage": "Safe triage",
    "self_care_correct": "Self-care kept self-care",
    "self_care_over_triage": "Self-care over-triage",
    "top1": "Top-1 condition",
    "top3": "Top-3 condition",
}
NOTES = (
    "Emergency sensitivity: emergency cases given emergency. Safe triage: verdict at or above "
    "the expected level. Top-3: an expected condition among the three best-ranked."
)


def render_eval(console: Console, sets: dict[str, Evaluation]) -> None:
    """Tables of figures (with targets), the confusion table and the misses."""
    from rich.table import Table

    everything = {**sets, "overall": combined(sets)} if len(sets) > 1 else sets
    table = Table(
        title="Triage and ranking on vignettes", title_justify="left", box=None, padding=(0, 1)
    )
    table.add_column("figure", no_wrap=True)
    for name, e in everything.items():
        # Two-line headers keep three sets and the targets within 80 columns.
        parts = [literal(part) for part in Path(name).parts[-2:]]
        header = "/\n".join(parts) if name != "overall" else "overall\n"
        table.add_column(f"{header} ({e.count})", justify="right")
    table.add_column("target", justify="right")
    for key, label in LABELS.items():
        cells = []
        for e in everything.values():
            value = e.figures()[key]
            mark = " MISSED" if key in e.missed_targets() else ""
            cells.append("-" if value is None else f"{value:.1%}{mark}")
        target = TARGETS.get(key)
        table.add_row(label, *cells, f">= {target:.0%}" if target is not None else "")
    console.print(table)
    console.print(f"[dim]{NOTES}[/dim]")

    total = everything["overall"] if "overall" in everything else next(iter(sets.values()))
    confusion = Table(
        title="\nExpected (rows) against given (columns)", title_justify="left", box=None
    )
    levels = list(total.confusion())
    confusion.add_column("expected")
    for level in levels:
        confusion.add_column(level, justify="right")
    for expected, row in total.confusion().items():
        confusion.add_row(expected, *(str(row[g]) for g in levels))
    console.print(confusion)

    misses = total.misses()
    console.print(f"\n[bold]Misses ({len(misses)})[/bold]")
    for miss in misses:
        for problem in miss["problems"]:
            console.print(f"  {literal(str(miss['id']))}: {literal(problem)}", highlight=False)
