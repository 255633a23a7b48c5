"""The index of Allies: one sortable table comparing every profile, each name linking to its page.

Each row is the Ally's :meth:`analysis.chapters.profile.Facts.row`, the same numbers its own page
shows, computed from data loaded once for all Allies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.calc import prose
from analysis.chapters import pages, profile
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data.readers import curated
from analysis.publishing import figures


def page_of(iso3: str) -> str:
    """The profile page's document name in the book (``chapters/ally-pol``)."""
    return f"chapters/ally-{iso3.lower()}"


@dataclass(frozen=True, kw_only=True)
class AlliesChapter(ChapterResult):
    rows: pd.DataFrame  #: one row per Ally, numbers unformatted


def run(*, nato_vintage: str, milex_vintage: str, deliveries_vintage: str,
        deals_vintage: str, target_year: int, wales_pct: float, core_pct: float,
        total_pct: float, equipment_pct: float, growth_from_data: bool, growth_years: int,
        group_regions: Sequence[str], group_extra: Sequence[str], supplier: str,
        europe_region: str, window_length: int, gdp_growth_pct: float) -> AlliesChapter:
    out = Collector()
    ctx = profile.context(nato_vintage=nato_vintage, milex_vintage=milex_vintage,
                          deliveries_vintage=deliveries_vintage,
                          deals_vintage=deals_vintage, target_year=target_year,
                          core_pct=core_pct, total_pct=total_pct, equipment_pct=equipment_pct,
                          growth_from_data=growth_from_data, growth_years=growth_years,
                          group_regions=group_regions, group_extra=group_extra,
                          window_length=window_length, gdp_growth_pct=gdp_growth_pct)
    timeline = curated.table(profile.TIMELINE)
    rules = curated.table(profile.RULES)
    rows = pd.DataFrame([
        profile.facts(ctx, iso3, supplier=supplier, europe_region=europe_region,
                      window_length=window_length, timeline=timeline, rules=rules).row()
        for iso3 in ctx.members.sort_values("country")["iso3"]])
    turkey_name = ctx.members.set_index("iso3").loc[profile.TURKIYE, "country"]
    latest_label = ctx.shares_all.loc[ctx.shares_all["year"] == ctx.latest_year,
                                      "year_label"].iloc[0]
    window = ctx.order[-1]
    latest_prices = ctx.path.latest_price_base  # the spending chapter leads with these
    out.add("core-pct", prose.percent(core_pct, 1))
    out.add("target-year", str(target_year))
    out.add("latest-prices", latest_prices)
    out.add("price-year", ctx.path.price_base[-4:])
    out.add("latest-window", window)
    out.add("turkey-name", turkey_name)
    shown = pd.DataFrame({
        "Ally": rows["country"],
        "Page": [pages.target_of(i) for i in rows["iso3"]],
        f"% of GDP {latest_label} (NATO)": rows["share_latest_pct"].astype("float64"),
        f"Gap to {core_pct:g}% (points)": rows["gap_pp"].astype("float64"),
        (f"Mean extra a year {ctx.latest_year + 1}-{target_year} "
         f"(US$ m, {latest_prices})"): rows["extra_mean_latest_usd_m"].astype("float64"),
        "Equipment (% of defence expenditure)": rows["equipment_pct"].astype("float64"),
        f"Top supplier {window}": rows["top_supplier"].fillna("–"),
        f"{turkey_name}'s share of imports {window} (%)":
            rows["turkey_share_pct"].astype("float64"),
        f"Deals with {turkey_name}": rows["n_turkish_deals"].astype("int64"),
    })
    sources = "; ".join([ctx.nato_table.attrs["source_note"], ctx.register.attrs["source_note"],
                         ctx.deals.attrs["source_note"]])
    cols = list(shown.columns)
    out.add("allies-table", figures.table(
        "allies-table", shown, source=sources,
        caption="The Allies compared (click a heading to sort, a name for its page)",
        formats={cols[2]: ",.2f", cols[3]: ",.2f", cols[4]: ",.0f", cols[5]: ",.1f",
                 cols[7]: ",.1f"},
        links=(("Ally", "Page"),), in_book=True))
    return AlliesChapter(**out.parts(), rows=rows)
