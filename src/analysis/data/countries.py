"""Country names: one way to join publishers' spellings, and NATO membership by year.

Names are harmonised to ISO 3166-1 alpha-3 with country_converter, a maintained library. Only
what it cannot know is mapped here by hand, and documented: SIPRI's abbreviations and historical
states, and SIPRI's non-state recipients (names ending in ``*``), which have no country code.
NATO's table labels carry footnote asterisks (national 2 % laws), stripped before joining.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

#: SIPRI spellings that country_converter does not resolve, or resolves wrongly.
SIPRI_NAMES: dict[str, str | None] = {
    "UAE": "ARE",
    "Soviet Union": "SUN",  # ISO 3166-3 code of the former state
    "Czechoslovakia": "CSK",
    "Yugoslavia": "YUG",
    "East Germany (GDR)": "DDR",
    "South Vietnam": "VDR",  # ISO 3166-3 code of the former Republic of Viet-Nam
    "Biafra": None,  # secessionist state 1967-70, never had a code (deal register)
    "Katanga": None,  # secessionist state 1960-63, never had a code (deal register)
    "unknown recipient(s)": None,
    "unknown supplier(s)": None,
}


@cache
def _converter():  # type: ignore[no-untyped-def]
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    # country_converter's own loader reads Namibia's ISO2 code "NA" as missing under pandas 3;
    # read its data file with no NA guessing.
    data = Path(coco.__file__).with_name("country_data.tsv")
    frame = pd.read_csv(data, sep="\t", encoding="utf-8", keep_default_na=False, na_values=[""],
                        dtype=str)
    return coco.CountryConverter(country_data=frame)


def clean_label(name: str) -> str:
    """'Poland*' -> 'Poland': NATO's footnote marks, stripped before :func:`to_iso3` (where a
    trailing '*' means a SIPRI non-state actor)."""
    return re.sub(r"\s+", " ", str(name)).strip().rstrip("*").strip()


def is_non_state(name: str) -> bool:
    """SIPRI marks non-state actors with '*' ('Hezbollah (Lebanon)*') and international
    organisations with '**' ('NATO**')."""
    return str(name).strip().endswith("*")


@cache
def _one_iso3(name: str) -> str | None:
    if name in SIPRI_NAMES:
        return SIPRI_NAMES[name]
    if is_non_state(name):
        return None
    code = _converter().convert(clean_label(name), to="ISO3", not_found=None)
    return code if isinstance(code, str) and len(code) == 3 else None


def to_iso3(names: Iterable[str]) -> list[str | None]:
    """ISO3 codes for publishers' names; None for non-state actors and unknown parties."""
    return [_one_iso3(str(n)) for n in names]


def unresolved(names: Iterable[str]) -> list[str]:
    """Names that are neither a known country nor a documented non-country: a new spelling."""
    out = []
    for n in sorted(set(map(str, names))):
        if _one_iso3(n) is None and n not in SIPRI_NAMES and not is_non_state(n):
            out.append(n)
    return out


def members_in(members: pd.DataFrame, year: int, region: str | None = None) -> list[str]:
    """ISO3 codes of the Allies that had joined by ``year`` (optionally one region)."""
    rows = members[members["accession_year"].astype(int) <= year]
    if region:
        rows = rows[rows["region"] == region]
    return sorted(rows["iso3"])


def check_known(frame: pd.DataFrame, columns: Iterable[str], path: Path) -> None:
    """Every party in ``columns`` is a country, a documented SIPRI name or a marked non-state
    party; otherwise one problem per new name, at its first line (a new spelling must be mapped
    before it silently drops out of a country's totals)."""
    from analysis.data.errors import DataError, Problem, _display

    problems = []
    for col in columns:
        names = frame[col].astype("str")
        for name in unresolved(names.unique()):
            line = int(names.index[names == name][0])
            problems.append(Problem(
                _display(path), line, col, "known-country",
                f"{name!r} is not a country name country_converter knows, nor in "
                "analysis.data.countries.SIPRI_NAMES, nor marked '*' as a non-state party: "
                "a new spelling? map it in SIPRI_NAMES"))
    if problems:
        raise DataError(problems=problems)


def continent(iso3: str) -> str | None:
    """The continent of a country code in the UN geoscheme, as country_converter classifies it
    ('Europe', 'Asia', ...): Georgia, Azerbaijan, Cyprus and Türkiye are in Asia."""
    found = _converter().convert(iso3, src="ISO3", to="continent", not_found=None)
    return found if isinstance(found, str) else None


def is_eu_member(iso3: str) -> bool:
    """Whether the code is a member of the European Union, as country_converter records it."""
    return _converter().convert(iso3, src="ISO3", to="EU", not_found=None) == "EU"
