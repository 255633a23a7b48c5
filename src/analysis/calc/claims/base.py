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
#: The grade of a primary source (the column ``source_grade`` of every curated table).
DECIDING_QUALITY = "primary"

CLAIMS_FILE = "claims.csv"
FIGURES_FILE = "claimed_figures.csv"
SALES_FILE = "claimed_sales.csv"


# --------------------------------------------------------------------------- the standard

#: Source grades, strongest first: the column ``source_grade`` of every curated table. A
#: publisher's own file that the report reads (NATO's tables, SIPRI's registers, USGS's tables)
#: is primary; a publisher's figure known from a report of its release is graded as that report.
GRADES: tuple[str, ...] = ("primary", "reputable secondary", "weak")
#: Timing of a piece of evidence against the utterance it judges.
PUBLIC_WHEN_SAID = "public when the claim was made"
PUBLISHED_LATER = "published after the claim"
UNDATED = "publication date unknown"


@dataclass(frozen=True)
class Standard:
    """What evidence must be to decide a claim, i.e. to give any verdict other than
    :data:`CANNOT`. One instance, :data:`STANDARD`, is applied to every claim."""

    min_grade: str  #: the weakest source grade that may decide
    like_for_like: bool  #: the evidence must measure the claim's own quantity
    prefer_public_when_said: bool  #: what was public when the claim was made is used first
    later_stands_in: bool  #: a later publication may stand in where nothing earlier is held
    needs_date: bool  #: evidence whose publication date is unknown cannot decide

    def __post_init__(self) -> None:
        if self.min_grade not in GRADES:
            raise ValueError(f"min_grade {self.min_grade!r} is not one of {GRADES}")


#: THE evidence standard, written once and applied by :func:`admissibility` and
#: :func:`apply_standard` to every claim: a verdict other than "cannot be checked" needs at
#: least one piece of evidence from a source graded primary or reputable secondary, measuring
#: the claim's own quantity (not a capacity for an output, not a part for the whole), with a
#: known publication date. What was public when the claim was made is judged first; a later
#: publication (a later edition of the same series) stands in only where nothing earlier is
#: held, and is marked so. Announced figures (a publisher's release known from a report of it)
#: count, graded as that report and marked as announced.
STANDARD = Standard(min_grade="reputable secondary", like_for_like=True,
                    prefer_public_when_said=True, later_stands_in=True, needs_date=True)

#: What each verdict needs under :data:`STANDARD` (the chapter prints it as a table).
VERDICT_NEEDS: dict[str, str] = {
    SUPPORTED: "admissible evidence agrees with every part of the claim",
    PARTLY: ("admissible evidence agrees with part of the claim, or puts its figure within "
             "the stated margin of the claimed one"),
    NOT_SUPPORTED: "admissible evidence contradicts the claim",
    CANNOT: ("no admissible evidence for any part of the claim; the verdict names the data "
             "that would decide it"),
}

#: The columns of a verdict's evidence frame (:func:`evidence_row`).
EVIDENCE_COLUMNS: tuple[str, ...] = ("part", "evidence", "grade", "published", "like_for_like",
                                     "announced", "caveat")


def evidence_row(part: str, evidence: str, grade: str, published: str, like_for_like: bool,
                 announced: bool = False, caveat: str = "") -> dict[str, object]:
    """One piece of evidence as the standard sees it: which part of the claim it bears on,
    what it is, its source's grade, when it was published, whether it measures the claim's own
    quantity, whether it is an announced figure, and a caveat (a price-basis doubt)."""
    if grade not in GRADES:
        raise ValueError(f"evidence {evidence!r}: grade {grade!r} is not one of {GRADES}")
    return {"part": part, "evidence": evidence, "grade": grade, "published": str(published),
            "like_for_like": bool(like_for_like), "announced": bool(announced),
            "caveat": caveat}


_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")


def date_prefix(text: object) -> str | None:
    """The ISO date a field starts with ('2025-09 (approx.)' -> '2025-09'); None if none."""
    m = _DATE.match(str(text or ""))
    return m.group(0) if m else None


