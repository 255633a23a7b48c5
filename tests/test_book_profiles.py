"""The built book's Ally profiles: a page per Ally, listed in the navigation under the index,
each with its cite block; the index links every page; Poland's TB2 deliveries and Greece's position
on Türkiye in SAFE are on their pages."""

from __future__ import annotations

import csv
import html as htmllib
import re
from pathlib import Path

from analysis.build import pipeline


def _allies(root: Path) -> list[tuple[str, str]]:
    return pipeline.allies(root)


def test_every_ally_has_a_page_with_a_cite_block(book: Path, root: Path) -> None:
    allies = _allies(root)
    assert len(allies) == 32
    for iso3, country in allies:
        page = book / "chapters" / f"ally-{iso3.lower()}.html"
        assert page.exists(), iso3
        html = page.read_text(encoding="utf-8")
        assert re.search(rf"<h1>{re.escape(country)}<a class=\"headerlink\"", html), iso3
        assert "Cite this page" in html and "report-cite" in html
        assert "Information from the SIPRI Arms Transfers Database" in html
        assert "Download the table (CSV)" in html


def test_the_index_links_every_profile_and_the_navigation_lists_them(book: Path,
                                                                     root: Path) -> None:
    index = (book / "chapters" / "allies.html").read_text(encoding="utf-8")
    for iso3, _ in _allies(root):
        assert f'href="ally-{iso3.lower()}.html#chapter-ally-{iso3.lower()}"' in index
        assert f'id="chapter-ally-{iso3.lower()}"' in (
            book / "chapters" / f"ally-{iso3.lower()}.html").read_text(encoding="utf-8")
    assert "report-sortable" in index
    # the navigation of another page lists the profiles (the build wrote them into the toc)
    nav = (book / "chapters" / "spending.html").read_text(encoding="utf-8")
    assert "ally-pol.html" in nav and "ally-usa.html" in nav


def test_polands_page_shows_its_tb2_deliveries(book: Path, root: Path) -> None:
    html = (book / "chapters" / "ally-pol.html").read_text(encoding="utf-8")
    assert "Bayraktar TB-2" in html and "Poland signs for 24 Bayraktar TB2" in html
    # the CSV of the deals table is the table's own rows
    csvs = sorted((book / "_static" / "report").glob("table-ally-pol-deals*.csv"))
    assert len(csvs) == 1
    with csvs[0].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tb2 = [r for r in rows if "TB-2" in r["Weapon"]]
    assert len(tb2) == 1 and tb2[0]["Number delivered"] == tb2[0]["Number ordered"]


def test_turkiyes_page_shows_it_as_a_buyer(book: Path) -> None:
    html = (book / "chapters" / "ally-tur.html").read_text(encoding="utf-8")
    assert "As a buyer" in html and "Eurofighter Typhoon" in html


def test_greeces_page_shows_its_safe_position_with_the_source(book: Path) -> None:
    from analysis.data.readers import curated

    rules = curated.table("eu_defence_rules.csv")
    greek = rules[(rules["topic"] == "member-state position")
                  & rules["actor"].str.startswith("Greece")]
    assert len(greek) >= 2
    page = htmllib.unescape((book / "chapters" / "ally-grc.html").read_text(encoding="utf-8"))
    for rule in greek.to_dict("records"):
        assert f"{rule['actor']}: {rule['statement']}" in page, rule["rule_id"]
        assert f'href="{rule["source_url"]}"' in page, rule["rule_id"]
    other = htmllib.unescape((book / "chapters" / "ally-pol.html").read_text(encoding="utf-8"))
    assert not any(r["statement"] in other for r in greek.to_dict("records"))


# the chapters' tables whose column names Allies, each name linking to its profile
LINKED_COLUMNS = [("spending", "shares-table", "Ally"), ("spending", "equipment-table", "Ally"),
                  ("spending", "path-table", "Ally"), ("exports", "recipients", "Recipient"),
                  ("exports", "european-deals", "Recipient"),
                  ("exports", "ally-purchases", "Ally"), ("outlook", "backlog-table", "Ally")]


def test_every_ally_named_in_a_chapters_table_links_to_its_profile(book: Path) -> None:
    from analysis.data import countries
    from analysis.data.readers import curated

    allies = set(curated.table("nato_members.csv")["iso3"])
    for chapter, key, column in LINKED_COLUMNS:
        page = (book / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        table = page[page.index(f'id="table-{chapter}-{key}"'):]
        table = table[:table.index("</table>")]
        with (book / "_static" / "report" / f"table-{chapter}-{key}.csv").open(
                encoding="utf-8") as fh:
            names = sorted({r[column] for r in csv.DictReader(fh)})
        codes = dict(zip(names, countries.to_iso3(names), strict=True))
        linked = [n for n in names if codes[n] in allies]
        assert linked, (chapter, key)
        for name in names:
            link = (f'<a href="ally-{str(codes[name]).lower()}.html#chapter-ally-'
                    f'{str(codes[name]).lower()}">{htmllib.escape(name)}</a>')
            assert (link in table) == (name in linked), (chapter, key, name)
        if chapter == "exports" and key == "recipients":  # buyers that are not Allies stay text
            assert len(linked) < len(names)


def test_allies_listed_in_the_prose_link_to_their_profiles(book: Path) -> None:
    """The lists of Allies the chapters compute (those at the core target, Türkiye's European
    buyers) name each Ally as a link to its page."""
    link = re.compile(r'<a href="(ally-[a-z]{3})\.html#chapter-\1">([^<]+)</a>')

    def in_prose(chapter: str) -> set[str]:
        page = (book / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        return {name for p in re.findall(r"<p>(.*?)</p>", page, re.DOTALL)
                for _, name in link.findall(p)}

    assert "Poland" in in_prose("spending")  # at or above 3.5% in NATO's latest year
    assert {"Poland", "Romania"} <= in_prose("exports")  # Türkiye's European buyers


def test_every_link_to_a_profile_lands_on_its_page(book: Path, root: Path) -> None:
    """The links to the Allies' pages are the book's own (not checked by Sphinx): each lands on
    a page that exists and holds its anchor."""
    ids = {iso3.lower() for iso3, _ in _allies(root)}
    found = 0
    for page in (book / "chapters").glob("*.html"):
        for code in re.findall(r'href="ally-([a-z]{3})\.html#chapter-ally-\1"',
                               page.read_text(encoding="utf-8")):
            assert code in ids, (page.name, code)
            found += 1
    assert found > len(ids)
