"""The book's Sphinx extension: pages that stay self-contained and quiet, and the reader's
citation and data pages generated from the data's own sidecars.

* **No thebe.** Jupyter Book 1 always loads sphinx-thebe, whose configuration script is injected
  twice (a console error, ``THEBE_JS_URL`` already declared) and names a CDN address. The book has
  no launch buttons, so the thebe scripts and stylesheet are dropped from every page.
* **Cite this chapter.** Every page of the book ends with a generated "Cite this chapter" section
  (the root page: "Cite this report"): APA and BibTeX, the report's version
  (``analysis.__version__``, i.e. pyproject's ``[project].version``), the build date (the commit's
  date, ``SOURCE_DATE_EPOCH``), and the data files the chapter read with their vintages, read
  from ``_report/inputs/<chapter>.json`` (written by the pipeline: the chapter's inputs and
  checksums)
  and from the files' sidecars, never typed. A page opts out with ``report_cite: false`` in its
  front matter (the how-to-cite, data and bibliography pages). The section is added to the page's
  source before it is parsed, so it is an ordinary heading in the page's table of contents, and
  its citations are ordinary sphinxcontrib-bibtex citations listed on the one bibliography page.
* **Data page.** The ``report-data-sources`` directive lists every data file the project holds
  (``analysis.data.sources.list_files``): publisher, title, edition, dates, address, terms, credit line,
  checksum, caveats and the chapters that read it in this build (from the manifest).
* **Tables numbered as tables.** A glued table is pasted with ``{glue:figure}`` under a name
  starting ``tbl-``; it becomes a node Sphinx numbers as a table ("Table 3.1"), apart from the
  figures ("Figure 2.3"), and ``{numref}`` refers to it as a table.
* ``{{ report_version }}`` and ``{{ report_build_date }}`` (MyST substitutions) put the version and
  the build date in a page's prose.

Data sources are tied to bibliography entries by the ``datafiles`` field of ``references.bib``
(folders under ``data/``), so a chapter that reads a SIPRI file cites the SIPRI entry.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from analysis import __version__
from analysis.data.sources import (
    CURATED,
    DataFile,
    curated_file,
    list_files,
    project_root,
    raw_file,
)

logger = logging.getLogger(__name__)

_THEBE_MARKERS = ("thebe", "THEBE_JS_URL")
#: one file per chapter, ``<chapter>.json``: the data files it read and their checksums (written by
#: analysis.build.pipeline.write_manifest)
INPUTS_DIR = "_report/inputs"
OPT_OUT_KEY = "report_cite"
CITE_HEADINGS = {"chapter": "Cite this chapter", "page": "Cite this page",
                 "book": "Cite this report"}
#: pages cited as pages, not chapters: the Ally profiles (``chapters/ally-pol``)
PAGE_PREFIX = "ally-"


# --------------------------------------------------------------------------- no thebe


def _is_thebe(asset: Any) -> bool:
    name = getattr(asset, "filename", None) or str(asset)
    body = (getattr(asset, "attributes", {}) or {}).get("body", "")
    return any(m in (name or "") or m in (body or "") for m in _THEBE_MARKERS)


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


# --------------------------------------------------------------------------- build facts


@dataclass(frozen=True)
class Input:
    """One data file a chapter read, with its sidecar, as the cite block and data page show it."""

    datafile: DataFile
    sha256_read: str  # the checksum recorded when the chapter read the file

    @property
    def relpath(self) -> str:
        return self.datafile.relpath

    @property
    def anchor(self) -> str:
        return data_anchor(self.relpath)


def data_anchor(relpath: str) -> str:
    """The data page's label for one file: stable, and the same from every page."""
    return "data-" + re.sub(r"[^a-z0-9]+", "-", relpath.lower().removeprefix("data/")).strip("-")


def datafile_for(relpath: str) -> DataFile:
    """The file under ``data/`` with its sidecar (``data/raw/<source>/<vintage>/<file>`` or
    ``data/curated/<file>``)."""
    parts = relpath.split("/")
    if len(parts) == 5 and parts[:2] == ["data", "raw"]:
        return raw_file(parts[2], parts[3], parts[4])
    if len(parts) == 3 and parts[:2] == ["data", CURATED]:
        return curated_file(parts[2])
    raise ValueError(f"{relpath}: not a data file path (data/raw/<source>/<vintage>/<file> "
                     "or data/curated/<file>)")


