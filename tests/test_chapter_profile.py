"""The profile chapter module, called directly on the real data: a profile's numbers are the
chapters' numbers for the same Ally (Poland's and Türkiye's by value), Poland's TB2 deliveries,
Greece's position on Türkiye in SAFE and Türkiye's Eurofighter purchase appear, and an Ally
without figures gets a page that says so."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import chapter_params, glue_keys_used

from analysis.calc import exports, prose
from analysis.chapters import profile
from analysis.chapters import spending as spending_chapter
from analysis.data.readers import curated, sipri_transfers


def profile_params() -> dict[str, object]:
    """The profile's parameters as the build passes them (the Ally's code added per run)."""
    return chapter_params("profile")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORT_ASSET_DIR", str(tmp_path_factory.mktemp("assets")))
        mp.setenv("REPORT_DEFER_SVG", "1")
        yield mp


@pytest.fixture(scope="module")
def spending(env) -> spending_chapter.SpendingChapter:  # type: ignore[no-untyped-def]
    env.setenv("REPORT_CHAPTER", "spending")
    return spending_chapter.run(**chapter_params("spending"))


@pytest.fixture(scope="module")
def profiles(env) -> dict[str, profile.ProfileChapter]:  # type: ignore[no-untyped-def]
    out = {}
    for iso3 in ("POL", "TUR", "ISL", "GRC"):
        env.setenv("REPORT_CHAPTER", f"ally-{iso3.lower()}")
        out[iso3] = profile.run(iso3=iso3, **profile_params())
    return out


def _column(table: pd.DataFrame, *words: str) -> str:
    """The one column of the spending chapter's path table whose name holds every word."""
    hits = [c for c in table.columns if all(w in c for w in words)]
    assert len(hits) == 1, (words, list(table.columns))
    return hits[0]


@pytest.mark.parametrize("iso3", ["POL", "TUR"])
def test_numbers_equal_the_spending_chapters(spending, profiles, iso3: str) -> None:  # type: ignore[no-untyped-def]
    p = profiles[iso3]
    latest = int(spending.values["latest-year"])
    chapter_share = spending.shares[(spending.shares["iso3"] == iso3)
                                    & (spending.shares["year"] == latest)]["share_pct"].iloc[0]
    assert p.row["share_latest_pct"] == chapter_share
    assert p.values["share-nato-latest"] == prose.percent(chapter_share, 2)
    assert p.values["growth-pct"] == spending.values["growth-pct"]
    if iso3 == "TUR":  # the spending chapter's focus country
        assert p.values["share-nato-latest"] == spending.values["focus-burden-nato"]
        assert p.values["share-sipri-latest"] == spending.values["focus-burden-sipri"]
        assert p.values["equipment-latest"] == spending.values["eq-focus-latest"]


@pytest.mark.parametrize("iso3", ["POL", "TUR"])
def test_path_in_both_price_bases_equals_the_spending_chapters(spending, profiles, iso3: str) -> None:  # type: ignore[no-untyped-def]
    """The path to the core target, this Ally's row of the spending chapter's path table, in the
    table's constant prices and in the latest year's prices, by value."""
    p = profiles[iso3]
    table = spending.tables["path-table"].frame
    row = table.set_index("Ally").loc[p.country]
    base, latest = f"{spending.values['price-year']} prices", spending.values["latest-prices"]
    assert base != latest
    assert p.values["price-year"] == spending.values["price-year"]
    assert p.values["latest-prices"] == latest
    assert p.values["path-years"] == spending.values["path-years"]
    assert p.row["gap_pp"] == row[_column(table, "Gap to")]
    figures = {"": base, "-latest": latest}
    for key, prices in figures.items():
        mean = float(row[_column(table, "Mean extra", prices)])
        target = float(row[f"Extra in {spending.values['target-year']} (US$ m, {prices})"])
        assert p.values[f"extra-mean-m{key}"] == prose.number(mean, 0)
        assert p.values[f"extra-target-m{key}"] == prose.number(target, 0)
        assert p.row["extra_mean_usd_m" if key == "" else "extra_mean_latest_usd_m"] == mean
    variant = float(row[_column(table, "variant", latest)])
    assert p.values["variant-target-m-latest"] == prose.number(variant, 0)
    assert variant > 0 and f"US$ {p.values['variant-target-m-latest']} million" in p.values["path-text"]
    factor = float(row[_column(table, "per", "price (GDP, NATO)")])
    assert p.values["price-factor"] == prose.number(factor, 3)
    assert p.row["extra_mean_latest_usd_m"] == pytest.approx(p.row["extra_mean_usd_m"] * factor)
    text, paragraph = p.values["path-text"], p.values["paragraph"]
    if iso3 == "POL":  # above the core target: nothing extra, in either base
        assert float(row[_column(table, "Gap to")]) == 0
        assert "nothing extra" in text and "nothing extra" in paragraph
    else:  # Türkiye is short of it: a cost, different in the two bases, latest prices first
        assert p.row["extra_mean_usd_m"] > 0 and factor != pytest.approx(1, abs=1e-3)
        assert p.values["extra-mean-m-latest"] != p.values["extra-mean-m"]
        for words in (text, paragraph):
            now = words.index(f"US$ {p.values['extra-mean-m-latest']} million")
            then = words.index(f"US$ {p.values['extra-mean-m']} million")
            assert now < then and latest in words and base in words


