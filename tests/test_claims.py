"""Claims chapter, across the claims: the registry and the tables of what each claim states
(every claim in one place; wording and sources quoted from the claims table), verdicts that move
with the data (rerun, summary mark, verdicts.json and the build's log line), badges, the
notebooks' labels and parameters. Each claim's own check is tested in tests/test_claim_*.py."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from test_claim_us_share import toy_nato

from analysis.build import pipeline
from analysis.calc import claims
from analysis.calc.claims import base, registry
from analysis.calc.claims.base import CANNOT, NOT_SUPPORTED, PARTLY, SUPPORTED, check_wording
from analysis.data import editions
from analysis.data.errors import DataError
from analysis.data.readers import nato, sipri_transfers, usgs
from analysis.publishing import figures

NATO_VINTAGE = "2024-06-17"
DEALS_VINTAGE = "2025-03-13"
USGS_VINTAGE = "2025-01-31"


@pytest.fixture()
def inputs(claims_inputs: claims.Inputs) -> claims.Inputs:
    return claims_inputs


@pytest.fixture()
def verdicts(claims_verdicts: dict[str, claims.Verdict]) -> dict[str, claims.Verdict]:
    return claims_verdicts


# --------------------------------------------------------------------------- claims as data


def test_every_claim_of_the_table_has_a_check_and_a_statement(inputs: claims.Inputs) -> None:
    in_table = list(dict.fromkeys(inputs.claims["claim_id"]))
    assert in_table == claims.ORDER == list(claims.CHECKS) == list(claims.LABELS)
    # one registry: each entry's check is its own module's, named by the same claim id
    for claim in registry.CLAIMS:
        module = __import__(claim.check.__module__, fromlist=["CLAIM_ID"])
        assert module.CLAIM_ID == claim.claim_id and claim.check is module.check
    assert len({c.key for c in registry.CLAIMS}) == len(registry.CLAIMS)
    assert len(inputs.claims) == 28  # the sidecar's coverage: 28 rows, seven claims
    side = yaml.safe_load(Path("data/curated/claims.csv.meta.yml").read_text(encoding="utf-8"))
    assert "28 rows" in side["coverage"] and "seven claims" in side["coverage"]


def test_a_claim_without_a_check_stops_the_chapter(inputs: claims.Inputs) -> None:
    extra = inputs.claims.iloc[[0]].assign(claim_id="a_new_claim")
    with pytest.raises(KeyError, match="a_new_claim"):
        claims.run(replace(inputs, claims=pd.concat([inputs.claims, extra])))


def test_the_unsourced_row_is_marked(inputs: claims.Inputs) -> None:
    rows = claims.utterances(inputs.claims, "systems_178_vs_30")
    unsourced = rows[~rows["sourced"]]
    assert list(unsourced["claimant"].str.split(",").str[0]) == ["Federica Mogherini"]
    assert unsourced["source_url"].iloc[0] == "" and pd.isna(unsourced["year"].iloc[0])
    assert rows["line"].tolist() == list(inputs.claims.index[inputs.claims["claim_id"]
                                                             == "systems_178_vs_30"])


def test_claimed_figures_quote_their_utterance(inputs: claims.Inputs) -> None:
    for table in (inputs.claimed, inputs.claimed_sales):
        assert set(table["claim_id"]) <= set(claims.ORDER)
        for _, r in table.iterrows():
            said = inputs.claims.loc[int(r["claims_line"])]
            assert r["wording"] in said["claim"] and r["source_url"] == said["source_url"]
    figures_of = inputs.claimed.groupby("claim_id")["figure"].apply(list).to_dict()
    assert figures_of["us_share_60_65"] == ["low_pct", "high_pct", "announced_share_pct",
                                            "reported_share_pct"]
    assert figures_of["systems_178_vs_30"] == ["count_eu", "count_us"]
    assert figures_of["russia_3_months"] == ["russia_months", "nato_months"]
    assert len(inputs.claimed_sales) == 5


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("wording", "about 70% of NATO's defence spending", "quotes-its-utterance"),
    ("claims_line", "9", "same-claim-as-its-utterance"),
    ("source_url", "https://example.org/elsewhere", "source-of-its-utterance"),
    ("claims_line", "99", "names-a-claims-row"),
])
def test_a_claimed_figure_that_misquotes_stops_with_file_line_column(
        inputs: claims.Inputs, column: str, value: str, rule: str) -> None:
    claimed = inputs.claimed.copy()
    line = int(claimed.index[claimed["figure"] == "low_pct"][0])
    claimed.loc[line, column] = value
    with pytest.raises(DataError) as err:
        check_wording(claimed, inputs.claims)
    text = str(err.value)
    assert f"data/curated/claimed_figures.csv, line {line}, column '{column}'" in text
    assert f"[rule: {rule}]" in text
    with pytest.raises(DataError):
        claims.run(replace(inputs, claimed=claimed))


# --------------------------------------------------------------------------- one standard


def test_one_evidence_standard_decides_every_claim(verdicts: dict[str, claims.Verdict]) -> None:
    """On the real data: every claim's verdict weighed its evidence under the one standard, and
    is "cannot be checked" exactly when no piece may decide."""
    assert set(verdicts) == set(claims.ORDER)
    for c, v in verdicts.items():
        assert not v.evidence.empty, c
        assert {"admissible", "why_not", "timing", *base.EVIDENCE_COLUMNS} <= set(v.evidence), c
        assert v.said and base.date_prefix(v.said), c
        rank = v.evidence["grade"].map(base.GRADES.index)
        ok = v.evidence["admissible"]
        # nothing weaker than the standard's grade, nothing undated, nothing unlike decides
        assert (rank[ok] <= base.GRADES.index(base.STANDARD.min_grade)).all(), c
        assert v.evidence.loc[ok, "like_for_like"].all(), c
        assert (v.evidence.loc[ok, "timing"] != base.UNDATED).all(), c
        assert (v.verdict == CANNOT) == (not ok.any()), c
    # the verdicts this standard gives on the real data
    assert {c: v.verdict for c, v in verdicts.items()} == {
        "wales_2pct_hague_5pct": PARTLY, "us_share_60_65": SUPPORTED,
        "russia_3_months": CANNOT, "allies_outproduce_russia": CANNOT,
        "systems_178_vs_30": CANNOT, "sales_to_european_allies": SUPPORTED,
        "minerals_and_engines": PARTLY}


def test_the_standard_is_one_for_all_claims(inputs: claims.Inputs,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Change the one standard and every claim follows it: demand primary sources and only
    claims with primary evidence keep a verdict; accept weak ones and the count of weapon-system
    types (a weak summary) is decided too."""
    strict = replace(base.STANDARD, min_grade="primary")
    monkeypatch.setattr(base, "STANDARD", strict)
    out = claims.run(inputs)
    for c, v in out.items():
        primary = v.evidence["admissible"]
        assert (v.evidence.loc[primary, "grade"] == "primary").all(), c
        assert (v.verdict == CANNOT) == (not primary.any()), c
    assert out["systems_178_vs_30"].verdict == CANNOT
    assert out["us_share_60_65"].figures["basis"] == "tables"  # the announced pair is secondary
    monkeypatch.setattr(base, "STANDARD", replace(base.STANDARD, min_grade="weak",
                                                  needs_date=False))
    lax = claims.run(inputs)
    assert lax["systems_178_vs_30"].verdict == SUPPORTED
    assert lax["russia_3_months"].verdict == CANNOT  # still no output figure for all of NATO


