"""The safety net: data/safety_net.yaml read, checked against the knowledge and frozen.

The file says, per verdict, what to do now, what helps meanwhile, what not to do and when
to check again; per warning sign, one plain "if X: do Y" line; per condition, how long it
usually takes to get better. Every problem is reported at once, each naming its entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from backcheck.errors import KnowledgeError
from backcheck.knowledge.fields import Fields
from backcheck.knowledge.model import Verdict
from backcheck.suggest import did_you_mean
from backcheck.tuples import NamedTuple

if TYPE_CHECKING:
    from backcheck.knowledge.model import Knowledge

_TOP = ("version", "groups", "verdicts", "warning_signs", "conditions")
MAX_CHECK_DAYS = 90
# Verdicts whose advice ends in a date to check again by; the others send a person now.
DATED = (Verdict.SEE_DOCTOR, Verdict.SELF_CARE)


class VerdictNet(NamedTuple):
    """What a person does at one verdict level."""

    now: str
    meantime: tuple[str, ...]
    avoid: tuple[str, ...]
    check_days: int | None
    check_again: str  # contains "{date}" when check_days is set
    source: str


class SignNet(NamedTuple):
    """One warning sign in plain words: 'If <when>: <then>.'"""

    when: str
    then: str
    source: str

    @property
    def line(self) -> str:
        """The sign as one sentence."""
        return f"If {self.when}: {self.then}."


class CourseNet(NamedTuple):
    """How a condition usually goes."""

    course: str
    check_days: int
    source: str


class Group(NamedTuple):
    """Conditions shown as one line in the short summary."""

    id: str
    label: str
    conditions: tuple[str, ...]


class SafetyNet(NamedTuple):
    """The whole safety net, keyed by verdict, warning-sign and condition ids."""

    source: str
    verdicts: dict[Verdict, VerdictNet]
    signs: dict[str, SignNet]
    courses: dict[str, CourseNet]
    groups: tuple[Group, ...]

    def group_of(self, condition_id: str) -> Group | None:
        """The group a condition is shown in, if any."""
        for group in self.groups:
            if condition_id in group.conditions:
                return group
        return None


def build_safety_net(raw: Any, knowledge: Knowledge, *, source: str, strict: bool) -> SafetyNet:
    """Validate parsed YAML against ``knowledge`` and build the net, or raise with every problem.

    ``strict`` (the file beside its knowledge file) also requires an entry for every verdict,
    warning sign and condition, and refuses ids the knowledge does not have unless the entry
    says ``pending: true``. Otherwise (the shipped net used with another knowledge file) entries
    for unknown ids are skipped and missing ones left out.
    """
    from backcheck.knowledge.validate import HINTS
    from backcheck.suggest import suggestions

    reader = _NetReader(source, knowledge, strict)
    with suggestions(HINTS):
        net = reader.build(raw)
    if reader.problems:
        raise KnowledgeError(source, reader.problems)
    return net


class _NetReader(Fields):
    """Reads the safety net with the shared field readers (every problem recorded)."""

    def __init__(self, source: str, knowledge: Knowledge, strict: bool) -> None:
        super().__init__(source)
        self.knowledge = knowledge
        self.strict = strict

    def build(self, raw: Any) -> SafetyNet:
        if not isinstance(raw, dict):
            raise KnowledgeError(self.source, ["the top level must be a mapping of sections"])
        for key in raw:
            if key not in _TOP:
                self.problem(str(key), f"unknown section{did_you_mean(str(key), _TOP)}")
        for key in _TOP:
            if key not in raw:
                self.problem(key, "missing section")
        if raw.get("version", 1) != 1:
            self.problem("version", f"unsupported version {raw.get('version')!r}; allowed: 1")
        return SafetyNet(
            source=self.source,
            verdicts=self.verdict_nets(self.section(raw, "verdicts")),
            signs=self.sign_nets(self.section(raw, "warning_signs")),
            courses=self.course_nets(self.section(raw, "conditions")),
            groups=self.groups(raw.get("groups", [])),
        )

    def section(self, raw: dict[str, Any], key: str) -> dict[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            self.problem(key, f"must be a mapping of ids, not {type(value).__name__}")
            return {}
        return value

    def known(self, key: str, kind: str, entries: dict[str, Any], ids: list[str]) -> list[str]:
        """The entry ids to read: unknown ones refused (strict) or skipped; missing ones named."""
        keep = []
        for entry_id, entry in entries.items():
            name = str(entry_id)
            if name in ids:
                keep.append(name)
            elif not self.strict:
                continue
            elif isinstance(entry, dict) and entry.get("pending") is True:
                continue  # written ahead for a condition the knowledge will gain
            else:
                self.problem(f"{key}.{name}", f"unknown {kind} id{did_you_mean(name, ids)}")
        if self.strict:
            for missing in ids:
                if missing not in entries:
                    self.problem(f"{key}.{missing}", f"missing entry for the {kind}")
        return keep

    def days(self, raw: dict[str, Any], where: str, *, required: bool) -> int | None:
        value = raw.get("check_days")
        if value is None and not required:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= MAX_CHECK_DAYS
        ):
            self.problem(
                f"{where}.check_days", f"must be a whole number of days, 1 to {MAX_CHECK_DAYS}"
            )
            return None
        return value

    def verdict_nets(self, raw: dict[str, Any]) -> dict[Verdict, VerdictNet]:
        ids = [v.value for v in Verdict]
        nets = {}
        for vid in self.known("verdicts", "verdict", raw, ids):
            where = f"verdicts.{vid}"
            entry = self.entry(
                raw[vid],
                where,
                ("now", "meantime", "avoid", "source"),
                ("check_days", "check_again"),
            )
            if entry is None:
                continue
            verdict = Verdict(vid)
            days = self.days(entry, where, required=verdict in DATED)
            again = self.text(
                entry, "check_again", where, default="" if verdict not in DATED else None
            )
            if days is not None and again and "{date}" not in again:
                self.problem(f"{where}.check_again", "must contain {date}")
            if verdict not in DATED and "check_days" in entry:
                self.problem(f"{where}.check_days", "only see_doctor and self_care have a date")
            nets[verdict] = VerdictNet(
                now=self.text(entry, "now", where),
                meantime=self.texts(entry, "meantime", where),
                avoid=self.texts(entry, "avoid", where),
                check_days=days,
                check_again=again,
                source=self.text(entry, "source", where),
            )
        return nets

    def sign_nets(self, raw: dict[str, Any]) -> dict[str, SignNet]:
        nets = {}
        for sid in self.known(
            "warning_signs", "warning sign", raw, list(self.knowledge.warning_signs)
        ):
            where = f"warning_signs.{sid}"
            entry = self.entry(raw[sid], where, ("if", "then", "source"))
            if entry is None:
                continue
            nets[sid] = SignNet(
                when=self.text(entry, "if", where).rstrip("."),
                then=self.text(entry, "then", where).rstrip("."),
                source=self.text(entry, "source", where),
            )
        return nets

    def course_nets(self, raw: dict[str, Any]) -> dict[str, CourseNet]:
        nets = {}
        for cid in self.known("conditions", "condition", raw, list(self.knowledge.conditions)):
            where = f"conditions.{cid}"
            entry = self.entry(raw[cid], where, ("course", "check_days", "source"), ("pending",))
            if entry is None:
                continue
            if "pending" in entry and not isinstance(entry["pending"], bool):
                self.problem(f"{where}.pending", "must be true or false")
            nets[cid] = CourseNet(
                course=self.text(entry, "course", where),
                check_days=self.days(entry, where, required=True) or 1,
                source=self.text(entry, "source", where),
            )
        return nets

    def groups(self, raw: Any) -> tuple[Group, ...]:
        if not isinstance(raw, list):
            self.problem("groups", f"must be a list, not {type(raw).__name__}")
            return ()
        groups = []
        seen: dict[str, str] = {}
        for index, item in enumerate(raw):
            where = f"groups[{index}]"
            entry = self.entry(item, where, ("id", "label", "conditions"))
            if entry is None:
                continue
            members = self.texts(entry, "conditions", where)
            known = tuple(c for c in members if c in self.knowledge.conditions)
            for cid in members:
                if cid not in self.knowledge.conditions and self.strict:
                    hint = did_you_mean(cid, list(self.knowledge.conditions))
                    self.problem(f"{where}.conditions", f"unknown condition id '{cid}'{hint}")
                if cid in seen:
                    self.problem(f"{where}.conditions", f"'{cid}' is already in group {seen[cid]}")
                seen[cid] = str(entry.get("id"))
            groups.append(
                Group(self.text(entry, "id", where), self.text(entry, "label", where), known)
            )
        return tuple(groups)
