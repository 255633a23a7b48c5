"""The introduction: the answer in five sentences and the claims' verdicts.

Most of its numbers are pasted from the chapters that compute them (``{glue:text}`` with
``spending.ipynb::key``, ``exports.ipynb::key``, ``constraints.ipynb::key``, ``claims.ipynb::key``),
so a figure is computed once and cannot disagree between pages. ``run`` computes only what the
introduction words in its own way: the engine sentence, how many claims open data can decide, and the claims' summary as the
introduction shows it (its links go to the claims chapter's sections).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import claims, prose
from analysis.chapters import as_of
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data import countries, editions, sources
from analysis.data.readers import curated, nato, sipri_transfers, usgs
from analysis.publishing import figures


def build_date() -> str:
    """The book's date: the commit's (SOURCE_DATE_EPOCH, as "last updated"), so that two
    builds of one commit agree."""
    import datetime as dt
    import os

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).date().isoformat()


@dataclass(frozen=True, kw_only=True)
class IntroChapter(ChapterResult):
    summary: pd.DataFrame  #: one row per claim: verdict, deciding numbers, vintages, change


def run(*, nato_vintage: str, deals_vintage: str, usgs_vintage: str,
        supplier: str, lead_country: str, group_regions: Sequence[str], group_extra: Sequence[str],
        europe_region: str, about_pp: float, engine_country: str, mining_country: str,
        production_year: str) -> IntroChapter:
    out = Collector()
    members = curated.table("nato_members.csv")
    nato_table = nato.table(nato_vintage)
    deals = sipri_transfers.deals(deals_vintage)
    rare_earths = usgs.rare_earths(usgs_vintage)
    supplier_iso3 = countries.to_iso3([supplier])[0]

    # Claims: the verdicts, and their summary with links to the claims chapter's sections
    params = claims.Params(lead=lead_country, regions=tuple(group_regions),
                           extra=tuple(group_extra), about_pp=about_pp, supplier=supplier,
                           supplier_iso3=supplier_iso3, europe_region=europe_region,
                           engine_country=engine_country, mining_country=mining_country,
                           production_year=production_year)
    inputs = claims.Inputs(
        claims=curated.table("claims.csv"), claimed=curated.table(claims.FIGURES_FILE),
        claimed_sales=curated.table(claims.SALES_FILE), members=members, nato=nato_table,
        deals=deals,
        timeline=curated.table("constraints_and_europe_timeline.csv"),
        dependencies=curated.table("programme_dependencies.csv"),
        context=curated.table("european_defence_industrial_context.csv"),
        minerals=curated.table("critical_minerals_facts.csv"), usgs=rare_earths, params=params)
    verdicts = claims.run(inputs)
    root = sources.project_root()
    loaders = {"nato": (nato.table, nato.SOURCE, nato_vintage, nato.TABLES_FILE),
               "deals": (sipri_transfers.deals, sipri_transfers.SOURCE, deals_vintage,
                         sipri_transfers.DEALS_FILE),
               "usgs": (usgs.rare_earths, usgs.SOURCE, usgs_vintage, usgs.RARE_EARTHS_FILE)}
    previous_frames = {}
    for name, (load, source, vintage, filename) in loaders.items():
        older = editions.previous_vintage(root, source, vintage, filename)
        if older:
            previous_frames[name] = load(older)
    summary = claims.summary(verdicts, claims.rerun(inputs, previous_frames))
    out.add("summary", figures.badge_table(
        "summary", claims.summary_table(summary, page="claims.html"),
        source=(f"Verdicts: this report's checks; {inputs.claims.attrs['source_note']}; "
                f"{nato_table.attrs['source_note']}; {deals.attrs['source_note']}; "
                f"{rare_earths.attrs['source_note']}; curated tables as named in each row"),
        caption="The debate's seven claims and their verdicts (click a claim for its check)",
        badges=claims.SUMMARY_BADGES, links=claims.SUMMARY_LINKS, sortable=False))
    engines = verdicts["minerals_and_engines"].figures
    n_programmes, n_depending = int(engines["n_programmes"]), int(engines["n_depending"])
    programme_names = " and the ".join(claims.ENGINE_PROGRAMMES.values())
    which = ("both" if n_depending == n_programmes == 2 else
             f"all {prose.count(n_programmes)}" if n_depending == n_programmes else
             f"{prose.count(n_depending)} of the {prose.count(n_programmes)}")
    out.add("engine-programmes",
            f"{which} of its flagship aircraft programmes, the {programme_names},")
    out.add("n-claims-checkable",
            prose.count(int((summary["verdict"] != claims.CANNOT).sum())))

    # How current the book is: the newest edition held per source, the newer ones announced
    current = as_of.editions()
    out.add("data-as-of", as_of.as_of_table(current, build_date()))
    out.add("build-date", prose.date(build_date()))
    stale = current[current["newer"].map(len) > 0]
    out.add("n-sources-stale", prose.count(len(stale)))
    out.add("n-sources", prose.count(len(current)))
    return IntroChapter(**out.parts(), summary=summary)