def test_a_verdict_that_breaks_the_standard_is_refused() -> None:
    ev = base.admissibility(pd.DataFrame([base.evidence_row("p", "e", "weak", "2020", True)]),
                            "2021")
    with pytest.raises(ValueError, match="evidence standard"):
        claims.Verdict("x", SUPPORTED, pd.DataFrame(), {}, "", "", "", evidence=ev)
    assert base.timing("2025-08-28", "2025-09") == base.PUBLIC_WHEN_SAID
    assert base.timing("2025-09 (approx.)", "2025-09") == base.PUBLIC_WHEN_SAID
    assert base.timing("2026-05-18", "2025-09") == base.PUBLISHED_LATER
    assert base.timing("n.d.", "2025-09") == base.UNDATED


def test_combine_and_share_rules() -> None:
    assert claims.combine([SUPPORTED, SUPPORTED]) == SUPPORTED
    assert claims.combine([CANNOT, CANNOT]) == CANNOT
    assert claims.combine([SUPPORTED, CANNOT]) == PARTLY
    assert claims.combine([PARTLY, PARTLY]) == PARTLY
    assert claims.combine([NOT_SUPPORTED, CANNOT]) == NOT_SUPPORTED
    assert claims.combine([NOT_SUPPORTED, SUPPORTED]) == PARTLY
    assert [claims.share_verdict(s, 60, 65, 2) for s in (60, 65, 66.9, 67.1, 58, 57.9)] == [
        SUPPORTED, SUPPORTED, PARTLY, NOT_SUPPORTED, PARTLY, NOT_SUPPORTED]
    with pytest.raises(ValueError):
        claims.Verdict("x", "true", pd.DataFrame(), {}, "", "", "")


