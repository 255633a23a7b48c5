"""The constraints chapter module, called directly (no papermill) on the real curated tables and
USGS's rare-earth table: every value the notebook pastes is produced, and the values agree with
the files read another way."""

from __future__ import annotations

import csv

import pytest
from conftest import ROOT, chapter_params, glue_keys_used

from analysis.calc import prose
from analysis.chapters import constraints as chapter
from analysis.data.readers import usgs


def _run(**changes: object) -> chapter.ConstraintsChapter:
    return chapter.run(**(chapter_params("constraints") | changes))


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> chapter.ConstraintsChapter:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_CHAPTER", "constraints")
        mp.setenv("REPORT_DEFER_SVG", "1")
        return _run()


def _rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data/curated" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_value_the_notebook_pastes_is_glued(result: chapter.ConstraintsChapter) -> None:
    # (keys with "::" are pasted from another chapter: claims.ipynb::engine-programmes)
    assert {k for k in glue_keys_used("constraints") if "::" not in k} <= {
        k for k, _ in result.glued()}


def test_timeline_counts_are_the_curated_rows(result: chapter.ConstraintsChapter) -> None:
    rows = _rows("constraints_and_europe_timeline.csv")
    assert result.values["n-events"] == prose.count(len(rows)) == prose.count(len(result.events))
    day = sum(r["date_precision"] == "day" for r in rows)
    assert result.values["n-day"] == prose.count(day)
    assert result.values["n-coarse"] == prose.count(len(rows) - day)
    assert result.values["first-event-year"] == min(r["date"] for r in rows)[:4]


def test_the_audit_corrections_are_counted_from_the_notes(
        result: chapter.ConstraintsChapter) -> None:
    """The sentence on the timeline's audit pastes its count and the lines (it was typed as
    "three"): the rows whose note says the audit corrected them, as many as the changes the
    audit itself lists."""
    import re

    assert {"n-audit-corrected", "audit-corrected-lines"} <= glue_keys_used("constraints")
    audit = (ROOT / "data/curated/AUDIT-timeline.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\d+\. ", audit.split("## Changes made to the CSV", 1)[1], flags=re.MULTILINE)
    summary = re.search(r"(\d+) corrected", audit)
    noted = [n for n, r in enumerate(_rows("constraints_and_europe_timeline.csv"), start=2)
             if re.search(r"corrected .*in audit", r["quality_note"])]
    assert summary and len(noted) == len(listed) == int(summary.group(1)) > 0
    assert result.values["n-audit-corrected"] == prose.count(len(noted))
    assert re.findall(r"\d+", result.values["audit-corrected-lines"]) == [str(n) for n in noted]


def test_engine_summaries_name_their_curated_lines(result: chapter.ConstraintsChapter) -> None:
    rows = _rows("programme_dependencies.csv")
    for key, programme in [("kaan-engines", "KAAN fighter"), ("hurjet-engines", "Hürjet trainer")]:
        engines = [(n, r) for n, r in enumerate(rows, start=2)
                   if r["programme"] == programme and r["component_kind"] == "engine"]
        assert engines
        for line, r in engines:
            assert f"{r['dependency']} ({r['supplier_country']})" in result.values[key]
            assert f"[line {line}]" in result.values[key]


def test_mining_share_is_usgs_country_over_world(result: chapter.ConstraintsChapter) -> None:
    table = usgs.rare_earths(chapter_params("constraints")["usgs_vintage"])
    world = float(table.loc[table["row_kind"] == "world total", "production_2024e_t"].iloc[0])
    china = float(table.loc[table["country"] == "China", "production_2024e_t"].iloc[0])
    assert result.values["china-share"] == prose.percent(100 * china / world)
    assert result.values["china-production"] == prose.number(china)
    assert result.values["world-production"] == prose.number(world)
    assert result.values["earlier-year"] == "2023"
    # the CRMA table covers every critical raw material of the regulation
    assert result.values["n-crma"] == "34" and len(result.crma["material"].unique()) == 34


