"""Claims 3 and 4 (analysis.calc.claims.russia, analysis.calc.claims.allies, on the estimates of
analysis.calc.claims.production): the real estimates cannot decide them; comparable primary output
figures would, and the claimed months come from the claimed-figures table."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.calc import claims
from analysis.calc.claims import allies, production, russia
from analysis.calc.claims.base import CANNOT, NOT_SUPPORTED, PARTLY, SUPPORTED


def test_production_claims_cannot_be_checked(claims_verdicts: dict[str, claims.Verdict],
                                             claims_inputs: claims.Inputs) -> None:
    context = claims_inputs.context
    shells = context[context["unit"].str.startswith("shells per")]
    estimates = claims_verdicts[russia.CLAIM_ID].numbers
    assert len(estimates) == len(shells) and set(estimates["fact_id"]) == set(shells["fact_id"])
    assert production.deciding_pair(estimates) is None
    assert claims_verdicts[russia.CLAIM_ID].verdict == CANNOT
    assert claims_verdicts[allies.CLAIM_ID].verdict == CANNOT
    # the spread, from the rows themselves (a monthly figure counts twelve times)
    per_year = [float(v) * (12 if u.endswith("month") else 1)
                for v, u in zip(shells["value"], shells["unit"], strict=True)]
    ru = float(shells.set_index("fact_id").loc["russia_artillery_shell_output", "value"])
    west = [p for p, f in zip(per_year, shells["fact_id"], strict=True)
            if not f.startswith("russia")]
    f = claims_verdicts[russia.CLAIM_ID].figures
    assert f["russia_three_months"] == ru * 3 / 12
    assert (f["ratio_low"], f["ratio_high"]) == (ru / max(west), ru / min(west))
    assert "would be decided by" in claims_verdicts[russia.CLAIM_ID].would_change
    ratios = claims_verdicts[allies.CLAIM_ID].numbers
    assert len(ratios) == len(west)
    assert ratios["quarter_over_west"].tolist() == pytest.approx(
        [ru / w / 4 for w in ratios["shells_per_year"]])


def test_the_months_come_from_the_claimed_figures(claims_inputs: claims.Inputs) -> None:
    assert russia.claimed_fraction(claims_inputs) == 0.25
    claimed = claims_inputs.claimed.copy()
    claimed.loc[claimed["figure"] == "russia_months", "value"] = "6"
    v = russia.check(replace(claims_inputs, claimed=claimed))
    assert v.figures["russia_three_months"] == v.figures["russia_per_year"] / 2


def _toy_context(ru: float, nato_all: float, quality: str = "primary",
                 grade: str = "reputable secondary") -> tuple[
        pd.DataFrame, dict[str, tuple[str, str, str]]]:
    base = {"unit": "shells per year", "period": "2025", "source_title": "t",
            "source_url": "https://example.org", "source_date": "2025",
            "source_quality": quality, "source_grade": grade, "quality_note": ""}
    frame = pd.DataFrame([
        {"fact_id": "ru", "value": str(ru), "description": "Russia's output", **base},
        {"fact_id": "nato", "value": str(nato_all), "description": "NATO's output", **base},
        {"fact_id": "other", "value": "5", "unit": "count", "period": "2016",
         "description": "not a shell figure", **{k: v for k, v in base.items()
                                                 if k not in ("unit", "period")}},
    ], index=[2, 3, 4])
    classes = {"ru": ("Russia", production.RUSSIA, "output"),
               "nato": ("NATO", production.ALL_NATO, "output")}
    return frame, classes


@pytest.mark.parametrize(("ru", "nato_all", "three_months", "outproduce"), [
    (4e6, 1e6, SUPPORTED, NOT_SUPPORTED),
    (2e6, 1e6, PARTLY, NOT_SUPPORTED),
    (1e6, 3e6, NOT_SUPPORTED, PARTLY),  # munitions yes; equipment cannot be checked
])
def test_production_claims_flip_with_comparable_output(ru: float, nato_all: float,
                                                       three_months: str, outproduce: str) -> None:
    context, classes = _toy_context(ru, nato_all)
    assert russia.check_russia_three_months(context, 0.25, classes).verdict == three_months
    assert allies.check_allies_outproduce(context, 0.25, classes).verdict == outproduce


def test_estimates_from_weak_pages_never_decide() -> None:
    context, classes = _toy_context(4e6, 1e6, grade="weak")
    assert russia.check_russia_three_months(context, 0.25, classes).verdict == CANNOT
    assert allies.check_allies_outproduce(context, 0.25, classes).verdict == CANNOT


def test_the_two_claims_are_one_question() -> None:
    """Claims 3 and 4 read one answer (Russia's output over all of NATO's): whatever the
    figures, they are never both supported, and both are decided or neither is."""
    for ru, nato_all in [(4e6, 1e6), (2e6, 1e6), (1e6, 3e6), (1e6, 1e6)]:
        context, classes = _toy_context(ru, nato_all)
        estimates = production.production_estimates(context, classes)
        ratio, _evidence, pair = production.answer(estimates, None)
        assert ratio == pytest.approx(ru / nato_all) and pair is not None
        a = russia.check_russia_three_months(context, 0.25, classes)
        b = allies.check_allies_outproduce(context, 0.25, classes)
        assert not (a.verdict == SUPPORTED and b.verdict in (SUPPORTED, PARTLY))
        assert a.evidence.equals(b.evidence)
    # one half of the pair published after the claim, the other before: the pair stands in
    # only as a whole; a half of unknown date stops it
    context, classes = _toy_context(4e6, 1e6)
    context.loc[3, "source_date"] = "n.d."
    a = russia.check_russia_three_months(context, 0.25, classes, said="2025-06")
    assert a.verdict == CANNOT
    assert "counterpart" in a.evidence.set_index("fact_id").loc["ru", "why_not"]


def test_an_unclassified_shell_figure_stops_the_check() -> None:
    context, classes = _toy_context(4e6, 1e6)
    with pytest.raises(KeyError, match="nato"):
        production.production_estimates(context, {"ru": classes["ru"]})


def test_the_reversal_is_found_by_who_made_the_claim(claims_inputs: claims.Inputs) -> None:
    c = claims_inputs.claims
    row = allies.reversal(c)
    makers = set(c.loc[c["claim_id"] == russia.CLAIM_ID, "claimant"])
    assert row["claimant"] in makers and row["claim_date"] == "2025-11-06"
    # a counter-claim by someone else is not the reversal; without one the chapter stops
    others = c[~((c["claim_id"] == allies.CLAIM_ID) & c["claimant"].isin(makers))]
    with pytest.raises(KeyError, match="no utterance"):
        allies.reversal(others)
