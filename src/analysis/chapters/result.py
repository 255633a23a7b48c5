"""The typed result every chapter module returns, and how a notebook glues it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from analysis.publishing.figures import Figure, Table


@dataclass(frozen=True, kw_only=True)
class ChapterResult:
    """What a chapter's prose pastes: ``values`` (text for ``{glue:text}``, by glue key), ``tables``
    and ``figures`` (for ``{glue:figure}``), and ``inline`` objects pasted with ``{glue}`` (badges).
    A glue key is used once across the four."""

    values: Mapping[str, str]
    tables: Mapping[str, Table]
    figures: Mapping[str, Figure]
    inline: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for group in (self.values, self.tables, self.figures, self.inline):
            twice = seen & set(group)
            if twice:
                raise ValueError(f"glue keys used twice: {sorted(twice)}")
            seen |= set(group)
        for key, value in self.values.items():
            if not isinstance(value, str):
                raise TypeError(f"glue value {key!r} is {type(value).__name__}, not text")

    def glued(self) -> Iterator[tuple[str, Any]]:
        """Every (glue key, value) of the chapter: values, then tables, figures and inline marks."""
        for group in (self.values, self.tables, self.figures, self.inline):
            yield from group.items()
