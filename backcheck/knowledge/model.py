"""The knowledge model: frozen entries built once from data/knowledge.yaml.

Entries are NamedTuples rather than frozen dataclasses: just as immutable and typed, and
about seven times cheaper to define, which matters on every start-up of a command-line tool.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from backcheck.knowledge.rules import When
from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.knowledge.safetynet import SafetyNet


class Verdict(StrEnum):
    """Triage levels, from the contract's section 1."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SEE_DOCTOR = "see_doctor"
    SELF_CARE = "self_care"

    @property
    def rank(self) -> int:
        """0 for self_care up to 3 for emergency."""
        return _RANK[self]


_RANK = {
    Verdict.SELF_CARE: 0,
    Verdict.SEE_DOCTOR: 1,
    Verdict.URGENT: 2,
    Verdict.EMERGENCY: 3,
}


class QuestionType(StrEnum):
    """How a question is answered (the contract's answer types)."""

    MULTI = "multi"
    SINGLE = "single"
    YES_NO = "yes_no"
    INTEGER = "integer"


class Option(NamedTuple):
    """One choice of a multi or single question."""

    id: str
    label: str
    # Shown in the interview only when this test on earlier answers is not false
    # (an unknown answer shows it: nothing is hidden on a guess).
    shown_if: When | None = None

    @property
    def short(self) -> str:
        """The label up to its first colon: 'Tingling: pins and needles' -> 'Tingling'."""
        return self.label.split(":", 1)[0]


class Question(NamedTuple):
    """An interview question; ``asked_if`` is its branching rule."""

    id: str
    type: QuestionType
    text: str
    help: str
    short: str
    options: tuple[Option, ...] = ()
    red_flag: bool = False
    asked_if: When | None = None
    min: int | None = None
    max: int | None = None
    # The allowed answers in order: the option ids, or yes and no (set by the loader).
    option_ids: tuple[str, ...] = ()
    # The answer-file version that first asks it (a version-1 file was never asked a 2).
    since: int = 1

    def label_of(self, option_id: str, *, short: bool = False) -> str:
        """The wording a person sees for an option id."""
        for option in self.options:
            if option.id == option_id:
                return option.short if short else option.label
        return {"yes": "Yes", "no": "No"}.get(option_id, option_id)


class Step(NamedTuple):
    """One step of the interview: a question alone, or a screen of several."""

    id: str
    questions: tuple[str, ...]
    text: str = ""
    help: str = ""

    @property
    def is_screen(self) -> bool:
        """True when the step asks several questions in one list."""
        return bool(self.text)


class VerdictInfo(NamedTuple):
    """What a person is told for a verdict level."""

    id: Verdict
    title: str
    advice: str


class WarningSign(NamedTuple):
    """A clinical rule: when ``when`` holds, the verdict is at least ``level``."""

    id: str
    level: Verdict
    title: str
    why: str
    when: When
    # The conditions this sign points to (what a doctor would rule out first).
    points_to: tuple[str, ...] = ()
    source: str = ""  # where the rule comes from, for a clinician's review


class Finding(NamedTuple):
    """Evidence for (positive weight) or against (negative) a condition."""

    when: When
    weight: float
    because: str
    source: str = ""


class AgeOdds(NamedTuple):
    """Multiply a condition's prior odds by ``factor`` in an age band."""

    factor: float
    at_least: int | None = None
    below: int | None = None

    def applies(self, age: int) -> bool:
        """True when ``age`` lies in the band."""
        if self.at_least is not None and age < self.at_least:
            return False
        return not (self.below is not None and age >= self.below)


class PriorGate(NamedTuple):
    """Replace a condition's prior when ``when`` holds (a gate, such as being pregnant)."""

    when: When
    prior: float
    because: str


class Condition(NamedTuple):
    """A possible cause of back symptoms with its scoring weights and reference text."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    summary: str
    symptoms: tuple[str, ...]
    prior: float
    prevalence: str
    age_odds: tuple[AgeOdds, ...]
    findings: tuple[Finding, ...]
    against: tuple[Finding, ...]
    triage: Verdict
    triggers: tuple[str, ...]
    risk_factors: tuple[str, ...]
    warning_signs: tuple[str, ...]
    tests: tuple[str, ...]
    self_help: tuple[str, ...]
    see_doctor_when: str
    # Symptom words that are not a condition ("numbness", "lumbago") but lead to it in lookup.
    keywords: tuple[str, ...] = ()
    # Gates tried in order: the first whose test holds replaces ``prior`` (before age odds).
    prior_given: tuple[PriorGate, ...] = ()


class Trigger(NamedTuple):
    """Something that brings symptoms on."""

    id: str
    name: str
    summary: str


class DoctorTest(NamedTuple):
    """A test a doctor may use."""

    id: str
    name: str
    what: str


class Category(NamedTuple):
    """A group of conditions."""

    id: str
    name: str
    # For causes felt in the back but coming from elsewhere: why such a cause changes the
    # advice, with {causes} and {advice} filled in ('' for none).
    note: str = ""


class Settings(NamedTuple):
    """Global clinical settings."""

    unanswered_red_flag_level: Verdict
    condition_raise_score: float
    emergency_hint: str
    disclaimer: str
    # A condition that a fired urgent or emergency warning sign points to is ranked first
    # when the answers raise its log-odds by at least this much (see data/README.md).
    pointed_evidence: float = 2.7
    pointed_evidence_emergency: float = 2.7
    # Once this interview step is asked, a step that could complete an emergency warning
    # sign already partly met is asked before the steps listed ahead of it.
    settle_first_after: str | None = None


class Knowledge(NamedTuple):
    """Everything backcheck knows, validated and cross-referenced."""

    source: str
    settings: Settings
    verdicts: dict[Verdict, VerdictInfo]
    categories: dict[str, Category]
    questions: dict[str, Question]
    interview: tuple[Step, ...]
    warning_signs: dict[str, WarningSign]
    triggers: dict[str, Trigger]
    doctor_tests: dict[str, DoctorTest]
    conditions: dict[str, Condition]
    # What to do now, meanwhile and if it changes (data/safety_net.yaml); set by the loader.
    safety_net: SafetyNet | None = None
    # A short checksum of the knowledge and safety-net files: the knowledge version in reports.
    fingerprint: str = ""
    # Facts about earlier checks (section `history_facts`) that only warning signs may test;
    # backcheck.history.trends works them out and passes them in with the answers.
    history_facts: dict[str, Question] = {}  # noqa: RUF012  # never mutated

    @property
    def red_flags(self) -> tuple[Question, ...]:
        """The red-flag questions, in interview order."""
        return tuple(q for q in self.questions.values() if q.red_flag)