def test_the_index_shows_the_path_at_latest_prices(spending, profiles, env) -> None:  # type: ignore[no-untyped-def]
    """The index of Allies states its price base, the spending chapter's latest-year prices, and
    gives Poland and Türkiye the spending chapter's figures."""
    from analysis.chapters import allies

    env.setenv("REPORT_CHAPTER", "allies")
    index = allies.run(**chapter_params("allies"))
    shown = index.tables["allies-table"].frame.set_index("Ally")
    table = spending.tables["path-table"].frame.set_index("Ally")
    latest = spending.values["latest-prices"]
    money = _column(shown.reset_index(), "Mean extra", "US$ m")
    assert money.endswith(f"(US$ m, {latest})")
    assert index.values["latest-prices"] == latest
    assert glue_keys_used("allies") <= set(dict(index.glued()))
    for iso3 in ("POL", "TUR"):
        country = profiles[iso3].country
        assert shown.loc[country, money] == table.loc[country, _column(
            table.reset_index(), "Mean extra", latest)]


@pytest.mark.parametrize("iso3", ["POL", "TUR", "ISL"])
def test_every_value_the_notebook_pastes_is_glued(profiles, iso3: str) -> None:  # type: ignore[no-untyped-def]
    assert glue_keys_used("profile") <= set(dict(profiles[iso3].glued()))


def test_polands_imports_equal_the_exports_chapters(profiles) -> None:  # type: ignore[no-untyped-def]
    params = profile_params()
    e = chapter_params("exports")
    register = sipri_transfers.deliveries(e["deliveries_vintage"])
    members = curated.table("nato_members.csv")
    spans = exports.windows(e["first_year"], int(register["delivery_year"].max()),
                            e["window_length"])  # the exports chapter ends in the data's last year
    window = exports.window_label(spans[-1][0], e["window_length"])
    imports = exports.european_imports(register, members, spans, e["window_length"],
                                       exclude_recipients=["TUR"])
    row = exports.ally_purchases(imports, members, window, params["supplier"],
                                 exclude=["TUR"]).set_index("iso3").loc["POL"]
    pol = profiles["POL"]
    assert pol.values["latest-window"] == window
    assert pol.row["turkey_share_pct"] == pytest.approx(row["share_pct"])
    assert pol.values["turkey-share"] == prose.percent(row["share_pct"], 1)


def test_polands_tb2_deliveries_appear(profiles) -> None:  # type: ignore[no-untyped-def]
    pol = profiles["POL"]
    deals = pol.tables["deals"].frame
    tb2 = deals[deals["Weapon"].str.contains("TB-2")]
    assert len(tb2) == 1 and tb2["Number delivered"].iloc[0] == tb2["Number ordered"].iloc[0]
    assert tb2["Delivery status"].iloc[0] == exports.DELIVERED
    assert pol.tables["events"].frame["Event or position"].str.contains("TB2").any()
    assert pol.row["n_turkish_deals"] == 1


