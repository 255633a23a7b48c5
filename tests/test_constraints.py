"""Constraints chapter: the USGS rare-earth reader, the tightened curated schemas, and the timeline,
dependency-matrix and critical-minerals functions, on the real files and on broken copies."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.calc import constraints
from analysis.data.errors import DataError
from analysis.data.readers import curated, usgs
from analysis.data.sources import physical, read_sidecar
from analysis.publishing import tables

VINTAGE = "2025-01-31"
USGS_DIR = Path("data/raw/usgs-mcs") / VINTAGE
USGS_FILE = USGS_DIR / usgs.RARE_EARTHS_FILE


@pytest.fixture(scope="module")
def rare_earths() -> pd.DataFrame:
    return usgs.rare_earths(VINTAGE)


@pytest.fixture(scope="module")
def raw_usgs(root: Path) -> list[dict[str, str]]:
    """The transcribed CSV read with the csv module alone, as an independent check."""
    with physical(USGS_FILE.as_posix()).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _sidecar_numbers(root: Path, field: str) -> list[float]:
    meta = yaml.safe_load((root / f"{USGS_FILE}.meta.yml").read_text(encoding="utf-8"))
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", meta[field])]


# --- USGS reader ----------------------------------------------------------------------------------


def test_usgs_conventions_are_kept(rare_earths: pd.DataFrame, raw_usgs: list[dict[str, str]]) -> None:
    assert len(rare_earths) == len(raw_usgs)
    by_country = rare_earths.set_index("country")
    na_reserves = {r["country"] for r in raw_usgs if r["reserves_t_REO"] == "NA"}
    assert na_reserves  # the real file has 'NA' cells
    assert set(by_country.index[by_country["reserves_t"].isna()]) == na_reserves
    world = by_country.loc[usgs.WORLD_TOTAL]
    assert world["row_kind"] == "world total" and bool(world["reserves_is_lower_bound"])
    assert world["reserves_t"] == float(raw_usgs[-1]["reserves_t_REO"].lstrip(">"))
    assert rare_earths.index[-1] == len(raw_usgs) + 1  # last line of the file, index = line number
    assert (by_country.loc["Other", "row_kind"]) == "other"
    assert not by_country.drop(usgs.WORLD_TOTAL)["reserves_is_lower_bound"].any()


def test_country_sum_reconciles_with_the_rounded_world_total(
        root: Path, rare_earths: pd.DataFrame, raw_usgs: list[dict[str, str]]) -> None:
    rec = constraints.reconcile_world_total(rare_earths).set_index("column")
    assert rec["consistent"].all()
    for column, raw_col in [("production_2023_t", "mine_production_2023_t_REO"),
                            ("production_2024e_t", "mine_production_2024e_t_REO")]:
        independent = sum(float(r[raw_col]) for r in raw_usgs[:-1])
        assert rec.loc[column, "country_sum"] == pytest.approx(independent)
        assert rec.loc[column, "usgs_world_total"] == float(raw_usgs[-1][raw_col])
    # the sidecar's own check states the two country sums; they must be what we compute
    stated = _sidecar_numbers(root, "checks")
    assert rec.loc["production_2023_t", "country_sum"] in stated
    assert rec.loc["production_2024e_t", "country_sum"] in stated
    assert rec.loc["reserves_t", "world_total_is_lower_bound"]


def test_a_sum_that_misses_the_rounded_total_is_flagged(rare_earths: pd.DataFrame) -> None:
    broken = rare_earths.copy()
    broken.loc[broken["country"] == "China", "production_2024e_t"] += 20_000
    rec = constraints.reconcile_world_total(broken).set_index("column")
    assert not rec.loc["production_2024e_t", "consistent"]
    assert rec.loc["production_2023_t", "consistent"]


@pytest.mark.parametrize(("total", "unit"), [(390_000, 10_000), (376_000, 1_000), (90_000_000,
                                                                                  10_000_000),
                                              (1_234, 1), (0, 1)])
def test_rounding_unit(total: float, unit: float) -> None:
    assert constraints.rounding_unit(total) == unit


def test_china_share_of_mining_on_the_real_table(
        root: Path, rare_earths: pd.DataFrame, raw_usgs: list[dict[str, str]]) -> None:
    share = constraints.share_of_world(rare_earths, "China", "production_2024e_t")
    china = next(r for r in raw_usgs if r["country"] == "China")
    world = raw_usgs[-1]
    expected = 100 * float(china["mine_production_2024e_t_REO"]) / float(
        world["mine_production_2024e_t_REO"])
    assert share.pct_of_world == pytest.approx(expected)
    assert round(share.pct_of_world) == 69  # the sidecar's check: "(69 per cent)"
    assert 69.0 in _sidecar_numbers(root, "checks")
    assert share.pct_of_sum < share.pct_of_world  # the rows sum to more than the rounded total
    reserves = constraints.share_of_world(rare_earths, "China", "reserves_t")
    assert reserves.pct_of_world == pytest.approx(100 * 44_000_000 / 90_000_000)
    with pytest.raises(KeyError):
        constraints.share_of_world(rare_earths, "Atlantis", "production_2024e_t")


def test_production_by_country_puts_the_largest_first_and_other_last(
        rare_earths: pd.DataFrame) -> None:
    table = constraints.production_by_country(rare_earths, "China")
    assert table.iloc[0]["country"] == "China" and bool(table.iloc[0]["highlight"])
    assert table.iloc[-1]["country"] == "Other"
    named = table[table["country"] != "Other"]["production_2024e_t"]
    assert list(named) == sorted(named, reverse=True)
    assert usgs.WORLD_TOTAL not in set(table["country"])


def test_footnotes_are_documented_in_the_sidecar(root: Path, rare_earths: pd.DataFrame) -> None:
    notes = read_sidecar(root / USGS_FILE, root / f"{USGS_FILE}.meta.yml")["footnotes"]
    used = {n for text in rare_earths["footnotes"] for n in re.findall(r"(?:^|; )(\d+)", text)}
    assert used and used <= {str(k) for k in notes}
    assert "quota" in notes["14"].lower()


def _broken_copy(root: Path, tmp_path: Path, edit) -> Path:
    lines = physical(USGS_FILE.as_posix()).read_text(encoding="utf-8").splitlines()
    lines = edit(lines)
    dest = tmp_path / usgs.RARE_EARTHS_FILE
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copy(root / f"{USGS_FILE}.meta.yml", tmp_path / f"{usgs.RARE_EARTHS_FILE}.meta.yml")
    return dest


def _usgs_error(path: Path) -> str:
    with pytest.raises(DataError) as err:
        usgs.parse_rare_earths(path)
    return str(err.value)


def test_the_production_years_come_from_the_header(root: Path, tmp_path: Path) -> None:
    """A next edition prints the next two years: the reader and the shares follow its header,
    with no parameter to move (2025 as USGS's estimate, 2024 as its figure)."""
    def next_edition(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("mine_production_2024e_t_REO", "mine_production_2025e_t_REO")
        lines[0] = lines[0].replace("mine_production_2023_t_REO", "mine_production_2024_t_REO")
        return lines
    table = usgs.parse_rare_earths(_broken_copy(root, tmp_path, next_edition))
    years = constraints.production_years(table)
    assert [(y.year, y.estimated, y.label) for y in years] == [("2024", False, "2024"),
                                                               ("2025", True, "2025e")]
    assert constraints.latest_production(table).column == "production_2025e_t"
    by_country = constraints.production_by_country(table)
    assert list(by_country.columns[:3]) == ["country", "production_2024_t", "production_2025e_t"]
    assert by_country["country"].iloc[0] == "China"  # the largest producer of the latest year


@pytest.mark.parametrize("latest", ["mine_production_2025_t_REO",  # not the next year
                                    "mine_production_2024_tonnes"])  # not a production column
def test_a_header_without_two_consecutive_production_years_is_refused(
        root: Path, tmp_path: Path, latest: str) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[0] = lines[0].replace("mine_production_2024e_t_REO", latest)
        return lines
    msg = _usgs_error(_broken_copy(root, tmp_path, edit))
    assert "line 1, column 'mine_production_2023_t_REO'" in msg and "production-years" in msg


def test_an_empty_cell_is_not_read_as_not_available(root: Path, tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        assert lines[4].startswith("Burma (Myanmar),43000,31000,NA,")
        lines[4] = lines[4].replace(",NA,", ",,", 1)
        return lines
    msg = _usgs_error(_broken_copy(root, tmp_path, edit))
    assert "line 5, column 'reserves_t'" in msg and "is-number" in msg


def test_an_undocumented_footnote_is_rejected(root: Path, tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[6] = lines[6].replace(",14 (production quota", ",41 (production quota", 1)
        return lines
    msg = _usgs_error(_broken_copy(root, tmp_path, edit))
    assert "line 7, column 'usgs_footnotes'" in msg and "footnote-documented" in msg


def test_a_bound_on_a_country_and_a_second_world_total_are_rejected(
        root: Path, tmp_path: Path) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[6] = lines[6].replace(",44000000,", ",>44000000,", 1)
        lines.insert(5, lines[-1].replace("World total (rounded)", "World total (rounded) "))
        return lines
    msg = _usgs_error(_broken_copy(root, tmp_path, edit))
    assert "'>' bound only on the world total" in msg
    assert "exactly one 'World total (rounded)' row" in msg


# --- curated schemas ------------------------------------------------------------------------------


def _rows(root: Path, name: str) -> list[list[str]]:
    text = (root / "data/curated" / name).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _curated_error(tmp_path: Path, name: str, rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as err:
        curated.parse(path)
    return str(err.value)


TIMELINE = "constraints_and_europe_timeline.csv"
DEPENDENCIES = "programme_dependencies.csv"


def test_timeline_category_comes_from_the_closed_list(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, TIMELINE)
    col = rows[0].index("category")
    rows[3][col] = "Sanctions"
    msg = _curated_error(tmp_path, TIMELINE, rows)
    assert f"{TIMELINE}, line 4, column 'category'" in msg and "'Sanctions'" in msg


def test_an_event_cannot_postdate_the_page_that_reports_it(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, TIMELINE)
    head = rows[0]
    row = rows[1]
    assert row[head.index("source_date")] == "2017-09-12"
    row[head.index("date")] = "2017-10-01"
    msg = _curated_error(tmp_path, TIMELINE, rows)
    assert "line 2, column 'date'" in msg and "not after source_date" in msg


def test_a_value_needs_a_known_unit(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, TIMELINE)
    head = rows[0]
    rows[1][head.index("unit")] = "bn"
    msg = _curated_error(tmp_path, TIMELINE, rows)
    assert "line 2, column 'unit'" in msg and "'bn'" in msg


def test_dependency_status_comes_from_the_closed_list(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, DEPENDENCIES)
    rows[2][rows[0].index("status")] = "probably fine"
    msg = _curated_error(tmp_path, DEPENDENCIES, rows)
    assert f"{DEPENDENCIES}, line 3, column 'status'" in msg


def test_the_crma_list_must_hold_34_materials(root: Path, tmp_path: Path) -> None:
    name = "eu_critical_raw_materials_crma_2024.csv"
    rows = _rows(root, name)
    del rows[5]
    msg = _curated_error(tmp_path, name, rows)
    assert "34 critical raw materials" in msg


def test_industrial_context_source_quality_is_closed(root: Path, tmp_path: Path) -> None:
    name = "european_defence_industrial_context.csv"
    rows = _rows(root, name)
    rows[1][rows[0].index("source_quality")] = "trustworthy"
    msg = _curated_error(tmp_path, name, rows)
    assert "line 2, column 'source_quality'" in msg


def test_a_date_fact_must_be_a_date(root: Path, tmp_path: Path) -> None:
    name = "critical_minerals_facts.csv"
    rows = _rows(root, name)
    line = next(i for i, r in enumerate(rows) if r[0] == "china_export_controls_ga_ge")
    rows[line][1] = "August 2023"
    msg = _curated_error(tmp_path, name, rows)
    assert f"line {line + 1}, column 'value'" in msg


def test_curated_sidecar_checksums_match(root: Path) -> None:
    from analysis.data.sources import sha256_of
    for name in [TIMELINE, DEPENDENCIES, "critical_minerals_facts.csv",
                 "european_defence_industrial_context.csv",
                 "eu_critical_raw_materials_crma_2024.csv"]:
        path = root / "data/curated" / name
        assert read_sidecar(path)["sha256"] == sha256_of(path), name


# --- timeline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "precision", "bounds"), [
    ("2024-02-29", "day", ("2024-02-29", "2024-03-01")),
    ("2020-10", "month", ("2020-10-01", "2020-11-01")),
    ("2025-12", "month", ("2025-12-01", "2026-01-01")),
    ("2019", "year", ("2019-01-01", "2020-01-01")),
])
def test_period_bounds(date: str, precision: str, bounds: tuple[str, str]) -> None:
    assert constraints.period_bounds(date, precision) == bounds


def test_every_category_has_a_lane_and_every_event_is_drawn() -> None:
    assert set(curated.TIMELINE_CATEGORIES) <= set(constraints.TIMELINE_LANES)
    assert set(constraints.TIMELINE_LANES.values()) == set(constraints.LANE_ORDER)
    timeline = curated.table(TIMELINE)
    events = constraints.timeline_events(timeline)
    assert len(events) == len(timeline)
    assert set(events["line"]) == set(timeline.index)
    # the date is shown as written; a coarse date spans its whole period, no day is invented
    merged = events.set_index("line").join(
        timeline[["date"]].rename(columns={"date": "date_file"}))
    assert (merged["date"] == merged["date_file"]).all()
    coarse = merged[merged["date_precision"] != "day"]
    assert len(coarse) > 0
    assert ((pd.to_datetime(coarse["end"]) - pd.to_datetime(coarse["start"])).dt.days >= 28).all()
    assert list(events["start"]) == sorted(events["start"])


def test_value_labels_keep_units() -> None:
    assert constraints.value_with_unit("1059", "vehicles") == "1,059 vehicles"
    assert constraints.value_with_unit("2.5", "USD billion") == "2.5 USD billion"
    assert constraints.value_with_unit("", "") == ""
    assert constraints.value_with_unit("69-74", "percent of EU supply") == "69-74 percent of EU supply"
    assert constraints.value_with_unit("2023-08-01", "date") == "2023-08-01"


# --- dependency matrix ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dependencies() -> pd.DataFrame:
    return curated.table(DEPENDENCIES)


def test_every_matrix_entry_traces_to_its_curated_row(dependencies: pd.DataFrame) -> None:
    matrix = constraints.dependency_matrix(dependencies)
    assert list(matrix["Programme"]) == list(constraints.MATRIX_ROWS)
    seen = 0
    for _, row in matrix.iterrows():
        for column in constraints.COLUMN_ORDER:
            cell = row[column]
            if cell == constraints.NO_SOURCE:
                continue
            for entry in cell.split(constraints.ENTRY_SEPARATOR):
                line = int(re.search(r"\[line (\d+)\]$", entry).group(1))
                source_row = dependencies.loc[line]
                assert entry.startswith(source_row["dependency"])
                assert f"{source_row['status']}, {source_row['status_date']}" in entry
                assert constraints.MATRIX_COLUMNS[source_row["component_kind"]] == column
                assert row["Programme"] == next(
                    f for f, progs in constraints.MATRIX_ROWS.items()
                    if source_row["programme"] in progs)
                seen += 1
    entries = constraints.matrix_entries(dependencies)
    assert seen == len(entries) > 0


def test_silent_cells_say_no_open_source_found(dependencies: pd.DataFrame) -> None:
    matrix = constraints.dependency_matrix(dependencies).set_index("Programme")
    wheeled = "Wheeled armoured vehicles (Otokar Cobra II and Arma, Nurol NMS)"
    assert (matrix.loc[wheeled] == constraints.NO_SOURCE).all()
    entries = constraints.matrix_entries(dependencies)
    for flagship in constraints.MATRIX_ROWS:
        for column in constraints.COLUMN_ORDER:
            has = ((entries["flagship"] == flagship) & (entries["matrix_column"] == column)).any()
            assert (matrix.loc[flagship, column] == constraints.NO_SOURCE) == (not has)
    assert constraints.empty_cells(matrix.reset_index()) > 0


def test_kaan_and_hurjet_engines_are_in_the_matrix(dependencies: pd.DataFrame) -> None:
    matrix = constraints.dependency_matrix(dependencies).set_index("Programme")
    kaan_rows = dependencies[(dependencies["programme"] == "KAAN fighter")
                             & (dependencies["component_kind"] == "engine")]
    for line, r in kaan_rows.iterrows():
        assert f"[line {line}]" in matrix.loc["KAAN fighter", "Engines and propulsion"]
        assert r["dependency"] in matrix.loc["KAAN fighter", "Engines and propulsion"]
    assert "F404" in matrix.loc["Hürjet trainer", "Engines and propulsion"]


def test_matrix_programmes_exist_and_entries_cannot_be_split_wrongly(
        dependencies: pd.DataFrame) -> None:
    named = {p for progs in constraints.MATRIX_ROWS.values() for p in progs}
    assert named <= set(dependencies["programme"])
    assert not dependencies["dependency"].str.contains(constraints.ENTRY_SEPARATOR,
                                                       regex=False).any()
    assert set(dependencies["component_kind"]) <= set(constraints.MATRIX_COLUMNS)
    outside = constraints.programmes_outside_matrix(dependencies)
    assert not set(outside) & named
    assert len(outside) + len(named) == dependencies["programme"].nunique()


# --- critical raw materials -----------------------------------------------------------------------


def test_crma_table_covers_all_34_and_invents_no_china_column(rare_earths: pd.DataFrame) -> None:
    crma = curated.table("eu_critical_raw_materials_crma_2024.csv")
    facts = curated.table("critical_minerals_facts.csv")
    share = constraints.share_of_world(rare_earths, "China", "production_2024e_t")
    china = constraints.crma_china(crma, facts, share, "USGS", "https://pubs.usgs.gov/x.pdf")
    assert set(china["material"]) == set(crma["material"]) and crma["material"].nunique() == 34
    silent = china[china["kind"] == "none"]
    assert set(silent["material"]).isdisjoint(constraints.CRMA_CHINA_FACTS)
    assert (silent["what"] == constraints.NOT_STAGED).all()
    # every fact shown is a curated row, its value and source unchanged
    by_id = facts.set_index("description")
    for _, r in china[(china["kind"] != "none") & (china["source_title"] != "USGS")].iterrows():
        assert by_id.loc[r["what"], "value"] == r["value"]
        assert by_id.loc[r["what"], "source_url"] == r["source_url"]
    usgs_rows = china[china["source_title"] == "USGS"]
    assert set(usgs_rows["material"]) == set(constraints.CRMA_USGS_MATERIALS)
    assert usgs_rows["low_pct"].iloc[0] == pytest.approx(share.pct_of_world)
    summary = constraints.crma_summary(china)
    magnesium = float(facts.set_index("fact_id").loc["eu_magnesium_from_china", "value"])
    assert ("magnesium" in summary["share_above_half"]) == (magnesium > 50)
    assert len(summary["silent"]) + china.loc[china["kind"] != "none", "material"].nunique() == 34


def test_a_range_is_judged_by_its_lower_bound() -> None:
    crma = curated.table("eu_critical_raw_materials_crma_2024.csv")
    facts = curated.table("critical_minerals_facts.csv").copy()
    facts.loc[facts["fact_id"] == "eu_ndpr_from_china", "value"] = "45-74"
    facts.loc[facts["fact_id"] == "ree_refining_share_china", "value"] = "40"
    share = constraints.Share("China", "production_2024e_t", 10.0, 100.0, 100.0)
    summary = constraints.crma_summary(constraints.crma_china(crma, facts, share, "USGS",
                                                              "https://u"))
    assert "light rare earth elements" in summary["share_at_most_half"]
    assert "light rare earth elements" not in summary["share_above_half"]


def test_a_renamed_material_stops_the_chapter() -> None:
    crma = curated.table("eu_critical_raw_materials_crma_2024.csv").copy()
    crma.loc[crma["material"] == "magnesium", "material"] = "magnesium metal"
    facts = curated.table("critical_minerals_facts.csv")
    share = constraints.Share("China", "production_2024e_t", 10.0, 100.0, 100.0)
    with pytest.raises(KeyError, match="magnesium"):
        constraints.crma_china(crma, facts, share, "USGS", "https://u")


# --- linked tables --------------------------------------------------------------------------------


def test_linked_table_escapes_text_and_refuses_unsafe_addresses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_ASSET_DIR", str(tmp_path))
    frame = pd.DataFrame({
        "Event": ["<script>alert(1)</script>", "A & B"],
        "Source": ["Page <b>one</b>", "Page two"],
        "Source address": ["https://example.org/a?x=1&y=2", "javascript:alert(1)"],
        "Entries": ["first; second", "only"],
    })
    table = tables.linked_table("t", frame, links=[("Source", "Source address")],
                                     breaks=["Entries"], source="test (vintage x)", caption="c")
    page = table.html()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="noopener">Page &lt;b&gt;one&lt;/b&gt;</a>' in page
    assert "javascript:" not in page and "Page two" in page
    assert "\u2022 first<br>\u2022 second" in page and "only" in page
    assert "Source address" not in page  # shown as the link, kept in the CSV
    written = pd.read_csv(tmp_path / table.csv_name)
    assert list(written.columns) == list(frame.columns)
    # no placeholder is swapped for markup afterwards: such a cell is text like any other
    marked = tables.linked_table("u", frame.assign(Event="\u27e6link-0\u27e7 <i>"),
                                 source="s (vintage x)", caption="c").html()
    assert "\u27e6link-0\u27e7 &lt;i&gt;" in marked
