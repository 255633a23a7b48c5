"""The built book: pages exist, nothing is loaded from outside, every chart has its files."""

from __future__ import annotations

import html as _html
import itertools
import json
import re
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import altair as alt
import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.book


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []  # script src, stylesheet/icon href, img src
        self.links: list[str] = []  # a href

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.assets.append(a["src"] or "")
        elif tag == "link" and a.get("href") and a.get("rel") not in ("canonical",):
            self.assets.append(a["href"] or "")
        elif tag in ("img", "iframe", "source") and a.get("src"):
            self.assets.append(a["src"] or "")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def _pages(book: Path) -> list[Path]:
    return sorted(p for p in book.rglob("*.html") if "_static" not in p.parts)


def _refs(page: Path) -> _Refs:
    r = _Refs()
    r.feed(page.read_text(encoding="utf-8"))
    return r


def _local_target(book: Path, page: Path, ref: str) -> Path:
    rel = page.relative_to(book).as_posix()
    url = urlparse(urljoin(f"http://book/{rel}", urldefrag(ref)[0]))
    return book / url.path.lstrip("/")


def test_toc_pages_exist(book: Path, root: Path) -> None:
    from analysis.build.pipeline import toc_files

    for doc in toc_files(root):
        assert (book / f"{doc}.html").exists(), doc
    assert (book / "index.html").exists()


def test_no_asset_comes_from_outside_the_book(book: Path) -> None:
    for page in _pages(book):
        for ref in _refs(page).assets:
            assert not re.match(r"^(https?:)?//", ref), (page.name, ref)
            assert _local_target(book, page, ref).exists(), (page.name, ref)
        assert "unpkg.com" not in page.read_text(encoding="utf-8"), page.name


def test_every_chart_has_its_csv_svg_and_source_line(book: Path) -> None:
    charts = 0
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<div class='report-chart' id='(chart-[a-z0-9-]+)'>", text):
            charts += 1
            block = text[m.start(): text.index("</script></div>", m.start())]
            assert "Source:" in block and "vintage" in block, m.group(1)
            for ref in re.findall(r"(?:href|src)='([^']+)'", block):
                assert _local_target(book, page, ref).exists(), (page.name, ref)
        for ref in _refs(page).links:
            if ref.endswith(".csv"):
                target = _local_target(book, page, ref)
                assert target.exists() and target.stat().st_size > 0, (page.name, ref)
    assert charts >= 1


#: pages that paste charts from the chapters (the summary at the front)
PASTING_PAGES = ("summary.html",)


def test_chart_ids_are_stable_and_unique(book: Path) -> None:
    """A chart's id is its chapter's and key: one chapter page draws it; the summary may paste
    it again, under the same id."""
    ids: list[str] = []
    pasted: list[str] = []
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        assert "altair-viz-" not in text
        found = re.findall(r"class='report-chart' id='([^']+)'", text)
        (pasted if page.name in PASTING_PAGES else ids).extend(found)
    assert len(ids) == len(set(ids))
    assert set(pasted) <= set(ids), set(pasted) - set(ids)


def test_prose_numbers_are_glued(book: Path) -> None:
    text = (book / "chapters/exports.html").read_text(encoding="utf-8")
    assert text.count('class="pasted-text"') >= 8
    assert "{glue" not in text


# --------------------------------------------------------------------------- reader features
# Citation, bibliography, data page and the chart rules (issue 8). The first group needs no book.


def _pyproject_version(root: Path) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_citation_cff_is_valid_and_carries_the_one_version(root: Path) -> None:
    """pyproject.toml holds the version; CITATION.cff and analysis.__version__ must agree."""
    import analysis

    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    version = _pyproject_version(root)
    assert str(cff["version"]) == version
    assert str(cff["preferred-citation"]["version"]) == version
    assert analysis.__version__ == version, "reinstall the package (make setup): stale metadata"
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    assert cff["title"] == config["title"]
    assert [a["name"] for a in cff["authors"]] == [config["author"]]
    cffconvert = Path(sys.executable).with_name("cffconvert")
    proc = subprocess.run([str(cffconvert), "--validate", "-i", str(root / "CITATION.cff")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _bib_entries(root: Path) -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(root / "references.bib")).entries)


