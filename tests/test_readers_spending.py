"""The NATO and SIPRI workbook readers: on the real files (checked cell by cell against an
independent read and against the sidecars) and on small workbooks made here, each broken in one
way, whose errors must name the sheet, the Excel row, the column and the rule."""

from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Font

from analysis.data import countries
from analysis.data.errors import DataError
from analysis.data.readers import curated, nato, sipri_milex
from analysis.data.sources import resolve

NATO_VINTAGE = "2024-06-17"
MILEX_VINTAGE = "2025-04-28"


@pytest.fixture(scope="module")
def nato_file() -> Path:
    return resolve(nato.SOURCE, NATO_VINTAGE, nato.TABLES_FILE).path


@pytest.fixture(scope="module")
def nato_meta() -> dict:
    return resolve(nato.SOURCE, NATO_VINTAGE, nato.TABLES_FILE).meta


@pytest.fixture(scope="module")
def nato_table() -> pd.DataFrame:
    return nato.table(NATO_VINTAGE)


@pytest.fixture(scope="module")
def milex_file() -> Path:
    return resolve(sipri_milex.SOURCE, MILEX_VINTAGE, sipri_milex.MILEX_FILE).path


@pytest.fixture(scope="module")
def milex_table() -> pd.DataFrame:
    return sipri_milex.table(MILEX_VINTAGE)


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    return curated.table("nato_members.csv")


# --------------------------------------------------------------------------- NATO, real file


def test_nato_every_value_is_the_cell_it_names(nato_file: Path, nato_table: pd.DataFrame) -> None:
    wb = openpyxl.load_workbook(nato_file, data_only=True, read_only=True)
    cells = {sheet: {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row
                     if hasattr(c, "coordinate")} for sheet in nato.SHEETS}
    for (sheet, cell), value in nato_table.set_index(["sheet", "cell"])["value"].items():
        raw = cells[sheet][cell]
        assert isinstance(raw, (int, float)), (sheet, cell, raw)
        assert value == pytest.approx(float(raw), rel=0, abs=0), (sheet, cell)
    # the index is the Excel row the value came from
    rows = nato_table["cell"].str.extract(r"(\d+)$")[0].astype(int)
    assert (rows.to_numpy() == nato_table.index.to_numpy()).all()


def test_nato_years_and_estimates_follow_the_sidecar(nato_table: pd.DataFrame,
                                                     nato_meta: dict) -> None:
    first, last = map(int, re.match(r"(\d{4})-(\d{4})", nato_meta["coverage"]["years"]).groups())
    estimates = {int(y) for y in re.findall(r"(\d{4})e", nato_meta["coverage"]["years"])}
    assert set(nato_table["year"]) == set(range(first, last + 1))
    assert set(nato_table.loc[nato_table["is_estimate"], "year"]) == estimates
    assert not nato_table.loc[~nato_table["year"].isin(estimates), "is_estimate"].any()


def test_nato_allies_are_the_members_without_iceland(nato_table: pd.DataFrame,
                                                     members: pd.DataFrame) -> None:
    shares = nato_table[(nato_table["measure"] == "defence_share_gdp") & ~nato_table["is_aggregate"]]
    # sidecar: "31 Allies with armed forces (all current Allies except Iceland)"
    assert set(shares["iso3"]) == set(members["iso3"]) - {"ISL"}
    gdp = nato_table[(nato_table["measure"] == "gdp") & ~nato_table["is_aggregate"]]
    assert set(gdp["iso3"]) == set(members["iso3"])
    aggregates = set(nato_table.loc[nato_table["is_aggregate"], "country"])
    assert aggregates == set(nato.AGGREGATES)


def test_nato_footnote_stars_are_stripped_for_the_allies_the_sidecar_names(
        nato_table: pd.DataFrame, nato_meta: dict) -> None:
    caveat = next(c for c in nato_meta["caveats"] if "trailing '*'" in c)
    named = set(re.search(r"\(([^)]*)\)", caveat).group(1).split(", "))
    starred = nato_table[nato_table["label"].str.endswith("*")]
    assert set(starred["country"]) == named
    assert not nato_table["country"].str.contains(r"\*").any()


def test_nato_slovakia_2024_is_exactly_two_as_the_sidecar_says(nato_table: pd.DataFrame) -> None:
    share = nato_table[(nato_table["measure"] == "defence_share_gdp")
                       & (nato_table["iso3"] == "SVK") & (nato_table["year"] == 2024)]["value"]
    assert share.iloc[0] == 2.0


