"""Claim 5 (analysis.calc.claims.systems): the claimed counts against the industrial-context table."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.calc import claims
from analysis.calc.claims import systems
from analysis.calc.claims.base import CANNOT, NOT_SUPPORTED, SUPPORTED, claimed_figures


def test_systems_count_from_a_weak_summary_cannot_decide(
        claims_verdicts: dict[str, claims.Verdict], claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[systems.CLAIM_ID]
    facts = claims_inputs.context.set_index("fact_id")
    # the count the data hold is the claimed one, but its only page is graded weak and undated:
    # under the one standard it is traced, not checked
    assert facts.loc["weapon_system_types_europe", "source_grade"] == "weak"
    assert v.verdict == CANNOT and not v.evidence["admissible"].any()
    assert "below reputable secondary" in v.evidence["why_not"].iloc[0]
    assert v.figures["count_eu"] == float(facts.loc["weapon_system_types_europe", "value"])
    assert v.figures["count_us"] == float(facts.loc["weapon_system_types_us", "value"])
    assert (v.figures["claimed_eu"], v.figures["claimed_us"]) == (178.0, 30.0)
    assert v.figures["quality"] == facts.loc["weapon_system_types_europe", "source_quality"]
    assert "weak source" in v.deciding and "evidence standard" in v.reason
    status = v.numbers.set_index("claimant")["status"]
    assert status[status.index.str.startswith("Angela Merkel")].iloc[0] == "variant"
    assert status[status.index.str.startswith("Federica Mogherini")].iloc[0] == "unsourced"
    merkel = v.numbers[v.numbers["claimant"].str.startswith("Angela Merkel")]
    assert merkel["us_given"].iloc[0] == "fewer than 50"


@pytest.mark.parametrize(("eu", "us", "expected"), [("178", "30", SUPPORTED),
                                                    ("150", "30", NOT_SUPPORTED),
                                                    (None, None, CANNOT)])
def test_systems_flip(claims_inputs: claims.Inputs, eu: str | None, us: str | None,
                      expected: str) -> None:
    context = claims_inputs.context
    context = context[~context["fact_id"].isin(systems.SYSTEM_FACTS.values())]
    if eu is not None:
        extra = pd.DataFrame([
            {"fact_id": systems.SYSTEM_FACTS[k], "value": n, "unit": "count", "period": "2016",
             "description": "d", "source_title": "t", "source_url": "https://example.org",
             "source_date": "2017", "source_quality": "primary", "source_grade": "primary",
             "quality_note": ""}
            for k, n in (("eu", eu), ("us", us))])
        context = pd.concat([context, extra], ignore_index=True)
    v = systems.check_systems(claims.utterances(claims_inputs.claims, systems.CLAIM_ID), context,
                              claimed_figures(claims_inputs.claimed, systems.CLAIM_ID,
                                              systems.FIGURES))
    assert v.verdict == expected
    if expected == SUPPORTED:
        assert "secondary" not in v.deciding  # a primary source is not marked


def test_the_counts_judged_are_the_claimed_figures_table(claims_inputs: claims.Inputs) -> None:
    claimed = claims_inputs.claimed.copy()
    claimed.loc[claimed["figure"] == "count_eu", "value"] = "174"
    context = claims_inputs.context.copy()
    at = context["fact_id"].isin(systems.SYSTEM_FACTS.values())
    context.loc[at, "source_grade"] = "reputable secondary"  # as if from a graded page
    context.loc[at, "source_date"] = "2017-02"
    v = systems.check(replace(claims_inputs, claimed=claimed, context=context))
    assert v.verdict == NOT_SUPPORTED and "not the claimed 174 and 30" in v.reason
