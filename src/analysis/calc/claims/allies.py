"""Claim 4: "The 32 allies together produce more equipment and munitions than Russia" (the
counter-claim), on the same estimates as claim 3 (:mod:`analysis.calc.claims.production`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.calc import prose
from analysis.calc.claims import russia as three_months
from analysis.calc.claims.base import (
    CANNOT,
    NOT_SUPPORTED,
    SUPPORTED,
    Inputs,
    Verdict,
    combine,
    utterances,
)
from analysis.calc.claims.production import (
    DECIDING_DATA,
    ESTIMATES,
    deciding_pair,
    deciding_text,
    estimate_spread,
    production_estimates,
    ratios,
    spread_sentence,
)

CLAIM_ID = "allies_outproduce_russia"


def check(inputs: Inputs) -> Verdict:
    # the ratios set the three-months claim's fraction of Russia's year beside each figure
    return check_allies_outproduce(inputs.context, three_months.claimed_fraction(inputs))


def reversal(claims: pd.DataFrame) -> pd.Series:
    """The latest utterance of this claim by someone who also made the three-months claim (NATO's
    Secretary General, who said that the Allies no longer lag)."""
    makers = set(utterances(claims, three_months.CLAIM_ID)["claimant"])
    rows = utterances(claims, CLAIM_ID)
    rows = rows[rows["claimant"].isin(makers)]
    if rows.empty:
        raise KeyError(f"no utterance of {CLAIM_ID} by a claimant of {three_months.CLAIM_ID}")
    return rows.sort_values("claim_date").iloc[-1]


def check_allies_outproduce(context: pd.DataFrame, fraction: float,
                            classes: Mapping[str, tuple[str, str, str]] = ESTIMATES) -> Verdict:
    """The counter-claim: all Allies together produce more than Russia. Decided only by a
    :func:`~analysis.calc.claims.production.deciding_pair` (supported when NATO's yearly output
    exceeds Russia's, not supported otherwise); the claim also names equipment, for which the
    report's data hold no figure at all, so even a decided munitions half leaves it partly
    supported at best."""
    estimates = production_estimates(context, classes)
    spread = estimate_spread(estimates, fraction)
    pair = deciding_pair(estimates)
    if pair is None:
        parts = [CANNOT, CANNOT]
        reason = ("No open output figure for all of NATO exists in the report's data, for munitions "
                  "or for equipment; " + spread_sentence(spread))
    else:
        russia, nato = pair
        munitions = SUPPORTED if nato["shells_per_year"] > russia["shells_per_year"] else NOT_SUPPORTED
        parts = [munitions, CANNOT]
        spread.update(deciding_russia=float(russia["shells_per_year"]),
                      deciding_nato=float(nato["shells_per_year"]))
        reason = (f"In {russia['period']} all of NATO produced "
                  f"{prose.number(nato['shells_per_year'])} shells and Russia "
                  f"{prose.number(russia['shells_per_year'])}; no figure on equipment is recorded.")
    return Verdict(
        claim_id=CLAIM_ID, verdict=combine(parts), numbers=ratios(estimates, fraction),
        figures=spread, deciding=deciding_text(spread, pair), reason=reason,
        would_change=(f"It would be decided by {DECIDING_DATA}, and for equipment by the "
                      "numbers of major systems each side delivers a year."))