@cache
def _inputs(path: str, mtime_ns: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _inputs_of(app: Sphinx, path: Path) -> dict[str, Any]:
    """One chapter's inputs, noted as a dependency of the page being read: the page is read
    again when what that chapter read changes, and only then."""
    app.env.note_dependency(str(path))
    return _inputs(str(path), path.stat().st_mtime_ns)


def manifest(app: Sphinx) -> dict[str, Any]:
    """What each chapter read (empty when the book is rendered outside ``report build``)."""
    folder = Path(app.srcdir) / INPUTS_DIR
    return {"chapters": {f.stem: _inputs_of(app, f) for f in sorted(folder.glob("*.json"))}}


def data_label(df: DataFile) -> str:
    """A file's title, edition and vintage in one line, from its sidecar."""
    meta = df.meta
    title, edition = str(meta["title"]).rstrip("."), str(meta["edition"]).strip().rstrip(".")
    if df.source == CURATED:
        return f"{title}, {edition}: {meta['credit']}"
    published = str(meta["date_published"])
    when = f"vintage {df.vintage}" + (f", published {published}" if published != df.vintage else "")
    return f"{title}, {edition}; {when}"


def chapter_name(docname: str) -> str:
    return docname.rsplit("/", 1)[-1]


def chapter_inputs(app: Sphinx, docname: str) -> list[Input]:
    """The data files a chapter read on the run the book shows, with their sidecars."""
    path = Path(app.srcdir) / INPUTS_DIR / f"{chapter_name(docname)}.json"
    if not path.exists():
        return []
    entry = _inputs_of(app, path)
    out = []
    for relpath, sha in entry["inputs"]:
        item = Input(datafile_for(relpath), sha)
        app.env.note_dependency(str(item.datafile.sidecar))  # its title, edition and dates
        if item.datafile.sha256 != sha:
            logger.warning("%s: the chapter read sha256 %s but the sidecar now says %s; rebuild",
                           relpath, sha, item.datafile.sha256, location=docname)
        out.append(item)
    return out


def readers_of(app: Sphinx) -> dict[str, list[str]]:
    """data file -> names of the chapters that read it in this build."""
    out: dict[str, list[str]] = {}
    for name, entry in sorted(manifest(app).get("chapters", {}).items()):
        for relpath, _sha in entry["inputs"]:
            out.setdefault(relpath, []).append(name)
    return out


def build_date() -> str:
    """The commit's date (``SOURCE_DATE_EPOCH``): two builds of one commit say the same."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return ""
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()


@cache
def _bib_datafiles(path: str, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    from pybtex.database import parse_file

    pairs = []
    for key, entry in parse_file(path).entries.items():
        for folder in str(entry.fields.get("datafiles", "")).split(","):
            if folder.strip():
                pairs.append((folder.strip().rstrip("/") + "/", key))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def bib_key_for(app: Sphinx, relpath: str) -> str | None:
    """The bibliography entry that describes a data file (its ``datafiles`` folder)."""
    for name in app.config.bibtex_bibfiles or []:
        path = Path(app.srcdir) / name
        if path.exists():
            for folder, key in _bib_datafiles(str(path), path.stat().st_mtime_ns):
                if relpath.startswith(folder):
                    return key
    return None


# --------------------------------------------------------------------------- citation text


def bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)


@dataclass(frozen=True)
class Citation:
    """What a reader needs to cite the report or one chapter of it."""

    author: str
    book_title: str
    version: str
    built: str
    chapter_title: str = ""
    chapter: str = ""
    url: str = ""

    @property
    def year(self) -> str:
        return self.built[:4] or "n.d."

    def apa_parts(self) -> list[tuple[str, bool]]:
        """APA 7 as (text, italic) runs: a chapter "In" the report, or the report itself."""
        edition = f" (Version {self.version})."
        tail = f" {self.url}" if self.url else ""
        if self.chapter_title:
            return [(f"{self.author}. ({self.year}). {self.chapter_title}. In ", False),
                    (self.book_title, True), (edition + tail, False)]
        return [(f"{self.author}. ({self.year}). ", False), (self.book_title, True),
                (edition + tail, False)]

    def apa(self) -> str:
        return "".join(text for text, _ in self.apa_parts())

    def bibtex(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", f"turkiye-rearmament-{self.chapter or 'report'}".lower())
        fields = [("author", f"{{{bibtex_escape(self.author)}}}"),
                  ("title", f"{{{bibtex_escape(self.book_title)}}}")]
        if self.chapter_title:
            fields.append(("chapter", bibtex_escape(self.chapter_title)))
        fields += [("year", self.year), ("version", self.version)]
        if self.built:
            fields.append(("note", f"Version {self.version}, built {self.built}"))
        if self.url:
            fields.append(("url", self.url))
        kind = "inbook" if self.chapter_title else "book"
        width = max(len(k) for k, _ in fields)
        body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fields)
        return f"@{kind}{{{slug}-{self.version},\n{body},\n}}"


def page_url(app: Sphinx, docname: str) -> str:
    base = (app.config.html_baseurl or "").rstrip("/")
    return f"{base}/{docname}.html" if base else ""


def citation_for(app: Sphinx, docname: str, scope: str, chapter_title: str) -> Citation:
    author = str(app.config.author or "The report team")
    book = str(app.config.html_title or app.config.project or "")
    if scope == "book":
        return Citation(author, book, __version__, build_date(),
                        url=page_url(app, app.config.root_doc))
    return Citation(author, book, __version__, build_date(), chapter_title,
                    chapter_name(docname), page_url(app, docname))


# --------------------------------------------------------------------------- cite block


def _opted_out(text: str, suffix: str) -> bool:
    """``report_cite: false`` in a Markdown page's front matter or a notebook's metadata."""
    if suffix == ".ipynb":
        try:
            meta = json.loads(text).get("metadata", {})
        except json.JSONDecodeError:
            return False
        return meta.get(OPT_OUT_KEY) is False
    m = re.match(r"---\r?\n(.*?)\r?\n---\r?\n", text, re.DOTALL)
    if not m:
        return False
    front = yaml.safe_load(m.group(1)) or {}
    return isinstance(front, dict) and front.get(OPT_OUT_KEY) is False


def cite_markdown(scope: str) -> str:
    return f"\n\n## {CITE_HEADINGS[scope]}\n\n```{{report-cite}}\n:scope: {scope}\n```\n"


def _append_cite_block(app: Sphinx, docname: str, source: list[str]) -> None:
    """Add the "Cite this chapter" section at the end of the page's source."""
    suffix = Path(app.env.doc2path(docname)).suffix
    text = source[0]
    if _opted_out(text, suffix) or suffix not in (".md", ".ipynb"):
        return
    scope = ("book" if docname == app.config.root_doc else
             "page" if chapter_name(docname).startswith(PAGE_PREFIX) else "chapter")
    block = cite_markdown(scope)
    if suffix == ".md":
        source[0] = text.rstrip("\n") + block
        return
    nb = json.loads(text)
    cell: dict[str, Any] = {"cell_type": "markdown", "metadata": {}, "source": block.strip("\n")}
    if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
        cell["id"] = "report-cite-this-chapter"
    nb["cells"].append(cell)
    source[0] = json.dumps(nb, ensure_ascii=False)


class CiteDirective(SphinxDirective):
    """The cite block: APA, BibTeX, version, build date and the data the page used."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "scope": lambda arg: directives.choice(arg, ("chapter", "page", "book"))}

    def _page_title(self) -> str:
        for section in self.state.document.findall(nodes.section):
            return section[0].astext() if section.children else ""
        return ""

    def _inline(self, text: str) -> list[nodes.Node]:
        found, messages = self.state.inline_text(text, self.lineno)
        return [*found, *messages]

    def run(self) -> list[nodes.Node]:
        docname = self.env.docname
        scope = self.options.get("scope", "chapter")
        cite = citation_for(self.env.app, docname, scope, self._page_title())
        if not cite.built:
            logger.warning("SOURCE_DATE_EPOCH is not set: build the book with `report build`",
                           location=(docname, self.lineno))
        box = nodes.container(classes=["report-cite"])
        what = {"chapter": "this chapter", "page": "this page"}.get(scope, "the report as a whole")
        box += nodes.paragraph("", f"Cite {what} (APA):")
        apa = nodes.paragraph(classes=["report-cite-apa"])
        for text, italic in cite.apa_parts():
            apa += nodes.emphasis(text, text) if italic else nodes.Text(text)
        box += apa
        box += nodes.paragraph("", "BibTeX:")
        bib = cite.bibtex()
        block = nodes.literal_block(bib, bib, language="bibtex", classes=["report-cite-bibtex"])
        box += block
        facts = nodes.paragraph(classes=["report-cite-version"])
        facts += nodes.Text(f"Report version {cite.version}")
        facts += nodes.Text(f", built {cite.built}." if cite.built else ".")
        box += facts
        box += self._data_list(docname, scope)
        return [box]

    def _data_list(self, docname: str, scope: str) -> list[nodes.Node]:
        app = self.env.app
        if scope == "book":
            inputs = sorted({i.relpath: i for ch in manifest(app).get("chapters", {})
                             for i in chapter_inputs(app, ch)}.values(), key=lambda i: i.relpath)
            intro = "Data used by the report, as read when it was built:"
        else:
            inputs = chapter_inputs(app, docname)
            intro = (f"Data used by this {'page' if scope == 'page' else 'chapter'}, as read when "
                     "it was built:")
        if not inputs:
            return [nodes.paragraph("", "This page reads no data file itself; the chapters list "
                                    "the data they use.")]
        items = nodes.bullet_list(classes=["report-cite-data"])
        items["support_smartquotes"] = False  # titles and editions as their sidecars write them
        for item in inputs:
            df = item.datafile
            li = nodes.list_item()
            para = nodes.paragraph()
            para += nodes.Text(f"{data_label(df)}. File ")
            para += nodes.literal(df.name, df.name)
            para += nodes.Text(f" (sha256 {item.sha256_read[:12]}…). ")
            key = bib_key_for(app, item.relpath)
            if key:
                para += self._inline(f"{{cite:p}}`{key}`")
                para += nodes.Text(" ")
            para += self._inline(f"{{ref}}`Details <{item.anchor}>`")
            para += nodes.Text(".")
            li += para
            items += li
        return [nodes.paragraph("", intro), items]


# --------------------------------------------------------------------------- data page


def _url_nodes(text: str) -> list[nodes.Node]:
    """An address field: the first http(s) address as a link, the rest as text."""
    m = re.search(r"https?://[^\s)]+", text)
    if not m:
        return [nodes.Text(text)]
    url = m.group(0).rstrip(".,;")
    out: list[nodes.Node] = []
    if text[:m.start()]:
        out.append(nodes.Text(text[:m.start()]))
    out.append(nodes.reference(url, url, refuri=url, classes=["report-url"]))
    rest = text[m.start() + len(url):]
    if rest:
        out.append(nodes.Text(rest))
    return out


def _text_nodes(value: Any) -> list[nodes.Node]:
    """A sidecar value as text: strings as they are, lists and mappings as bullets."""
    if isinstance(value, list):
        items = nodes.bullet_list()
        for v in value:
            items += nodes.list_item("", *_as_body(v))
        return [items]
    if isinstance(value, dict):
        items = nodes.bullet_list()
        for k, v in value.items():
            body = _as_body(v)
            if body and isinstance(body[0], nodes.paragraph):
                body[0].insert(0, nodes.Text(f"{k}: "))
            items += nodes.list_item("", *body)
        return [items]
    return [nodes.Text(str(value).strip())]


def _as_body(value: Any) -> list[nodes.Node]:
    found = _text_nodes(value)
    if found and isinstance(found[0], nodes.Text):
        return [nodes.paragraph("", "", *found)]
    return found


class DataSourcesDirective(SphinxDirective):
    """Every data file the project holds, from its sidecar, with the chapters that read it."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "kind": lambda arg: directives.choice(arg, ("raw", "curated", "all"))}

    def _field(self, name: str, body: list[nodes.Node]) -> nodes.field:
        field = nodes.field()
        field += nodes.field_name("", name)
        content = nodes.field_body()
        if body and all(isinstance(b, (nodes.Text, nodes.Inline)) for b in body):
            content += nodes.paragraph("", "", *body)
        else:
            for b in body:
                content += b if not isinstance(b, nodes.Text) else nodes.paragraph("", "", b)
        field += content
        return field

    def _inline(self, text: str) -> list[nodes.Node]:
        found, messages = self.state.inline_text(text, self.lineno)
        return [*found, *messages]

    def _used_by(self, names: list[str]) -> list[nodes.Node]:
        if not names:
            return [nodes.Text("no chapter of this build reads it")]
        docs = {chapter_name(d): d for d in self.env.found_docs}
        out: list[nodes.Node] = []
        for i, name in enumerate(names):
            if i:
                out.append(nodes.Text(", "))
            out += self._inline(f"{{doc}}`/{docs[name]}`") if name in docs else [nodes.Text(name)]
        return out

    def run(self) -> list[nodes.Node]:
        kind = self.options.get("kind", "all")
        app = self.env.app
        used = readers_of(app)
        for relpath in used:
            self.env.note_dependency(str(project_root() / relpath) + ".meta.yml")
        out: list[nodes.Node] = []
        for df in list_files():
            if kind != "all" and (df.source == CURATED) != (kind == "curated"):
                continue
            meta = df.meta
            self.env.note_dependency(str(df.sidecar))
            anchor = data_anchor(df.relpath)
            target = nodes.target("", "", ids=[anchor], names=[anchor])
            self.state.document.note_explicit_target(target)
            box = nodes.container(classes=["report-data-source"])
            box["support_smartquotes"] = False  # sidecar text as written: '2023e', '...'
            box += target
            box += nodes.rubric("", str(meta["title"]))
            fields = nodes.field_list()
            fields += self._field("Publisher", [nodes.Text(str(meta["publisher"]))])
            fields += self._field("Edition", [nodes.Text(str(meta["edition"]))])
            vintage = "" if df.source == CURATED else f"; vintage folder {df.vintage}"
            fields += self._field("Dates", [nodes.Text(
                f"published {meta['date_published']}; obtained {meta['date_obtained']}{vintage}")])
            fields += self._field("Address", _url_nodes(str(meta["url"]).strip()))
            fields += self._field("Terms", [nodes.Text(str(meta["terms"]).strip())])
            fields += self._field("Credit line", [nodes.Text(str(meta["credit"]))])
            fields += self._field("File", [nodes.literal(df.relpath, df.relpath)])
            fields += self._field("SHA-256", [nodes.literal(df.sha256, df.sha256,
                                                            classes=["report-sha"])])
            fields += self._field("Used by", self._used_by(used.get(df.relpath, [])))
            key = bib_key_for(app, df.relpath)
            if key:
                fields += self._field("Reference", self._inline(f"{{cite:t}}`{key}`"))
            fields += self._field("Caveats", _as_body(meta["caveats"]))
            box += fields
            out.append(box)
        if not out:
            out.append(nodes.paragraph("", "No data file of this kind."))
        return out


class PasteFigureDirective(SphinxDirective):
    """``{report-paste-figure} spending.ipynb::path`` (options ``:name:``, ``:figwidth:``, a
    caption as content): a chart glued on another page, pasted in a numbered figure. myst-nb's
    ``{glue:figure}`` pastes from its own page only; its roles reach other pages, and this
    directive uses the same pending reference."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"name": directives.unchanged,
                                             "figwidth": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        from myst_nb.ext.glue.utils import create_pending_glue_ref

        path, sep, key = self.arguments[0].partition("::")
        if not sep:
            raise self.error(f"{self.arguments[0]!r}: write page.ipynb::key")
        ref = create_pending_glue_ref(self.state.document, self.env.docname, self.lineno, path,
                                      key, inline=False, gtype="any")
        fig = nodes.figure("", ref)
        if "figwidth" in self.options:
            fig["width"] = self.options["figwidth"]
        self.add_name(fig)
        if self.content:
            holder = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, holder)
            first = holder[0] if len(holder) else None
            if isinstance(first, nodes.paragraph):
                fig += nodes.caption(first.rawsource, "", *first.children)
        return [fig]


class VintagesDirective(SphinxDirective):
    """The vintage of every publisher's file the report read in this build, one line each
    (title, edition, vintage, publication date), from the manifest and the sidecars."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        app = self.env.app
        inputs = sorted({i.relpath: i for ch in manifest(app).get("chapters", {})
                         for i in chapter_inputs(app, ch)}.values(), key=lambda i: i.relpath)
        items = nodes.bullet_list(classes=["report-vintages"])
        items["support_smartquotes"] = False
        for item in inputs:
            if item.datafile.source == CURATED:
                continue
            self.env.note_dependency(str(item.datafile.sidecar))
            para = nodes.paragraph()
            para += nodes.Text(f"{data_label(item.datafile)}. ")
            para += self._inline(f"{{ref}}`Details <{item.anchor}>`")
            items += nodes.list_item("", para)
        if not len(items):
            return [nodes.paragraph("", "No publisher's file was read in this build.")]
        return [items]

    def _inline(self, text: str) -> list[nodes.Node]:
        found, messages = self.state.inline_text(text, self.lineno)
        return [*found, *messages]


# --------------------------------------------------------------------------- citation style


def _round() -> Any:
    from sphinxcontrib.bibtex.style.referencing import BracketStyle

    return BracketStyle(left="(", right=")", sep="; ")


def _year_with_suffix() -> Any:
    """A template node for APA's year: "2025a" and "2025b" when one author has two works in one
    year. The letter is the one the bibliography's label gives (SIPRI25a), so the text and the
    list agree; a lone work keeps its plain year."""
    from pybtex.richtext import Text
    from sphinxcontrib.bibtex.style.template import node, year

    @node
    def year_suffixed(children: Any, data: dict[str, Any]) -> Any:
        label = str(data["formatted_entry"].label)
        suffix = label[-1] if len(label) > 1 and label[-1].isalpha() and label[-2].isdigit() else ""
        return Text(year.format_data(data), suffix)

    return year_suffixed


def register_reference_style() -> None:
    """``author_year_round``: in-text citations as APA writes them, "(SIPRI, 2025a)", rather
    than sphinxcontrib-bibtex's "[SIPRI, 2025]" (square brackets, and two SIPRI works of 2025
    that read alike)."""
    from dataclasses import field, make_dataclass

    from sphinxcontrib.bibtex.plugin import register_plugin
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
        BasicAuthorYearParentheticalReferenceStyle as Parenthetical,
    )
    from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
        BasicAuthorYearTextualReferenceStyle as Textual,
    )
    from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference

    year = _year_with_suffix()

    class ParentheticalApa(Parenthetical):
        def inner(self, role_name: str) -> Any:
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text,
                reference[join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name), year]],
                post_text,
            ]

    class TextualApa(Textual):
        def inner(self, role_name: str) -> Any:
            return join(sep=self.text_reference_sep)[
                self.person.author_or_editor_or_title(full="s" in role_name),
                join[self.bracket.left,
                     join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                         pre_text, reference[year], post_text],
                     self.bracket.right],
            ]

    def post_init(self: Any) -> None:
        AuthorYearReferenceStyle.__post_init__(self)
        apa = {Parenthetical: ParentheticalApa, Textual: TextualApa}
        self.styles[:] = [s if type(s) not in apa else
                          apa[type(s)](**{k: getattr(s, k) for k in s.__dataclass_fields__})
                          for s in self.styles]
        self.role_style.update((name, s) for s in self.styles for name in s.role_names())

    fields = [(name, Any, field(default_factory=_round))
              for name in ("bracket_parenthetical", "bracket_textual", "bracket_author",
                           "bracket_label", "bracket_year")]
    style = make_dataclass("ApaAuthorYearReferenceStyle", fields,
                           bases=(AuthorYearReferenceStyle,),
                           namespace={"__post_init__": post_init})
    register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_round", style,
                    force=True)


