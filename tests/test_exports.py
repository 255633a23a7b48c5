"""Exports analysis and the SIPRI deals reader, on the real registers and on small hand-made\nframes: the reconciliations the chapter relies on are asserted here on the real data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.calc import exports
from analysis.data.errors import DataError
from analysis.data.readers import curated, sipri_transfers
from analysis.data.sources import physical


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return sipri_transfers.deliveries("2026-02-12")


def test_yearly_tiv_matches_the_sidecar_and_fills_gaps(register: pd.DataFrame) -> None:
    yearly = exports.yearly_tiv(register, "Turkiye", 1995, 2024)
    assert list(yearly["year"]) == list(range(1995, 2025))
    # the sidecar of the 2022 vintage cites 482 for 2021 in the 2025 edition
    assert round(float(yearly.set_index("year").loc[2021, "tiv"])) == 482
    assert (yearly["tiv"] >= 0).all()


def test_window_totals_reconcile_with_the_yearly_series(register: pd.DataFrame) -> None:
    yearly = exports.yearly_tiv(register, "Turkiye", 1995, 2024)
    by_window = exports.window_totals(yearly, 5)
    assert list(by_window["window"]) == ["1995-99", "2000-04", "2005-09", "2010-14", "2015-19",
                                         "2020-24"]
    assert by_window["tiv"].sum() == pytest.approx(yearly["tiv"].sum())
    raw = register[(register["supplier"] == "Turkiye")
                   & register["delivery_year"].between(2020, 2024)]["tiv_delivered"].sum()
    assert by_window.set_index("window").loc["2020-24", "tiv"] == pytest.approx(raw)


def test_windows_on_a_hand_made_series() -> None:
    yearly = pd.DataFrame({"year": range(2013, 2025), "tiv": [1.0] * 2 + [2.0] * 5 + [4.0] * 5})
    out = exports.window_totals(yearly, 5)
    # only whole windows ending at the last year; 2013-14 is left out
    assert out[["window", "tiv"]].values.tolist() == [["2015-19", 10.0], ["2020-24", 20.0]]
    assert out["change_pct"].iloc[1] == pytest.approx(100.0)
    assert pd.isna(out["change_pct"].iloc[0])


def test_change_from_zero_is_missing_not_infinite() -> None:
    yearly = pd.DataFrame({"year": range(2015, 2025), "tiv": [0.0] * 5 + [3.0] * 5})
    out = exports.window_totals(yearly, 5)
    assert pd.isna(out["change_pct"].iloc[1])


def test_window_label_crosses_a_century() -> None:
    assert exports.window_label(1998, 5) == "1998-2002"
    assert exports.window_label(2020, 5) == "2020-24"


# --- the deals register ------------------------------------------------------------------

DEALS = "data/raw/sipri-arms-transfers/2025-03-13/trade-register-deals.csv"


@pytest.fixture(scope="module")
def deals() -> pd.DataFrame:
    return sipri_transfers.deals("2025-03-13")


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return curated.table("nato_members.csv")


def test_deals_register_parses_as_the_sidecar_describes(deals: pd.DataFrame) -> None:
    # 29,519 lines after the header, four deals split over two lines by a line break in a comment
    assert len(deals) == 29519 - 4
    turkiye = deals[deals["supplier"] == "Turkiye"]
    assert len(turkiye) == 244  # as the sidecar says
    assert (turkiye["delivery_years"] == "").sum() == 37  # "37 of them not yet delivered"
    # a split deal is one row, indexed by its first line, with its numbers in place
    split = deals.loc[25178]
    assert split["recipient"] == "Thailand" and split["designation"] == "BTR-3"
    assert split["comments"].endswith("redesign for other engines")
    assert (split["tiv_per_unit"], split["tiv_order"], split["tiv_delivered"]) == (0.25, 3.5, 3.25)
    # latin-1 names decode: 'Logístico' in the Portuguese ship's comment
    portugal = turkiye[turkiye["recipient"] == "Portugal"].iloc[0]
    assert "Logístico" in portugal["comments"]
    assert set(deals["order_year_is_uncertain"]) == {"?", ""}


def _deals_lines(root: Path) -> list[str]:
    return physical(DEALS).read_bytes().decode("latin-1").split("\n")


def _deals_error(tmp_path: Path, lines: list[str], encoding: str = "latin-1") -> str:
    bad = tmp_path / "trade-register-deals.csv"
    bad.write_bytes("\n".join(lines).encode(encoding))
    with pytest.raises(DataError) as err:
        sipri_transfers.parse_deals(bad)
    return str(err.value)


def test_deals_register_errors_name_line_column_and_rule(root: Path, tmp_path: Path) -> None:
    lines = _deals_lines(root)
    assert lines[12].startswith("Afghanistan,Brazil,2017,,6,,EMB-314")
    cut = lines.copy()
    cut[12] = cut[12].rsplit(",", 2)[0]  # two fields lost
    assert "line 13" in (msg := _deals_error(tmp_path, cut)) and "field-count" in msg
    text = lines.copy()
    text[12] = text[12].replace(",2017,,6,", ",2017,,six,", 1)
    msg = _deals_error(tmp_path, text)
    assert "line 13, column 'number_ordered'" in msg and "'six'" in msg
    more = lines.copy()
    more[12] = more[12].replace(",2017,,6,,EMB-314 Super Tucano,trainer/combat aircraft,6,",
                                ",2017,,6,,EMB-314 Super Tucano,trainer/combat aircraft,9,", 1)
    msg = _deals_error(tmp_path, more)
    assert "line 13, column 'number_delivered'" in msg and "not-more-than-ordered" in msg
    renamed = lines.copy()
    renamed[11] = renamed[11].replace("Year of order", "Order year", 1)
    msg = _deals_error(tmp_path, renamed)
    assert "line 12, column 'Year of order'" in msg and "columns" in msg
    # a copy re-saved as UTF-8 would garble every accented name: refused
    msg = _deals_error(tmp_path, lines, encoding="utf-8")
    assert "rule: encoding" in msg and "latin-1" in msg


def test_deals_register_is_registered_for_validation() -> None:
    from analysis.data.readers import registry

    assert registry.parser_for("sipri-arms-transfers", "trade-register-deals.csv") is (
        sipri_transfers.parse_deals)


# --- rank and share among exporters ------------------------------------------------------

SPANS = exports.windows(1995, 2024, 5)
ORDER = [exports.window_label(s, 5) for s, _ in SPANS]


def test_exporter_shares_and_ranks_are_computed_from_the_register(register: pd.DataFrame) -> None:
    table = exports.exporters_by_window(register, SPANS, 5)
    for window, (start, end) in zip(ORDER, SPANS, strict=True):
        rows = table[table["window"] == window]
        assert rows["share_pct"].sum() == pytest.approx(100.0)
        in_window = register[register["delivery_year"].between(start, end)]
        assert rows["tiv"].sum() == pytest.approx(in_window["tiv_delivered"].sum())
    standing = exports.supplier_standing(table, "Turkiye").set_index("window")
    latest = register[register["delivery_year"].between(2020, 2024)].groupby("supplier")[
        "tiv_delivered"].sum()
    assert standing.loc["2020-24", "rank"] == (latest > latest["Turkiye"]).sum() + 1
    assert standing.loc["2020-24", "tiv"] == pytest.approx(latest["Turkiye"])
    assert standing.loc["2020-24", "share_pct"] == pytest.approx(
        latest["Turkiye"] / latest.sum() * 100)
    # the side-facts table quotes SIPRI: 11th largest exporter, 1.6-1.7 % of world exports
    assert standing.loc["2020-24", "rank"] == 11
    top = exports.top_exporters(table, "2020-24", 5, "Turkiye")
    assert list(top["supplier"])[:5] == list(latest.sort_values(ascending=False).index[:5])
    assert list(top["supplier"])[-1] == "Turkiye" and len(top) == 6


# --- customers and NATO groups -----------------------------------------------------------

def test_recipients_and_groups_reconcile_with_the_yearly_series(
        register: pd.DataFrame, members: pd.DataFrame) -> None:
    yearly = exports.yearly_tiv(register, "Turkiye", 1995, 2024)
    by_window = exports.window_totals(yearly, 5).set_index("window")["tiv"]
    recipients = exports.recipients_by_window(register, "Turkiye", members, SPANS, 5)
    groups = exports.group_shares(recipients, ORDER)
    assert recipients.groupby("window")["tiv"].sum().reindex(ORDER).to_numpy() == pytest.approx(
        by_window.reindex(ORDER).to_numpy())
    assert groups.groupby("window")["tiv"].sum().reindex(ORDER).to_numpy() == pytest.approx(
        by_window.reindex(ORDER).to_numpy())
    assert yearly["tiv"].sum() == pytest.approx(by_window.sum())
    wide = exports.recipient_table(recipients, ORDER)
    assert wide[ORDER].sum().to_numpy() == pytest.approx(by_window.reindex(ORDER).to_numpy())
    assert list(groups.groupby("window")["share_pct"].sum()) == pytest.approx([100.0] * len(ORDER))
    latest = recipients[recipients["window"] == "2020-24"]
    allies = set(latest.loc[latest["group"] == exports.EUROPEAN_NATO, "recipient"])
    assert allies == {"Poland", "Romania", "Hungary", "Albania"}
    eu = groups[(groups["window"] == "2020-24") & (groups["group"] == exports.EUROPEAN_NATO)]
    raw = register[(register["supplier"] == "Turkiye")
                   & register["recipient"].isin(sorted(allies))
                   & register["delivery_year"].between(2020, 2024)]["tiv_delivered"].sum()
    assert float(eu["tiv"].iloc[0]) == pytest.approx(raw)


def test_an_ally_counts_from_its_accession_year(members: pd.DataFrame) -> None:
    frame = pd.DataFrame({
        "recipient": ["North Macedonia", "North Macedonia", "Finland", "Finland", "Sweden",
                      "Canada", "NATO**", "Turkiye", "Syria rebels*"],
        "delivery_year": [2016, 2020, 2022, 2023, 2023, 2001, 2020, 2020, 2020],
    })
    assert list(exports.alliance_group(frame, members)) == [
        exports.REST, exports.EUROPEAN_NATO, exports.REST, exports.EUROPEAN_NATO, exports.REST,
        exports.OTHER_NATO, exports.REST, exports.EUROPEAN_NATO, exports.REST]


def test_the_real_register_counts_finland_only_from_2023(register: pd.DataFrame,
                                                         members: pd.DataFrame) -> None:
    imports = exports.european_imports(register, members, SPANS, 5)
    finland = imports[(imports["recipient"] == "Finland") & (imports["window"] == "2020-24")]
    assert len(finland) > 0 and finland["delivery_year"].min() >= 2023
    assert register[(register["recipient"] == "Finland")
                    & register["delivery_year"].between(2020, 2022)]["tiv_delivered"].sum() > 0


# --- Europe's suppliers ------------------------------------------------------------------

def test_europes_suppliers_reconcile_and_leave_turkiye_out(register: pd.DataFrame,
                                                           members: pd.DataFrame) -> None:
    imports = exports.european_imports(register, members, SPANS, 5, exclude_recipients=["TUR"])
    assert "Turkiye" not in set(imports["recipient"])
    suppliers = exports.suppliers_of(imports, ORDER)
    named = ["Turkiye", "United States", "France", "Germany", "South Korea", "Israel"]
    compared = exports.compare_suppliers(suppliers, named, ["2015-19", "2020-24"])
    for window in ("2015-19", "2020-24"):
        rows = compared[compared["window"] == window]
        total = imports.loc[imports["window"] == window, "tiv_delivered"].sum()
        assert rows["tiv"].sum() == pytest.approx(total)
        assert rows["share_pct"].sum() == pytest.approx(100.0)
    share = compared.set_index(["window", "supplier"])["share_pct"]
    tr_latest = imports[(imports["window"] == "2020-24") & (imports["supplier"] == "Turkiye")]
    total_latest = imports.loc[imports["window"] == "2020-24", "tiv_delivered"].sum()
    assert share[("2020-24", "Turkiye")] == pytest.approx(
        tr_latest["tiv_delivered"].sum() / total_latest * 100)
    assert 0 < share[("2020-24", "Turkiye")] < 1  # under one per cent of what the allies import
    assert share[("2015-19", "Turkiye")] == 0  # nothing delivered to an ally in 2015-19
    assert share[("2020-24", "United States")] > 50
    allies = exports.ally_purchases(imports, members, "2020-24", "Turkiye", exclude=["TUR"])
    assert len(allies) == len(members[members["region"] == "Europe"]) - 1
    assert allies["imports_tiv"].sum() == pytest.approx(total_latest)
    assert set(allies.loc[allies["from_supplier_tiv"] > 0, "ally"]) == {
        "Poland", "Romania", "Hungary", "Albania"}


# --- deals and orders --------------------------------------------------------------------

def test_deals_with_european_allies_hold_the_known_orders(deals: pd.DataFrame,
                                                          members: pd.DataFrame,
                                                          register: pd.DataFrame) -> None:
    table = exports.deals_with(deals, "Turkiye", members, exclude=["TUR"])
    systems = set(zip(table["recipient"], table["designation"], strict=True))
    for expected in [("Poland", "Bayraktar TB2"), ("Croatia", "Bayraktar TB2"),
                     ("Portugal", "STM-11000"), ("Romania", "Cobra-2"), ("Estonia", "ARMA"),
                     ("Estonia", "NMS")]:
        assert expected in systems
    status = table.set_index(["recipient", "designation", "order_year"])["status"]
    assert status[("Poland", "Bayraktar TB2", 2021)] == exports.DELIVERED
    assert status[("Croatia", "Bayraktar TB2", 2024)] == exports.ORDERED
    assert status[("Romania", "Bayraktar TB2", 2023)] == exports.PARTLY
    # the 2025-03 deals register and the 2026-02 deliveries register agree on what Poland got
    poland = table[(table["recipient"] == "Poland")]["tiv_delivered"].sum()
    assert poland == pytest.approx(register[(register["supplier"] == "Turkiye")
                                            & (register["recipient"] == "Poland")
                                            ]["tiv_delivered"].sum())
    backlog = exports.undelivered_tiv(table)
    known = table[table["tiv_order"].notna()]
    assert backlog == pytest.approx((known["tiv_order"] - known["tiv_delivered"]).sum())


def test_the_two_vintages_agree_on_turkiyes_deliveries(deals: pd.DataFrame,
                                                       register: pd.DataFrame) -> None:
    from_deals, straddling = exports.deals_delivered_tiv(deals, "Turkiye", 1995, 2024)
    assert straddling == 0
    assert from_deals == pytest.approx(register.loc[register["supplier"] == "Turkiye",
                                                    "tiv_delivered"].sum())


def test_delivery_status_rules() -> None:
    assert exports.delivery_status(10, 10) == exports.DELIVERED
    assert exports.delivery_status(10, 4) == exports.PARTLY
    assert exports.delivery_status(10, 0) == exports.ORDERED
    assert exports.delivery_status(float("nan"), 0) == exports.ORDERED
    assert exports.delivery_status(float("nan"), 3) == exports.DELIVERED_NUMBER_UNKNOWN


# --- lumpiness ---------------------------------------------------------------------------

def test_largest_deal_and_swing_on_the_register(register: pd.DataFrame) -> None:
    deal = exports.largest_deal(register, "Turkiye", 2020, 2024)
    rows = register[(register["supplier"] == "Turkiye")
                    & register["delivery_year"].between(2020, 2024)]
    per_deal = rows.groupby("deal_id")["tiv_delivered"].sum()
    assert deal["tiv_delivered"] == pytest.approx(per_deal.max())
    assert deal["share_pct"] == pytest.approx(per_deal.max() / per_deal.sum() * 100)
    yearly = pd.DataFrame({"year": [2020, 2021, 2022], "tiv": [10.0, 50.0, 20.0]})
    swing = exports.largest_swing(yearly)
    assert (swing["year"], swing["change"]) == (2021, 40.0)


# --- the USD series ----------------------------------------------------------------------

def test_usd_series_are_kept_apart_and_broken_at_gaps() -> None:
    usd = curated.table(exports.USD_FILE)
    series = exports.usd_series(usd)
    assert set(series["series"]) == set(exports.USD_SERIES.values())
    assert len(series) == len(usd)
    assert not series.duplicated(["series", "year"]).any()
    # within a segment years are consecutive; a gap always starts a new segment
    for _, seg in series.groupby("segment"):
        assert seg["series"].nunique() == 1
        assert list(seg["year"]) == list(range(seg["year"].min(), seg["year"].max() + 1))
    ssb = series[series["series"] == exports.USD_SERIES["SSB"]]
    assert ssb["segment"].nunique() == 3  # 2002 | 2018 | 2022-2025 in the curated table
    tim_2024 = usd[(usd["year"] == "2024") & usd["series"].str.startswith("TIM")]
    assert series[(series["series"] == exports.USD_SERIES["TIM"]) & (series["year"] == 2024)][
        "usd_million"].iloc[0] == float(tim_2024["value"].iloc[0])


def test_unknown_usd_series_names_its_line() -> None:
    usd = curated.table(exports.USD_FILE).copy()
    line = int(usd.index[3])
    usd.loc[line, "series"] = "Ministry of Trade estimate"
    with pytest.raises(DataError) as err:
        exports.usd_series(usd)
    assert f"line {line}, column 'series'" in str(err.value) and "known-series" in str(err.value)
