"""The forward view's calculations (analysis.calc.outlook): on small hand-made frames, where the
right answer is known by hand, and on the real registers (SIPRI's 2026 deal register, NATO's
2024 tables), where they must agree with the register's own rows."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import allocation, exports, outlook, spending
from analysis.data import countries
from analysis.data.readers import curated, nato, sipri_transfers, vocabulary

LAST = "2021-25"


# --- hand-made frames ----------------------------------------------------------------------

def _deal(recipient: str, designation: str, status: str, tiv_order: float, tiv_delivered: float,
          comments: str = "") -> dict[str, object]:
    return {"recipient": recipient, "designation": designation, "description": "armed drone",
            "status": status, "tiv_order": tiv_order, "tiv_delivered": tiv_delivered,
            "comments": comments}


def test_contract_values_read_as_sipri_writes_them() -> None:
    assert outlook.contract_values("EUR2.6 b deal; Incl production of components in Spain") == [
        ("EUR", 2600.0)]
    assert outlook.contract_values("RON4.3 b ($940 m) deal; incl 781 produced under licence") == [
        ("RON", 4300.0), ("USD", 940.0)]
    # a part of the deal named after the word 'deal' is not its value
    assert outlook.contract_values("EUR265 m deal (incl 223 m for ship and EUR45 m for armament)"
                                   ) == [("EUR", 265.0)]
    assert outlook.contract_values("EUR100 m 'NRE+' programme; delivery planned from 2028") == [
        ("EUR", 100.0)]
    # an amount that is not called a deal's value, or none at all
    assert outlook.contract_values("Aid; $5 m worth of spares") == []
    assert outlook.contract_values("Delivery planned 2025-2031") == []


def test_backlog_on_a_hand_made_table_is_a_lower_bound() -> None:
    table = pd.DataFrame([
        _deal("A", "X", exports.PARTLY, 100.0, 40.0, "$321 m deal"),
        _deal("A", "Y", exports.ORDERED, 0.0, 0.0, "EUR2.6 b deal"),  # not valued by SIPRI yet
        _deal("B", "Z", exports.ORDERED, 30.0, 0.0),  # no money given
        _deal("B", "W", exports.DELIVERED, 50.0, 50.0, "EUR1 b deal"),  # closed: not backlog
    ])
    open_table = outlook.open_deals(table)
    assert list(open_table["designation"]) == ["X", "Y", "Z"]
    assert open_table["undelivered_tiv"].tolist()[0] == 60.0
    assert pd.isna(open_table["undelivered_tiv"].tolist()[1])
    summary = outlook.backlog_summary(open_table)
    assert summary.tiv == 90.0
    assert summary.deals_with_tiv == 2
    assert list(summary.deals_without_tiv["designation"]) == ["Y"]
    assert summary.value_by_currency == {"EUR": 2600.0, "USD": 321.0}
    assert list(summary.deals_without_value["designation"]) == ["Z"]


def test_a_dollar_value_is_preferred_where_the_comment_gives_one() -> None:
    table = pd.DataFrame([_deal("A", "X", exports.PARTLY, 10.0, 1.0, "RON4.3 b ($940 m) deal")])
    row = outlook.open_deals(table).iloc[0]
    assert (row["value_currency"], row["value_million"]) == ("USD", 940.0)
    assert row["value_stated"] == "RON 4,300 million; USD 940 million"


def test_signed_after_keeps_later_export_events_only() -> None:
    timeline = pd.DataFrame({
        "date": ["2025-12-20", "2026-03", "2026-04-01", "2026-05-02"],
        "category": ["Export to European NATO ally", "Export to European NATO ally",
                     "EU SAFE", "Export to European NATO ally / engine dependency"],
        "event": ["a", "b", "c", "d"]})
    assert list(outlook.signed_after(timeline, 2025)["event"]) == ["b", "d"]


def test_timeline_money_reads_money_units_only() -> None:
    assert outlook.timeline_money("2.6", "EUR billion") == ("EUR", 2600.0)
    assert outlook.timeline_money("460", "USD million") == ("USD", 460.0)
    assert outlook.timeline_money("2.5", "USD billion (reported deal value)") == ("USD", 2500.0)
    assert outlook.timeline_money("6", "aircraft") is None
    assert outlook.timeline_money("", "EUR million") is None


def _suppliers() -> pd.DataFrame:
    rows = [("2016-20", "K", 100.0), ("2016-20", "T", 0.0), ("2016-20", "O", 900.0),
            ("2021-25", "K", 300.0), ("2021-25", "T", 20.0), ("2021-25", "O", 1680.0)]
    imports = pd.DataFrame(rows, columns=["window", "supplier", "tiv_delivered"])
    return exports.suppliers_of(imports, ["2016-20", LAST])


def test_benchmarks_share_growth_and_rank_by_hand() -> None:
    bench = outlook.benchmarks(_suppliers(), ["K", "T"], ["2016-20", LAST]).set_index(
        ["supplier", "window"])
    assert bench.loc[("K", LAST), "share_pct"] == pytest.approx(15.0)
    assert bench.loc[("K", LAST), "growth_pct"] == pytest.approx(200.0)
    assert bench.loc[("K", LAST), "rank"] == 2
    assert bench.loc[("T", LAST), "share_pct"] == pytest.approx(1.0)
    # growth from nothing is missing, not infinite; a supplier with nothing has no rank
    assert pd.isna(bench.loc[("T", LAST), "growth_pct"])
    assert pd.isna(bench.loc[("T", "2016-20"), "rank"])


def test_systems_behind_rank_a_supplier_s_designations() -> None:
    imports = pd.DataFrame({
        "window": [LAST] * 4, "supplier": ["K", "K", "K", "T"],
        "designation": ["K-9", "K-9", "K-2", "TB-2"],
        "description": ["self-propelled gun", "self-propelled gun", "tank", "armed drone"],
        "recipient": ["Poland", "Estonia", "Poland", "Poland"],
        "tiv_delivered": [30.0, 30.0, 40.0, 5.0]})
    top = outlook.systems_behind(imports, "K", LAST, 5)
    assert list(top["designation"]) == ["K-9", "K-2"]
    assert top.loc[0, "recipients"] == "Estonia, Poland"
    assert top["share_pct"].tolist() == pytest.approx([60.0, 40.0])


def test_category_shares_by_hand() -> None:
    imports = pd.DataFrame({
        "supplier": ["T", "T", "K", "K"], "category": ["Aircraft", "Armoured vehicles",
                                                       "Aircraft", "Armoured vehicles"],
        "tiv_delivered": [10.0, 30.0, 990.0, 70.0]})
    exported = pd.DataFrame({"supplier": ["T", "T", "T"],
                             "category": ["Aircraft", "Ships", "Armoured vehicles"],
                             "tiv_delivered": [50.0, 25.0, 25.0]})
    out = outlook.category_shares(imports, exported, "T",
                                  ["Aircraft", "Armoured vehicles", "Ships"]).set_index("category")
    assert out.loc["Armoured vehicles", "share_of_imports_pct"] == pytest.approx(30.0)
    assert out.loc["Aircraft", "share_of_imports_pct"] == pytest.approx(1.0)
    assert pd.isna(out.loc["Ships", "share_of_imports_pct"])  # the group imported no ships
    assert out.loc["Ships", "share_of_exports_pct"] == pytest.approx(25.0)
    assert outlook.largest_category(out.reset_index())["category"] == "Armoured vehicles"
    with pytest.raises(ValueError, match="armament category"):
        outlook.category_shares(imports.assign(category=None), exported, "T", ["Aircraft"])


def test_equipment_spending_and_the_bound_by_hand() -> None:
    spend = pd.DataFrame({"iso3": ["A", "B", "A", "B"], "year": [2023, 2023, 2024, 2024],
                          "value": [1000.0, 3000.0, 2000.0, 4000.0],
                          "is_estimate": [False, False, True, True]})
    share = pd.DataFrame({"iso3": ["A", "B", "A"], "year": [2023, 2023, 2024],
                          "value": [10.0, 30.0, 50.0]})
    members = pd.DataFrame({"iso3": ["A", "B", "A", "B"], "year": [2023, 2023, 2024, 2024]})
    eq = outlook.equipment_spending(spend, share, members).set_index("year")
    assert eq.loc[2023, "equipment_usd_million"] == pytest.approx(1000.0)
    assert eq.loc[2024, "equipment_usd_million"] == pytest.approx(1000.0)
    assert eq.loc[2024, "missing"] == 1 and eq.loc[2023, "missing"] == 0
    assert bool(eq.loc[2024, "is_estimate"]) and not bool(eq.loc[2023, "is_estimate"])
    usd = pd.DataFrame({"year": [2022, 2024], "usd_million": [5.0, 50.0]})
    bound = outlook.market_bound(eq.reset_index(), usd)
    assert bound["year"].tolist() == [2024]  # only years both series have
    assert bound["bound_pct"].iloc[0] == pytest.approx(5.0)


def test_beyond_nato_by_hand() -> None:
    recipients = pd.DataFrame({
        "window": [LAST] * 4,
        "recipient": ["Ukraine", "Pakistan", "Romania", "Kosovo"],
        "group": [exports.REST, exports.REST, exports.EUROPEAN_NATO, exports.REST],
        "tiv": [40.0, 40.0, 10.0, 10.0]})
    european = outlook.european_iso3(countries.to_iso3(recipients["recipient"]))
    assert european == {"UKR", "ROU", "XKX"}
    out = outlook.beyond_nato(recipients, european, "Ukraine", [LAST]).iloc[0]
    assert out["non_nato_europe_pct"] == pytest.approx(50.0)  # Ukraine and Kosovo, not Romania
    assert out["focus_pct"] == pytest.approx(40.0)


def test_european_states_follow_the_un_geoscheme_and_the_eu() -> None:
    found = outlook.european_iso3(["UKR", "GEO", "CYP", "TUR", "SRB", None])
    assert found == {"UKR", "CYP", "SRB"}  # Georgia and Türkiye are in Western Asia


def test_scenarios_by_hand() -> None:
    out = outlook.scenarios(latest_tiv=100.0, backlog_tiv=150.0, market_tiv=10_000.0,
                            recent_growth_pct=100.0, optimistic_growth_pct=300.0).set_index(
        "scenario")
    assert out.loc["backlog delivered", "share_pct"] == pytest.approx(1.5)
    assert out.loc["recent growth", "share_pct"] == pytest.approx(2.0)
    assert out.loc["optimistic growth", "share_pct"] == pytest.approx(4.0)
    grown = outlook.scenarios(latest_tiv=100.0, backlog_tiv=150.0, market_tiv=10_000.0,
                              recent_growth_pct=100.0, optimistic_growth_pct=300.0,
                              market_growth_pct=100.0)
    assert grown["share_pct"].max() == pytest.approx(2.0)
    with pytest.raises(ValueError, match="positive"):
        outlook.scenarios(latest_tiv=1.0, backlog_tiv=1.0, market_tiv=0.0,
                          recent_growth_pct=0.0, optimistic_growth_pct=0.0)


# --- the real registers --------------------------------------------------------------------

@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    return sipri_transfers.deals("2026-05-18")


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return curated.table("nato_members.csv")


@pytest.fixture(scope="module")
def imports(deals: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    spans = exports.windows(2006, 2025, 5)
    return exports.european_imports(allocation.allocate(deals), members, spans, 5)


def test_real_backlog_agrees_with_the_register_rows(deals: pd.DataFrame,
                                                    members: pd.DataFrame) -> None:
    table = exports.deals_with(deals, "Turkiye", members)
    open_table = outlook.open_deals(table)
    assert set(open_table["status"]) <= {exports.ORDERED, exports.PARTLY}
    # the open deals' undelivered TIV is the order TIV less the delivered TIV on the same rows
    valued = open_table[open_table["undelivered_tiv"].notna()]
    assert valued["undelivered_tiv"].sum() == pytest.approx(
        (valued["tiv_order"] - valued["tiv_delivered"]).sum())
    # Spain's Hürjet order (2025) is in the register, without a TIV yet, with SIPRI's EUR2.6 b
    hurjet = open_table[(open_table["recipient"] == "Spain")
                        & (open_table["designation"] == "Hurjet")].iloc[0]
    assert pd.isna(hurjet["undelivered_tiv"])
    assert (hurjet["value_currency"], hurjet["value_million"]) == ("EUR", 2600.0)
    summary = outlook.backlog_summary(open_table)
    assert summary.deals_with_tiv + len(summary.deals_without_tiv) == summary.deals
    assert summary.deals_with_value + len(summary.deals_without_value) == summary.deals
    # the known backlog is at least the largest open deal's remainder (Romania's Cobra II)
    assert summary.tiv >= valued["undelivered_tiv"].max() > 0


def test_real_benchmarks_reconcile_with_the_imports(imports: pd.DataFrame) -> None:
    order = ["2006-10", "2011-15", "2016-20", LAST]
    suppliers = exports.suppliers_of(imports, order)
    bench = outlook.benchmarks(suppliers, ["Turkiye", "South Korea", "Israel"], order)
    for name in ["Turkiye", "South Korea", "Israel"]:
        raw = imports[(imports["supplier"] == name) & (imports["window"] == LAST)][
            "tiv_delivered"].sum()
        row = bench[(bench["supplier"] == name) & (bench["window"] == LAST)].iloc[0]
        assert row["tiv"] == pytest.approx(raw)
    latest = bench[bench["window"] == LAST].set_index("supplier")
    # both benchmarks supply European allies far more than Türkiye in SIPRI's current window
    assert latest.loc["South Korea", "tiv"] > 5 * latest.loc["Turkiye", "tiv"]
    assert latest.loc["Israel", "tiv"] > 5 * latest.loc["Turkiye", "tiv"]
    top = outlook.systems_behind(imports, "South Korea", LAST, 3)
    assert "Poland" in top.loc[0, "recipients"]


def test_real_category_shares_add_up(imports: pd.DataFrame, deals: pd.DataFrame) -> None:
    vocab = vocabulary.vocabulary()
    window = imports[imports["window"] == LAST]
    window = window.assign(category=vocabulary.category_of(window["description"], vocab))
    spans = exports.windows(2021, 2025, 5)
    exported = exports.in_windows(allocation.allocate(deals), spans, 5)
    exported = exported.assign(category=vocabulary.category_of(exported["description"], vocab))
    shares = outlook.category_shares(window, exported, "Turkiye", vocabulary.CATEGORIES)
    assert set(shares["category"]) == set(vocabulary.CATEGORIES)
    assert shares["imports_tiv"].sum() == pytest.approx(window["tiv_delivered"].sum())
    assert shares["from_supplier_tiv"].sum() == pytest.approx(
        window.loc[window["supplier"] == "Turkiye", "tiv_delivered"].sum())
    assert shares["share_of_exports_pct"].sum() == pytest.approx(100.0)
    best = outlook.largest_category(shares)
    overall = (window.loc[window["supplier"] == "Turkiye", "tiv_delivered"].sum()
               / window["tiv_delivered"].sum() * 100)
    assert best["share_of_imports_pct"] > overall  # a category share above the overall share


def test_the_vocabulary_categories_match_sipri_s_own_on_the_deliveries_register() -> None:
    register = sipri_transfers.deliveries("2026-02-12")
    vocab = vocabulary.vocabulary()
    mapped = vocabulary.category_of(register["description"], vocab)
    basis = register["description"].map(vocabulary.category_basis(vocab))
    from_sipri = basis.str.startswith("SIPRI")
    assert from_sipri.mean() > 0.5
    # where the vocabulary says a category is SIPRI's, it is the one SIPRI's register gives
    assert (mapped[from_sipri] == register.loc[from_sipri, "category"]).all()


def test_real_market_bound(members: pd.DataFrame) -> None:
    table = nato.table("2024-06-17")
    spend = spending.series(table, "defence_expenditure", "current")
    share = spending.series(table, "equipment_share")
    allies = spending.ally_years(members, range(2014, 2025))
    allies = allies[allies["region"] == "Europe"]
    eq = outlook.equipment_spending(spend, share, allies).set_index("year")
    one = spend[(spend["year"] == 2024) & spend["iso3"].isin(allies.loc[allies["year"] == 2024,
                                                                       "iso3"])]
    assert 0 < eq.loc[2024, "equipment_usd_million"] < one["value"].sum()
    usd = exports.usd_series(curated.table(exports.USD_FILE))
    bound = outlook.market_bound(eq.reset_index(),
                                 usd[usd["series"] == exports.USD_SERIES["SSB"]])
    assert (bound["bound_pct"] > 0).all() and (bound["bound_pct"] < 100).all()