def timing(published: object, said: object) -> str:
    """Whether evidence published on ``published`` was public when a claim was said on
    ``said``, compared at the coarser of the two precisions (a month equals any day in it).
    An utterance of unknown date counts every dated piece as public when said."""
    p, s = date_prefix(published), date_prefix(said)
    if p is None:
        return UNDATED
    if s is None:
        return PUBLIC_WHEN_SAID
    n = min(len(p), len(s))
    return PUBLIC_WHEN_SAID if p[:n] <= s[:n] else PUBLISHED_LATER


def admissibility(evidence: pd.DataFrame, said: object,
                  standard: Standard | None = None) -> pd.DataFrame:
    """The evidence with the standard applied: its timing against the utterance, whether it may
    decide (``admissible``), and why not. A later publication is admissible only for a part
    with no admissible piece that was public when said (when the standard lets it stand in).
    ``standard`` defaults to the module's :data:`STANDARD`, read when called."""
    standard = standard or STANDARD
    cols = list(EVIDENCE_COLUMNS)
    if evidence.empty:
        return pd.DataFrame(columns=[*cols, "timing", "admissible", "why_not"])
    missing = [c for c in cols if c not in evidence.columns]
    if missing:
        raise KeyError(f"evidence lacks columns {missing} (see base.evidence_row)")
    out = evidence.copy()
    rank = {g: i for i, g in enumerate(GRADES)}
    out["timing"] = [timing(p, said) for p in out["published"]]
    grade_ok = out["grade"].map(rank) <= rank[standard.min_grade]
    like_ok = out["like_for_like"] | (not standard.like_for_like)
    dated = (out["timing"] != UNDATED) | (not standard.needs_date)
    base_ok = grade_ok & like_ok & dated
    early = base_ok & (out["timing"] != PUBLISHED_LATER)
    parts_with_early = set(out.loc[early, "part"])
    later_ok = (base_ok & (out["timing"] == PUBLISHED_LATER) & standard.later_stands_in
                & ~out["part"].isin(parts_with_early))
    out["admissible"] = early | later_ok
    why = []
    for g, lk, d, t, ok, part in zip(grade_ok, like_ok, dated, out["timing"], out["admissible"],
                                     out["part"], strict=True):
        reasons = []
        if not g:
            reasons.append(f"source graded below {standard.min_grade}")
        if not lk:
            reasons.append("does not measure the claim's own quantity")
        if not d:
            reasons.append("publication date unknown")
        if g and lk and d and not ok and t == PUBLISHED_LATER:
            reasons.append("published after the claim, and evidence public then is held")
        why.append("; ".join(reasons) if not ok else "")
    out["why_not"] = why
    return out


def apply_standard(outcomes: dict[str, str], evidence: pd.DataFrame) -> dict[str, str]:
    """Each part's outcome under the standard: the check's outcome stands for a part with
    admissible evidence (``evidence`` as :func:`admissibility` returns it) and becomes
    :data:`CANNOT` for a part without."""
    decided = set(evidence.loc[evidence["admissible"], "part"]) if not evidence.empty else set()
    return {part: (o if part in decided else CANNOT) for part, o in outcomes.items()}


def judged_utterance(claims: pd.DataFrame, claimed: pd.DataFrame, claim_id: str) -> pd.Series:
    """The utterance a claim's verdict judges: the row the claim's figures quote (the tables of
    claimed figures name its line), else the earliest dated row with a source."""
    rows = utterances(claims, claim_id)
    quoted = claimed.loc[claimed["claim_id"] == claim_id, "claims_line"]
    if len(quoted):
        at = rows[rows["line"] == int(quoted.iloc[0])]
        if not at.empty:
            return at.iloc[0]
    dated = rows[rows["sourced"] & rows["claim_date"].map(lambda d: date_prefix(d) is not None)]
    if dated.empty:
        raise KeyError(f"{claim_id}: no dated utterance with a source")
    return dated.sort_values("claim_date").iloc[0]


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
    #: the evidence the standard weighed (:func:`admissibility`) and the utterance's date
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    said: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: {self.verdict!r} is not one of {VERDICTS}")
        if not self.evidence.empty:
            decided = bool(self.evidence["admissible"].any())
            if decided == (self.verdict == CANNOT):
                raise ValueError(f"{self.claim_id}: verdict {self.verdict!r} with "
                                 f"{'' if decided else 'no '}admissible evidence breaks the "
                                 "evidence standard (base.STANDARD)")


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
    headlines: pd.DataFrame  #: figures publishers announced with editions not held as files
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
