"""Ally profiles' calculations on the real data: each measure is the chapters' function cut to one
Ally, so a profile's number equals the chapter's number for the same Ally."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import exports, profiles, spending
from analysis.data.readers import curated, nato, sipri_milex, sipri_transfers

NATO_VINTAGE = "2024-06-17"
MILEX_VINTAGE = "2025-04-28"
DELIVERIES_VINTAGE = "2026-02-12"  # SIPRI's 2025 edition: exact yearly values
DEALS_VINTAGE = "2026-05-18"  # SIPRI's 2026 edition: the newest deal register
LENGTH = 5


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return {
        "members": curated.table("nato_members.csv"),
        "timeline": curated.table("constraints_and_europe_timeline.csv"),
        "nato": nato.table(NATO_VINTAGE),
        "milex": sipri_milex.table(MILEX_VINTAGE),
        "register": sipri_transfers.deliveries(DELIVERIES_VINTAGE),
        "deals": sipri_transfers.deals(DEALS_VINTAGE),
    }


@pytest.fixture(scope="module")
def spans() -> list[tuple[int, int]]:
    return exports.windows(1995, 2024, LENGTH)


def _order(spans: list[tuple[int, int]]) -> list[str]:
    return [exports.window_label(s, LENGTH) for s, _ in spans]


def test_every_ally_has_names_and_a_sipri_spelling(data: dict[str, pd.DataFrame]) -> None:
    for row in data["members"].itertuples():
        assert profiles.name_pattern(row.country, row.iso3).search(row.country)
        assert countries_match(profiles.sipri_name(data["register"], row.iso3), row.iso3)


def countries_match(name: str, iso3: str) -> bool:
    from analysis.data import countries

    return countries.to_iso3([name]) == [iso3]


def test_names_match_whole_words_only() -> None:
    us = profiles.name_pattern("United States", "USA")
    assert us.search("US State Dept approves")
    assert not us.search("about 2.6 bn USD") and not us.search("a USD billion deal")
    assert not profiles.name_pattern("Italy", "ITA").search("Italyan")
    with pytest.raises(KeyError, match="OTHER_NAMES"):
        profiles.name_pattern("Atlantis", "ATL")


def test_shares_start_at_accession_by_each_definition(data: dict[str, pd.DataFrame]) -> None:
    nato_share = spending.series(data["nato"], "defence_share_gdp")
    sipri_share = spending.series(data["milex"], "military_share_gdp")
    fin = profiles.shares_by_definition(nato_share, sipri_share, "FIN", 2023, 2024)
    assert fin.groupby("definition")["year"].min().to_dict() == {
        spending.NATO_DEFINITION: 2023, spending.SIPRI_DEFINITION: 2023}
    pol = profiles.shares_by_definition(nato_share, sipri_share, "POL", 1999, 2024)
    first = pol.groupby("definition")["year"].min()
    assert first[spending.SIPRI_DEFINITION] == 1999  # SIPRI from accession
    assert first[spending.NATO_DEFINITION] == int(nato_share["year"].min())  # NATO's edition starts later
    nato_2024 = nato_share[(nato_share["iso3"] == "POL") & (nato_share["year"] == 2024)]["value"]
    by_def = pol[pol["year"] == 2024].set_index("definition")["share_pct"]
    assert by_def[spending.NATO_DEFINITION] == float(nato_2024.iloc[0])
    assert by_def[spending.NATO_DEFINITION] != by_def[spending.SIPRI_DEFINITION]  # never merged


def test_rank_in_latest_year(data: dict[str, pd.DataFrame]) -> None:
    shares = spending.shares_of_gdp(spending.series(data["nato"], "defence_share_gdp"),
                                    data["members"])
    latest = int(shares["year"].max())
    rank, of = profiles.rank_in_year(shares, "POL", latest)
    top = shares[(shares["year"] == latest) & shares["is_member"]].nlargest(1, "share_pct")
    assert top["iso3"].iloc[0] == "POL" and rank == 1
    assert of == spending.count_at_or_above(shares, latest, 0.0)[1]
    ranks = [profiles.rank_in_year(shares, i, latest)[0] for i in data["members"]["iso3"]]
    known = sorted(r for r in ranks if r is not None)
    assert len(known) == of and known[0] == 1 and known[-1] <= of
    assert profiles.rank_in_year(shares, "ISL", latest) == (None, of)  # no armed forces, no figure


def test_path_row_is_the_chapter_path(data: dict[str, pd.DataFrame]) -> None:
    path = profiles.path_to_core(data["nato"], data["members"], latest_year=2024, target_year=2035,
                                 core_pct=3.5, growth_years=10, group_regions=["Europe"],
                                 group_extra=["CAN"])
    assert path.price_base.startswith("constant")
    pol, tur = profiles.path_row(path, "POL"), profiles.path_row(path, "TUR")
    assert pol["gap_pp"] == 0 and pol["extra_in_target_year"] == 0  # Poland is above 3.5%
    assert tur["gap_pp"] > 0 and tur["extra_in_target_year"] > tur["mean_extra_per_year"] > 0
    # the straight line: in the target year the extra is the gap times that year's GDP
    last = path.path[(path.path["iso3"] == "TUR") & (path.path["year"] == 2035)].iloc[0]
    assert last["extra"] == pytest.approx(tur["gap_pp"] * last["gdp"] / 100)
    assert profiles.path_row(path, "ISL") is None


def test_poland_imports_match_the_exports_chapter(data: dict[str, pd.DataFrame],
                                                  spans: list[tuple[int, int]]) -> None:
    order = _order(spans)
    by_supplier = profiles.imports_by_supplier(data["register"], "Poland", spans, LENGTH)
    summary = profiles.supplier_summary(by_supplier, order, data["members"], turkey="Turkiye",
                                        recipient_iso3="POL").set_index("window")
    # the exports chapter's table of European allies' purchases, Poland's row
    imports = exports.european_imports(data["register"], data["members"], spans, LENGTH,
                                       exclude_recipients=["TUR"])
    chapter = exports.ally_purchases(imports, data["members"], order[-1], "Turkiye",
                                     exclude=["TUR"]).set_index("iso3").loc["POL"]
    latest = summary.loc[order[-1]]
    assert latest["imports_tiv"] == pytest.approx(chapter["imports_tiv"])
    assert latest["turkey_tiv"] > 0
    assert latest["turkey_tiv"] == pytest.approx(chapter["from_supplier_tiv"])
    assert latest["turkey_share_pct"] == pytest.approx(chapter["share_pct"])
    assert latest["turkey_rank"] >= 1 and latest["top_supplier"] == profiles.UNITED_STATES
    parts = latest[["us_share_pct", "europe_share_pct", "korea_share_pct", "turkey_share_pct"]]
    # what the four groups leave is exactly the other suppliers' part
    european = set(data["members"].loc[data["members"]["region"] == "Europe", "country"])
    rows = by_supplier[by_supplier["window"] == order[-1]]
    others = rows[~rows["supplier"].isin([profiles.UNITED_STATES, profiles.SOUTH_KOREA, "Turkiye",
                                          *european])]
    assert 0 < others["share_pct"].sum() == pytest.approx(100 - parts.sum())
    # a window without Turkish deliveries gives Türkiye no rank
    none = summary[summary["turkey_tiv"] == 0]
    assert len(none) > 0 and none["turkey_rank"].isna().all()


def test_poland_tb2_deliveries_and_event(data: dict[str, pd.DataFrame]) -> None:
    deals = profiles.deals_between(data["deals"], supplier="Turkiye", recipient="Poland")
    tb2 = deals[deals["designation"].str.contains("TB-2")]
    assert len(tb2) == 1
    assert tb2["number_delivered"].iloc[0] == tb2["number_ordered"].iloc[0] > 0
    assert tb2["status"].iloc[0] == exports.DELIVERED
    events = profiles.events_naming(data["timeline"], "Poland", "POL")
    assert events["event"].str.contains("TB2").any()
    assert not profiles.events_naming(data["timeline"], "Iceland", "ISL")["event"].str.contains(
        "TB2").any()


def test_turkiye_as_a_buyer(data: dict[str, pd.DataFrame], spans: list[tuple[int, int]]) -> None:
    bought = profiles.deals_between(data["deals"], recipient="Turkiye")
    typhoons = bought[bought["designation"].str.contains("Eurofighter")]
    assert "United Kingdom" in set(typhoons["supplier"]) and typhoons["order_year"].max() >= 2025
    by_supplier = profiles.imports_by_supplier(data["register"], "Turkiye", spans, LENGTH)
    summary = profiles.supplier_summary(by_supplier, _order(spans), data["members"],
                                        turkey="Turkiye", recipient_iso3="TUR")
    assert (summary["turkey_tiv"] == 0).all()  # never its own supplier
    assert (summary["us_share_pct"] > 0).all()


def test_rules_naming_an_ally_by_actor_or_statement() -> None:
    rules = curated.table("eu_defence_rules.csv")
    greek = profiles.rules_naming(rules, "Greece", "GRC")
    ids = set(greek["rule_id"])
    # named as the actor (the unanimity rule names no country in its statement), in the
    # statement (the loan ceiling of the Council's decision), or both
    assert {"safe_unanimity", "safe_loan_el", "greece_condition", "greece_veto"} <= ids
    assert "safe_legal_act" not in ids and list(greek["date"]) == sorted(greek["date"])
    entries = profiles.events_and_positions(
        profiles.events_naming(curated.table("constraints_and_europe_timeline.csv"),
                               "Greece", "GRC"), greek)
    assert list(entries.columns) == profiles.ENTRY_COLUMNS
    assert list(entries["date"]) == sorted(entries["date"])
    veto = entries[entries["event"].str.startswith("Greece (Foreign Ministry spokesperson): "
                                                   "Greece will never allow")]
    assert veto["category"].tolist() == ["SAFE (member-state position)"]
    assert veto["source_grade"].tolist() == ["weak"]
