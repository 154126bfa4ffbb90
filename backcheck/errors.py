"""One error family and one exit-status map for the whole tool."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit statuses; the verdict codes are used only with ``run --exit-code``."""

    OK = 0
    ERROR = 1  # a broken knowledge file, a failed validation, no lookup match
    USAGE = 2  # bad input: an answer file, an option, no terminal for `ask`
    SEE_DOCTOR = 3
    URGENT = 4
    EMERGENCY = 5
    INTERRUPTED = 130


def one_line(text: str) -> str:
    """Text with control characters escaped, so a message from odd input stays on one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class BackcheckError(Exception):
    """An error the user can act on; the CLI prints it as one line per problem."""

    exit_status: ExitStatus = ExitStatus.ERROR

    def lines(self) -> list[str]:
        """The message, one line per problem."""
        return [one_line(str(self))]


class InputError(BackcheckError):
    """An answer file, an option value or the terminal is not usable."""

    exit_status = ExitStatus.USAGE


class OutputError(BackcheckError):
    """The output could not be written (standard output closed, a full device)."""

    exit_status = ExitStatus.ERROR


class ProblemList(BackcheckError):
    """Every problem found in one file, each printed on its own line naming the file."""

    def __init__(self, source: str, problems: list[str]) -> None:
        """One problem per entry of ``problems`` (for an answer file: `question: problem`)."""
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, each naming the file."""
        return [one_line(f"{self.source}: {problem}") for problem in self.problems]


class KnowledgeError(ProblemList):
    """The knowledge file is unreadable or inconsistent; every problem is listed."""


class AnswerError(ProblemList, InputError):
    """An answer file has problems; every one is listed, each naming the file and question."""
