"""Claim 2 (analysis.calc.claims.us_share): the claimed range against NATO's own figures, on the real
table and on hand-made tables that flip the verdict."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.calc import claims, spending
from analysis.calc.claims import us_share
from analysis.calc.claims.base import (
    CANNOT,
    NOT_SUPPORTED,
    PARTLY,
    PUBLISHED_LATER,
    SUPPORTED,
    claimed_figures,
)

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


def test_us_share_on_what_was_public_when_said(claims_verdicts: dict[str, claims.Verdict],
                                              claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[us_share.CLAIM_ID]
    # the claim (September 2025) came after NATO's release of 28 August 2025: judged on the
    # announced 2025e figures, computed here from the headline rows themselves
    h = claims_inputs.headlines.set_index("fact")
    lead = h.loc["United States defence expenditure, 2025e"]
    lead = lead[lead["source_grade"] == "reputable secondary"]
    rest = h.loc["NATO Europe and Canada defence expenditure, 2025e"]
    us, others = float(lead["value"].iloc[0]), float(rest["value"])
    assert v.figures["share_pct"] == pytest.approx(100 * us / (us + others))
    assert v.figures["basis"] == "announced" and "price basis" in v.figures["basis_caveat"]
    assert v.verdict == SUPPORTED and v.said == "2025-09"
    # NATO's own tables (the file) stay beside it: US row over NATO's "NATO Total" row
    table = claims_inputs.nato
    allies = spending.series(table, "defence_expenditure", "current")
    totals = spending.series(table, "defence_expenditure", "current", aggregates=True)
    latest = int(allies["year"].max())
    us_file = float(allies[(allies["iso3"] == "USA") & (allies["year"] == latest)]["value"].iloc[0])
    total = float(totals[(totals["country"] == "NATO Total")
                         & (totals["year"] == latest)]["value"].iloc[0])
    assert v.figures["file_share_pct"] == pytest.approx(100 * us_file / total, abs=0.05)
    # the weaker pair (undated page) is shown and may not decide
    ev = v.evidence
    assert ev["judges"].sum() == 1 and bool(ev.loc[ev["judges"], "announced"].iloc[0])
    weak = ev[ev["grade"] == "weak"]
    assert len(weak) == 1 and not weak["admissible"].iloc[0]


def test_each_row_says_what_it_is_compared_with(claims_verdicts: dict[str, claims.Verdict],
                                                claims_inputs: claims.Inputs) -> None:
    n = claims_verdicts[us_share.CLAIM_ID].numbers.set_index("claim_date")
    # the 2019 row quotes "roughly 70%", NATO's figure for 2019: consistent, not "not supported"
    row = n.loc["2019"]
    assert row["kind"] == us_share.KIND_REPORT and row["stated_pct"] == 70.0
    assert row["verdict"] == us_share.CONSISTENT and row["year_judged"] == 2019
    assert "70%" in row["compared_with"] and "published after" in row["compared_with"]
    assert abs(row["us_share_pct"] - 70.0) <= claims_inputs.params.about_pp
    # the report of NATO's 2025 release: its 60% against the announced share
    assert n.loc["2025-08-28", "verdict"] == us_share.CONSISTENT
    assert n.loc["2025-09", "kind"] == us_share.KIND_CLAIM
    assert "the claimed 60-65%" in n.loc["2025-09", "compared_with"]
    contrast = n[n["kind"] == us_share.KIND_CONTRAST]
    assert len(contrast) == 1 and contrast["verdict"].iloc[0] == "not judged"
    assert "22%" in contrast["claim"].iloc[0]
    # a row stating a share NATO's figure does not bear out is labelled so
    stated = us_share.stated_shares(claims_inputs.claimed)
    stated = {k: (80.0 if val == 70.0 else val) for k, val in stated.items()}
    v = us_share.check_us_share(
        claims.utterances(claims_inputs.claims, us_share.CLAIM_ID), claims_inputs.nato,
        claims_inputs.members, claimed_figures(claims_inputs.claimed, us_share.CLAIM_ID,
                                               us_share.FIGURES),
        headlines=claims_inputs.headlines, stated=stated,
        claim_line=us_share.claim_line(claims_inputs.claimed), lead="USA", regions=["Europe"],
        extra=["CAN"], about_pp=2.0)
    assert v.numbers.set_index("claim_date").loc["2019", "verdict"] == us_share.DIFFERS


def _toy_check(claims_inputs: claims.Inputs, share: float, headlines: pd.DataFrame,
               vintage: str = "2025-06-01") -> claims.Verdict:
    return us_share.check_us_share(
        claims.utterances(claims_inputs.claims, us_share.CLAIM_ID),
        toy_nato(share, vintage=vintage), TOY_MEMBERS,
        claimed_figures(claims_inputs.claimed, us_share.CLAIM_ID, us_share.FIGURES),
        headlines=headlines, stated=us_share.stated_shares(claims_inputs.claimed),
        claim_line=us_share.claim_line(claims_inputs.claimed), lead="USA", regions=["Europe"],
        extra=[], about_pp=2.0)


@pytest.mark.parametrize(("share", "expected"), [(62.0, SUPPORTED), (66.5, PARTLY),
                                                 (58.5, PARTLY), (75.0, NOT_SUPPORTED)])
def test_us_share_flips(claims_inputs: claims.Inputs, share: float, expected: str) -> None:
    none_announced = claims_inputs.headlines.iloc[0:0]
    v = _toy_check(claims_inputs, share, none_announced)
    assert v.verdict == expected
    assert v.figures["share_pct"] == pytest.approx(share)
    # tables published only after the claim stand in (nothing earlier is held), marked
    later = _toy_check(claims_inputs, share, none_announced, vintage="2026-06-01")
    assert later.verdict == expected
    assert (later.evidence.loc[later.evidence["judges"], "timing"] == PUBLISHED_LATER).all()
    # announced figures public when the claim was made take precedence over older tables
    announced = _toy_check(claims_inputs, share, claims_inputs.headlines)
    assert announced.verdict == SUPPORTED and announced.figures["basis"] == "announced"
    # tables of unknown date cannot decide: cannot be checked
    assert _toy_check(claims_inputs, share, none_announced, vintage="").verdict == CANNOT


def test_the_range_judged_is_the_claimed_figures_table(claims_inputs: claims.Inputs) -> None:
    claimed = claims_inputs.claimed.copy()
    claimed.loc[claimed["figure"] == "low_pct", "value"] = "70"
    claimed.loc[claimed["figure"] == "high_pct", "value"] = "75"
    v = us_share.check(replace(claims_inputs, claimed=claimed))
    assert (v.figures["low_pct"], v.figures["high_pct"]) == (70.0, 75.0)
    assert v.verdict == NOT_SUPPORTED
