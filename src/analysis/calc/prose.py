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


#: The counts prose writes as words (zero to twelve); larger ones are written in digits.
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve")


def count_words(n: int, capital: bool = False) -> str:
    """A count as a word for the prose ('seven'; 'Seven' at a sentence start with ``capital``),
    in digits above twelve (:func:`count`). A negative or fractional count stops the chapter."""
    if isinstance(n, float) and not float(n).is_integer():
        raise ValueError(f"a count must be a whole number, not {n!r}")
    if int(n) < 0:
        raise ValueError(f"a count cannot be negative: {n!r}")
    text = NUMBER_WORDS[int(n)] if int(n) < len(NUMBER_WORDS) else count(n)
    return text[:1].upper() + text[1:] if capital else text


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