# --------------------------------------------------------------------------- prose


def _substitutions(app: Sphinx, config: Any) -> None:
    """``{{ report_version }}`` and ``{{ report_build_date }}`` for the pages' prose."""
    subs = dict(getattr(config, "myst_substitutions", None) or {})
    subs.update({"report_version": __version__,
                 "report_build_date": build_date() or "(not built with report build)"})
    config.myst_substitutions = subs


# --------------------------------------------------------------------------- tables numbered as tables

TABLE_ID_PREFIX = "tbl-"


class numbered_table(nodes.figure):
    """A glued table (``{glue:figure}`` named ``tbl-...``): laid out as a figure, numbered and
    referred to (``{numref}``) as a table: "Table 3.1", counted apart from the figures."""


class TablesAsTables(SphinxTransform):
    """Every figure whose name starts with ``tbl-`` becomes a :class:`numbered_table`. It runs
    while the page is read, before Sphinx records its labels and numbers them."""

    default_priority = 210

    def apply(self, **kwargs: Any) -> None:
        for fig in list(self.document.findall(nodes.figure)):
            if type(fig) is nodes.figure and any(i.startswith(TABLE_ID_PREFIX) for i in fig["ids"]):
                table = numbered_table(fig.rawsource, *fig.children, **fig.attributes)
                fig.replace_self(table)
                for i in table["ids"]:  # {numref} finds its target through the document's ids
                    self.document.ids[i] = table


