"""Spending analysis: threshold counts, burden shares, the two definitions and the path to 2035,
on small hand-made frames (exact answers) and on the real tables (checked against other parts of
the same workbook: TABLE4's own 2014 and 2024e shares, TABLE2's aggregate rows)."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis.calc import spending
from analysis.data.readers import curated, nato, sipri_milex
from analysis.data.sources import resolve

NATO_VINTAGE = "2024-06-17"
MILEX_VINTAGE = "2025-04-28"


@pytest.fixture(scope="module")
def nato_table() -> pd.DataFrame:
    return nato.table(NATO_VINTAGE)


@pytest.fixture(scope="module")
def milex() -> pd.DataFrame:
    return sipri_milex.table(MILEX_VINTAGE)


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return curated.table("nato_members.csv")


def _members(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "accession_year", "region"]).assign(
        country=lambda f: f["iso3"], accession_year=lambda f: f["accession_year"].astype(str))


HAND_MEMBERS = _members([("USA", 1949, "North America"), ("CAN", 1949, "North America"),
                         ("AAA", 1949, "Europe"), ("BBB", 2020, "Europe")])


def _series(rows: list[tuple[str, int, float]], *, estimate_from: int = 9999,
            price_base: str = "constant 2015") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return frame.assign(country=frame["iso3"], is_estimate=frame["year"] >= estimate_from,
                        unit="x", price_base=price_base)


# --------------------------------------------------------------------------- hand-made frames


def test_threshold_count_is_inclusive_and_counts_members_only() -> None:
    share = _series([("USA", 2019, 3.5), ("CAN", 2019, 1.99), ("AAA", 2019, 2.0),
                     ("BBB", 2019, 2.5), ("USA", 2020, 3.0), ("CAN", 2020, 2.0),
                     ("AAA", 2020, 1.0), ("BBB", 2020, math.nan)], estimate_from=2020)
    shares = spending.shares_of_gdp(share, HAND_MEMBERS)
    # 2019: BBB (2.5) not yet an Ally; AAA at exactly 2.0 counts
    assert spending.count_at_or_above(shares, 2019, 2.0) == (2, 3)
    assert spending.count_at_or_above(shares, 2019, 3.5) == (1, 3)
    # 2020: BBB an Ally but without a figure: not counted among those with data
    assert spending.count_at_or_above(shares, 2020, 2.0) == (2, 3)
    assert list(shares.loc[shares["year"] == 2020, "year_label"].unique()) == ["2020e"]
    counts = spending.counts_by_year(shares, [2.0, 3.5])
    assert counts.set_index(["year", "threshold_pct"]).loc[(2019, 2.0), "allies_at_or_above"] == 2
    with pytest.raises(ValueError):
        spending.count_at_or_above(shares, 2030, 2.0)


def test_threshold_bands() -> None:
    assert spending.threshold_band(1.999, [2, 3.5]) == "below 2%"
    assert spending.threshold_band(2.0, [3.5, 2]) == "2% to under 3.5%"
    assert spending.threshold_band(3.5, [2, 3.5]) == "3.5% or more"
    assert spending.threshold_band(math.nan, [2, 3.5]) == "no figure"


def test_burden_shares_add_up_and_refuse_a_missing_ally() -> None:
    values = _series([("USA", 2021, 600.0), ("CAN", 2021, 100.0), ("AAA", 2021, 200.0),
                      ("BBB", 2021, 100.0)])
    out = spending.burden_shares(values, HAND_MEMBERS, lead="USA", regions=["Europe"],
                                 extra=["CAN"], lead_name="US", group_name="Rest", source="T")
    shares = out.set_index("group")["share_pct"]
    assert shares["US"] == pytest.approx(60.0) and shares["Rest"] == pytest.approx(40.0)
    assert out["all_allies_usd_m"].iloc[0] == 1000.0
    with pytest.raises(ValueError, match="BBB"):
        spending.burden_shares(values[values["iso3"] != "BBB"], HAND_MEMBERS, lead="USA",
                               regions=["Europe"], extra=["CAN"], lead_name="US",
                               group_name="Rest", source="T")


def test_path_to_target_by_hand() -> None:
    share = _series([("AAA", 2024, 2.0), ("BBB", 2024, 4.0)])
    gdp = _series([("AAA", 2024, 1000.0), ("BBB", 2024, 500.0)])
    flat = spending.path_to_target(share, gdp, latest_year=2024, target_year=2035, target_pct=3.5,
                                   growth_pct=0.0).set_index(["iso3", "year"])
    assert flat.loc[("AAA", 2024), "extra"] == 0.0
    assert flat.loc[("AAA", 2035), "extra"] == pytest.approx(15.0)  # 1.5% of 1000
    assert flat.loc[("AAA", 2035), "path_share_pct"] == pytest.approx(3.5)
    # straight line: a year in, 1/11 of the way
    assert flat.loc[("AAA", 2025), "path_share_pct"] == pytest.approx(2.0 + 1.5 / 11)
    # above the target: keeps its share, needs nothing extra
    assert (flat.loc["BBB", "extra"] == 0).all() and (flat.loc["BBB", "path_share_pct"] == 4.0).all()
    grown = spending.path_to_target(share, gdp, latest_year=2024, target_year=2035,
                                    target_pct=3.5, growth_pct=2.0).set_index(["iso3", "year"])
    assert grown.loc[("AAA", 2035), "gdp"] == pytest.approx(1000 * 1.02 ** 11)
    assert grown.loc[("AAA", 2035), "extra"] == pytest.approx(0.015 * 1000 * 1.02 ** 11)
    totals = spending.path_totals(grown.reset_index(), ["AAA", "BBB"], "g")
    assert totals.set_index("year").loc[2035, "extra"] == pytest.approx(0.015 * 1000 * 1.02 ** 11)
    summary = spending.path_summary(flat.reset_index(), 2035).set_index("iso3")
    # mean over 2025..2035 of 1.5% x k/11 x 1000, k = 1..11
    assert summary.loc["AAA", "mean_extra_per_year"] == pytest.approx(15.0 * 6 / 11)


def test_path_refuses_mixed_price_bases() -> None:
    share = _series([("AAA", 2024, 2.0)], price_base="constant 2015")
    gdp = _series([("AAA", 2024, 1000.0)], price_base="constant 2021")
    with pytest.raises(ValueError, match="same price base"):
        spending.path_to_target(share, gdp, latest_year=2024, target_year=2035, target_pct=3.5,
                                growth_pct=1.0)
    with pytest.raises(ValueError, match="constant-price"):
        spending.path_to_target(share, _series([("AAA", 2024, 1.0)], price_base="current"),
                                latest_year=2024, target_year=2035, target_pct=3.5, growth_pct=1.0)


def test_compound_growth_by_hand() -> None:
    gdp = _series([("AAA", 2020, 50.0), ("BBB", 2020, 50.0), ("AAA", 2022, 60.5),
                   ("BBB", 2022, 60.5)])
    assert spending.compound_growth_pct(gdp, ["AAA", "BBB"], 2022, 2) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="CCC"):
        spending.compound_growth_pct(gdp, ["AAA", "CCC"], 2022, 2)


def test_two_definitions_stay_two_series_and_gaps_are_sipri_minus_nato() -> None:
    nato_share = _series([("TUR", y, 1.0 + 0.1 * i) for i, y in enumerate(range(2014, 2017))])
    nato_growth = _series([("TUR", y, 5.0) for y in range(2014, 2017)])
    sipri_share = _series([("TUR", y, 2.0) for y in range(2014, 2017)])
    sipri_constant = _series([("TUR", 2013, 100.0), ("TUR", 2014, 110.0), ("TUR", 2015, 121.0),
                              ("TUR", 2016, 121.0)])
    long = spending.two_definitions(nato_share, nato_growth, sipri_share, sipri_constant, "TUR",
                                    2014, 2016)
    assert set(long["definition"]) == {spending.NATO_DEFINITION, spending.SIPRI_DEFINITION}
    assert len(long) == 4 * 3
    gaps = spending.definition_gaps(long).set_index("year")
    assert gaps.loc[2014, "burden_gap"] == pytest.approx(1.0)
    assert gaps.loc[2016, "burden_gap"] == pytest.approx(0.8)
    assert gaps.loc[2015, "growth_sipri"] == pytest.approx(10.0)
    assert gaps.loc[2016, "growth_gap"] == pytest.approx(-5.0)


def test_growth_skips_gaps_in_years() -> None:
    out = spending.growth_pct(_series([("X", 2010, 100.0), ("X", 2012, 110.0)])).set_index("year")
    assert math.isnan(out.loc[2012, "value"])


def test_series_refuses_an_ambiguous_price_base(nato_table: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="price bases"):
        spending.series(nato_table, "defence_expenditure")
    with pytest.raises(KeyError):
        spending.series(nato_table, "defence_expenditure", "constant 2021")


# --------------------------------------------------------------------------- real tables


def _table4_shares() -> dict[tuple[str, int], float]:
    """NATO's TABLE4 prints each Ally's 2014 and 2024e share beside the real change: a second
    place in the workbook to check TABLE3's counts against (read here without the reader)."""
    path = resolve(nato.SOURCE, NATO_VINTAGE, nato.TABLES_FILE).path
    ws = openpyxl.load_workbook(path, data_only=True, read_only=True)["TABLE4"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and any(str(v).startswith("Share of real GDP") for v in r
                                                  if v))
    cols = {int(str(v)[-8:-4].strip()) if "2024e" not in str(v) else 2024: i
            for i, v in enumerate(header) if v and str(v).startswith("Share of real GDP")}
    out = {}
    for r in rows:
        label = next((v for v in r[:3] if isinstance(v, str) and v.strip()), None)
        if label and isinstance(r[cols[2014]], (int, float)):
            for year, i in cols.items():
                out[(label.strip().rstrip("*"), year)] = float(r[i])
    return out


