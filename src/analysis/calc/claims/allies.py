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
    apply_standard,
    combine,
    judged_utterance,
    utterances,
)
from analysis.calc.claims.production import (
    DECIDING_DATA,
    ESTIMATES,
    PART,
    answer,
    deciding_text,
    estimate_spread,
    production_estimates,
    ratios,
    spread_sentence,
)

CLAIM_ID = "allies_outproduce_russia"


def check(inputs: Inputs) -> Verdict:
    # the ratios set the three-months claim's fraction of Russia's year beside each figure
    said = judged_utterance(inputs.claims, inputs.claimed, CLAIM_ID)["claim_date"]
    return check_allies_outproduce(inputs.context, three_months.claimed_fraction(inputs),
                                   said=said)


EQUIPMENT = "equipment output, Russia against all of NATO"


def outcome(ratio: float) -> str:
    """Claim 4's side of the one answer (Russia's yearly output over all of NATO's): supported
    when NATO out-produces Russia (the ratio is below one), not supported otherwise."""
    return SUPPORTED if ratio < 1 else NOT_SUPPORTED


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
                            classes: Mapping[str, tuple[str, str, str]] = ESTIMATES,
                            said: object = None) -> Verdict:
    """The counter-claim: all Allies together produce more than Russia, on the same one answer
    as claim 3 (:func:`~analysis.calc.claims.production.answer`; :func:`outcome`), as public
    when it was ``said``; the claim also names equipment, for which the report's data hold no
    evidence at all, so even a decided munitions half leaves it partly supported at best."""
    estimates = production_estimates(context, classes)
    spread = estimate_spread(estimates, fraction)
    ratio, evidence, pair = answer(estimates, said)
    if pair is None:
        parts = {PART: NOT_SUPPORTED, EQUIPMENT: CANNOT}  # the standard makes the first CANNOT
        reason = ("No open output figure for all of NATO exists in the report's data, for munitions "
                  "or for equipment; " + spread_sentence(spread))
    else:
        russia, nato = pair
        assert ratio is not None
        parts = {PART: outcome(ratio), EQUIPMENT: CANNOT}
        spread.update(deciding_russia=float(russia["shells_per_year"]),
                      deciding_nato=float(nato["shells_per_year"]))
        reason = (f"In {russia['period']} all of NATO produced "
                  f"{prose.number(nato['shells_per_year'])} shells and Russia "
                  f"{prose.number(russia['shells_per_year'])}; no figure on equipment is recorded.")
    judged = apply_standard(parts, evidence)
    return Verdict(
        claim_id=CLAIM_ID, verdict=combine(list(judged.values())),
        numbers=ratios(estimates, fraction), evidence=evidence,
        said="" if said is None else str(said),
        figures=spread, deciding=deciding_text(spread, pair), reason=reason,
        would_change=(f"It would be decided by {DECIDING_DATA}, and for equipment by the "
                      "numbers of major systems each side delivers a year."))
