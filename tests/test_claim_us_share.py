"""Claim 2 (analysis.calc.claims.us_share): the claimed range against NATO's own figures, on the real
table and on hand-made tables that flip the verdict."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.calc import claims, spending
from analysis.calc.claims import us_share
from analysis.calc.claims.base import NOT_SUPPORTED, PARTLY, SUPPORTED, claimed_figures

TOY_MEMBERS = pd.DataFrame({"country": ["United States", "Germany"], "iso3": ["USA", "DEU"],
                            "accession_year": ["1949", "1955"],
                            "region": ["North America", "Europe"]})


def toy_nato(share: float, members: pd.DataFrame = TOY_MEMBERS,
             years: tuple[int, ...] = (2019, 2024), vintage: str = "v2") -> pd.DataFrame:
    """A NATO table in which the US spends ``share`` of the total and every other Ally of the
    year an equal part of the rest."""
    rows = []
    joined = members.set_index("iso3")["accession_year"].astype(int)
    for year in years:
        allies = [i for i in members["iso3"] if joined[i] <= year]
        for iso3 in allies:
            value = share if iso3 == "USA" else (100 - share) / (len(allies) - 1)
            rows.append({"country": iso3, "iso3": iso3, "year": year, "is_estimate": False,
                         "value": value, "unit": "USD million", "price_base": "current",
                         "measure": "defence_expenditure", "is_aggregate": False})
    frame = pd.DataFrame(rows)
    frame.attrs["vintage"] = vintage
    return frame


def test_us_share_on_nato_figures(claims_verdicts: dict[str, claims.Verdict],
                                  claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[us_share.CLAIM_ID]
    # independently: the US row over NATO's own "NATO Total" row, same table, current prices
    table = claims_inputs.nato
    allies = spending.series(table, "defence_expenditure", "current")
    totals = spending.series(table, "defence_expenditure", "current", aggregates=True)
    latest = int(allies["year"].max())
    us = float(allies[(allies["iso3"] == "USA") & (allies["year"] == latest)]["value"].iloc[0])
    total = float(totals[(totals["country"] == "NATO Total")
                         & (totals["year"] == latest)]["value"].iloc[0])
    share = 100 * us / total
    assert v.figures["share_pct"] == pytest.approx(share, abs=0.05)
    assert v.figures["latest_year"] == str(latest) and v.figures["claim_year"] == "2025"
    assert v.figures["claim_year_covered"] == "no"  # 2025 is beyond the 2024 edition
    assert (v.figures["low_pct"], v.figures["high_pct"]) == (60.0, 65.0)  # the claimed range
    assert v.verdict == claims.share_verdict(share, 60, 65, claims_inputs.params.about_pp)
    judged = v.numbers.set_index("claim_date")
    assert judged.loc["2019", "year_judged"] == 2019 and bool(judged.loc["2019", "covered"])
    assert judged.loc["2025-09", "year_label"] == f"{latest}e"
    contrast = v.numbers[v.numbers["kind"] != "utterance"]
    assert len(contrast) == 1 and contrast["verdict"].iloc[0] == ""  # never judged
    assert "22%" in contrast["claim"].iloc[0]
    assert v.vintages["nato-defence-expenditure"] == table.attrs["vintage"]


@pytest.mark.parametrize(("share", "expected"), [(62.0, SUPPORTED), (66.5, PARTLY),
                                                 (58.5, PARTLY), (75.0, NOT_SUPPORTED)])
def test_us_share_flips(claims_inputs: claims.Inputs, share: float, expected: str) -> None:
    v = us_share.check_us_share(
        claims.utterances(claims_inputs.claims, us_share.CLAIM_ID), toy_nato(share), TOY_MEMBERS,
        claimed_figures(claims_inputs.claimed, us_share.CLAIM_ID, us_share.FIGURES), lead="USA",
        regions=["Europe"], extra=[], about_pp=2.0)
    assert v.verdict == expected
    assert v.figures["share_pct"] == pytest.approx(share)


def test_the_range_judged_is_the_claimed_figures_table(claims_inputs: claims.Inputs) -> None:
    claimed = claims_inputs.claimed.copy()
    claimed.loc[claimed["figure"] == "low_pct", "value"] = "70"
    claimed.loc[claimed["figure"] == "high_pct", "value"] = "75"
    v = us_share.check(replace(claims_inputs, claimed=claimed))
    assert (v.figures["low_pct"], v.figures["high_pct"]) == (70.0, 75.0)
    assert v.verdict == NOT_SUPPORTED
