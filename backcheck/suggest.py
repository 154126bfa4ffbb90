"""'Did you mean ...?' hints for misspelt ids, at a bounded cost.

A hint compares the word with every choice, so a file with many unknown names against many
known ones would cost their product: ``suggestions(n)`` caps the hints one validation gives
(the rest of its problems are still reported, without a hint), long words get none, and
only choices of a similar length are compared.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar

LONGEST = 64  # a longer word is no misspelt id
CANDIDATES = 1000  # choices compared at most, of those with a similar length
_left: ContextVar[list[int] | None] = ContextVar("backcheck_suggestions", default=None)


@contextlib.contextmanager
def suggestions(count: int) -> Iterator[None]:
    """At most ``count`` hints inside this block."""
    token = _left.set([count])
    try:
        yield
    finally:
        _left.reset(token)


def listing(choices: Sequence[str], most: int = 40) -> str:
    """The choices as 'a, b, c', or the first ``most`` and how many more (a problem line
    stays short however many options a question has)."""
    if len(choices) <= most:
        return ", ".join(choices)
    return ", ".join(choices[:most]) + f" and {len(choices) - most:,} more"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' suffix, or '' when nothing is close."""
    text = str(word)
    left = _left.get()
    if len(text) > LONGEST or (left is not None and left[0] <= 0):
        return ""
    if left is not None:
        left[0] -= 1
    near = []
    for choice in choices:
        # difflib's own first test: no choice outside these lengths reaches a ratio of 0.6
        if isinstance(choice, str) and 2 * min(len(choice), len(text)) >= 0.6 * (
            len(choice) + len(text)
        ):
            near.append(choice)
            if len(near) >= CANDIDATES:
                break
    import difflib

    close = difflib.get_close_matches(text, near, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