def _table_caption(node: nodes.Element) -> str:
    caption = node.next_node(nodes.caption)
    return caption.astext() if caption is not None else ""


def _visit_numbered_table(self: Any, node: nodes.Element) -> None:
    self.visit_figure(node)


def _depart_numbered_table(self: Any, node: nodes.Element) -> None:
    self.depart_figure(node)


# --------------------------------------------------------------------------- incremental render
# The pipeline keeps Sphinx's environment between builds, so Sphinx reads again only the pages
# whose source changed. Sphinx then writes those pages, but not the pages that show something of
# theirs: a title or figure number in a reference, a glossary term's anchor, a glued number pasted
# from another page, the navigation's titles, the bibliography's list. These handlers record, for
# every page, the pages it points to and what each page offers the others (its signature), and
# have Sphinx write again every page that points to a page whose signature changed. (What every
# page shares, the configuration, theme, static files, bibliography file and build date, starts
# a full render in the pipeline instead.)

REFS_ATTR = "report_refs"  # docname -> the pages it points to
BEFORE_ATTR = "report_signatures_before"


def _refs(env: Any) -> dict[str, list[str]]:
    if not hasattr(env, REFS_ATTR):
        setattr(env, REFS_ATTR, {})
    return getattr(env, REFS_ATTR)


