"""The changes chapter: what a new edition of the data revised.

``run(**params)`` lists the vintages held per source, diffs every file held in two vintages, and
compares Türkiye's yearly arms exports in SIPRI's older TIV table with the newer trade register.
The editions are named from the files' own descriptions, never typed here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd

from analysis.calc import exports, prose, revisions
from analysis.chapters.collect import Collector
from analysis.chapters.result import ChapterResult
from analysis.data import countries, editions, sources
from analysis.data.readers import curated, sipri_tiv_table, sipri_transfers
from analysis.publishing import charts, figures

#: the deal register's fields as a reader names them
FIELD_WORDS = {"number_ordered": "number ordered", "number_delivered": "number delivered",
               "delivery_years": "delivery years", "status": "status",
               "tiv_order": "order TIV", "tiv_delivered": "delivered TIV",
               "designation renamed": "designation renamed"}


def _in_words(changed: str) -> str:
    return ", ".join(FIELD_WORDS.get(f.strip(), f.strip()) for f in changed.split(","))


def curated_changes() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each curated table against its previous version in the report's history: one row per
    table (the previous version's date and the rows added, removed and revised, matched on the
    table's row key), and one row per row that changed."""
    root = sources.project_root()
    folder = str(sources.data_dir() / sources.CURATED)
    summary, detail = [], []
    for name in sorted(curated.SCHEMAS):
        before = editions.previous_curated(root, name)  # logs the read of today's table
        now = editions.curated_version(root, folder, name)
        if before is None or now is None:
            summary.append({"table": name, "previous version": "none held", "added": None,
                            "removed": None, "revised": None, "other": ""})
            continue
        _commit, date, old = before
        d = revisions.diff_table(old, now, curated.key_columns(name))
        other = "; ".join(f"{label}: {', '.join(cols)}" for label, cols in (
            ("columns added", d.columns_added), ("columns removed", d.columns_removed)) if cols)
        summary.append({"table": name, "previous version": date, **d.counts(),
                        "other": other or ("" if any(d.counts().values()) else
                                           "order of columns or rows, or layout, only")})
        detail += [{"table": name, **r} for r in d.rows().to_dict("records")]
    return (pd.DataFrame(summary, columns=["table", "previous version", "added", "removed",
                                           "revised", "other"]),
            pd.DataFrame(detail, columns=["table", "row", "change", "line", "columns"]))


@dataclass(frozen=True, kw_only=True)
class ChangesChapter(ChapterResult):
    revisions: pd.DataFrame  #: year, old, new, revision, revision_pct over the years both cover
    old_edition: str  #: the older edition as its file's description names it ("2022 edition")
    new_edition: str


