"""What every claim check shares: the four verdicts, the :class:`Verdict` a check returns, the
inputs it reads, the utterances of a claim and the figures the claim states (read from the
curated tables of claimed figures, never parsed out of a sentence)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.errors import DataError, Problem

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
CANNOT = "cannot be checked with open data"
VERDICTS: tuple[str, ...] = (SUPPORTED, PARTLY, NOT_SUPPORTED, CANNOT)

#: A claims row whose quality note starts so has no source: it is shown, marked unsourced.
UNSOURCED = "source not found"
#: The quality a figure needs to decide a claim: a primary, open publication.
DECIDING_QUALITY = "primary"

CLAIMS_FILE = "claims.csv"
FIGURES_FILE = "claimed_figures.csv"
SALES_FILE = "claimed_sales.csv"


@dataclass(frozen=True)
class Verdict:
    """A claim's verdict with what decides it.

    ``numbers`` is a small tidy frame of the deciding data (what the chapter shows), ``figures``
    the key figures by name, ``deciding`` the deciding numbers in a few words (summary table),
    ``reason`` one sentence, ``would_change`` what would change the verdict, and ``vintages`` the
    data each figure came from (source -> vintage; filled by :func:`analysis.calc.claims.run`).
    """

    claim_id: str
    verdict: str
    numbers: pd.DataFrame
    figures: dict[str, float | str]
    deciding: str
    reason: str
    would_change: str
    vintages: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: {self.verdict!r} is not one of {VERDICTS}")


@dataclass(frozen=True)
class Params:
    """The chapter's parameters the checks use (from chapters/params.yml; no defaults here)."""

    lead: str
    regions: tuple[str, ...]
    extra: tuple[str, ...]
    about_pp: float
    supplier: str
    supplier_iso3: str
    europe_region: str
    engine_country: str
    mining_country: str


@dataclass(frozen=True)
class Inputs:
    """The validated frames the checks read, and the parameters. ``claimed`` and
    ``claimed_sales`` are the curated tables of what each claim states (figures, named sales)."""

    claims: pd.DataFrame
    claimed: pd.DataFrame
    claimed_sales: pd.DataFrame
    members: pd.DataFrame
    nato: pd.DataFrame
    deals: pd.DataFrame
    timeline: pd.DataFrame
    dependencies: pd.DataFrame
    context: pd.DataFrame
    minerals: pd.DataFrame
    usgs: pd.DataFrame
    params: Params


def utterances(claims: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """One claim's rows of the claims table, with the file line, whether the row has a source,
    and the year of the utterance (missing when its date is unknown)."""
    rows = claims[claims["claim_id"] == claim_id]
    if rows.empty:
        raise KeyError(f"claims table holds no row for {claim_id!r}")
    out = rows.copy()
    out.insert(0, "line", rows.index.astype("int64"))
    out["sourced"] = ~rows["quality_note"].str.lower().str.startswith(UNSOURCED)
    out["year"] = pd.array([int(d[:4]) if re.match(r"^\d{4}", str(d)) else pd.NA
                            for d in rows["claim_date"]], dtype="Int64")
    return out.reset_index(drop=True)


def claimed_figures(claimed: pd.DataFrame, claim_id: str,
                    names: Sequence[str]) -> dict[str, str]:
    """The figures a claim states, by name, as the curated table of claimed figures gives them
    (text: a check converts what it uses). Every name must be there, once."""
    rows = claimed[claimed["claim_id"] == claim_id]
    out = {}
    for name in names:
        found = rows[rows["figure"] == name]
        if len(found) != 1:
            raise DataError(f"data/curated/{FIGURES_FILE}", None, "figure", "one-row-per-claimed-figure",
                            f"{claim_id}: {len(found)} rows for figure {name!r} (expected one)")
        out[name] = str(found["value"].iloc[0])
    return out


def check_wording(claimed: pd.DataFrame, claims: pd.DataFrame, file: str = FIGURES_FILE) -> None:
    """Each row of a claimed-figures table quotes its utterance: ``wording`` is found word for word
    in the claim of line ``claims_line`` of the claims table, the claim ids agree, and the row's
    source is that utterance's. Raises :class:`DataError` naming the row's line and column."""
    problems = []
    for line, r in claimed.iterrows():
        at = int(r["claims_line"])
        if at not in claims.index:
            problems.append((line, "claims_line", "names-a-claims-row",
                             f"{at} is no line of {CLAIMS_FILE}"))
            continue
        said = claims.loc[at]
        if said["claim_id"] != r["claim_id"]:
            problems.append((line, "claims_line", "same-claim-as-its-utterance",
                             (f"{r['claim_id']!r}, but line {at} of {CLAIMS_FILE} is "
                             f"{said['claim_id']!r}")))
        if r["wording"] not in said["claim"]:
            problems.append((line, "wording", "quotes-its-utterance",
                             f"{r['wording']!r} is not in line {at} of {CLAIMS_FILE}"))
        for col in ("source_title", "source_url", "source_date"):
            if r[col] != said[col]:
                problems.append((line, col, "source-of-its-utterance",
                                 f"{r[col]!r} differs from line {at} of {CLAIMS_FILE}"))
    if problems:

        raise DataError(problems=[Problem(f"data/curated/{file}", int(line), col, rule, msg)
                                  for line, col, rule, msg in problems])


def combine(parts: Sequence[str]) -> str:
    """The verdict of a claim made of parts: supported only if every part is; cannot be checked
    only if no part can; not supported if no part is supported and one is contradicted; partly
    supported otherwise."""
    if not parts:
        raise ValueError("a claim has at least one part")
    if all(p == SUPPORTED for p in parts):
        return SUPPORTED
    if all(p == CANNOT for p in parts):
        return CANNOT
    if any(p in (SUPPORTED, PARTLY) for p in parts):
        return PARTLY
    return NOT_SUPPORTED


def numbers_in(text: str) -> list[float]:
    """The numbers a sentence states (thousands separators allowed, '2%' -> 2.0)."""
    return [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?", text)]


def percentages_in(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s*%", text)]


def same(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9
