"""Links to the Allies' profile pages from any chapter: a table's column of names, or a list of
names in prose (:class:`analysis.publishing.figures.Linked`).

A name links when it is an Ally of nato_members.csv in any publisher's spelling (SIPRI's
'Turkiye', NATO's 'Türkiye'); other names (Pakistan, Ukraine) stay text. Every profile page is
``chapters/ally-<iso3>`` with the label ``chapter-ally-<iso3>`` (the build names them so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.data import countries
from analysis.publishing.figures import Linked


def label_of(iso3: str) -> str:
    """The label of an Ally's profile page: ``chapter-ally-pol``."""
    return f"chapter-ally-{iso3.lower()}"


def target_of(iso3: str) -> str:
    """The address of an Ally's profile page from another page of the book."""
    return f"ally-{iso3.lower()}.html#{label_of(iso3)}"


def ally_codes(names: Iterable[str], members: pd.DataFrame) -> dict[str, str]:
    """``{name: iso3}`` for each name that is an Ally (any publisher's spelling)."""
    unique = sorted({str(n) for n in names})
    allies = set(members["iso3"])
    codes = countries.to_iso3(pd.Series(unique, dtype="str")) if unique else []
    return {n: str(c) for n, c in zip(unique, codes, strict=True) if c in allies}


def ally_pages(names: Iterable[str], members: pd.DataFrame) -> dict[str, str]:
    """``{name: address of its profile page}`` for a table's ``pages`` option."""
    return {n: target_of(c) for n, c in ally_codes(names, members).items()}


def linked_list(names: Sequence[str], members: pd.DataFrame, *, empty: str = "none",
                separator: str = ", ") -> Linked:
    """A list of names for prose, each Ally's name linking to its page."""
    codes = ally_codes(names, members)
    parts: list[tuple[str, str]] = []
    for i, name in enumerate(names):
        if i:
            parts.append((separator, ""))
        parts.append((str(name), target_of(codes[name]) if name in codes else ""))
    return Linked(tuple(parts) or ((empty, ""),))
