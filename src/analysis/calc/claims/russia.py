"""Claim 3: "Russia produces in three months the munitions that all of NATO produces in a year".

The claimed months (three of Russia's against twelve of NATO's) come from the curated table of
claimed figures; the estimates from :mod:`analysis.calc.claims.production`.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.calc import prose
from analysis.calc.claims.base import (
    CANNOT,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Inputs,
    Verdict,
    apply_standard,
    claimed_figures,
    judged_utterance,
)
from analysis.calc.claims.production import (
    DECIDING_DATA,
    ESTIMATES,
    PART,
    answer,
    deciding_text,
    estimate_spread,
    production_estimates,
    spread_sentence,
)

CLAIM_ID = "russia_3_months"
FIGURES = ("russia_months", "nato_months")


def fraction(claimed: Mapping[str, str]) -> float:
    """The part of a year of Russia's output the claim sets against NATO's year (3/12)."""
    return float(claimed["russia_months"]) / float(claimed["nato_months"])


def claimed_fraction(inputs: Inputs) -> float:
    return fraction(claimed_figures(inputs.claimed, CLAIM_ID, FIGURES))


def check(inputs: Inputs) -> Verdict:
    said = judged_utterance(inputs.claims, inputs.claimed, CLAIM_ID)["claim_date"]
    return check_russia_three_months(inputs.context, claimed_fraction(inputs), said=said)


def outcome(ratio: float, fraction: float) -> str:
    """Claim 3's side of the one answer (Russia's yearly output over all of NATO's): supported
    when ``fraction`` of Russia's year is at least NATO's year, partly supported when Russia
    out-produces NATO over a year but by less, not supported otherwise."""
    if ratio * fraction >= 1:
        return SUPPORTED
    if ratio > 1:
        return PARTLY
    return NOT_SUPPORTED


def check_russia_three_months(context: pd.DataFrame, fraction: float,
                              classes: Mapping[str, tuple[str, str, str]] = ESTIMATES,
                              said: object = None) -> Verdict:
    """Russia's output in three months (``fraction`` of its year) against all of NATO's year,
    on the one answer of :func:`~analysis.calc.claims.production.answer` (:func:`outcome`),
    as public when it was ``said``. Without an admissible pair: cannot be checked.
    """
    estimates = production_estimates(context, classes)
    spread = estimate_spread(estimates, fraction)
    ratio, evidence, pair = answer(estimates, said)
    if pair is None:
        verdict = CANNOT
        reason = (f"The report's data hold {len(estimates)} estimates of shell production, none "
                  "an output figure for all of NATO, so no estimate meets the report's evidence "
                  "standard for this question; "
                  + spread_sentence(spread))
    else:
        russia, nato = pair
        quarter = russia["shells_per_year"] * fraction
        assert ratio is not None
        verdict = outcome(ratio, fraction)
        spread.update(deciding_russia=float(russia["shells_per_year"]),
                      deciding_nato=float(nato["shells_per_year"]))
        reason = (f"In {russia['period']} Russia produced {prose.number(russia['shells_per_year'])} "
                  f"shells and all of NATO {prose.number(nato['shells_per_year'])}: three months "
                  f"of Russia's output are {prose.number(quarter / nato['shells_per_year'] * 100)}% "
                  "of NATO's year.")
    verdict = apply_standard({PART: verdict}, evidence)[PART]
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=estimates, figures=spread,
        evidence=evidence, said="" if said is None else str(said),
        deciding=deciding_text(spread, pair),
        reason=reason,
        would_change=f"It would be decided by {DECIDING_DATA}.")