def test_nato_aggregates_are_the_sum_of_the_allies_of_each_year(nato_table: pd.DataFrame,
                                                                members: pd.DataFrame) -> None:
    from analysis.calc import spending

    checked = 0
    for measure, base in (("defence_expenditure", "current"), ("defence_expenditure", "constant 2015"),
                          ("gdp", "current"), ("gdp", "constant 2015")):
        rec = spending.reconcile_aggregates(nato_table, members, measure, base)
        assert len(rec) == 2 * 11
        assert (rec["difference"].abs() <= 1e-9 * rec["published"]).all(), rec
        checked += len(rec)
    # Finland counts from 2023 and Sweden from 2024, as NATO's note says
    rec = spending.reconcile_aggregates(nato_table, members, "defence_expenditure", "current")
    allies = rec[rec["aggregate"] == "NATO Total"].set_index("year")["allies_summed"]
    assert allies[2022] == 29 and allies[2023] == 30 and allies[2024] == 31
    assert checked == 88


def test_nato_share_aggregate_is_spending_over_gdp(nato_table: pd.DataFrame,
                                                   members: pd.DataFrame) -> None:
    from analysis.calc import spending

    spend = spending.series(nato_table, "defence_expenditure", "constant 2015")
    gdp = spending.series(nato_table, "gdp", "constant 2015")
    published = spending.series(nato_table, "defence_share_gdp", aggregates=True)
    for year in range(2014, 2025):
        allies = countries.members_in(members, year)
        ratio = 100 * (spend[(spend["year"] == year) & spend["iso3"].isin(allies)]["value"].sum()
                       / gdp[(gdp["year"] == year) & gdp["iso3"].isin(allies)]["value"].sum())
        pub = published[(published["country"] == "NATO Total") & (published["year"] == year)]
        assert pub["value"].iloc[0] == pytest.approx(ratio, rel=1e-9)


def test_nato_categories_add_up_to_the_whole(nato_table: pd.DataFrame) -> None:
    cats = nato_table[nato_table["unit"] == "% of defence expenditure"]
    totals = cats.groupby(["country", "year"])["value"].sum()
    assert len(totals) == 31 * 11
    assert (totals - 100).abs().max() < 0.01


def test_nato_notes_define_equipment(nato_file: Path) -> None:
    notes = nato.parse_notes(nato_file)
    eq = notes[(notes["sheet"] == "TABLE8a") & notes["text"].str.startswith("(a)")]
    assert len(eq) == 1 and "R&D" in eq["text"].iloc[0]


# --------------------------------------------------------------------------- SIPRI, real file


def test_milex_every_value_is_the_cell_it_names(milex_file: Path,
                                                milex_table: pd.DataFrame) -> None:
    wb = openpyxl.load_workbook(milex_file, data_only=True, read_only=True)
    for sheet, part in milex_table.groupby("sheet"):
        cells = {c.coordinate: c.value for row in wb[sheet].iter_rows() for c in row
                 if hasattr(c, "coordinate")}
        scale = 100.0 if sheet == sipri_milex.SHARE_SHEET else 1.0
        codes = 0
        for cell, value in zip(part["cell"], part["value"], strict=True):
            raw = cells.get(cell)
            if isinstance(raw, (int, float)):
                assert value == pytest.approx(raw * scale, rel=1e-12), (sheet, cell)
            else:
                # '...', '. .', 'xxx' or empty: missing, never zero
                assert math.isnan(value), (sheet, cell, raw)
                codes += raw in ("...", "xxx", ". .")
        assert codes > 1000  # the codes are there to be read


def test_milex_holds_every_ally_and_uses_its_own_names(milex_table: pd.DataFrame,
                                                       members: pd.DataFrame) -> None:
    assert set(members["iso3"]) <= set(milex_table["iso3"].dropna())
    names = dict(zip(milex_table["iso3"], milex_table["country"], strict=False))
    assert names["TUR"] == "Türkiye" and names["USA"] == "United States of America"
    # one row per country, year, measure and price base: no two names share a code
    one = milex_table[(milex_table["sheet"] == sipri_milex.CURRENT_SHEET) & milex_table["iso3"].notna()]
    assert not one.duplicated(["iso3", "year"]).any()


def test_milex_price_base_comes_from_the_sheet_name(milex_table: pd.DataFrame) -> None:
    constant = milex_table[milex_table["price_base"].str.startswith("constant")]
    assert set(constant["sheet"]) == {"Constant (2023) US$"}
    assert set(constant["price_base"]) == {"constant 2023"}