def test_references_describe_the_data_files_their_sidecars_describe(root: Path) -> None:
    """Each data entry's folders exist, and its year and address agree with the sidecars;
    every published data file (data/raw) is covered by exactly one entry."""
    from analysis.data.sources import list_files

    covered: dict[str, str] = {}
    for key, entry in _bib_entries(root).items():
        fields = entry.fields
        assert fields.get("title") and fields.get("year") and fields.get("url"), key
        for folder in filter(None, (f.strip() for f in fields.get("datafiles", "").split(","))):
            files = [df for df in list_files() if df.relpath.startswith(folder.rstrip("/") + "/")]
            assert files, (key, folder)
            for df in files:
                assert df.relpath not in covered, (df.relpath, covered.get(df.relpath), key)
                covered[df.relpath] = key
                dated = f"{df.meta['edition']} {df.meta['date_published']}"
                assert fields["year"] in dated, (key, df.relpath, fields["year"], dated)
                host = urlparse(fields["url"]).netloc
                assert host and host in str(df.meta["url"]), (key, host, df.meta["url"])
    raw = [df.relpath for df in list_files() if df.source != "curated"]
    assert sorted(covered) == sorted(raw)


def _simulate(colour: str, matrix: list[list[float]]) -> tuple[float, float, float]:
    """CIELAB of a colour as seen with a colour-vision deficiency (Machado et al. 2009, severity
    1.0, applied to linear sRGB)."""
    from analysis.publishing.figures import parse_colour

    rgb = parse_colour(colour)
    assert rgb is not None
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    r, g, b = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin, strict=True))))
               for row in matrix)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def test_palette_has_contrast_and_survives_colour_vision_deficiencies() -> None:
    """Every theme colour has 3:1 against the background (WCAG 2.1 SC 1.4.11), and every pair
    stays apart (CIE76 distance of at least 10) for protan, deutan and tritan vision; the
    original Okabe-Ito orange is the counter-example the check must catch."""
    from analysis.publishing import charts, figures

    background = charts._theme()["config"]["background"]
    for colour in [*charts.PALETTE, charts.HIGHLIGHT, charts.MUTED]:
        assert figures.contrast_ratio(colour, background) >= figures.MIN_MARK_CONTRAST, colour
    assert figures.contrast_ratio("#E69F00", background) < figures.MIN_MARK_CONTRAST
    for name, matrix in MACHADO_2009.items():
        for a, b in itertools.combinations(charts.PALETTE, 2):
            distance = sum((p - q) ** 2 for p, q in
                           zip(_simulate(a, matrix), _simulate(b, matrix), strict=True)) ** 0.5
            assert distance >= 10, (name, a, b, round(distance, 1))
    theme = charts._theme()["config"]
    for key in ("labelColor", "titleColor"):
        assert figures.contrast_ratio(theme["axis"][key], background) >= figures.MIN_TEXT_CONTRAST


@pytest.fixture(scope="module")
def yearly_exports() -> pd.DataFrame:
    """Türkiye's yearly TIV from the real SIPRI register, as the exports chapter draws it."""
    from analysis.calc import exports
    from analysis.data.readers import sipri_transfers

    register = sipri_transfers.deliveries("2026-02-12")
    frame = exports.yearly_tiv(register, "Turkiye", 2015, 2024)
    frame.attrs["source_note"] = register.attrs["source_note"]
    return frame


def _good_chart(frame: pd.DataFrame) -> alt.Chart:
    from analysis.publishing import charts

    return charts.bar_by_period(frame, x="year", y="tiv", x_title="Year", y_title="TIV (millions)",
                                heading=charts.title("Türkiye's arms exports", "SIPRI TIV, millions"))