def greek_positions() -> pd.DataFrame:
    """Greece's positions on Türkiye in SAFE, as the curated table of EU defence rules records
    them (its actor is Greece's government)."""
    rules = curated.table("eu_defence_rules.csv")
    rows = rules[(rules["topic"] == "member-state position") & rules["actor"].str.startswith("Greece")]
    assert len(rows) >= 2 and rows["statement"].str.contains("Türkiye").all()
    return rows


def test_greeces_safe_position_appears_with_its_source(profiles) -> None:  # type: ignore[no-untyped-def]
    shown = profiles["GRC"].tables["events"].frame
    for rule in greek_positions().to_dict("records"):
        hit = shown[shown["Event or position"] == f"{rule['actor']}: {rule['statement']}"]
        assert len(hit) == 1, rule["rule_id"]
        assert hit["Address"].iloc[0] == rule["source_url"]
        assert hit["Source quality"].iloc[0] == rule["source_grade"]
        assert hit["Date"].iloc[0] == rule["date"]
    # the timeline's event of the same position too, and Greece's SAFE loan (a rule naming it)
    assert shown["Event or position"].str.contains("Greece will not consent").sum() >= 2
    assert shown["Event or position"].str.contains("SAFE loan to Greece").any()
    # the entries are Greece's: Poland's page lists none of them
    pol = profiles["POL"].tables["events"].frame["Event or position"]
    assert not pol.str.contains("Greece will").any()
    assert profiles["GRC"].values["n-events"] == prose.count(len(shown))


def test_turkiye_as_a_buyer(profiles) -> None:  # type: ignore[no-untyped-def]
    tur = profiles["TUR"]
    bought = tur.tables["deals"].frame
    assert ((bought["Supplier"] == "United Kingdom")
            & bought["Weapon"].str.contains("Eurofighter")).any()
    assert "As a buyer" in tur.values["paragraph"]


def test_an_ally_without_figures_says_so(profiles) -> None:  # type: ignore[no-untyped-def]
    isl = profiles["ISL"]
    assert isl.row["share_latest_pct"] is None
    assert "no share of GDP" in isl.values["paragraph"]
    assert isl.values["rank"].startswith("no rank")
    assert all(isinstance(v, str) for v in isl.values.values())
    assert isinstance(isl.tables["events"].frame, pd.DataFrame)


def test_an_allys_sentences_read_right_without_figures(profiles) -> None:  # type: ignore[no-untyped-def]
    """Iceland has no NATO or SIPRI share of GDP and no imports in the latest window: its
    sentences say so, instead of placing "no figure" where a number would stand."""
    isl = profiles["ISL"].values
    prose_of_the_page = " ".join(isl[k] for k in ("paragraph", "pledges-text", "equipment-text",
                                                  "imports-text", "events-clause", "path-text"))
    for broken in ("spent no figure", "no rank", "start in none", "in none", "was none",
                   " 0 entries", "supplied no figure", "which no NATO figure"):
        assert broken not in prose_of_the_page, broken
    assert isl["pledges-text"].startswith("NATO's tables give Iceland no share of GDP")
    assert "SIPRI records no imports of major arms by Iceland" in isl["imports-text"]


def test_an_allys_sentences_carry_its_figures(profiles) -> None:  # type: ignore[no-untyped-def]
    pol = profiles["POL"]
    v = pol.values
    assert v["pledges-text"].startswith(
        f"By NATO's definition Poland spent {v['share-nato-latest']} of GDP on defence in "
        f"{v['latest-label']}")
    assert f"it ranks {v['rank']} of the {v['rank-of']} Allies" in v["pledges-text"]
    assert v["equipment-text"].startswith(f"Equipment was {v['equipment-latest']} of its")
    assert (f"imported major arms worth {v['imports-latest']} million TIV. Its largest supplier "
            f"was ") in v["imports-text"]
    assert f"Türkiye {v['turkey-share']} ({v['turkey-place']})" in v["imports-text"]
    n = len(pol.tables["events"].frame)
    assert v["events-clause"] == f"name Poland in {prose.count(n)} entries, each with its source"
