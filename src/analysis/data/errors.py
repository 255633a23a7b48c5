"""Errors that name the file, line, column and rule, so a bad input is fixed in one look."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One failed rule at one place in one file."""

    file: str
    line: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message} [rule: {self.rule}]"


def _display(path: Path | str) -> str:
    p = Path(path)
    try:
        return os.path.relpath(p.resolve(), Path.cwd())
    except ValueError:
        return str(p)


class DataError(Exception):
    """Bad input. Carries one or more :class:`Problem` s; ``str()`` lists them one per line."""

    def __init__(
        self,
        file: Path | str | None = None,
        line: int | None = None,
        column: str | None = None,
        rule: str = "",
        message: str = "",
        *,
        problems: list[Problem] | None = None,
    ) -> None:
        self.problems: list[Problem] = list(problems or [])
        if file is not None:
            self.problems.insert(0, Problem(_display(file), line, column, rule, message))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class BuildError(Exception):
    """A chapter or the book failed to build; the message says which and why."""