def test_counts_match_table4_of_the_same_workbook(nato_table: pd.DataFrame,
                                                  members: pd.DataFrame) -> None:
    shares = spending.shares_of_gdp(spending.series(nato_table, "defence_share_gdp"), members)
    t4 = _table4_shares()
    for year in (2014, 2024):
        allies = set(members.loc[members["accession_year"].astype(int) <= year, "country"])
        names = {n for (n, y) in t4 if y == year}
        # TABLE4 spells Slovakia and the Allies as NATO does; join through ISO3
        from analysis.data import countries
        iso = {countries.to_iso3([n])[0]: n for n in names}
        member_iso = set(members.loc[members["country"].isin(allies), "iso3"])
        expected = sum(1 for code, n in iso.items() if code in member_iso and t4[(n, year)] >= 2.0)
        n, of = spending.count_at_or_above(shares, year, 2.0)
        assert n == expected
        assert of == len(member_iso & set(iso))


def test_us_share_matches_nato_aggregate_rows(nato_table: pd.DataFrame,
                                              members: pd.DataFrame) -> None:
    current = spending.series(nato_table, "defence_expenditure", "current")
    out = spending.burden_shares(current, members, lead="USA", regions=["Europe"], extra=["CAN"],
                                 lead_name="United States", group_name="Europe and Canada",
                                 source="NATO")
    agg = spending.series(nato_table, "defence_expenditure", "current", aggregates=True)
    total = agg[agg["country"] == "NATO Total"].set_index("year")["value"]
    europe = agg[agg["country"] == "NATO Europe and Canada"].set_index("year")["value"]
    us = current[current["iso3"] == "USA"].set_index("year")["value"]
    for year in range(2014, 2025):
        row = out[(out["year"] == year)].set_index("group")["share_pct"]
        assert row["United States"] == pytest.approx(100 * us[year] / total[year], rel=1e-9)
        assert row["Europe and Canada"] == pytest.approx(100 * europe[year] / total[year], rel=1e-9)
    assert set(out.loc[out["is_estimate"], "year"]) == {2023, 2024}


