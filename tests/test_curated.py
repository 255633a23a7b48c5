"""Curated tables: every one has a schema and a sidecar in step with it; the announced-headline
table, the source grades and the EU-rules table on the real files and on broken copies."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.data.errors import DataError
from analysis.data.readers import curated
from analysis.data.sources import read_sidecar, sha256_of

HEADLINES = "published_headlines.csv"


def _rows(root: Path, name: str) -> list[list[str]]:
    text = (root / "data/curated" / name).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def _error(tmp_path: Path, name: str, rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as err:
        curated.parse(path)
    return str(err.value)


def test_every_curated_csv_has_a_schema_and_a_true_sidecar(root: Path) -> None:
    names = sorted(p.name for p in (root / "data/curated").glob("*.csv"))
    assert set(names) == set(curated.SCHEMAS)
    for name in names:
        path = root / "data/curated" / name
        assert read_sidecar(path)["sha256"] == sha256_of(path), name


def test_published_headlines_reads_as_announced(root: Path) -> None:
    frame = curated.parse(root / "data/curated" / HEADLINES)
    assert len(frame) == 32
    assert set(frame["publisher"]) == {"SIPRI", "NATO"}
    rank = frame[frame["fact"] == "Türkiye rank among the world's arms exporters, 2021-25"]
    assert list(rank["value"]) == ["11"]
    # NATO published no 2025e figure for Germany: written as not published, never as a number
    germany = frame[frame["fact"].str.startswith("Germany share of GDP 2025e")]
    assert list(germany["value"]) == [curated.NOT_PUBLISHED]
    # the two US dollar totals of 2025e differ in price basis: both kept, told apart by unit
    us = frame[frame["fact"] == "United States defence expenditure, 2025e"]
    assert sorted(us["value"]) == ["845", "980"] and us["unit"].nunique() == 2


def test_a_headline_date_row_must_hold_a_date(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, HEADLINES)
    head = rows[0]
    line = next(i for i, r in enumerate(rows) if r[head.index("unit")] == "date")
    rows[line][head.index("value")] = "9 March 2026"
    msg = _error(tmp_path, HEADLINES, rows)
    assert f"{HEADLINES}, line {line + 1}, column 'value'" in msg and "'9 March 2026'" in msg


def test_a_headline_reliability_comes_from_the_closed_list(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, HEADLINES)
    rows[2][rows[0].index("reliability")] = "official"
    msg = _error(tmp_path, HEADLINES, rows)
    assert f"{HEADLINES}, line 3, column 'reliability'" in msg and "'official'" in msg


# --- source grades ---


def test_every_curated_row_is_graded_from_the_closed_set(root: Path) -> None:
    assert "vocabulary" not in " ".join(curated.GRADED)
    # all but the vocabulary (SIPRI's own words) and the claimed figures and sales, which quote
    # a claims.csv row (claims_line) and so carry that row's grade
    assert sorted(set(curated.SCHEMAS) - set(curated.GRADED)) == [
        "claimed_figures.csv", "claimed_sales.csv", "sipri_vocabulary.csv"]
    for name in curated.GRADED:
        frame = curated.parse(root / "data/curated" / name)
        assert set(frame["source_grade"]) <= set(curated.SOURCE_GRADES), name
    # the NATO definitions now rest on NATO's own pages
    defs = curated.parse(root / "data/curated/spending_definitions.csv").set_index("definition_id")
    nato = defs[defs["publisher"] == "NATO"]
    assert (nato["source_grade"] == "primary").all()
    assert nato["source_url"].str.startswith("https://www.nato.int/").all()


@pytest.mark.parametrize("name", ["claims.csv", "constraints_and_europe_timeline.csv",
                                  "programme_dependencies.csv", HEADLINES])
def test_a_grade_outside_the_closed_set_stops_the_build(root: Path, tmp_path: Path,
                                                         name: str) -> None:
    rows = _rows(root, name)
    rows[1][rows[0].index("source_grade")] = "good"
    msg = _error(tmp_path, name, rows)
    assert f"{name}, line 2, column 'source_grade'" in msg and "'good'" in msg


def test_a_claim_with_no_source_cannot_be_graded_above_weak(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, "claims.csv")
    head = rows[0]
    line = next(i for i, r in enumerate(rows)
                if r[head.index("quality_note")].startswith("source not found"))
    rows[line][head.index("source_grade")] = "primary"
    msg = _error(tmp_path, "claims.csv", rows)
    assert f"line {line + 1}, column 'source_grade'" in msg and "graded weak" in msg


def test_an_address_not_read_cannot_be_graded_above_weak(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, HEADLINES)
    head = rows[0]
    line = next(i for i, r in enumerate(rows) if r[head.index("reliability")] == "address only")
    rows[line][head.index("source_grade")] = "primary"
    msg = _error(tmp_path, HEADLINES, rows)
    assert f"line {line + 1}, column 'source_grade'" in msg


# --- the EU rules that bind Türkiye ---

RULES = "eu_defence_rules.csv"


def test_eu_rules_read_through_the_store() -> None:
    rules = curated.table(RULES).set_index("rule_id")
    assert "eu_defence_rules.csv" in rules.attrs["source_note"]
    # the component-cost cap is the same 35% in both instruments, each from a dated statement
    assert rules.loc["safe_component_rule", "value"] == "35"
    assert rules.loc["edip_component_rule", "value"] == "35"
    assert rules.loc["safe_legal_act", "source_url"].startswith("https://eur-lex.europa.eu/")
    assert rules.loc["edip_legal_act", "source_grade"] == "primary"
    # Greece's and Cyprus's positions carry their dates at the precision the pages give
    assert rules.loc["greece_condition", ["date", "date_precision"]].tolist() == ["2025-10", "month"]
    assert rules.loc["cyprus_position", "date"] == "2025-10-23"
    # which of Türkiye's European customers borrow most under SAFE (maximum loans, EUR)
    loans = rules[rules["topic"] == "loan amount"].drop(index="safe_loan_ceiling")
    amounts = loans["value"].astype(float)
    customers = ["safe_loan_pl", "safe_loan_ro", "safe_loan_it", "safe_loan_pt", "safe_loan_ee",
                 "safe_loan_hr", "safe_loan_es"]
    assert list(amounts[customers].sort_values(ascending=False).index) == customers
    assert amounts["safe_loan_ro"] == 16_680_055_394.00


def test_a_rule_topic_comes_from_the_closed_list(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, RULES)
    rows[3][rows[0].index("topic")] = "opinion"
    msg = _error(tmp_path, RULES, rows)
    assert f"{RULES}, line 4, column 'topic'" in msg and "'opinion'" in msg


def test_a_loan_row_needs_its_amount(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, RULES)
    head = rows[0]
    line = next(i for i, r in enumerate(rows) if r[head.index("rule_id")] == "safe_loan_pl")
    rows[line][head.index("value")] = ""
    rows[line][head.index("unit")] = ""
    msg = _error(tmp_path, RULES, rows)
    assert f"line {line + 1}, column 'value'" in msg and "a loan amount has its value in EUR" in msg


def test_a_rule_cannot_postdate_its_page(root: Path, tmp_path: Path) -> None:
    rows = _rows(root, RULES)
    head = rows[0]
    line = next(i for i, r in enumerate(rows) if r[head.index("rule_id")] == "greece_veto")
    rows[line][head.index("date")] = "2025-12-03"
    msg = _error(tmp_path, RULES, rows)
    assert f"line {line + 1}, column 'date'" in msg and "not after source_date" in msg


# --- cost estimates, the extended timeline and minerals facts ---


def test_cost_estimates_say_what_they_are(root: Path) -> None:
    costs = curated.parse(root / "data/curated/defence_cost_estimates.csv").set_index("estimate_id")
    kiel = costs.loc["kiel_bruegel_2025_increase"]
    assert (kiel["value"], kiel["unit"]) == ("250", "EUR billion per year (additional)")
    assert "Kiel" in kiel["publisher"] and "Bruegel" in kiel["publisher"]
    # the unattributed figures are graded weak, whatever their size
    assert set(costs.loc[["eu_5pct_total", "uk_5pct_extra"], "source_grade"]) == {"weak"}


def test_timeline_reaches_2026_with_sourced_events(root: Path) -> None:
    timeline = curated.parse(root / "data/curated/constraints_and_europe_timeline.csv")
    assert len(timeline) == 50
    assert timeline["date"].str[:4].astype(int).max() == 2026
    summit = timeline[timeline["category"] == "NATO summit"]
    assert len(summit) == 1 and "Ankara" in summit["event"].iloc[0]
    china = timeline[timeline["category"] == "China export controls"]
    assert sorted(china["date"]) == ["2025-10-09", "2025-11-07", "2025-11-09"]


def test_china_controls_on_munitions_materials(root: Path) -> None:
    facts = curated.parse(root / "data/curated/critical_minerals_facts.csv").set_index("fact_id")
    dates = facts.loc[["china_export_controls_graphite", "china_export_controls_antimony",
                       "china_export_controls_tungsten"], "value"]
    assert list(dates) == ["2023-12-01", "2024-09-15", "2025-02-04"]
