"""Pick the safety net for a result: pure, no I/O and no clock (renderers add the date).

From the safety-net data and the assessment it chooses what to do now and meanwhile, the
warning signs that would change the advice (only ones not present, above the verdict, the
ones tied to the likely causes first), the likely causes as short lines (the conditions a
deciding warning sign points to first; grouped conditions as one line), how long the likeliest
cause usually takes to get better and the date to check again by.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from backcheck.knowledge.model import Knowledge, Verdict, WarningSign
from backcheck.knowledge.safetynet import DATED, SafetyNet, SignNet
from backcheck.result import ConditionScore, Contribution, ReasonKind, SignRef, strength_of
from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.knowledge.rules import Answers
    from backcheck.result import Result

WATCH_SIGNS = 3
CAUSE_LINES = 3
WHY_PARTS = 2


class Watch(NamedTuple):
    """A warning sign to watch for, in plain words."""

    id: str
    level: Verdict
    line: str


class Cause(NamedTuple):
    """One line of likely causes: a condition, or a group of conditions shown as one."""

    ids: tuple[str, ...]
    label: str
    score: float  # the best score among ``ids``
    why: tuple[Contribution, ...]  # findings for it that hold on the person's answers
    pointed: bool  # a warning sign that set the verdict points to it

    @property
    def strength(self) -> str:
        """How well the answers match, in words."""
        return strength_of(self.score)


class Advice(NamedTuple):
    """Everything the short summary shows beyond the verdict itself."""

    verdict: Verdict
    set_by: tuple[SignRef, ...]  # warning signs at the verdict's level
    now: str
    meantime: tuple[str, ...]
    avoid: tuple[str, ...]
    watch: tuple[Watch, ...]
    causes: tuple[Cause, ...]
    course: str  # how the likeliest cause usually goes ('' when not known)
    check_days: int | None  # check again after this many days (None when the verdict sends now)
    check_again_template: str  # the sentence, with {date} where the date goes
    # why a cause the verdict's sign points to, felt in the back but coming from elsewhere
    # (the kidneys, the heart), changes the advice ('' when none)
    elsewhere: str = ""

    def check_again(self, today: dt.date) -> str:
        """The check-again sentence dated from ``today`` ('' when there is none)."""
        if self.check_days is None:
            return ""
        day = today + dt.timedelta(days=self.check_days)
        return self.check_again_template.replace("{date}", format_date(day))


def format_date(day: dt.date) -> str:
    """'Tuesday 15 December 2026': a date nobody misreads, in any country."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def pick_advice(knowledge: Knowledge, assessment: Result) -> Advice:
    """The safety net for ``assessment`` (a result still without its advice)."""
    net = knowledge.safety_net or SafetyNet("", {}, {}, {}, ())
    answers = assessment.answers
    verdict = assessment.verdict
    info = knowledge.verdicts[verdict]
    vnet = net.verdicts.get(verdict)
    signs = [
        knowledge.warning_signs[r.id]
        for r in assessment.reasons
        if r.kind == ReasonKind.WARNING_SIGN and r.level == verdict
    ]
    causes = pick_causes(knowledge, net, assessment, answers, tuple(signs))
    lead = causes[0].ids[0] if causes else None
    course = net.courses.get(lead) if lead else None
    days: int | None = None
    if vnet is not None and verdict in DATED and vnet.check_days is not None:
        days = min(vnet.check_days, course.check_days) if course else vnet.check_days
    set_by = tuple(SignRef(s.id, s.level, s.title) for s in signs)
    return Advice(
        verdict=verdict,
        set_by=set_by,
        now=vnet.now if vnet else info.advice,
        meantime=vnet.meantime if vnet else (),
        avoid=vnet.avoid if vnet else (),
        watch=pick_watch(knowledge, net, assessment),
        causes=causes,
        course=course.course if course else "",
        check_days=days,
        check_again_template=vnet.check_again if vnet is not None and days is not None else "",
        elsewhere=_elsewhere(knowledge, causes, verdict),
    )


