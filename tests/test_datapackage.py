"""The book's CSVs as a Frictionless data package: numbers written in full, every published CSV
listed once with its columns, types, units, sources and vintages, and the package valid under
the ``frictionless`` library; the Data page links to it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.publishing import charts, datapackage, figures


@pytest.fixture()
def assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("REPORT_CHAPTER", "test")
    return tmp_path


def test_csv_numbers_are_written_in_full(assets: Path) -> None:
    frame = pd.DataFrame({"ally": ["a", "b", "c"], "usd": [1474399.0, 2.1189800000000002, 1e-7]})
    figures.table("full", frame, source="NATO (2024 edition; vintage 2024-06-17)",
                  caption="Totals (US$)")
    text = (assets / "table-test-full.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == ["a,1474399", "b,2.11898", "c,0.0000001"]
    assert not re.search(r"\de[+-]?\d", text)


def test_a_table_and_a_chart_describe_their_csv(assets: Path) -> None:
    frame = pd.DataFrame({"year": [2023, 2024], "tiv": [10.5, 1474399.0], "est": [False, True]})
    chart = charts.bar_by_period(frame, x="year", y="tiv", x_title="Year",
                                 y_title="TIV (millions)", heading=charts.title("Deliveries", "TIV"))
    source = ("Information from the SIPRI Arms Transfers Database (2025 edition; vintage "
              "2026-02-12); NATO, Defence Expenditure of NATO Countries (2014-2024) (2024 edition; "
              "vintage 2024-06-17)")
    figures.figure("bars", chart, data=frame, source=source,
                   description="Bars of two years of volumes for this test")
    figures.table("rows", frame.rename(columns={"tiv": "Volume (TIV m)"}), source=source,
                  caption="Deliveries by year")
    path = datapackage.assemble_package(assets, version="9.9.9", created="2026-12-01T00:00:00Z")
    pkg = json.loads(path.read_text(encoding="utf-8"))
    assert not list(assets.glob(f"*{datapackage.RESOURCE_SUFFIX}"))  # gathered, then removed
    by_name = {r["name"]: r for r in pkg["resources"]}
    assert sorted(by_name) == ["chart-test-bars", "table-test-rows"]
    bars = by_name["chart-test-bars"]
    assert bars["title"] == "Deliveries" and bars["chapter"] == "test"
    assert [s["vintage"] for s in bars["sources"]] == ["2026-02-12", "2024-06-17"]
    assert bars["sources"][1]["title"].startswith("NATO, Defence Expenditure of NATO Countries")
    fields = {f["name"]: f for f in bars["schema"]["fields"]}
    assert fields["year"]["type"] == "integer" and fields["est"]["type"] == "boolean"
    assert fields["tiv"] == {"name": "tiv", "type": "number", "title": "TIV (millions)",
                             "unit": "millions"}
    table_fields = {f["name"]: f for f in by_name["table-test-rows"]["schema"]["fields"]}
    assert table_fields["Volume (TIV m)"]["unit"] == "TIV m"
    assert "unit" not in table_fields["year"]

    from frictionless import validate

    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_validation_fails_on_a_value_of_the_wrong_type(assets: Path) -> None:
    """The check can fail: a CSV whose numbers no longer parse is reported."""
    frame = pd.DataFrame({"year": [2023, 2024], "tiv": [1.0, 2.0]})
    figures.table("bad", frame, source="SIPRI (2025 edition; vintage 2026-02-12)", caption="x")
    (assets / "table-test-bad.csv").write_text("year,tiv\n2023,1.0\n2024,two\n", encoding="utf-8")
    from frictionless import validate

    report = validate(str(datapackage.assemble_package(assets, version="0")))
    assert not report.valid
    assert any(e[1] == "tiv" and e[2] == "type-error"
               for e in report.flatten(["rowNumber", "fieldName", "type"]))


def test_unit_and_sources_read_the_page_wording() -> None:
    assert datapackage.unit_of("Share of GDP 2024e (%)") == "%"
    assert datapackage.unit_of("Mean extra a year 2025-2035 (US$ m)") == "US$ m"
    assert datapackage.unit_of("Defence Expenditure of NATO Countries (2014-2024)") == ""
    assert datapackage.unit_of("Ally") == ""
    parts = datapackage.split_sources("own compilation, table claims.csv (vintage 2026-11-24); "
                                      "each row's source is linked")
    assert parts == [{"title": "own compilation, table claims.csv (vintage 2026-11-24)",
                      "vintage": "2026-11-24"}, {"title": "each row's source is linked"}]


# --------------------------------------------------------------------------- the built book


@pytest.mark.book
def test_the_book_publishes_one_valid_package_of_every_csv(book: Path) -> None:
    folder = book / "_static" / "report"
    pkg = json.loads((folder / datapackage.PACKAGE).read_text(encoding="utf-8"))
    listed = [r["path"] for r in pkg["resources"]]
    assert sorted(listed) == sorted(p.name for p in folder.glob("*.csv"))
    assert len(listed) == len(set(listed)) >= 20
    assert not list(folder.glob(f"*{datapackage.RESOURCE_SUFFIX}"))
    for res in pkg["resources"]:
        with (folder / res["path"]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == [f["name"] for f in res["schema"]["fields"]], res["path"]
        assert res["title"].strip() and res["sources"], res["path"]
        numbers = [rows[0].index(f["name"]) for f in res["schema"]["fields"]
                   if f["type"] in ("number", "integer")]
        for i, row in enumerate(rows[1:]):
            for col in numbers:  # 1474399, never 1.4744e+06
                assert not re.fullmatch(r"-?[\d.]+e[+-]?\d+", row[col]), (res["path"], i, row[col])
        for src in res["sources"]:
            assert ("vintage " in src["title"]) == ("vintage" in src), (res["path"], src)
    units = [f["unit"] for r in pkg["resources"] for f in r["schema"]["fields"] if "unit" in f]
    assert len(units) >= 20
    vintages = {s["vintage"] for r in pkg["resources"] for s in r["sources"] if "vintage" in s}
    assert len(vintages) >= 4

    from frictionless import validate

    report = validate(str(folder / datapackage.PACKAGE))
    errors = [(task.name, *e) for task in report.tasks
              for e in task.flatten(["rowNumber", "fieldName", "type"])]
    assert errors == [], errors


@pytest.mark.book
def test_the_data_page_links_the_package(book: Path) -> None:
    page = book / "chapters" / "data.html"
    hrefs = re.findall(r'class="report-datapackage" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert hrefs and (page.parent / hrefs[0]).resolve() == (
        book / "_static" / "report" / datapackage.PACKAGE).resolve()