def run(*, deliveries_vintage: str, tiv_table_vintage: str, supplier: str,
        first_year: int) -> ChangesChapter:
    """Compare the two editions from ``first_year`` to the last year both of them cover."""
    out = Collector()
    held = sources.held()
    out.add("vintages-held", figures.table(
        "vintages-held", revisions.vintage_table(held, {}).drop(columns=["used by the book"]),
        source="The report's description of each file it holds (see the Data page)",
        caption="Vintages held per source"))

    repeat_diffs = []
    deal_diffs: list[tuple[str, str, revisions.DealsDiff]] = []
    root = sources.project_root()
    for source, vs in held.items():
        for old, new in itertools.combinations(vs, 2):
            # each file against its previous edition: the vintages between hold other files
            between = [set(sources.declared(root / "data/raw" / source / v))
                       for v in vs if old < v < new]
            pairs = {name: pair for name, pair in
                     editions.frames_in_both(root, source, old, new).items()
                     if not any(name in names for names in between)}
            for name, d in revisions.diff_pairs(pairs).items():
                repeat_diffs.append({"source": source, "file": name, "old": old, "new": new,
                                     **d.counts()})
                if isinstance(d, revisions.DealsDiff):
                    deal_diffs.append((old, new, d))
    out.add("same-file-status", (
        f"{len(repeat_diffs)} file(s) are held in two vintages; their rows added, removed and "
        "revised are in the table below." if repeat_diffs else
        "No source holds the same file in two vintages yet: each SIPRI file the report "
        "holds is a different product (trade register, deal register, TIV table)."))
    out.add("same-file-diffs", figures.table(
        "same-file-diffs", pd.DataFrame(repeat_diffs, columns=["source", "file", "old", "new",
                                                               "added", "removed", "revised"]),
        source="This report's comparison of the vintages held",
        caption="Rows added, removed and revised"))

    # the supplier's deals that SIPRI's newest deal register added, removed or revised
    if deal_diffs:
        old_v, new_v, newest = deal_diffs[-1]
        mine = newest.of_supplier(supplier)
        c = mine.counts()
        iso3 = countries.to_iso3([supplier])[0]
        name = curated.table("nato_members.csv").set_index("iso3")["country"].get(iso3, supplier)
        out.add("deals-old-vintage", old_v)
        out.add("deals-new-vintage", new_v)
        out.add("deals-diff-counts", (
            f"{prose.count(c['added'])} of {name}'s deals are new in the newer register, "
            f"{prose.count(c['removed'])} are no longer listed and {prose.count(c['revised'])} "
            "were revised (numbers, delivery years, status or TIV)"))
        moved = mine.revised.assign(
            delivered=mine.revised["number_delivered_old"].fillna(0).map("{:,.0f}".format) + " → "
            + mine.revised["number_delivered_new"].fillna(0).map("{:,.0f}".format),
            years=mine.revised["delivery_years_old"].fillna("") + " → "
            + mine.revised["delivery_years_new"].fillna(""))
        shown = pd.concat([
            mine.added.assign(change="added", delivered=mine.added["number_delivered"]
                              .fillna(0).map("{:,.0f}".format), years=mine.added["delivery_years"])
            .rename(columns={"designation": "system"}),
            mine.removed.assign(change="removed", delivered="", years="")
            .rename(columns={"designation": "system"}),
            moved.assign(recipient=moved["recipient_new"], system=moved["designation_new"])
            .assign(change=moved["changed"].map(_in_words)),
        ], ignore_index=True)[["recipient", "system", "order_year", "change", "delivered",
                               "years"]]
        shown = shown.sort_values(["recipient", "order_year", "system"], kind="stable")
        out.add("deals-moved", figures.table(
            "deals-moved", shown.rename(columns={
                "recipient": "Recipient", "system": "System", "order_year": "Ordered",
                "change": "What changed", "delivered": "Number delivered (old → new)",
                "years": "Delivery years (old → new)"}),
            source=f"Information from the SIPRI Arms Transfers Database (deal registers of "
                   f"{old_v} and {new_v}); deals matched by this report (see below)",
            caption=f"{name}'s deals added, removed or revised between the two deal registers"))
    else:
        out.add("deals-old-vintage", "")
        out.add("deals-new-vintage", "")
        out.add("deals-diff-counts", "no deal register is held in two vintages")
        out.add("deals-moved", figures.table(
            "deals-moved", pd.DataFrame(columns=["Recipient", "System", "What changed"]),
            source="Information from the SIPRI Arms Transfers Database",
            caption="No deal register is held in two vintages"))

    # the report's own tables, each against its previous version
    tables_summary, tables_rows = curated_changes()
    compared = tables_summary[tables_summary["previous version"] != "none held"]
    n_changed = int((compared[["added", "removed", "revised"]].sum(axis=1) > 0).sum())
    n_other = int(((compared[["added", "removed", "revised"]].sum(axis=1) == 0)
                   & (compared["other"] != "")).sum())
    out.add("curated-status", (
        f"{prose.count(len(compared))} of the report's {prose.count(len(tables_summary))} own "
        f"tables have an earlier version in its history; against it, {prose.count(n_changed)} "
        f"changed rows ({prose.count(len(tables_rows))} rows in all) and {prose.count(n_other)} "
        "changed only their columns, their order or their layout" if len(compared) else
        f"none of the report's {prose.count(len(tables_summary))} own tables has an earlier "
        "version with this copy of the report (its history is not part of it), so none can be "
        "compared"))
    counts_cols = ["added", "removed", "revised"]
    out.add("curated-diffs", figures.table(
        "curated-diffs", tables_summary.assign(**{
            c: tables_summary[c].map(lambda v: "" if pd.isna(v) else f"{int(v):d}")
            for c in counts_cols}).rename(columns={
                "table": "Table", "previous version": "Previous version (date)",
                "added": "Rows added", "removed": "Rows removed", "revised": "Rows revised",
                "other": "Other changes"}),
        source="The report's own tables (see the Data page), compared by this report",
        caption="The report's own tables against their previous versions"))
    out.add("curated-rows", figures.table(
        "curated-rows", tables_rows.rename(columns={
            "table": "Table", "row": "Row", "change": "Change", "line": "Line",
            "columns": "Columns changed"}),
        source="The report's own tables (see the Data page), compared by this report",
        caption="Rows of the report's own tables added, removed or revised"))

    register = sipri_transfers.deliveries(deliveries_vintage)
    table = sipri_tiv_table.turkey_exports(tiv_table_vintage)
    last_year = int(min(table["year"].max(), register["delivery_year"].max()))
    old = (table[table["is_total"] & table["year"].between(first_year, last_year)]
           [["year", "tiv"]].reset_index(drop=True))
    new = exports.yearly_tiv(register, supplier, first_year, last_year)
    rev = revisions.revision_table(old, new)
    biggest = rev.loc[rev["revision"].abs().idxmax()]
    last = rev.set_index("year").loc[last_year]
    old_edition, new_edition = table.attrs["edition"], register.attrs["edition"]  # "2022 edition"
    old_label = f"{old_edition} (TIV table, {tiv_table_vintage})"
    new_label = f"{new_edition} (trade register, {deliveries_vintage})"
    drawn = pd.concat([old.assign(edition=old_label), new.assign(edition=new_label)],
                      ignore_index=True)

    out.add("first-year", str(first_year))
    out.add("last-year", str(last_year))
    out.add("last-old", prose.number(last["old"]))
    out.add("last-new", prose.number(last["new"]))
    out.add("last-rev-pct", prose.percent(last["revision_pct"], signed=True))
    out.add("biggest-year", str(int(biggest["year"])))
    out.add("biggest-rev", prose.number(biggest["revision"], 0))
    out.add("sum-old", prose.number(rev["old"].sum()))
    out.add("sum-new", prose.number(rev["new"].sum()))
    out.add("n-revised", prose.count(int((rev["revision"].abs() >= 0.5).sum())))
    out.add("n-years", prose.count(len(rev)))

    both = f"{old_edition.removesuffix(' edition')} and {new_edition.removesuffix(' edition')}"
    chart = charts.line_by_year(
        drawn, x="year", y="tiv", series="edition", x_title="Year of delivery",
        y_title="TIV (millions)", y_format=",.0f",
        heading=charts.title("Türkiye's arms exports in two SIPRI editions",
                             f"SIPRI trend-indicator values, millions; {first_year}-{last_year}"))
    credit = f"{register.attrs['source_note']}; {table.attrs['source_note']}"
    out.add("editions", figures.figure(
        "editions", chart, data=drawn, source=credit,
        description=(f"Two lines, Türkiye's yearly arms exports in SIPRI's {both} editions, "
                     f"{first_year} to {last_year}; the {new_edition} puts {last_year} at "
                     f"{prose.number(last['new'])} million TIV against {prose.number(last['old'])}.")))
    out.add("revisions", figures.table(
        "revisions", rev.rename(columns={"year": "Year", "old": old_edition, "new": new_edition,
                                         "revision": "Revision", "revision_pct": "Revision (%)"}),
        source=credit, caption=f"Türkiye's yearly exports, {both} editions",
        formats={old_edition: ",.0f", new_edition: ",.1f", "Revision": "+,.1f",
                 "Revision (%)": "+,.0f"}))
    return ChangesChapter(**out.parts(), revisions=rev, old_edition=old_edition,
                          new_edition=new_edition)
