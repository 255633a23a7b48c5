"""Collecting a chapter's glued values as it computes them, into a :class:`ChapterResult`.

``out = Collector(); out.add("key", value); ...; return MyChapter(**out.parts(), frame=...)``:
text goes to ``values``, :class:`Table` to ``tables``, :class:`Figure` to ``figures``, a badge
or a text linking to pages (:class:`Linked`) to ``inline``; a key used twice or a value the page
cannot paste (a float) stops the chapter.
"""

from __future__ import annotations

from typing import Any

from analysis.publishing.figures import Badge, Figure, Linked, Table


class Collector:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.tables: dict[str, Table] = {}
        self.figures: dict[str, Figure] = {}
        self.inline: dict[str, Any] = {}

    def add(self, key: str, value: Any) -> Any:
        if any(key in group for group in (self.values, self.tables, self.figures, self.inline)):
            raise ValueError(f"glue key {key!r} is set twice")
        if isinstance(value, str):
            self.values[key] = value
        elif isinstance(value, Table):
            self.tables[key] = value
        elif isinstance(value, Figure):
            self.figures[key] = value
        elif isinstance(value, Badge | Linked):
            self.inline[key] = value
        else:
            raise TypeError(f"glue key {key!r}: a {type(value).__name__} cannot be pasted; format "
                            "numbers with analysis.calc.prose, publish frames with "
                            "analysis.publishing")
        return value

    def parts(self) -> dict[str, dict[str, Any]]:
        return {"values": self.values, "tables": self.tables, "figures": self.figures,
                "inline": self.inline}
