"""Measure triage and ranking on vignettes (answer files with an `expect` block)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
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

    def scored(self) -> Scored:
        """What the figures need of this case, without the whole result (so that ``eval``
        keeps a few hundred bytes a case, not the ranking with all its evidence)."""
        ranking = [c.id for c in self.assessment.conditions]
        wanted = [ranking.index(cid) for cid in self.expected_conditions if cid in ranking]
        return Scored(
            id=self.id,
            source=self.source,
            expected=self.expected,
            acceptable=self.acceptable,
            expected_conditions=self.expected_conditions,
            expected_top1=self.expected_top1,
            given=self.given,
            reasons=tuple(r.id for r in self.assessment.reasons),
            top=tuple((c.id, c.score) for c in self.assessment.top(3)),
            best_expected_rank=min(wanted) + 1 if wanted else len(ranking) + 1,
            exact=self.exact,
            top3_hit=self.top3_hit,
            top1_hit=self.top1_hit,
        )


@dataclass(frozen=True, slots=True)
class Scored:
    """One assessed vignette, reduced to what the figures and the list of misses use."""

    id: str
    source: str
    expected: Verdict
    acceptable: tuple[Verdict, ...]
    expected_conditions: tuple[str, ...]
    expected_top1: str | None
    given: Verdict
    reasons: tuple[str, ...]  # the ids of the reasons for the verdict
    top: tuple[tuple[str, float], ...]  # the three best-ranked conditions and their scores
    best_expected_rank: int  # where the best-placed expected condition ranks (1 = first)
    exact: bool
    top3_hit: bool
    top1_hit: bool


@dataclass(slots=True)
class Evaluation:
    """Figures over a set of cases, counted as the cases come: only the misses are kept, so
    memory does not grow with the number of vignettes."""

    count: int = 0
    tallies: dict[str, list[int]] = field(default_factory=dict)  # figure -> [hits, cases]
    table: dict[str, dict[str, int]] = field(
        default_factory=lambda: {e.value: {g.value: 0 for g in Verdict} for e in Verdict}
    )
    missed: list[Scored] = field(default_factory=list)

    def add(self, case: Scored) -> None:
        """Count one case in (and keep it when it is a miss)."""
        self.count += 1
        self._tally("exact_triage", case.exact)
        self._tally("safe_triage", case.given.rank >= case.expected.rank)
        self._tally("top1", case.top1_hit)
        self._tally("top3", case.top3_hit)
        if case.expected == Verdict.EMERGENCY:
            self._tally("emergency_sensitivity", case.given == Verdict.EMERGENCY)
        if case.expected == Verdict.SELF_CARE:
            self._tally("self_care_correct", case.given == Verdict.SELF_CARE)
            self._tally("self_care_over_triage", case.given != Verdict.SELF_CARE)
        self.table[case.expected.value][case.given.value] += 1
        if not case.exact or not case.top3_hit:
            self.missed.append(case)

    def merge(self, other: Evaluation) -> None:
        """Count every case of ``other`` in as well."""
        self.count += other.count
        for name, (hits, cases) in other.tallies.items():
            mine = self.tallies.setdefault(name, [0, 0])
            mine[0] += hits
            mine[1] += cases
        for expected, row in other.table.items():
            for given, n in row.items():
                self.table[expected][given] += n
        self.missed += other.missed

    def _tally(self, name: str, hit: bool) -> None:
        counts = self.tallies.setdefault(name, [0, 0])
        counts[0] += hit
        counts[1] += 1

    def share(self, name: str) -> float | None:
        """The share of cases that hit the figure, or None when no case counts for it."""
        hits, cases = self.tallies.get(name, (0, 0))
        return hits / cases if cases else None

    def figures(self) -> dict[str, float | None]:
        """Every figure the report prints, as shares from 0 to 1."""
        names = (
            "emergency_sensitivity",
            "exact_triage",
            "safe_triage",
            "self_care_correct",
            "self_care_over_triage",
            "top1",
            "top3",
        )
        return {name: self.share(name) for name in names}

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
        return {expected: dict(row) for expected, row in self.table.items()}

    def misses(self) -> list[dict[str, Any]]:
        """Every case with a wrong verdict or the expected condition outside the top three."""
        out = []
        for case in self.missed:
            problems = []
            if not case.exact:
                kind = (
                    "UNSAFE under-triage" if case.given.rank < case.expected.rank else "over-triage"
                )
                reasons = ", ".join(case.reasons) or "no warning sign"
                problems.append(f"{kind}: expected {case.expected}, gave {case.given} ({reasons})")
            if not case.top3_hit:
                best = case.best_expected_rank
                top = ", ".join(f"{cid} {score:.2f}" for cid, score in case.top)
                wanted = "/".join(case.expected_conditions)
                problems.append(f"top 3 missed {wanted} (ranked {best}); got {top}")
            out.append({"id": case.id, "source": case.source, "problems": problems})
        return out


SUFFIXES = (".yaml", ".yml", ".json")


class Vignettes(Collection[Path]):
    """The vignette files of some folders and files, in order, held by name: a Path costs
    about 250 bytes, its name a quarter of that, so 10,000 vignettes take 0.6 MiB instead
    of about 3 (``eval`` keeps its memory flat however many there are)."""

    def __init__(self, places: list[tuple[Path, list[str]]]) -> None:
        """``places``: each folder with the names of its files, in order."""
        self._places = places
        self._count = sum(len(names) for _, names in places)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, Path):
            return False
        return any(item.parent == at and item.name in names for at, names in self._places)

    def __iter__(self) -> Iterator[Path]:
        for folder, names in self._places:
            for name in names:
                yield folder / name

    def texts(self) -> Iterator[str]:
        """The same files as text, as ``str(path)`` spells them, without a Path for each:
        pathlib keeps every part of a path it makes interned, and the interned table keeps
        its size (about 1 MiB more for 10,000 names), so ``eval`` would grow with them."""
        for folder, names in self._places:
            base = str(folder)
            for name in names:
                yield name if base == "." else os.path.join(base, name)


def vignette_paths(targets: Iterable[Path]) -> Vignettes:
    """The YAML and JSON files in the given folders (or the files themselves), each
    folder's sorted by name."""
    places: list[tuple[Path, list[str]]] = []
    for target in targets:
        if target.is_dir():
            # names alone, in the order of their paths: no Path for each at once
            names = (n for n in os.listdir(target) if os.path.splitext(n)[1] in SUFFIXES)
            found = sorted(names, key=os.path.normcase)
            if not found:
                raise InputError(f"{target}: no vignettes in this folder (YAML or JSON files)")
            places.append((target, found))
        elif target.exists():
            places.append((target.parent, [target.name]))
        else:
            raise InputError(f"{target}: no such file or folder")
    return Vignettes(places)


def load_case(knowledge: Knowledge, path: Path | str) -> Case:
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
        id=str(answer_file.raw.get("id", os.path.splitext(os.path.basename(path))[0])),
        source=label,
        expected=verdict,
        expected_conditions=tuple(wanted),
        assessment=result,
        acceptable=acceptable,
        expected_top1=top1 if isinstance(top1 := expect.get("top1"), str) else None,
    )


def evaluate_vignettes(knowledge: Knowledge, paths: Iterable[Path | str]) -> Evaluation:
    """Assess every vignette, one at a time, keeping only what the figures need; a broken
    one raises InputError naming it."""
    evaluation = Evaluation()
    for path in paths.texts() if isinstance(paths, Vignettes) else paths:
        evaluation.add(load_case(knowledge, path).scored())
    return evaluation


def combined(sets: dict[str, Evaluation]) -> Evaluation:
    """All cases of several sets together."""
    total = Evaluation()
    for evaluation in sets.values():
        total.merge(evaluation)
    return total


def eval_json(sets: dict[str, Evaluation]) -> dict[str, Any]:
    """Figures, targets, confusion and misses per set and overall."""

    def one(e: Evaluation) -> dict[str, Any]:
        return {
            "cases": e.count,
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