def test_sipri_burden_covers_every_ally(milex: pd.DataFrame, members: pd.DataFrame) -> None:
    current = spending.series(milex, "military_expenditure", "current")
    out = spending.burden_shares(current[current["year"].between(2014, 2024)], members, lead="USA",
                                 regions=["Europe"], extra=["CAN"], lead_name="US",
                                 group_name="Rest", source="SIPRI")
    sums = out.groupby("year")["share_pct"].sum()
    assert ((sums - 100).abs() < 1e-9).all()


def test_path_on_real_tables_is_share_times_gdp(nato_table: pd.DataFrame,
                                                members: pd.DataFrame) -> None:
    share = spending.series(nato_table, "defence_share_gdp")
    gdp = spending.series(nato_table, "gdp", "constant 2015")
    spend = spending.series(nato_table, "defence_expenditure", "constant 2015")
    group = [i for i in spending.group_members(members, 2024, ["Europe"], ["CAN"])
             if i in set(share["iso3"])]
    assert "ISL" not in group and "CAN" in group and "USA" not in group
    growth = spending.compound_growth_pct(gdp, group, 2024, 10)
    assert 0 < growth < 5
    path = spending.path_to_target(share, gdp, latest_year=2024, target_year=2035,
                                   target_pct=3.5, growth_pct=growth)
    start = path[path["year"] == 2024].set_index("iso3")
    # the latest share of real GDP times real GDP is NATO's own constant-price spending, except
    # where NATO entered the share (Slovakia 2024e at exactly 2, as the sidecar says)
    own = spend[spend["year"] == 2024].set_index("iso3")["value"]
    off = (start["spending"] / own.reindex(start.index) - 1).abs()
    entered = spending.entered_shares(share, spend, gdp)
    assert set(off[off > 1e-9].index) == set(entered.loc[entered["year"] == 2024, "iso3"]) == {"SVK"}
    end = path[path["year"] == 2035].set_index("iso3")
    s0 = share[share["year"] == 2024].set_index("iso3")["value"]
    g0 = gdp[gdp["year"] == 2024].set_index("iso3")["value"]
    expected = ((3.5 - s0).clip(lower=0) / 100 * g0 * (1 + growth / 100) ** 11).reindex(end.index)
    assert (end["extra"] - expected).abs().max() < 1e-6
    totals = spending.path_totals(path, group, "default").set_index("year")["extra"]
    assert totals[2035] == pytest.approx(expected[group].sum())
    assert totals[2024] == 0


