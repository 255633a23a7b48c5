"""Claim 1: "2% was set at the 2014 Wales summit and raised to 5% by 2035 at The Hague".

Each half is read against NATO's own summit texts in the claims table (the rows whose claimant is
NATO's Heads of State and Government), from the texts themselves, not from the rows' notes. The
claimed figures come from the curated table of claimed figures.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.calc.claims.base import (
    CANNOT,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Inputs,
    Verdict,
    admissibility,
    apply_standard,
    claimed_figures,
    combine,
    evidence_row,
    judged_utterance,
    percentages_in,
    same,
    utterances,
)

CLAIM_ID = "wales_2pct_hague_5pct"
#: NATO's own texts in the claims table: the summit declarations, paraphrased.
OFFICIAL_CLAIMANT = "NATO Heads of State and Government"
#: Words in NATO's Wales text that say 2% was not new there.
_EXISTING = re.compile(r"\bexisting\b.*\bguideline\b|\bmove towards\b", re.IGNORECASE)
FIGURES = ("wales_pct", "wales_year", "hague_pct", "by_year", "hague_month")


def claimed(inputs: Inputs) -> dict[str, float | str]:
    """The claim's figures: percentages as numbers, years and the month as text."""
    raw = claimed_figures(inputs.claimed, CLAIM_ID, FIGURES)
    return {k: float(v) if k.endswith("pct") else v for k, v in raw.items()}


def check(inputs: Inputs) -> Verdict:
    said = judged_utterance(inputs.claims, inputs.claimed, CLAIM_ID)["claim_date"]
    return check_wales_hague(utterances(inputs.claims, CLAIM_ID), claimed(inputs), said=said)


