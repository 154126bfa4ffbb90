"""Measure triage and ranking on vignettes (answer files with an `expect` block)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backcheck.errors import InputError
from backcheck.knowledge.model import Knowledge, Verdict
from backcheck.pipeline import assess_file
from backcheck.result import Result

# The version of `eval -f json`'s object (its schema: schemas/eval.schema.json).
EVAL_SCHEMA_VERSION = 1
# The product's targets (issue: triage accuracy and safety); a value is the minimum.
TARGETS = {
    "emergency_sensitivity": 1.0,
    "safe_triage": 0.98,
    "exact_triage": 0.90,
    "self_care_correct": 0.80,
    "top3": 0.90,
}


@dataclass(frozen=True, slots=True)
class Case:
    """One vignette and what backcheck made of it."""

    id: str
    source: str
    expected: Verdict
    expected_conditions: tuple[str, ...]
    assessment: Result
    # Every level clinicians would accept (expect.verdict may be a list); `expected` is the lowest.
    acceptable: tuple[Verdict, ...] = ()
    expected_top1: str | None = None

    @property
    def exact(self) -> bool:
        """The verdict is the expected one (or one of the acceptable ones)."""
        return self.given in (self.acceptable or (self.expected,))

    @property
    def given(self) -> Verdict:
        """The verdict backcheck gave."""
        return self.assessment.verdict

    @property
    def top3_hit(self) -> bool:
        """One of the expected conditions is among the three best-ranked."""
        return any(c.id in self.expected_conditions for c in self.assessment.top(3))

    @property
    def top1_hit(self) -> bool:
        """The best-ranked condition is expect.top1 (or, without it, one of top3_any)."""
        best = self.assessment.conditions[0].id
        return (
            best == self.expected_top1 if self.expected_top1 else best in self.expected_conditions
        )


@dataclass(slots=True)
class Evaluation:
    """Figures over a set of cases."""

    cases: list[Case] = field(default_factory=list)

    def share(self, hits: Iterable[bool]) -> float | None:
        """The share of true values, or None when there are none."""
        values = list(hits)
        return sum(values) / len(values) if values else None

    def figures(self) -> dict[str, float | None]:
        """Every figure the report prints, as shares from 0 to 1."""
        cs = self.cases
        emergencies = [c for c in cs if c.expected == Verdict.EMERGENCY]
        self_care = [c for c in cs if c.expected == Verdict.SELF_CARE]
        return {
            "emergency_sensitivity": self.share(c.given == Verdict.EMERGENCY for c in emergencies),
            "exact_triage": self.share(c.exact for c in cs),
            "safe_triage": self.share(c.given.rank >= c.expected.rank for c in cs),
            "self_care_correct": self.share(c.given == Verdict.SELF_CARE for c in self_care),
            "self_care_over_triage": self.share(c.given != Verdict.SELF_CARE for c in self_care),
            "top1": self.share(c.top1_hit for c in cs),
            "top3": self.share(c.top3_hit for c in cs),
        }

    def missed_targets(self) -> list[str]:
        """The names of the targets not reached."""
        figures = self.figures()
        return [
            name
            for name, minimum in TARGETS.items()
            if figures[name] is not None and (figures[name] or 0.0) < minimum
        ]

    def confusion(self) -> dict[str, dict[str, int]]:
        """Counts of expected (rows) against given (columns) verdicts."""
        table = {e.value: {g.value: 0 for g in Verdict} for e in Verdict}
        for case in self.cases:
            table[case.expected.value][case.given.value] += 1
        return table

    def misses(self) -> list[dict[str, Any]]:
        """Every case with a wrong verdict or the expected condition outside the top three."""
        out = []
        for case in self.cases:
            problems = []
            if not case.exact:
                kind = (
                    "UNSAFE under-triage" if case.given.rank < case.expected.rank else "over-triage"
                )
                reasons = ", ".join(r.id for r in case.assessment.reasons) or "no warning sign"
                problems.append(f"{kind}: expected {case.expected}, gave {case.given} ({reasons})")
            if not case.top3_hit:
                ranking = [c.id for c in case.assessment.conditions]
                best = min(ranking.index(cid) for cid in case.expected_conditions) + 1
                top = ", ".join(f"{c.id} {c.score:.2f}" for c in case.assessment.top(3))
                wanted = "/".join(case.expected_conditions)
                problems.append(f"top 3 missed {wanted} (ranked {best}); got {top}")
            if problems:
                out.append({"id": case.id, "source": case.source, "problems": problems})
        return out


def vignette_paths(targets: Iterable[Path]) -> list[Path]:
    """The YAML and JSON files in the given folders (or the files themselves), sorted."""
    paths: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = sorted(p for p in target.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
            if not found:
                raise InputError(f"{target}: no vignettes in this folder (YAML or JSON files)")
            paths += found
        elif target.exists():
            paths.append(target)
        else:
            raise InputError(f"{target}: no such file or folder")
    return paths


def load_case(knowledge: Knowledge, path: Path) -> Case:
    """Read one vignette and assess it."""
    answer_file, result = assess_file(knowledge, str(path))
    expect = answer_file.raw.get("expect")
    label = answer_file.source
    if not isinstance(expect, dict) or "verdict" not in expect:
        raise InputError(
            f"{label}: expect: missing; a vignette needs expect.verdict and expect.top3_any"
        )
    levels = expect["verdict"] if isinstance(expect["verdict"], list) else [expect["verdict"]]
    try:
        acceptable = tuple(Verdict(v) for v in levels)
        verdict = min(acceptable, key=lambda v: v.rank)
    except (ValueError, TypeError):
        allowed = ", ".join(v.value for v in Verdict)
        raise InputError(
            f"{label}: expect.verdict: {expect['verdict']!r}; allowed: {allowed}"
        ) from None
    wanted = expect.get("top3_any")
    if (
        not isinstance(wanted, list)
        or not wanted
        or any(w not in knowledge.conditions for w in wanted)
    ):
        raise InputError(f"{label}: expect.top3_any: must list 1 to 3 known condition ids")
    return Case(
        id=str(answer_file.raw.get("id", path.stem)),
        source=label,
        expected=verdict,
        expected_conditions=tuple(wanted),
        assessment=result,
        acceptable=acceptable,
        expected_top1=top1 if isinstance(top1 := expect.get("top1"), str) else None,
    )


def evaluate_vignettes(knowledge: Knowledge, paths: Iterable[Path]) -> Evaluation:
    """Assess every vignette; a broken one raises InputError naming it."""
    evaluation = Evaluation()
    for path in paths:
        evaluation.cases.append(load_case(knowledge, path))
    return evaluation


def combined(sets: dict[str, Evaluation]) -> Evaluation:
    """All cases of several sets together."""
    total = Evaluation()
    for evaluation in sets.values():
        total.cases += evaluation.cases
    return total


def eval_json(sets: dict[str, Evaluation]) -> dict[str, Any]:
    """Figures, targets, confusion and misses per set and overall."""

    def one(e: Evaluation) -> dict[str, Any]:
        return {
            "cases": len(e.cases),
            "figures": e.figures(),
            "missed_targets": e.missed_targets(),
            "confusion": e.confusion(),
            "misses": e.misses(),
        }

    out = {name: one(e) for name, e in sets.items()}
    overall = one(combined(sets))
    return {
        "schema_version": EVAL_SCHEMA_VERSION,
        "targets": TARGETS,
        "sets": out,
        "overall": overall,
    }