def test_the_mining_country_is_a_parameter(chapter_assets: object,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORT_CHAPTER", "constraints")
    monkeypatch.setenv("REPORT_DEFER_SVG", "1")
    other = _run(mining_country="United States")
    table = usgs.rare_earths(chapter_params("constraints")["usgs_vintage"])
    world = float(table.loc[table["row_kind"] == "world total", "production_2024e_t"].iloc[0])
    us = float(table.loc[table["country"] == "United States", "production_2024e_t"].iloc[0])
    assert other.values["mining-country"] == "United States"
    assert other.share.pct_of_world == pytest.approx(100 * us / world)
    assert other.values["production-year"] == "2024"  # the latest year of USGS's header
    assert other.values["production-basis"] == "USGS estimates"  # printed '2024e'


# --- the EU rules that bind Türkiye ---------------------------------------------------------------


def test_safe_loans_of_turkiyes_customers_from_the_rows(result: chapter.ConstraintsChapter) -> None:
    """Which of Türkiye's European customers borrow most under SAFE: the Commission's tentative
    allocation rows, read here straight from the CSV, for the customers SIPRI's deal register
    names; the largest first, and the shares of the whole allocation."""
    from analysis.calc import exports
    from analysis.data.readers import curated, sipri_transfers

    p = chapter_params("constraints")
    deals = exports.deals_with(sipri_transfers.deals(str(p["deals_vintage"])), str(p["supplier"]),
                               curated.table("nato_members.csv"), str(p["europe_region"]),
                               exclude=["TUR"])
    customers = set(deals["recipient"])
    rows = [r for r in _rows("eu_defence_rules.csv") if r["rule_id"].startswith("safe_allocation_")]
    assert len(rows) == 19  # the 19 borrowing member states
    amount = {r["statement"].split(" to ", 1)[1].split(" (", 1)[0]: float(r["value"]) for r in rows}
    total = sum(amount.values())
    assert total == pytest.approx(150, abs=0.1)  # the allocation shares out the EUR 150 bn
    mine = sorted(((v, c) for c, v in amount.items() if c in customers), reverse=True)
    top_value, top = mine[0]
    assert result.values["top-borrower"] == top == "Poland"
    assert result.values["top-borrower-eur"] == f"EUR {prose.number(top_value, 1)} billion"
    assert result.values["n-customers-borrowing"] == prose.count(len(mine))
    assert result.values["customers-share"] == prose.percent(100 * sum(v for v, _ in mine) / total)
    listed = result.values["customers-borrowing-list"].split("; ")
    assert [x.split(" EUR ")[0] for x in listed] == [c for _, c in mine]
    # Greece and Cyprus borrow too, and are not Türkiye's customers
    assert "Greece" not in customers and "Cyprus" not in customers
    assert result.values["greece-eur"] == f"EUR {prose.number(amount['Greece'], 2)} billion"


def test_rules_and_positions_are_quoted_with_their_dates(
        result: chapter.ConstraintsChapter) -> None:
    rows = {r["rule_id"]: r for r in _rows("eu_defence_rules.csv")}
    for key, rule_id in chapter.RULES_QUOTED.items():
        assert result.values[f"{key}-statement"] == rows[rule_id]["statement"]
        assert result.values[f"{key}-date"] == prose.date(rows[rule_id]["date"])
    assert result.values["safe-components-pct"] == "35%" == result.values["edip-components-pct"]
    assert result.values["greece-costa-date"] == "15 September 2025"
    # the unanimity is quoted from a graded page, not from the weak one beside it
    assert rows["safe_unanimity_sources"]["source_grade"] == "reputable secondary"
    assert "veto" in result.values["safe-unanimity-statement"]
    # the US-content licence cases beside the engine rows name their curated lines
    deps = _rows("programme_dependencies.csv")
    for key, (programme, buyer) in chapter.LICENCE_CASES.items():
        lines = [i + 2 for i, r in enumerate(deps) if r["programme"] == programme
                 and r["component_kind"] == "export licence" and buyer in r["dependency"]]
        assert lines and all(f"[line {n}]" in result.values[key] for n in lines)
    # the S-400 and CAATSA dates the introduction pastes
    assert result.values["caatsa-date"] == "14 December 2020"
    assert result.values["s400-delivered-date"] == "12 July 2019"


def test_a_loan_row_without_a_member_state_stops_the_chapter() -> None:
    from analysis.calc import constraints
    from analysis.data.readers import curated

    rules = curated.table("eu_defence_rules.csv").copy()
    at = rules.index[rules["rule_id"] == "safe_allocation_pol"][0]
    rules.loc[at, "statement"] = "Tentative SAFE allocation"
    with pytest.raises(ValueError, match=f"line {at}: loan statement names no member state"):
        constraints.safe_loans(rules)


def _markdown(name: str) -> str:
    import nbformat

    nb = nbformat.read(ROOT / "chapters" / f"{name}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_counts_once_typed_as_words_are_counted_from_the_tables(
        result: chapter.ConstraintsChapter) -> None:
    """Three counts were typed as words ("Two dependency rows ... were added", "Two routes
    remain", "seven rare earths"): each is now the count of the rows or names in the curated
    tables, pasted in words, and the typed phrases are gone."""
    import re

    v = result.values
    # the dependency rows whose notes say they were added for this chapter, with their lines
    added = [(n, r) for n, r in enumerate(_rows("programme_dependencies.csv"), start=2)
             if "added" in r["quality_note"] and "for the constraints chapter" in r["quality_note"]]
    assert added
    assert v["n-dep-added"] == prose.count_words(len(added), capital=True)
    assert [int(x) for x in re.findall(r"\[line (\d+)\]", v["dep-added-list"])] == [
        n for n, _ in added]
    for _, r in added:
        assert f"{r['programme']}: {r['dependency']}" in v["dep-added-list"]
    # the routes still open beside the capped share every third country has
    routes = [r for r in _rows("eu_defence_rules.csv") if r["topic"] == "route still open"]
    beyond = [r for r in routes if r["rule_id"] != "third_countries_35_open"]
    assert len(beyond) == len(routes) - 1 >= 1
    assert v["n-routes-beyond-cap"] == prose.count_words(len(beyond), capital=True)
    # the rare earths China licenses since April 2025, as the fact's description lists them
    fact = next(r for r in _rows("critical_minerals_facts.csv")
                if r["fact_id"] == "china_export_controls_7_hree")
    listed = re.search(r"licences for (.+?) and related magnets", fact["description"])
    assert listed, fact["description"]
    symbols = [s.strip() for s in listed.group(1).split(",")]
    assert v["n-ree-controlled"] == prose.count_words(len(symbols))
    text = _markdown("constraints")
    assert {"n-dep-added", "dep-added-list", "n-routes-beyond-cap",
            "n-ree-controlled"} <= glue_keys_used("constraints")
    for typed in ("Two dependency rows", "Two routes remain", "seven rare earths",
                  "both fly on American engines"):
        assert typed not in text, typed
    # which flagships fly on US engines is the claims chapter's check, pasted (not typed "both")
    assert "{glue:text}`claims.ipynb::engine-programmes:s` fly on engines made" in text


def test_a_route_the_prose_does_not_quote_stops_the_chapter() -> None:
    """A new 'route still open' row would change the count of routes but not the sentences that
    quote them: the chapter stops and names the row."""
    import pandas as pd

    from analysis.data.readers import curated

    rules = curated.table("eu_defence_rules.csv")
    extra = rules[rules["rule_id"] == "piaggio_route"].assign(rule_id="another_route")
    extra.index = [rules.index.max() + 1]
    with pytest.raises(KeyError, match="another_route"):
        chapter._rules(pd.concat([rules, extra]), curated.table("programme_dependencies.csv"),
                       ["Romania"], {}, {})