def _record_refs(app: Sphinx, doctree: nodes.document) -> None:
    """What this page shows of others: a page's title (a link to it), a label's or a term's
    target (a reference), a page's glued values (a paste)."""
    from myst_nb.ext.glue.utils import PendingGlueReference
    from sphinx import addnodes

    env, docname = app.env, app.env.docname
    found: set[str] = set()
    for node in doctree.findall(addnodes.pending_xref):
        kind = f"{node.get('refdomain') or ''}:{node.get('reftype') or ''}"
        target = str(node.get("reftarget") or "")
        if kind.startswith("cite:"):  # a citation: the bibliography page, written again anyway
            continue
        if kind == "std:doc" or (kind == ":myst" and "/" in target):
            found.add(f"title:{_join(docname, target)}")
            if "#" in target:
                found.add(f"label:{target.split('#', 1)[1].lower()}")
        elif kind == "std:term":
            found.add(f"term:{target.lower()}")
        elif kind == ":myst" and target.startswith("#"):
            found.add(f"label:{target[1:].lower()}")
        else:
            found.add(f"label:{target.lower()}")
    for node in doctree.findall(PendingGlueReference):
        found.add(f"glue:{node.refdoc}")
    _refs(env)[docname] = sorted(found)


def _join(docname: str, target: str) -> str:
    from sphinx.util import docname_join

    target = target.split("#", 1)[0]
    for suffix in (".md", ".ipynb", ".html"):
        target = target.removesuffix(suffix)
    return target.lstrip("/") if target.startswith("/") else docname_join(docname, target)


