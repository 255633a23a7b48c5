"""Numbers for prose, formatted once here so that every chapter writes them alike.

Notebooks glue these strings (``glue(key, prose.number(x), display=False)``) and the text
pastes them with ``{glue:text}``: NumPy scalar reprs never reach the page.
"""

from __future__ import annotations

import math


def number(x: float, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals, a true minus sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        raise ValueError("a missing value cannot be written into prose")
    return f"{float(x):,.{decimals}f}".replace("-", "\u2212")


def percent(x: float, decimals: int = 0, signed: bool = False) -> str:
    """``x`` already in per cent (12.5 -> '12.5%')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        raise ValueError("a missing value cannot be written into prose")
    s = f"{float(x):+,.{decimals}f}" if signed else f"{float(x):,.{decimals}f}"
    return s.replace("-", "\u2212") + "%"


def count(n: int) -> str:
    return f"{int(n):,d}"


def date(iso: str) -> str:
    """'2025-08-28' -> '28 August 2025' ('2025-08' -> 'August 2025'; other text as it is)."""
    import datetime as dt

    text = str(iso).strip()
    for fmt, out in (("%Y-%m-%d", "{d.day} {d:%B %Y}"), ("%Y-%m", "{d:%B %Y}")):
        try:
            return out.format(d=dt.datetime.strptime(text, fmt))
        except ValueError:
            continue
    return text