def test_entered_shares_are_the_twos(nato_table: pd.DataFrame) -> None:
    """Everywhere else NATO's share of real GDP is TABLE2 over TABLE5 to the last digit; the
    exceptions are Allies entered at exactly 2% whose ratio falls just short."""
    entered = spending.entered_shares(spending.series(nato_table, "defence_share_gdp"),
                                      spending.series(nato_table, "defence_expenditure",
                                                      "constant 2015"),
                                      spending.series(nato_table, "gdp", "constant 2015"))
    assert len(entered) >= 1
    assert (entered["published"] == 2.0).all() and (entered["computed"] < 2.0).all()
    assert ("SVK", 2024) in set(zip(entered["iso3"], entered["year"], strict=True))
    with pytest.raises(ValueError, match="price base"):
        spending.entered_shares(spending.series(nato_table, "defence_share_gdp"),
                                spending.series(nato_table, "defence_expenditure", "current"),
                                spending.series(nato_table, "gdp", "constant 2015"))


def test_turkiye_by_two_definitions_on_real_tables(nato_table: pd.DataFrame,
                                                   milex: pd.DataFrame) -> None:
    constant = spending.series(milex, "military_expenditure", "constant 2023")
    long = spending.two_definitions(
        spending.series(nato_table, "defence_share_gdp"),
        spending.series(nato_table, "defence_real_change"),
        spending.series(milex, "military_share_gdp"), constant, "TUR", 2014, 2024)
    gaps = spending.definition_gaps(long).set_index("year")
    assert list(gaps.index) == list(range(2014, 2025))
    tur = constant[constant["iso3"] == "TUR"].set_index("year")["value"]
    assert gaps.loc[2024, "growth_sipri"] == pytest.approx(100 * (tur[2024] / tur[2023] - 1))
    nato_share = nato_table[(nato_table["measure"] == "defence_share_gdp")
                            & (nato_table["iso3"] == "TUR")].set_index("year")["value"]
    assert gaps.loc[2019, "burden_nato"] == nato_share[2019]
    assert gaps["burden_gap"].equals(gaps["burden_sipri"] - gaps["burden_nato"])


def test_chapter_parameters_are_the_policy_values(root: Path) -> None:
    """The thresholds in params.yml are the ones the curated claims table cites (not data)."""
    from analysis.build import pipeline

    params = pipeline.load_params(root)["spending"]  # as the chapter receives them
    claims = curated.table("claims.csv")
    hague = claims[(claims["claim_id"] == "wales_2pct_hague_5pct")
                   & claims["claim_date"].str.startswith("2025")]["claim"].iloc[0]
    wales = claims[(claims["claim_id"] == "wales_2pct_hague_5pct")
                   & claims["claim_date"].str.startswith("2014")]["claim"].iloc[0]
    assert f"{params['wales_pct']:g}%" in wales
    assert f"{params['core_pct']:g}%" in hague and f"{params['total_pct']:g}%" in hague
    assert f"{params['total_pct'] - params['core_pct']:g}%" in hague
    assert str(params["target_year"]) in hague