def _elsewhere(knowledge: Knowledge, causes: tuple[Cause, ...], verdict: Verdict) -> str:
    """The note of the first category with one, filled in with the first pointed cause in it."""
    for category in knowledge.categories.values():
        if not category.note:
            continue
        names = [
            knowledge.conditions[c.ids[0]].name
            for c in causes
            if c.pointed and knowledge.conditions[c.ids[0]].category == category.id
        ]
        if names:
            return category.note.format(
                causes=_in_a_sentence(names[0]), advice=knowledge.verdicts[verdict].title.lower()
            )
    return ""


def sign_line(knowledge: Knowledge, net: SafetyNet, sign: WarningSign) -> str:
    """A warning sign as 'If X: do Y.' (from the data, or built from its title)."""
    entry: SignNet | None = net.signs.get(sign.id)
    if entry is not None:
        return entry.line
    return (
        f"If you notice this: {sign.title.lower()}: {knowledge.verdicts[sign.level].title.lower()}."
    )


def pick_watch(knowledge: Knowledge, net: SafetyNet, assessment: Result) -> tuple[Watch, ...]:
    """Warning signs not present that would raise the verdict, tied to the likely causes first."""
    fired = {r.id for r in assessment.reasons if r.kind == ReasonKind.WARNING_SIGN}
    rank = assessment.verdict.rank
    candidates = [
        s for s in knowledge.warning_signs.values() if s.id not in fired and s.level.rank > rank
    ]
    top = [c.id for c in assessment.top(CAUSE_LINES)]
    listed: dict[str, int] = {}
    for position, cid in enumerate(top):
        for sid in knowledge.conditions[cid].warning_signs:
            listed.setdefault(sid, position)
    for sign in candidates:
        for cid in sign.points_to:
            if cid in top:
                listed.setdefault(sign.id, top.index(cid))

    def key(sign: WarningSign) -> tuple[int, int, int]:
        relevant = sign.id in listed
        return (0 if relevant else 1, -sign.level.rank, listed.get(sign.id, 0))

    chosen = sorted(candidates, key=key)[:WATCH_SIGNS]
    return tuple(Watch(s.id, s.level, sign_line(knowledge, net, s)) for s in chosen)


def answered_contributions(item: ConditionScore, answers: Answers) -> tuple[Contribution, ...]:
    """The findings for a condition that rest only on questions the person answered."""
    return tuple(
        c
        for c in item.contributions
        if c.weight > 0 and c.answers and all(answers.get(q) is not None for q in c.answers)
    )


def pick_causes(
    knowledge: Knowledge,
    net: SafetyNet,
    assessment: Result,
    answers: Answers,
    set_by: tuple[WarningSign, ...],
) -> tuple[Cause, ...]:
    """The likely causes as lines: the deciding signs' conditions first, groups merged."""
    pointed: list[str] = []
    # Only a warning sign that sends a person to a doctor today or sooner leads the causes:
    # that is where a "probably just a disc" line could undercut the advice.
    for sign in (s for s in set_by if s.level.rank >= Verdict.URGENT.rank):
        for cid in sign.points_to:
            if cid not in pointed:
                pointed.append(cid)
    ranking = list(assessment.conditions)
    order = sorted(ranking, key=lambda item: 0 if item.id in pointed else 1)  # stable: by score
    lines: list[Cause] = []
    where: dict[str, int] = {}
    for item in order:
        group = net.group_of(item.id)
        key = group.id if group else item.id
        if key in where:
            index = where[key]
            old = lines[index]
            merged = old.why + tuple(
                c
                for c in answered_contributions(item, answers)
                if c.because not in {o.because for o in old.why}
            )
            lines[index] = old._replace(
                ids=(*old.ids, item.id), why=merged, pointed=old.pointed or item.id in pointed
            )
            continue
        if len(lines) == CAUSE_LINES:
            continue
        where[key] = len(lines)
        lines.append(
            Cause(
                ids=(item.id,),
                label=group.label if group else item.name,
                score=item.score,
                why=answered_contributions(item, answers),
                pointed=item.id in pointed,
            )
        )
    return tuple(lines)


def _in_a_sentence(name: str) -> str:
    """A condition's name inside a sentence: 'Kidney stone' -> 'kidney stone' ('AAA' stays)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name