# --------------------------------------------------------------------------- moving with the data


def test_no_previous_vintage_of_any_file_is_held_today(verdicts: dict[str, claims.Verdict],
                                                        inputs: claims.Inputs, root: Path) -> None:
    for source, vintage, name in [(nato.SOURCE, NATO_VINTAGE, nato.TABLES_FILE),
                                  (sipri_transfers.SOURCE, DEALS_VINTAGE,
                                   sipri_transfers.DEALS_FILE),
                                  (usgs.SOURCE, USGS_VINTAGE, usgs.RARE_EARTHS_FILE)]:
        assert editions.previous_vintage(root, source, vintage, name) is None
    previous = claims.rerun(inputs, {})
    table = claims.summary(verdicts, previous)
    assert not table["changed"].any()
    assert set(table["change"]) == {"no previous vintage held"}


def test_a_new_vintage_that_changes_a_verdict_is_marked_and_printed(
        inputs: claims.Inputs, tmp_path: Path) -> None:
    members = inputs.members
    # no announced figures, so that the tables judge (both vintages public before the claim)
    toy = replace(inputs, nato=toy_nato(62.0, members, vintage="2025-06-01"),
                  headlines=inputs.headlines.iloc[0:0])
    older = toy_nato(71.0, members, vintage="2024-06-01")
    current = claims.run(toy)
    previous = claims.rerun(toy, {"nato": older})
    assert current["us_share_60_65"].verdict == SUPPORTED
    assert previous["us_share_60_65"].verdict == NOT_SUPPORTED
    assert previous["wales_2pct_hague_5pct"] is None  # reads no NATO table
    table = claims.summary(current, previous).set_index("claim_id")
    assert bool(table.loc["us_share_60_65", "changed"])
    assert table.loc["us_share_60_65", "change"] == (
        "changed since vintage nato-defence-expenditure 2024-06-01 (was not supported)")
    assert table["changed"].sum() == 1
    unchanged = claims.rerun(toy, {"nato": toy_nato(63.0, members, vintage="2024-06-01")})
    assert claims.summary(current, unchanged).set_index("claim_id").loc[
        "us_share_60_65", "change"] == "unchanged since vintage nato-defence-expenditure 2024-06-01"

    # the chapter writes verdicts.json; the build prints each change from it
    key = "k1"
    assets = tmp_path / "claims" / key / "assets"
    assets.mkdir(parents=True)
    (assets / "verdicts.json").write_text(claims.verdicts_json(current, previous), encoding="utf-8")
    records = json.loads((assets / "verdicts.json").read_text(encoding="utf-8"))
    assert {r["claim_id"] for r in records} == set(claims.ORDER)
    results = [pipeline.ChapterResult("claims", True, 1.0, key)]
    assert pipeline.verdict_changes(tmp_path, results) == [
        "claim us_share_60_65: not supported -> supported"]
    assert pipeline.verdict_changes(tmp_path, [pipeline.ChapterResult("exports", True, 1.0, key)]) == []
    (assets / "verdicts.json").write_text(claims.verdicts_json(current, unchanged), encoding="utf-8")
    assert pipeline.verdict_changes(tmp_path, results) == []


