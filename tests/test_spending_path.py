"""The path to 2035 in money a reader recognises: the latest year's prices from NATO's own GDP
tables (current over constant), the variant to the total, and the rows a reader's what-if
recomputes from; on small hand-made frames (exact answers) and on NATO's real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import spending
from analysis.data import countries
from analysis.data.readers import curated, nato

NATO_VINTAGE = "2024-06-17"


def _series(rows: list[tuple[str, int, float]], price_base: str = "constant 2015") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return frame.assign(country=frame["iso3"], is_estimate=False, unit="x", price_base=price_base)


@pytest.fixture(scope="module")
def nato_table() -> pd.DataFrame:
    return nato.table(NATO_VINTAGE)


# --------------------------------------------------------------------------- hand-made frames


def test_price_factors_are_current_over_constant_gdp() -> None:
    cur = _series([("AAA", 2024, 1200.0), ("BBB", 2024, 400.0), ("AAA", 2023, 1.0)],
                  price_base="current")
    con = _series([("AAA", 2024, 1000.0), ("BBB", 2024, 500.0), ("CCC", 2024, 9.0)])
    f = spending.price_factors(cur, con, 2024)
    assert f.to_dict() == {"AAA": pytest.approx(1.2), "BBB": pytest.approx(0.8)}  # CCC: no current
    assert f.attrs["price_base"] == "2024 prices"
    with pytest.raises(ValueError, match="current-price"):
        spending.price_factors(con, con, 2024)
    with pytest.raises(ValueError, match="constant-price"):
        spending.price_factors(cur, cur, 2024)
    with pytest.raises(ValueError, match="no country"):
        spending.price_factors(cur, con, 2030)


def test_a_path_in_the_latest_prices_is_each_allys_own_factor_times_its_path() -> None:
    share = _series([("AAA", 2024, 2.0), ("BBB", 2024, 1.0)])
    gdp = _series([("AAA", 2024, 1000.0), ("BBB", 2024, 500.0)])
    path = spending.path_to_target(share, gdp, latest_year=2024, target_year=2026, target_pct=3.0,
                                   growth_pct=0.0)
    factors = pd.Series({"AAA": 1.5, "BBB": 2.0}, name="factor")
    factors.attrs["price_base"] = "2024 prices"
    moved = spending.in_prices_of(path, factors).set_index(["iso3", "year"])
    # AAA: 1 point of 1000 in 2026 = 10, times 1.5; BBB: 2 points of 500 = 10, times 2
    assert moved.loc[("AAA", 2026), "extra"] == pytest.approx(15.0)
    assert moved.loc[("BBB", 2026), "extra"] == pytest.approx(20.0)
    assert moved.loc[("BBB", 2024), "gdp"] == pytest.approx(1000.0)
    assert (moved["path_share_pct"] == path.set_index(["iso3", "year"])["path_share_pct"]).all()
    assert moved.attrs["price_base"] == "2024 prices"
    assert spending.path_extra_total(moved.reset_index(), ["AAA", "BBB"], 2025, 2026) == \
        pytest.approx(7.5 + 10 + 15 + 20)
    with pytest.raises(ValueError, match="BBB"):
        spending.in_prices_of(path, factors.drop("BBB"))
    with pytest.raises(ValueError, match="CCC"):
        spending.path_extra_total(path, ["AAA", "CCC"], 2025, 2026)


def test_the_total_variant_is_the_same_line_to_the_higher_share() -> None:
    """The 5% variant: an Ally above 3.5% still pays its way to 5%; one below pays more."""
    share = _series([("AAA", 2024, 4.0), ("BBB", 2024, 2.0)])
    gdp = _series([("AAA", 2024, 100.0), ("BBB", 2024, 100.0)])
    core = spending.path_to_target(share, gdp, latest_year=2024, target_year=2034, target_pct=3.5,
                                   growth_pct=0.0).set_index(["iso3", "year"])
    total = spending.path_to_target(share, gdp, latest_year=2024, target_year=2034, target_pct=5.0,
                                    growth_pct=0.0).set_index(["iso3", "year"])
    assert core.loc[("AAA", 2034), "extra"] == 0.0
    assert total.loc[("AAA", 2034), "extra"] == pytest.approx(1.0)
    assert total.loc[("BBB", 2034), "extra"] == pytest.approx(3.0)
    assert core.loc[("BBB", 2034), "extra"] == pytest.approx(1.5)


def test_whatif_rows_put_every_country_in_one_group() -> None:
    share = _series([("AAA", 2024, 2.0), ("BBB", 2024, 1.0), ("AAA", 2023, 9.0)])
    gdp = _series([("AAA", 2024, 1000.0), ("BBB", 2024, 500.0)], price_base="current")
    rows = spending.whatif_rows(share, gdp, latest_year=2024, groups={"one": ["AAA"], "two": ["BBB"]})
    assert rows.to_dict("records") == [
        {"iso3": "AAA", "country": "AAA", "group": "one", "latest_share_pct": 2.0, "gdp_latest": 1000.0},
        {"iso3": "BBB", "country": "BBB", "group": "two", "latest_share_pct": 1.0, "gdp_latest": 500.0}]
    with pytest.raises(ValueError, match="two groups"):
        spending.whatif_rows(share, gdp, latest_year=2024, groups={"one": ["AAA"], "two": ["AAA"]})
    with pytest.raises(ValueError, match="BBB is in no group"):
        spending.whatif_rows(share, gdp, latest_year=2024, groups={"one": ["AAA"]})


# --------------------------------------------------------------------------- NATO's tables


def test_latest_prices_reproduce_natos_current_spending(nato_table: pd.DataFrame) -> None:
    """In the latest year, the path's spending at the latest prices is NATO's own current-price
    defence expenditure: except where NATO entered the share (Slovakia at 2.00) and where NATO
    deflates defence spending with its own index rather than GDP's (the Netherlands and the
    United States, whose current over constant spending differs from their GDP's)."""
    share = spending.series(nato_table, "defence_share_gdp")
    gdp_k = spending.series(nato_table, "gdp", "constant 2015")
    gdp_c = spending.series(nato_table, "gdp", "current")
    spend_c = spending.series(nato_table, "defence_expenditure", "current")
    latest = int(share["year"].max())
    factors = spending.price_factors(gdp_c, gdp_k, latest)
    assert set(factors.index) >= set(share["iso3"])
    path = spending.path_to_target(share, gdp_k, latest_year=latest, target_year=2035,
                                   target_pct=3.5, growth_pct=1.0)
    moved = spending.in_prices_of(path, factors)
    start = moved[moved["year"] == latest].set_index("iso3")
    own = spend_c[spend_c["year"] == latest].set_index("iso3")["value"].reindex(start.index)
    off = (start["spending"] / own - 1).abs()
    assert set(off[off > 1e-9].index) == {"NLD", "SVK", "USA"}
    # and the latest GDP at the latest prices is NATO's current-price GDP, every Ally
    cur = gdp_c[gdp_c["year"] == latest].set_index("iso3")["value"].reindex(start.index)
    assert ((start["gdp"] / cur - 1).abs() < 1e-12).all()
    # Türkiye's lira fell against the dollar faster than its prices rose: below 1
    assert factors["TUR"] < 1 < factors["POL"]


def test_the_variant_costs_more_than_the_core_path_for_every_ally(nato_table: pd.DataFrame) -> None:
    share = spending.series(nato_table, "defence_share_gdp")
    gdp_k = spending.series(nato_table, "gdp", "constant 2015")
    latest = int(share["year"].max())
    members = curated.table("nato_members.csv")
    allies = [i for i in countries.members_in(members, latest) if i in set(share["iso3"])]
    core = spending.path_to_target(share, gdp_k, latest_year=latest, target_year=2035,
                                   target_pct=3.5, growth_pct=1.0)
    total = spending.path_to_target(share, gdp_k, latest_year=latest, target_year=2035,
                                    target_pct=5.0, growth_pct=1.0)
    c = core[core["year"] == 2035].set_index("iso3")["extra"]
    t = total[total["year"] == 2035].set_index("iso3")["extra"]
    assert (t[allies] > c[allies]).all()
    # no Ally was at 5% in NATO's latest year, so every one pays something in the variant
    assert (t[allies] > 0).all()
