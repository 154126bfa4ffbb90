"""Reference pages: one condition in full, or the list of all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcheck.knowledge.model import Condition, Knowledge
from backcheck.output.style import VERDICT_WORD, bullets, is_plain, literal

if TYPE_CHECKING:
    from rich.console import Console


def render_condition(console: Console, knowledge: Knowledge, condition: Condition) -> None:
    """Everything a person may want to know about one condition."""
    from rich.panel import Panel

    category = knowledge.categories[condition.category].name
    usual = VERDICT_WORD[condition.triage].lower()
    header = (
        f"[bold]{literal(condition.name)}[/bold] ({literal(condition.id)})\n"
        f"{literal(category)}; {literal(condition.prevalence)}; usually: {usual}"
    )
    if is_plain(console):
        console.print(header)
    else:
        console.print(Panel(header, expand=False))
    if condition.aliases:
        console.print(f"[dim]Also called: {literal(', '.join(condition.aliases))}[/dim]")
    console.print(f"\n{literal(condition.summary)}")
    _section(console, "Typical symptoms", condition.symptoms)
    triggers = [knowledge.triggers[t] for t in condition.triggers]
    _section(console, "Triggers", [f"{t.name}: {t.summary}" for t in triggers])
    _section(console, "Risk factors", condition.risk_factors)
    signs = [knowledge.warning_signs[s] for s in condition.warning_signs]
    _section(
        console, "Warning signs", [f"{s.title} ({VERDICT_WORD[s.level].lower()})" for s in signs]
    )
    tests = [knowledge.doctor_tests[t] for t in condition.tests]
    _section(console, "Tests a doctor may use", [f"{t.name}: {t.what}" for t in tests])
    _section(console, "What helps", condition.self_help)
    console.print("\n[bold]When to see a doctor[/bold]")
    console.print(f"  {literal(condition.see_doctor_when)}")
    console.print(f"\n[italic]{literal(knowledge.settings.disclaimer)}[/italic]")


def _section(console: Console, title: str, lines: list[str] | tuple[str, ...]) -> None:
    if not lines:
        return
    console.print(f"\n[bold]{title}[/bold]")
    bullets(console, [literal(line) for line in lines])


def render_condition_list(console: Console, knowledge: Knowledge) -> None:
    """All conditions, grouped by category, with how common they are."""
    from rich.table import Table

    for category in knowledge.categories.values():
        members = [c for c in knowledge.conditions.values() if c.category == category.id]
        if not members:
            continue
        table = Table(
            title=literal(category.name),
            title_justify="left",
            title_style="bold",
            box=None,
            padding=(0, 1),
        )
        table.add_column("id")
        table.add_column("name")
        table.add_column("how common")
        table.add_column("usually")
        for c in members:
            cells = (c.id, c.name, c.prevalence)
            table.add_row(*(literal(cell) for cell in cells), VERDICT_WORD[c.triage].lower())
        console.print(table)
        console.print()
    console.print("[dim]backcheck lookup NAME shows one in full.[/dim]")