def _resolve(env: Any, ref: str) -> set[tuple[str, str]]:
    """What a recorded reference shows now: (page, what of it), every page's every part when it
    cannot be told."""
    kind, _, target = ref.partition(":")
    if kind in ("title", "glue"):
        return {(target, kind)}
    std = env.get_domain("std")
    if kind == "term":  # terms are matched without regard to case, as Sphinx resolves them
        hits = {v[0] for (k, name), v in std.objects.items() if k == "term" and name.lower() == target}
        if hits:
            return {(d, "targets") for d in hits}
    else:
        for table in (std.labels, std.anonlabels):
            if target in table:
                return {(table[target][0], "targets")}
    return {(d, part) for d in env.all_docs for part in PARTS}


#: what a page offers the others: its title, its targets (labels and glossary terms, with their
#: anchors, titles and numbers) and the values it glues
PARTS = ("title", "targets", "glue")


def _signatures(env: Any) -> dict[tuple[str, str], str]:
    """A checksum of each part of each page that other pages show."""
    import hashlib

    std = env.get_domain("std")
    targets: dict[str, list[Any]] = {d: [] for d in env.all_docs}
    for table in (std.labels, std.anonlabels):
        for name, value in table.items():
            if value[0] in targets:  # not Sphinx's own pages (genindex, search)
                targets[value[0]].append((name, *value))
    for (kind, name), value in std.objects.items():
        if value[0] in targets:
            targets[value[0]].append((kind, name, *value))
    folder = Path(getattr(getattr(env, "mystnb_config", None), "output_folder", "") or ".")
    out = {}
    for docname, items in targets.items():
        glue = folder.joinpath(*docname.split("/")).with_suffix(".glue.json")
        parts = {"title": env.titles[docname].astext() if docname in env.titles else None,
                 "targets": [sorted(items), env.toc_secnumbers.get(docname),
                             env.toc_fignumbers.get(docname)],
                 "glue": glue.read_text(encoding="utf-8") if glue.exists() else None}
        for part, value in parts.items():
            out[(docname, part)] = hashlib.sha256(repr(value).encode()).hexdigest()
    return out


