"""How current the book is, for the pages that say so: the first page's "Data as of" box and
the spending chapter's note on NATO's newer editions.

The newest edition held comes from the files' own descriptions; the newer editions and what
their publishers announced with them come from ``published_headlines.csv`` (news reports quoting
the publisher), shown as announced figures, never recomputed.
"""

from __future__ import annotations

import pandas as pd

from analysis.calc import currency, prose
from analysis.data import sources
from analysis.data.readers import curated
from analysis.publishing import figures

HEADLINES_FILE = "published_headlines.csv"
#: announced figures shown per edition in the box (the rest are in the curated table)
SHOWN = 3


def editions() -> pd.DataFrame:
    """Per source, the newest edition held and the newer editions announced (the read of the
    vintages held is logged: a new vintage re-executes the pages that say how current they are)."""
    sources.held()
    files = pd.DataFrame([{"source": f.source, "vintage": f.vintage, "name": f.name,
                           **{k: f.meta.get(k) for k in ("publisher", "title", "edition",
                                                         "date_published")}}
                          for f in sources.list_files()])
    held = currency.newest_held(files)
    headlines = curated.table(HEADLINES_FILE)
    table = currency.as_of(held, currency.announced(headlines, held))
    table.attrs["source_note"] = headlines.attrs["source_note"]
    return table


def _is_figure(value: str) -> bool:
    try:
        float(str(value).replace(",", ""))
    except ValueError:
        return False
    return True


def _figures_text(figs: list[dict], shown: int = SHOWN) -> str:
    figs = [f for f in figs if _is_figure(f["value"])]
    parts = [f"{f['fact']}: {f['value']} {f['unit']}" for f in figs[:shown]]
    more = len(figs) - shown
    if more > 0:
        parts.append(f"and {prose.count(more)} more, each with its source, in the table of "
                     "announced figures on the Data page")
    return "; ".join(parts) if parts else "no figures recorded here (its release date only)"


def short_edition(text: str) -> str:
    """An edition's name without its notes: '2025 release (data to 2024)'."""
    return str(text).split(";")[0].split(", published")[0].split(". ")[0].strip()


def newer_text(row: pd.Series) -> str:
    """The newer editions of one source in a sentence ('' when the book holds the newest)."""
    return "; ".join(f"{n['title']}, released {prose.date(n['released'])}"
                     for n in row["newer"])


def as_of_table(table: pd.DataFrame, today: str) -> figures.Table:
    rows = []
    for _, r in table.iterrows():
        rows.append({
            "Source": r["held_title"],
            "Newest edition in this report": f"{short_edition(r['held_edition'])}, published "
                                             f"{prose.date(r['held_published'])}",
            "Newer editions announced, not held as files": newer_text(r) or "none",
            "What they announced (as reported, not recomputed)": " ".join(
                f"{prose.date(n['released'])}: {_figures_text(n['figures'])}."
                for n in r["newer"]) or "",
        })
    return figures.table(
        "data-as-of", pd.DataFrame(rows),
        source=f"The files' publishers and editions, as listed on the Data page; "
               f"{table.attrs['source_note']}",
        caption=f"Data as of {prose.date(today)}: the newest edition of each source in this "
                "report, and the newer ones its publisher has announced", sortable=False)
