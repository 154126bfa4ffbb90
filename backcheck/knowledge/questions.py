"""Reading the questions and the interview of a knowledge file, by composition.

The functions take the ``Fields`` that collect every problem and, for the branches
(``asked_if`` and options' ``shown_if``), the ``RuleReader`` that parses tests.
"""

from __future__ import annotations

from typing import Any

from backcheck.knowledge.fields import Fields, is_whole
from backcheck.knowledge.model import Option, Question, QuestionType, Step
from backcheck.knowledge.rules import RuleReader, questions_in


def read_questions(reader: Fields, raw: Any) -> dict[str, Question]:
    """The questions section, each question without its branches yet."""
    out: dict[str, Question] = {}
    for where, item in reader.entries(raw, "questions"):
        fields = reader.entry(
            item,
            where,
            ("id", "type", "text", "help", "short"),
            ("options", "red_flag", "asked_if", "min", "max", "since"),
        )
        if fields is None:
            continue
        qid = reader.ident(fields, where, out)
        qtype = fields.get("type")
        if not isinstance(qtype, str) or qtype not in set(QuestionType):
            allowed = ", ".join(QuestionType)
            reader.problem(f"{where}.type", f"unknown type {qtype!r}; allowed: {allowed}")
            qtype = None
        options = _options(reader, fields, where, qtype)
        bounds = [fields.get(k) for k in ("min", "max")]
        if qtype == "integer" and not all(is_whole(b) for b in bounds):
            reader.problem(where, "an integer question needs whole-number min and max")
            bounds = [None, None]
        elif qtype == "integer" and bounds[0] > bounds[1]:  # type: ignore[operator]  # whole
            reader.problem(where, f"min {bounds[0]} is above max {bounds[1]}: no answer fits")
            bounds = [None, None]
        red_flag = fields.get("red_flag", False)
        if not isinstance(red_flag, bool):
            reader.problem(f"{where}.red_flag", "must be true or false")
        since = fields.get("since", 1)
        if since not in (1, 2) or isinstance(since, bool):
            reader.problem(f"{where}.since", f"{since!r}; allowed: 1, 2")
            since = 1
        out[qid] = Question(
            id=qid,
            type=QuestionType(qtype or QuestionType.MULTI),
            text=reader.text(fields, "text", where),
            help=reader.text(fields, "help", where),
            short=reader.text(fields, "short", where),
            options=options,
            red_flag=red_flag is True,
            min=bounds[0],
            max=bounds[1],
            option_ids=("yes", "no") if qtype == "yes_no" else tuple(o.id for o in options),
            since=since,
        )
    return out


def _options(reader: Fields, fields: dict[str, Any], where: str, qtype: Any) -> tuple[Option, ...]:
    if qtype not in ("multi", "single"):
        if "options" in fields:
            reader.problem(f"{where}.options", f"a {qtype} question takes no options")
        return ()
    raw = fields.get("options")
    if not isinstance(raw, list) or not raw:
        reader.problem(f"{where}.options", "must be a non-empty list")
        return ()
    seen: set[str] = set()
    out = []
    for index, item in enumerate(raw):
        owhere = f"{where}.options[{index}]"
        opt = reader.entry(item, owhere, ("id", "label"), ("shown_if",))
        if opt is not None:
            out.append(Option(reader.ident(opt, owhere, seen), reader.text(opt, "label", owhere)))
    return tuple(out)


def add_branches(
    fields: Fields, rules: RuleReader, questions: dict[str, Question], raw: Any
) -> None:
    """Parse `asked_if` and options' `shown_if` once every question is known."""
    for where, item in fields.entries(raw, "questions"):
        qid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(qid, str) or qid not in questions:
            continue
        if "asked_if" in item:
            test = rules.read(item["asked_if"], f"{where}.asked_if")
            q = questions[qid]
            questions[q.id] = q._replace(asked_if=test)
        raw_options = item.get("options")
        q = questions[qid]
        if not isinstance(raw_options, list) or len(raw_options) != len(q.options):
            continue
        options = list(q.options)
        for index, opt in enumerate(raw_options):
            if isinstance(opt, dict) and "shown_if" in opt and index < len(options):
                test = rules.read(opt["shown_if"], f"{where}.options[{index}].shown_if")
                if test is not None and qid in questions_in(test):
                    fields.problem(
                        f"{where}.options[{index}].shown_if",
                        "may test only other questions, not its own",
                    )
                options[index] = options[index]._replace(shown_if=test)
        questions[qid] = q._replace(options=tuple(options))


def read_interview(reader: Fields, questions: dict[str, Question], raw: Any) -> tuple[Step, ...]:
    """The interview steps; every question asked exactly once."""
    steps: list[Step] = []
    covered: list[str] = []
    listed = raw.get("interview", []) if isinstance(raw, dict) else []
    if not isinstance(listed, list):
        reader.problem("interview", "must be a list of steps")
        listed = []
    for index, item in enumerate(listed):
        where = f"interview[{index}]"
        if isinstance(item, dict) and "question" in item:
            entry = reader.entry(item, where, ("question",))
            qids: tuple[str, ...] = (str(item["question"]),)
            steps.append(Step(qids[0], qids))
        else:
            entry = reader.entry(item, where, ("screen", "text", "help", "questions"))
            if entry is None:
                continue
            qids = reader.texts(entry, "questions", where)
            for qid in qids:
                q = questions.get(qid)
                if q is not None and q.type not in ("yes_no", "multi"):
                    reader.problem(
                        where, f"a screen can ask only yes/no and multi questions, not '{qid}'"
                    )
            steps.append(
                Step(
                    str(entry.get("screen")),
                    qids,
                    reader.text(entry, "text", where),
                    reader.text(entry, "help", where),
                )
            )
        reader.refs(qids, questions, where, "question")
        covered.extend(qids)
    for qid in questions:
        if covered.count(qid) != 1 and isinstance(raw, dict) and "interview" in raw:
            reader.problem(
                "interview",
                f"question '{qid}' must be asked exactly once (found {covered.count(qid)})",
            )
    return tuple(steps)