def test_chart_rules_pass_a_real_chart_and_name_each_broken_rule(
        yearly_exports: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.publishing import figures

    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    source = yearly_exports.attrs["source_note"]
    description = "Bars of Türkiye's arms exports by year of delivery in SIPRI TIV"
    fig = figures.figure("ok", _good_chart(yearly_exports), data=yearly_exports, source=source,
                         description=description)
    written = pd.read_csv(tmp_path / fig.csv_name)
    assert list(written.columns) == list(yearly_exports.columns)
    assert len(written) == len(yearly_exports)
    assert fig.spec["description"] == description

    bad = (alt.Chart(yearly_exports).mark_bar(color="#E69F00")
           .encode(x="year:O", y="tiv:Q", tooltip=[alt.Tooltip("tiv:Q", title="Value")]))
    with pytest.raises(figures.ChartRuleError) as err:
        figures.figure("bad", bad, data=yearly_exports[["tiv"]], source="SIPRI",
                       description="A chart")
    rules = {p.split(":")[0] for p in err.value.problems}
    assert rules == {"title", "tooltip", "colour", "source", "description", "data"}, err.value
    assert "2.25:1" in str(err.value)  # the measured contrast is reported
    assert not list(tmp_path.glob("*-bad.*")), "a refused chart writes no files"


def test_small_multiples_get_a_table_alternative(
        yearly_exports: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.publishing import charts, figures

    monkeypatch.setenv(figures.ASSET_DIR_ENV, str(tmp_path))
    frame = yearly_exports.assign(
        half=["first half" if y < 2020 else "second half" for y in yearly_exports["year"]])
    tip = [alt.Tooltip("tiv:Q", title="TIV (millions)", format=",.0f")]
    facet = (alt.Chart(frame).mark_bar()
             .encode(x="year:O", y=alt.Y("tiv:Q", title="TIV (millions)",
                                         axis=alt.Axis(format=",.0f")), tooltip=tip)
             .facet(facet="half:N", columns=2)
             .properties(title=charts.title("By half", "SIPRI TIV, millions")))
    fig = figures.figure("facet", facet, data=frame, source=yearly_exports.attrs["source_note"],
                         description="Two panels of bars, Türkiye's arms exports by year")
    table = fig.table_html
    assert "<details class='report-table-alt'>" in table and "<th scope='row'>" in table
    for _, row in frame.iterrows():  # every value drawn is in the table, formatted
        assert f"<td>{format(row['tiv'], ',.0f')}</td>" in table
    assert table.count("<th scope='row'>") == frame["half"].nunique()
    assert figures.is_small_multiples(fig.spec)
    assert "table" in " ".join(figures.chart_problems(fig.spec, source=fig.source,
                                                      description=fig.description))
    explicit = figures.TableAlternative(rows="half", columns="year", values="tiv",
                                        value_format=",.1f", caption="TIV (millions)")
    assert explicit.frame(frame).shape == (2, len(frame))  # halves down, every year across
    with pytest.raises(ValueError, match="more than one value"):
        figures.TableAlternative(rows="half", columns="half", values="tiv").frame(frame)


# ------------------------------------------------------------------ the built book


def _manifest(root: Path) -> dict:
    from analysis.build.pipeline import MANIFEST, build_dir

    return json.loads((build_dir(root) / "work" / "src" / MANIFEST).read_text(encoding="utf-8"))


def _cited_pages(root: Path) -> list[str]:
    """Every page that must end with a cite block: all but those that opt out."""
    from analysis.build.pipeline import toc_files

    out = []
    for doc in toc_files(root):
        md = root / f"{doc}.md"
        text = md.read_text(encoding="utf-8") if md.exists() else ""
        front = text.split("---")[1] if text.startswith("---") else ""
        if "report_cite: false" not in front:
            out.append(doc)
    return out


def _chart_blocks(book: Path):
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"<div class='report-chart' id='(chart-[a-z0-9-]+)'>", text):
            yield page, m.group(1), text[m.start(): text.index("</script></div>", m.start())]


def test_every_chart_in_the_book_follows_the_chart_rules(book: Path) -> None:
    """The rules figures.figure() enforced, checked again on what readers get: spec, aria-label,
    alt text, the table alternative, and a CSV equal to the drawn dataset."""
    from analysis.publishing import figures

    n = 0
    for page, eid, block in _chart_blocks(book):
        n += 1
        spec = json.loads(_html.unescape(block.split("class='report-chart-spec'>", 1)[1])
                          .replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
        label = _html.unescape(re.search(r"role='img' aria-label='([^']*)'", block).group(1))
        alt_text = _html.unescape(re.search(r"<img [^>]*alt='([^']*)'", block).group(1))
        assert label == alt_text == spec["description"], eid
        source = _html.unescape(re.sub(r"<[^>]+>", "", re.search(
            r"<p class='report-chart-source'>(.*?)</p>", block, re.DOTALL).group(1)))
        problems = figures.chart_problems(spec, source=source, description=label,
                                          has_table=("report-table-alt" in block
                                                     or "report-table-beside" in block))
        assert problems == [], (page.name, eid, problems)
        csv = pd.read_csv(_local_target(book, page, re.search(
            r"class='report-csv' href='([^']+)'", block).group(1)))
        shapes = [(len(rows), {k for r in rows for k in r}) for rows in spec["datasets"].values()]
        assert (len(csv), set(csv.columns)) in shapes, (eid, len(csv), list(csv.columns))
    assert n >= 1


def test_every_chapter_ends_with_a_cite_block_built_from_the_sidecars(book: Path,
                                                                       root: Path) -> None:
    import datetime as dt

    from analysis import __version__
    from analysis.publishing.sphinx_ext import data_anchor, datafile_for

    manifest = _manifest(root)
    built = dt.datetime.fromtimestamp(int(manifest["source_date_epoch"]), dt.UTC).date().isoformat()
    for doc in _cited_pages(root):
        page = book / f"{doc}.html"
        text = page.read_text(encoding="utf-8")
        scope = ("report" if doc == _toc_root(root) else
                 "page" if Path(doc).name.startswith("ally-") else "chapter")  # Ally profiles
        start = text.index(f'<section id="cite-this-{scope}">')
        block = text[start:text.index("</section>", start)]
        article = text[:text.index("</article>")] if "</article>" in text else text
        assert article.rfind("<section id=") == start, f"{doc}: the cite block is not last"
        apa = re.search(r'<p class="report-cite-apa">(.*?)</p>', block, re.DOTALL).group(1)
        assert f"(Version {__version__})" in apa and f"({built[:4]})" in apa, apa
        bibtex = _html.unescape(re.sub(r"<[^>]+>", "", block))
        assert re.search(rf"version\s*=\s*\{{{re.escape(__version__)}\}}", bibtex), doc
        assert f"built {built}" in block
        name = Path(doc).name
        inputs = manifest["chapters"].get(name, {}).get("inputs", [])
        if scope in ("chapter", "page") and name in manifest["chapters"]:
            assert inputs, f"{doc} is a chapter that read no data"
        for relpath, sha in inputs:
            df = datafile_for(relpath)
            assert f">{df.name}</span>" in block and sha[:12] in block, (doc, relpath)
            if df.source != "curated":
                assert f"vintage {df.vintage}" in block, (doc, relpath)
            assert f'href="data.html#{data_anchor(relpath)}"' in block, (doc, relpath)


def _toc_root(root: Path) -> str:
    return yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]


def test_data_page_lists_every_source_from_its_sidecar(book: Path, root: Path) -> None:
    from analysis.data.sources import list_files
    from analysis.publishing.sphinx_ext import data_anchor

    text = (book / "chapters/data.html").read_text(encoding="utf-8")
    readers: dict[str, list[str]] = {}
    for name, entry in _manifest(root)["chapters"].items():
        for relpath, _sha in entry["inputs"]:
            readers.setdefault(relpath, []).append(name)
    files = list_files()
    assert files
    for df in files:
        start = text.index(f'id="{data_anchor(df.relpath)}"')
        end = text.find('<div class="report-data-source', start)
        block = _html.unescape(re.sub(r"<[^>]+>", "", text[start:end if end > 0 else None]))
        for key in ("publisher", "title", "edition", "date_published", "date_obtained", "credit"):
            assert " ".join(str(df.meta[key]).split()) in " ".join(block.split()), (df.name, key)
        assert df.sha256 in block and df.relpath in block, df.name
        used = re.search(r"Used by:?\s*(.*?)\n", block).group(1)
        for chapter in readers.get(df.relpath, []):
            chapter_title = _page_title(book / f"chapters/{chapter}.html")
            assert chapter_title in used, (df.name, chapter, used)
        if df.relpath not in readers:
            assert "no chapter of this build reads it" in used, df.name


def _page_title(page: Path) -> str:
    h1 = re.search(r"<h1>((?:(?!</h1>).)*?)<a class=\"headerlink\"", page.read_text(encoding="utf-8"),
                   re.DOTALL)
    title = re.sub(r'<span class="section-number">[^<]*</span>', "", h1.group(1))  # "4. "
    return _html.unescape(re.sub(r"<[^>]+>", "", title)).strip()


def test_one_bibliography_resolves_every_citation(book: Path) -> None:
    """Exactly one page lists references, and every in-text citation links to an entry."""
    lists = [p for p in _pages(book) if 'class="citation-list"' in p.read_text(encoding="utf-8")]
    assert [p.relative_to(book).as_posix() for p in lists] == ["chapters/bibliography.html"]
    bib = lists[0].read_text(encoding="utf-8")
    entry_ids = set(re.findall(r'<div class="citation" id="([^"]+)" role="doc-biblioentry">', bib))
    assert len(entry_ids) >= 4
    cited = 0
    reads_as: dict[str, set[str]] = {}  # in-text citation -> the entries it links to
    for page in _pages(book):
        for ref, text in re.findall(r'<span class="bibtex-citation"[^>]*>\(?<a [^>]*href="([^"]+)"'
                                    r'[^>]*>([^<]+)</a>', page.read_text(encoding="utf-8")):
            cited += 1
            target, _, anchor = ref.partition("#")
            assert target.endswith("bibliography.html") and anchor in entry_ids, (page.name, ref)
            reads_as.setdefault(text, set()).add(anchor)
    assert cited >= len(entry_ids)
    ambiguous = {text: ids for text, ids in reads_as.items() if len(ids) > 1}
    assert ambiguous == {}, "two works cited alike (APA adds 2025a, 2025b)"


def test_how_to_cite_page_reads_the_version(book: Path, root: Path) -> None:
    text = (book / "chapters/cite.html").read_text(encoding="utf-8")
    version = _pyproject_version(root)
    assert f"This is version {version} of the report" in text
    assert '<section id="cite-this-report">' not in text  # the page opts out of the end block
    assert "@book" in text and f"{{{version}}}" in _html.unescape(re.sub(r"<[^>]+>", "", text))