def check_wales_hague(rows: pd.DataFrame, claimed: dict[str, float | str],
                      said: object = None) -> Verdict:
    """Each half of the claim against NATO's own summit texts.

    A half *matches* when NATO's text of that summit states the claimed figure (and, for The
    Hague, the year 2035); it matches *with a qualification* when the same text says more that
    changes its sense: that 2% was an existing guideline Wales pledged to move towards, or that
    5% is the sum of a core and a related part. The verdict combines the halves
    (:func:`~analysis.calc.claims.base.combine`; a qualified match counts as partly supported).
    """
    official = rows[rows["claimant"].str.startswith(OFFICIAL_CLAIMANT)]
    hague_month = str(claimed["hague_month"])
    wales_pct, hague_pct = float(claimed["wales_pct"]), float(claimed["hague_pct"])
    out, parts, shorts = [], [], []
    figures: dict[str, float | str] = {}

    wales = official[official["claim_date"].str.startswith(str(claimed["wales_year"]))]
    part = f"{wales_pct:g}% set at Wales, {claimed['wales_year']}"
    if wales.empty:
        finding, outcome = "no NATO text of that summit in the claims table", CANNOT
        row = None
    else:
        row = wales.iloc[0]
        pcts = percentages_in(row["claim"])
        if not any(same(p, wales_pct) for p in pcts):
            finding, outcome = f"NATO's text does not state {wales_pct:g}%", NOT_SUPPORTED
        elif _EXISTING.search(row["claim"]):
            finding = (f"NATO's text calls {wales_pct:g}% an existing guideline that "
                       "the Allies pledged to move towards within a decade: the pledge was made "
                       "at Wales, the figure was not set there")
            outcome = PARTLY
        else:
            finding, outcome = f"NATO's text sets {wales_pct:g}% at Wales", SUPPORTED
        figures["wales_pct"] = wales_pct
    shorts.append({SUPPORTED: f"{wales_pct:g}% set at Wales",
                   PARTLY: f"{wales_pct:g}% an existing guideline Wales pledged to reach",
                   NOT_SUPPORTED: f"{wales_pct:g}% not in NATO's Wales text",
                   CANNOT: "no NATO Wales text"}[outcome])
    parts.append(outcome)
    out.append(_pledge_row(part, row, finding, outcome))

    hague = official[official["claim_date"].str.startswith(hague_month)]
    part = f"{hague_pct:g}% by {claimed['by_year']} at The Hague, {hague_month}"
    if hague.empty:
        finding, outcome = "no NATO text of that summit in the claims table", CANNOT
        row = None
    else:
        row = hague.iloc[0]
        pcts = percentages_in(row["claim"])
        total = hague_pct
        states_total = any(same(p, total) for p in pcts)
        states_year = claimed["by_year"] in re.findall(r"\d{4}", row["claim"])
        others = [p for p in pcts if not same(p, total)]
        if not (states_total and states_year):
            finding = (f"NATO's text does not state {total:g}% by {claimed['by_year']}")
            outcome = NOT_SUPPORTED
        elif len(others) >= 2 and same(sum(others), total):
            core, related = max(others), min(others)
            finding = (f"NATO's text states {total:g}% by {claimed['by_year']}, made of at least "
                       f"{core:g}% on core defence and up to {related:g}% on defence- and "
                       f"security-related spending: not a {total:g}% defence-spending target like "
                       f"the {wales_pct:g}%")
            outcome = PARTLY
            figures.update(core_pct=core, related_pct=related)
        else:
            finding, outcome = (f"NATO's text states {total:g}% by {claimed['by_year']}",
                                SUPPORTED)
        figures.update(hague_pct=total, by_year=claimed["by_year"])
    shorts.append({SUPPORTED: f"{hague_pct:g}% by {claimed['by_year']} in NATO's text",
                   PARTLY: (f"{hague_pct:g}% = {figures.get('core_pct', 0):g}% core + "
                            f"{figures.get('related_pct', 0):g}% related"),
                   NOT_SUPPORTED: f"{hague_pct:g}% not in NATO's Hague text",
                   CANNOT: "no NATO Hague text"}[outcome])
    parts.append(outcome)
    out.append(_pledge_row(part, row, finding, outcome))

    numbers = pd.DataFrame(out)
    evidence = admissibility(pd.DataFrame(
        [evidence_row(r["part"], f"NATO's summit text as given by: {r['source_title']}",
                      r["source_grade"], r["source_date"], True)
         for r in out if r["line"] is not pd.NA],
        columns=["part", "evidence", "grade", "published", "like_for_like", "announced",
                 "caveat"]), said)
    judged = apply_standard(dict(zip(numbers["part"], parts, strict=True)), evidence)
    for k, (before, after) in enumerate(zip(parts, judged.values(), strict=True)):
        if before != after:
            shorts[k] = "no NATO text from an admissible source"
            numbers.loc[k, "finding"] = (f"{numbers.loc[k, 'finding']}; but the page it is read "
                                         "from does not meet the evidence standard")
    parts = list(judged.values())
    numbers["outcome"] = parts
    verdict = combine(parts)
    reason = {
        SUPPORTED: "NATO's own texts state both figures at both summits, as claimed.",
        PARTLY: ("NATO's own texts confirm the dates and figures but not their sense: "
                 + "; ".join(f for f, o in zip(numbers["finding"], parts, strict=True)
                             if o != SUPPORTED) + "."),
        NOT_SUPPORTED: "NATO's own texts of those summits do not state the claimed figures.",
        CANNOT: "The claims table holds no NATO text of either summit.",
    }[verdict]
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=numbers, figures=figures,
        evidence=evidence, said="" if said is None else str(said),
        deciding="; ".join(shorts),
        reason=reason,
        would_change=("No newer data can: the verdict rests on NATO's own declarations. Only a "
                      f"NATO text showing that {wales_pct:g}% was first set at Wales, "
                      f"and that {hague_pct:g}% is a target for defence spending "
                      "alone, would make it supported."))


def _pledge_row(part: str, row: pd.Series | None, finding: str, outcome: str) -> dict[str, object]:
    return {"part": part, "nato_text": "" if row is None else row["claim"],
            "nato_text_date": "" if row is None else row["claim_date"],
            "source_title": "" if row is None else row["source_title"],
            "source_url": "" if row is None else row["source_url"],
            "line": pd.NA if row is None else int(row["line"]),
            "source_grade": "" if row is None else row["source_grade"],
            "source_date": "" if row is None else row["source_date"],
            "finding": finding, "outcome": outcome}
