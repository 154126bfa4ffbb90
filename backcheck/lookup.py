"""Find a condition by id, name or alias, forgiving case and typos."""

from __future__ import annotations

import re

from backcheck.knowledge.model import Condition, Knowledge
from backcheck.records import Frozen

_FUZZY_CUTOFF = 0.8
_SUGGEST_CUTOFF = 0.5


def normalise(text: str) -> str:
    """Lower case, words only: 'Slipped-disc!' -> 'slipped disc'."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


class LookupResult(Frozen):
    """The condition found, or the closest suggestions."""

    __slots__ = ("condition", "suggestions", "symptom")
    _fields = ("condition", "suggestions", "symptom")
    __match_args__ = ("condition", "suggestions", "symptom")

    condition: Condition | None
    suggestions: tuple[Condition, ...]
    # Set when the query is a symptom word: `suggestions` are the conditions it belongs to.
    symptom: str | None

    def __init__(
        self,
        condition: Condition | None,
        suggestions: tuple[Condition, ...] = (),
        symptom: str | None = None,
    ) -> None:
        """What a lookup found."""
        self._set(condition=condition, suggestions=suggestions, symptom=symptom)


def _index(knowledge: Knowledge) -> dict[str, str]:
    index: dict[str, str] = {}
    for condition in knowledge.conditions.values():
        for name in (condition.id, condition.name, *condition.aliases):
            index.setdefault(normalise(name), condition.id)
    return index


def _symptom(knowledge: Knowledge, key: str) -> LookupResult | None:
    """The conditions a symptom word belongs to, most common first (typos forgiven)."""
    import difflib

    words: dict[str, list[Condition]] = {}
    for condition in knowledge.conditions.values():
        for word in condition.keywords:
            words.setdefault(normalise(word), []).append(condition)
    close = difflib.get_close_matches(key, list(words), n=1, cutoff=_FUZZY_CUTOFF)
    if not close:
        return None
    found = sorted(words[close[0]], key=lambda c: (-c.prior, c.id))
    return LookupResult(None, tuple(found), symptom=close[0])


def find_condition(knowledge: Knowledge, query: str) -> LookupResult:
    """Exact name, then a unique partial name, then the closest spelling."""
    index = _index(knowledge)
    key = normalise(query)
    if not key:
        return LookupResult(None)
    if key in index:
        return LookupResult(knowledge.conditions[index[key]])
    symptom = _symptom(knowledge, key)
    if symptom is not None:
        return symptom
    if len(key) >= 4:
        partial = {cid for name, cid in index.items() if re.search(rf"\b{re.escape(key)}", name)}
        if len(partial) == 1:
            return LookupResult(knowledge.conditions[partial.pop()])
    import difflib

    close = difflib.get_close_matches(key, list(index), n=8, cutoff=_SUGGEST_CUTOFF)
    best = close[0] if close else None
    if best is not None and difflib.SequenceMatcher(None, key, best).ratio() >= _FUZZY_CUTOFF:
        return LookupResult(knowledge.conditions[index[best]])
    # Suggest names that contain the query first, then the closest spellings.
    containing = [cid for name, cid in index.items() if len(key) >= 3 and key in name]
    ranked = list(dict.fromkeys([*containing, *(index[name] for name in close)]))
    return LookupResult(None, tuple(knowledge.conditions[cid] for cid in ranked[:5]))
