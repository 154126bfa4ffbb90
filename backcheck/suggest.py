"""'Did you mean ...?' hints for misspelt ids."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean X?)' suffix, or '' when nothing is close."""
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
