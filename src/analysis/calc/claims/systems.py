"""Claim 5: "The US fields about 30 major weapon systems while EU members operate 178".

The claimed counts (from the curated table of claimed figures) against the counts in the
industrial-context table; each utterance is listed with the figures it gives.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.calc.claims.base import (
    CANNOT,
    DECIDING_QUALITY,
    NOT_SUPPORTED,
    SUPPORTED,
    Inputs,
    Verdict,
    admissibility,
    apply_standard,
    claimed_figures,
    evidence_row,
    judged_utterance,
    numbers_in,
    same,
    utterances,
)

CLAIM_ID = "systems_178_vs_30"
FIGURES = ("count_eu", "count_us")


def check(inputs: Inputs) -> Verdict:
    said = judged_utterance(inputs.claims, inputs.claimed, CLAIM_ID)["claim_date"]
    return check_systems(utterances(inputs.claims, CLAIM_ID), inputs.context,
                         claimed_figures(inputs.claimed, CLAIM_ID, FIGURES), said=said)


PART = "the counts of weapon-system types"


SYSTEM_FACTS = {"eu": "weapon_system_types_europe", "us": "weapon_system_types_us"}


def check_systems(rows: pd.DataFrame, context: pd.DataFrame, stated: dict[str, str],
                  said: object = None) -> Verdict:
    """The claimed counts against the counts in the industrial-context table (the Munich Security
    Report 2017's). Supported when both match, and then only as "that report says so": the check
    names the source's quality (a secondary summary is marked). Not supported when a count
    differs; cannot be checked when the table holds no count. Each utterance is listed with the
    figures it gives: one with another US figure is a variant, one without a source unsourced."""
    claimed = {"eu": float(stated["count_eu"]), "us": float(stated["count_us"])}
    facts = context.set_index("fact_id")
    found = {k: facts.loc[f] for k, f in SYSTEM_FACTS.items() if f in facts.index}
    listed = []
    for r in rows.itertuples(index=False):
        numbers = [n for n in numbers_in(r.claim) if n < 1000]
        fewer = re.search(r"(fewer|less) than (\d+)", r.claim)
        us_given = (f"fewer than {fewer.group(2)}" if fewer else
                    ", ".join(f"{n:g}" for n in numbers if same(n, claimed["us"])) or "none")
        matches = (any(same(n, claimed["eu"]) for n in numbers)
                   and us_given == f"{claimed['us']:g}")
        listed.append({"line": r.line, "claim_date": r.claim_date, "claimant": r.claimant,
                       "claim": r.claim, "source_title": r.source_title,
                       "source_url": r.source_url,
                       "europe_given": ", ".join(f"{n:g}" for n in numbers
                                                 if same(n, claimed["eu"])) or "none",
                       "us_given": us_given,
                       "status": ("unsourced" if not r.sourced else
                                  "same figures" if matches else "variant")})
    numbers_frame = pd.DataFrame(listed)
    figures: dict[str, float | str] = {"claimed_eu": claimed["eu"], "claimed_us": claimed["us"],
                                       "n_utterances": float(len(rows)),
                                       "n_variants": float((numbers_frame["status"] == "variant").sum()),
                                       "n_unsourced": float((numbers_frame["status"] == "unsourced").sum())}
    evidence = admissibility(pd.DataFrame(
        [evidence_row(PART, f"{f['description']} ({f['source_title']})", str(f["source_grade"]),
                      str(f["source_date"]), True) for f in found.values()],
        columns=["part", "evidence", "grade", "published", "like_for_like", "announced",
                 "caveat"]), said)
    if len(found) < 2:
        verdict = CANNOT
        reason = "The report's data hold no count of weapon-system types for Europe and the US."
        deciding = "no count recorded"
    else:
        eu, us = float(found["eu"]["value"]), float(found["us"]["value"])
        quality = str(found["eu"]["source_quality"])
        figures.update(count_eu=eu, count_us=us, period=str(found["eu"]["period"]),
                       quality=quality, source_title=str(found["eu"]["source_title"]))
        secondary = "" if quality == DECIDING_QUALITY else f" (via a {quality}, not the report itself)"
        if same(eu, claimed["eu"]) and same(us, claimed["us"]):
            verdict = SUPPORTED
            reason = (f"The count the report's data hold, from “{found['eu']['source_title']}”, is "
                      f"{eu:g} types in Europe and {us:g} in the US for {found['eu']['period']}"
                      f"{secondary}: supported only in the sense that this source says so; no "
                      "open, independent count exists.")
        else:
            verdict = NOT_SUPPORTED
            reason = (f"The count in the report's data is {eu:g} types in Europe and {us:g} in the "
                      f"US{secondary}, not the claimed {claimed['eu']:g} and {claimed['us']:g}.")
        deciding = (f"{eu:g} against {us:g} types, {found['eu']['period']}"
                    f"{' (secondary)' if secondary else ''}")
        judged = apply_standard({PART: verdict}, evidence)[PART]
        if judged != verdict:
            verdict = judged
            why = "; ".join(sorted(set(evidence["why_not"]) - {""}))
            reason = (f"The only count the report's data hold ({eu:g} types in Europe, {us:g} in "
                      f"the US, {found['eu']['period']}) comes from “{found['eu']['source_title']}”"
                      f"{secondary}: {why}. It does not meet the report's evidence standard, so "
                      "the figures can be traced but not checked.")
            deciding = (f"{eu:g} against {us:g} types in a {found['eu']['source_grade']} source; "
                        "no admissible count")
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=numbers_frame, figures=figures,
        evidence=evidence, said="" if said is None else str(said),
        deciding=deciding, reason=reason,
        would_change=("The report's own page (not a summary of it), or a newer count of the "
                      "types in service, would confirm or replace the figures."))