def test_rerun_only_replaces_raw_sources(inputs: claims.Inputs) -> None:
    with pytest.raises(KeyError, match="claims"):
        claims.rerun(inputs, {"claims": inputs.claims})


# --------------------------------------------------------------------------- badges


def _css_colours(root: Path) -> dict[str, str]:
    css = (root / "book_static/report.css").read_text(encoding="utf-8")
    return dict(re.findall(r"\.(report-badge-[a-z]+) \{ background: (#[0-9A-Fa-f]{6}); \}", css))


def test_every_verdict_has_a_badge_colour_with_contrast(root: Path) -> None:
    colours = _css_colours(root)
    assert set(figures.VERDICT_CLASSES) == set(claims.VERDICTS)
    for verdict, css_class in figures.VERDICT_CLASSES.items():
        assert css_class in colours, verdict
        assert figures.contrast_ratio("#ffffff", colours[css_class]) >= 4.5, verdict
    assert len(set(colours.values())) == len(claims.VERDICTS)  # four distinct colours


def test_badges_print_the_word_and_escape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    assert figures.badge_html(PARTLY) == (
        "<span class='report-badge report-badge-partly'>partly supported</span>")
    with pytest.raises(ValueError):
        figures.badge_html("<b>true</b>")
    frame = pd.DataFrame({"Claim": ["<script>x</script>"], "Section": ["#claim-x"],
                          "Verdict": [CANNOT]})
    out = figures.badge_table("t", frame, source="s", caption="c", badges=("Verdict",),
                              links=(("Claim", "Section"),)).html()
    assert "<script>x" not in out and "&lt;script&gt;x&lt;/script&gt;" in out
    assert '<a href="#claim-x">' in out and "report-badge-unchecked" in out
    assert "Section" not in out  # the link target column is in the CSV only
    assert "Section" in (tmp_path / "table-scratch-t.csv").read_text(encoding="utf-8")
    bad = frame.assign(Section=["https://example.org/"])
    with pytest.raises(ValueError, match="within the book"):
        figures.badge_table("t", bad, source="s", caption="c", badges=("Verdict",),
                            links=(("Claim", "Section"),)).html()


# --------------------------------------------------------------------------- the notebooks


def _markdown(root: Path, name: str) -> str:
    nb = nbformat.read(root / f"chapters/{name}.ipynb", as_version=4)
    for cell in nb.cells:
        assert not cell.get("outputs"), f"{name}.ipynb is committed with outputs"
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_each_claim_has_its_section_and_the_intro_its_label(root: Path) -> None:
    text = _markdown(root, "claims")
    assert text.startswith("(chapter-claims)=\n# ")
    for claim_id in claims.ORDER:
        assert f"({claims.anchor(claim_id)})=\n## " in text, claim_id
    assert _markdown(root, "intro").startswith("(intro)=\n# ")
    assert not (root / "chapters/intro.md").exists()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    from analysis.build.pipeline import toc_files

    files = toc_files(root)
    assert toc["root"] == "chapters/intro"
    assert files.index("chapters/claims") == files.index("chapters/constraints") + 1


#: Parameters of the claims chapter and the introduction that must equal another chapter's.
SHARED = {
    "claims": {"nato_vintage": ("spending", "nato_vintage"),
               "deals_vintage": ("exports", "deals_vintage"),
               "usgs_vintage": ("constraints", "usgs_vintage"),
               "lead_country": ("spending", "lead_country"),
               "group_regions": ("spending", "group_regions"),
               "group_extra": ("spending", "group_extra"),
               "europe_region": ("exports", "europe_region"),
               "mining_country": ("constraints", "mining_country")},
}


def test_parameters_agree_with_the_chapters_they_reproduce(root: Path) -> None:
    params = pipeline.load_params(root)
    for chapter, shared in SHARED.items():
        for key, (other, other_key) in shared.items():
            assert params[chapter][key] == params[other][other_key], (chapter, key)
    assert {c.name for c in pipeline.chapters(root)} >= {"claims", "intro"}  # checked on load