def test_milex_estimate_flags_are_the_blue_font(milex_file: Path, milex_table: pd.DataFrame) -> None:
    wb = openpyxl.load_workbook(milex_file, data_only=True)
    ws = wb[sipri_milex.SHARE_SHEET]
    part = milex_table[milex_table["sheet"] == sipri_milex.SHARE_SHEET]
    flagged = part[part["is_estimate"]]
    assert len(flagged) > 100
    for cell in flagged["cell"].sample(50, random_state=0):
        colour = ws[cell].font.color
        assert colour is not None and colour.type == "indexed" and colour.indexed == 12
    unflagged = part[~part["is_estimate"] & ~part["is_uncertain"] & part["value"].notna()]
    for cell in unflagged["cell"].sample(50, random_state=0):
        colour = ws[cell].font.color
        assert colour is None or colour.type != "indexed" or colour.indexed not in (10, 12)


def test_milex_footnotes_explain_the_marks(milex_file: Path) -> None:
    notes = sipri_milex.parse_footnotes(milex_file)
    assert {"†", "‡", "§", "¶", "‖"} <= set(notes["mark"])
    texts = sipri_milex.country_notes("§¶3", notes)
    assert texts[2].startswith("Albania")
    with pytest.raises(KeyError):
        sipri_milex.country_notes("9999", notes)


# --------------------------------------------------------------------------- hand-made files

YEARS = [2014, 2015, 2016, 2017, 2018, "2019", 2020, 2021, 2022, "2023e", "2024e"]


def _nato_sheet(ws, blocks: list[str], rows: dict[str, list[object]], subtitle: str = "") -> None:
    ws["B4"] = f"{ws.title} : test"
    ws["B6"] = subtitle or "Million US dollars"
    for i, y in enumerate(YEARS):
        ws.cell(8, 4 + i, y)
    r = 10
    for title in blocks:
        ws.cell(r, 2, title)
        r += 1
        for label, values in rows.items():
            ws.cell(r, 3, label)
            for i, v in enumerate(values):
                ws.cell(r, 4 + i, v)
            r += 1
        ws.cell(r, 4, "#REF!")  # the stray row NATO's sheets carry
        r += 2
    ws.cell(r + 1, 3, "Notes: Figures for 2023 and 2024 are estimates.")


def _nato_workbook(path: Path, edit=None) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    good = {"Türkiye": [1.5] * 11, "Poland*": [2.0] * 11}
    titles = {
        "TABLE2": ["Current prices and exchange rates", "Constant 2015 prices and exchange rates"],
        "TABLE3": ["Share of real GDP (%)", "Annual real change (%)"],
        "TABLE5": ["Current prices and exchange rates", "Constant 2015 prices and exchange rates"],
        "TABLE8a": ["Equipment (a)", "Personnel (b)"],
        "TABLE8b": ["Infrastructure (c)", "Other (d)"],
    }
    for sheet, blocks in titles.items():
        ws = wb.create_sheet(sheet)
        _nato_sheet(ws, blocks, good, "Based on 2015 prices" if sheet == "TABLE3" else "")
    if edit:
        edit(wb)
    wb.save(path)
    return path


def _nato_error(path: Path) -> str:
    with pytest.raises(DataError) as err:
        nato.parse(path)
    return str(err.value)


def test_hand_made_nato_workbook_parses(tmp_path: Path) -> None:
    frame = nato.parse(_nato_workbook(tmp_path / "t.xlsx"))
    assert set(frame["iso3"]) == {"TUR", "POL"}
    assert set(frame["measure"]) == set(nato.MEASURES)
    assert frame.loc[frame["year"] == 2024, "is_estimate"].all()
    assert set(frame.loc[frame["measure"] == "defence_share_gdp", "price_base"]) == {"constant 2015"}
    assert set(frame.loc[frame["label"] == "Poland*", "country"]) == {"Poland"}