def _purge_refs(app: Sphinx, env: Any, docname: str) -> None:
    _refs(env).pop(docname, None)


def _merge_refs(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _refs(env).update({d: r for d, r in _refs(other).items() if d in docnames})


def _titles(env: Any) -> dict[str, str]:
    return {d: t.astext() for d, t in env.titles.items()}


def _before_read(app: Sphinx, env: Any, docnames: list[str]) -> None:
    setattr(env, BEFORE_ATTR, (set(docnames), _signatures(env), _titles(env)))


def _dependents(app: Sphinx, env: Any) -> list[str]:
    """The pages not read again that show something of a page that changed."""
    read, before, titles = getattr(env, BEFORE_ATTR, (set(), {}, {}))
    if not read:
        return []
    now = _signatures(env)
    docs = set(env.all_docs)
    if {d for d, _part in before} != docs or titles != _titles(env):  # every navigation shows
        logger.info("[report] pages or titles changed: every page is written again")
        return sorted(docs - read)
    changed = {k for k in now if before.get(k) != now[k]}
    logger.info("[report] pages that changed what they offer others: %s",
                ", ".join(f"{d} ({part})" for d, part in sorted(changed)) or "none")
    out = {d for d, refs in _refs(env).items()
           if d in docs and any(_resolve(env, r) & changed for r in refs)}
    bibtex = env.get_domain("cite")  # a bibliography lists the citations of every page
    out |= {key.docname for key in getattr(bibtex, "bibliographies", {})}
    # the pages with index entries (the glossary's terms): Sphinx 7.4 saves its environment
    # before it writes, so the search index's entries of a page it does not write are lost
    out |= {d for d, entries in env.get_domain("index").entries.items() if entries}
    logger.info("[report] written again for what they show of those: %s",
                ", ".join(sorted(out - read)) or "none")
    return sorted(out - read)


def _drop_emptied_search_terms(app: Sphinx) -> list[Any]:
    """Sphinx's search index keeps, after an incremental render, the words that only the pages
    it wrote again used to hold, with no page left (``"word": []``). A clean render has no such
    entry; removing them makes both renders write the same index. (Runs as the HTML builder
    collects its extra pages, before it writes the index.)"""
    indexer = getattr(app.builder, "indexer", None)
    for name in ("_mapping", "_title_mapping"):
        mapping = getattr(indexer, name, None)
        if isinstance(mapping, dict):
            for word in [w for w, docs in mapping.items() if not docs]:
                del mapping[word]
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    register_reference_style()
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("config-inited", _substitutions)
    app.connect("source-read", _append_cite_block)
    app.connect("doctree-read", _record_refs)
    app.connect("env-purge-doc", _purge_refs)
    app.connect("env-merge-info", _merge_refs)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-get-updated", _dependents, priority=900)
    app.connect("html-collect-pages", _drop_emptied_search_terms)  # after Sphinx numbers the pages
    app.add_directive("report-cite", CiteDirective)
    app.add_directive("report-data-sources", DataSourcesDirective)
    app.add_directive("report-vintages", VintagesDirective)
    app.add_directive("report-paste-figure", PasteFigureDirective)
    app.add_enumerable_node(numbered_table, "table", _table_caption,
                            html=(_visit_numbered_table, _depart_numbered_table))
    app.add_transform(TablesAsTables)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