def test_nato_text_in_a_number_cell_names_sheet_row_and_year(tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["TABLE3"]["I12"] = "n/a?"
    msg = _nato_error(_nato_workbook(tmp_path / "t.xlsx", edit))
    assert "t.xlsx [TABLE3], line 12, column '2019'" in msg
    assert "I12" in msg and "[rule: is-number]" in msg


def test_nato_missing_code_becomes_missing_not_zero(tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["TABLE3"]["D11"] = "..."
    frame = nato.parse(_nato_workbook(tmp_path / "t.xlsx", edit))
    cell = frame[(frame["sheet"] == "TABLE3") & (frame["cell"] == "D11")]["value"]
    assert len(cell) == 1 and math.isnan(cell.iloc[0])


def test_nato_unknown_block_title_is_refused(tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["TABLE2"]["B10"] = "Current prices and PPP"
    msg = _nato_error(_nato_workbook(tmp_path / "t.xlsx", edit))
    assert "[TABLE2], line 10, column 'B'" in msg and "block-title" in msg


def test_nato_unknown_country_is_refused(tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["TABLE5"]["C12"] = "Atlantis"
    msg = _nato_error(_nato_workbook(tmp_path / "t.xlsx", edit))
    assert "[TABLE5], line 12, column 'C'" in msg and "country-known" in msg


def test_nato_share_out_of_range_names_the_cell(tmp_path: Path) -> None:
    def edit(wb):  # type: ignore[no-untyped-def]
        wb["TABLE8a"]["N11"] = 150.0
    msg = _nato_error(_nato_workbook(tmp_path / "t.xlsx", edit))
    assert "[TABLE8a], line 11, column '2024e'" in msg and "in-range" in msg


def test_nato_missing_sheet_and_year_row(tmp_path: Path) -> None:
    msg = _nato_error(_nato_workbook(tmp_path / "a.xlsx", lambda wb: wb.remove(wb["TABLE8b"])))
    assert "sheet 'TABLE8b' is missing" in msg

    def no_years(wb):  # type: ignore[no-untyped-def]
        for c in range(4, 15):
            wb["TABLE2"].cell(8, c).value = None
    msg = _nato_error(_nato_workbook(tmp_path / "b.xlsx", no_years))
    assert "[TABLE2]" in msg and "year-columns" in msg


def test_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "x.xlsx"
    p.write_text("country,year\n", encoding="utf-8")
    with pytest.raises(DataError, match="is-xlsx"):
        nato.parse(p)
    with pytest.raises(DataError, match="is-xlsx"):
        sipri_milex.parse(p)


def _milex_workbook(path: Path, share: object = 0.02, constant: object = 100.0,
                    blue: bool = False) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, first_value, last_value in (("Constant (2023) US$", constant, 30.0),
                                           ("Current US$", 90.0, 30.0),
                                           ("Share of GDP", share, 0.03)):
        ws = wb.create_sheet(sheet)
        ws["A1"] = "Military expenditure, test"
        header = ["Country", "Notes", 2022, 2023, 2024]
        for i, v in enumerate(header):
            ws.cell(6, 1 + i, v)
        ws["A8"] = "Europe"
        ws["A9"] = "Western Europe"
        ws.append([])
        for r, (name, note, vals) in enumerate([("Türkiye", "‖", [first_value, "...", last_value]),
                                                 ("Iceland", "86", ["xxx", ". .", "..."])],
                                                start=10):
            ws.cell(r, 1, name)
            ws.cell(r, 2, note)
            for i, v in enumerate(vals):
                ws.cell(r, 3 + i, v)
        if blue:
            ws["E10"].font = Font(color="FF0000FF")
    ws = wb.create_sheet("Footnotes")
    ws.append(["‖", "This country changed or redenominated its currency"])
    wb.save(path)
    return path


def test_hand_made_milex_workbook(tmp_path: Path) -> None:
    frame = sipri_milex.parse(_milex_workbook(tmp_path / "m.xlsx", blue=True))
    share = frame[frame["measure"] == "military_share_gdp"].set_index(["country", "year"])["value"]
    assert share[("Türkiye", 2022)] == pytest.approx(2.0)  # fraction 0.02 -> 2 per cent
    assert math.isnan(share[("Türkiye", 2023)])
    assert share[["Iceland"]].isna().all()  # 'xxx', '. .' and '...' are missing, never zero
    assert set(frame["region"]) == {"Western Europe"}
    flagged = frame[frame["is_estimate"]]
    assert set(flagged["cell"]) == {"E10"} and len(flagged) == 3


def test_milex_text_cell_names_sheet_row_and_year(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        sipri_milex.parse(_milex_workbook(tmp_path / "m.xlsx", constant="about 100"))
    msg = str(err.value)
    assert "m.xlsx [Constant (2023) US$], line 10, column '2022'" in msg and "is-number" in msg


def test_milex_share_sheet_in_per_cent_is_refused(tmp_path: Path) -> None:
    path = _milex_workbook(tmp_path / "m.xlsx", share=2.0)
    wb = openpyxl.load_workbook(path)
    wb["Share of GDP"]["E10"] = 3.0
    wb.save(path)
    with pytest.raises(DataError, match=r"\[Share of GDP\].*fractions of GDP"):
        sipri_milex.parse(path)


def test_milex_unknown_country_is_refused(tmp_path: Path) -> None:
    path = _milex_workbook(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Current US$"]["A11"] = "Ruritania"
    wb.save(path)
    with pytest.raises(DataError, match=r"\[Current US\$\], line 11, column 'Country'.*country-known"):
        sipri_milex.parse(path)
