"""The debate's public claims, each checked against the data, with a verdict.

Claims are data: ``data/curated/claims.csv`` holds one row per sourced utterance (who said it,
when, where, the page), and ``data/curated/claimed_figures.csv`` and ``claimed_sales.csv`` what
each claim states (its figures, the sales it names), each row quoting its utterance. Each claim
has a check module of its own (:mod:`~analysis.calc.claims.wales`, :mod:`~analysis.calc.claims.us_share`,
:mod:`~analysis.calc.claims.russia`, :mod:`~analysis.calc.claims.allies`, :mod:`~analysis.calc.claims.systems`,
:mod:`~analysis.calc.claims.sales`, :mod:`~analysis.calc.claims.engines`): a pure function of the
validated frames and the chapter's parameters that returns a :class:`Verdict` (one of
:data:`VERDICTS`), the numbers that decide it, a one-sentence reason and what would change it.
One registry lists them (:data:`analysis.calc.claims.registry.CLAIMS`).

The checks compute nothing that :mod:`analysis.calc.spending`, :mod:`analysis.calc.exports` and
:mod:`analysis.calc.constraints` already compute: they call those functions and apply an explicit
verdict rule to the result. Four rules of honesty run through the package:

* a claim the report's data cannot decide gets :data:`CANNOT`, and says which data would decide it;
  a verdict never rests on a number typed in the code;
* production claims rest on estimates: the check returns every estimate with its source, and
  decides only when comparable figures for the whole of both sides exist;
* a figure that is not the claim's quantity (NATO's common-funded budget against national
  defence spending) is shown as a contrast, never judged;
* a verdict is recomputed on the previous vintage of each source when one is held
  (:func:`rerun`), so that a verdict that moves with the data is marked as changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace

import pandas as pd

from analysis.calc.claims.base import (
    CANNOT,
    DECIDING_QUALITY,
    FIGURES_FILE,
    NOT_SUPPORTED,
    PARTLY,
    SALES_FILE,
    STANDARD,
    SUPPORTED,
    UNSOURCED,
    VERDICT_NEEDS,
    VERDICTS,
    Inputs,
    Params,
    Verdict,
    check_wording,
    combine,
    utterances,
)
from analysis.calc.claims.engines import (
    ENGINE_PROGRAMMES,
    engine_dependencies,
    turkiye_import_facts,
)
from analysis.calc.claims.registry import BY_ID, CLAIMS
from analysis.calc.claims.us_share import share_verdict, us_share_by_year

#: The claims in the order the chapter checks them, and what the registry says of each.
ORDER: list[str] = [c.claim_id for c in CLAIMS]
STATEMENTS: dict[str, str] = {c.claim_id: c.statement for c in CLAIMS}
LABELS: dict[str, str] = {c.claim_id: c.label for c in CLAIMS}
USES: dict[str, tuple[str, ...]] = {c.claim_id: c.uses for c in CLAIMS}
CHECKS: dict[str, Callable[[Inputs], Verdict]] = {c.claim_id: c.check for c in CLAIMS}


def standard_table() -> pd.DataFrame:
    """The one evidence standard as the chapter prints it: what may decide, then what each
    verdict needs."""
    s = STANDARD
    rows = [
        {"Rule": "Source grade", "What it asks": f"at least {s.min_grade} (primary or "
         "reputable secondary); a weak source (repost, aggregator, blog, anonymous page) never "
         "decides"},
        {"Rule": "Like for like", "What it asks": "the evidence measures the claim's own quantity "
         "(an output for an output, the whole for the whole), not a capacity, a goal or a part"},
        {"Rule": "Timing", "What it asks": "what was public when the claim was made judges it; "
         "a later publication stands in only where nothing earlier is held, and is marked; "
         "evidence of unknown date cannot decide"},
        {"Rule": "Announced figures", "What it asks": "a publisher's figures known from a report "
         "of their release count, graded as that report, marked as announced, with any doubt on "
         "their price basis"},
    ]
    rows += [{"Rule": f"Verdict: {k}", "What it asks": v} for k, v in VERDICT_NEEDS.items()]
    return pd.DataFrame(rows)


def anchor(claim_id: str) -> str:
    """The page anchor of a claim's section: the notebook labels each section ``(claim-...)=``."""
    return "claim-" + claim_id.replace("_", "-")


#: The raw source behind each frame of :class:`Inputs` that has vintages; the others are curated.
RAW_SOURCES: dict[str, str] = {"nato": "nato-defence-expenditure", "deals": "sipri-arms-transfers",
                               "usgs": "usgs-mcs"}
CURATED_FILES: dict[str, str] = {
    "claims": "claims.csv", "members": "nato_members.csv",
    "timeline": "constraints_and_europe_timeline.csv",
    "dependencies": "programme_dependencies.csv",
    "context": "european_defence_industrial_context.csv",
    "minerals": "critical_minerals_facts.csv",
    "headlines": "published_headlines.csv",
}
def vintages_used(inputs: Inputs, claim_id: str) -> dict[str, str]:
    """Source -> vintage for the raw data a check reads; curated tables by file name."""
    out = {}
    for name in USES[claim_id]:
        frame = getattr(inputs, name)
        if name in RAW_SOURCES:
            out[RAW_SOURCES[name]] = str(frame.attrs.get("vintage", "unknown"))
        else:
            out[f"curated/{CURATED_FILES[name]}"] = "curated"
    return out


def run(inputs: Inputs) -> dict[str, Verdict]:
    """Every claim's verdict, in :data:`ORDER`. Every claim of the table must have a check and
    every check a claim: a claim added to the data without a check stops the chapter."""
    in_table = list(dict.fromkeys(inputs.claims["claim_id"]))
    without_check = [c for c in in_table if c not in CHECKS]
    without_claim = [c for c in CHECKS if c not in in_table]
    if without_check or without_claim:
        raise KeyError(f"claims without a check: {without_check}; checks without a claim: "
                       f"{without_claim} (see analysis.calc.claims.registry.CLAIMS)")
    check_wording(inputs.claimed, inputs.claims, FIGURES_FILE)
    check_wording(inputs.claimed_sales, inputs.claims, SALES_FILE)
    return {c: replace(CHECKS[c](inputs), vintages=vintages_used(inputs, c)) for c in ORDER}


def rerun(inputs: Inputs, previous: Mapping[str, pd.DataFrame]) -> dict[str, Verdict | None]:
    """Each verdict recomputed with the frames of ``previous`` (frame name -> the same file of
    the previous vintage) in place of the current ones; None for a claim that reads none of them
    (no previous vintage of its data is held)."""
    unknown = set(previous) - set(RAW_SOURCES)
    if unknown:
        raise KeyError(f"previous vintages are only for raw sources {sorted(RAW_SOURCES)}, "
                       f"not {sorted(unknown)}")
    older = replace(inputs, **dict(previous))
    out: dict[str, Verdict | None] = {}
    for c in ORDER:
        if set(USES[c]) & set(previous):
            out[c] = replace(CHECKS[c](older), vintages=vintages_used(older, c))
        else:
            out[c] = None
    return out


def _vintage_text(vintages: Mapping[str, str], short: bool = False) -> str:
    """'nato-defence-expenditure 2024-06-17; curated: claims.csv, ...' (short: the curated tables
    counted, not named)."""
    raw = [f"{s} {v}" for s, v in vintages.items() if not s.startswith("curated/")]
    curated = [s.removeprefix("curated/") for s in vintages if s.startswith("curated/")]
    if short:
        n = len(curated)
        return "; ".join(raw + ([f"{n} curated table{'s' if n > 1 else ''}"] if n else []))
    return "; ".join(raw + ([f"curated: {', '.join(curated)}"] if curated else []))


def summary(current: Mapping[str, Verdict], previous: Mapping[str, Verdict | None]) -> pd.DataFrame:
    """One row per claim: its verdict, deciding numbers and vintages, and the verdict on the
    previous vintage with a mark when it differs ("changed since vintage ...")."""
    out = []
    for n, c in enumerate(ORDER, 1):
        v, p = current[c], previous.get(c)
        if p is None:
            change = "no previous vintage held"
        else:
            older = {s: pv for s, pv in p.vintages.items() if v.vintages.get(s) != pv}
            since = ", ".join(f"{s} {pv}" for s, pv in older.items())
            change = (f"changed since vintage {since} (was {p.verdict})" if p.verdict != v.verdict
                      else f"unchanged since vintage {since}")
        out.append({"number": n, "claim_id": c, "claim": LABELS[c], "statement": STATEMENTS[c],
                    "verdict": v.verdict, "deciding": v.deciding,
                    "vintages": _vintage_text(v.vintages),
                    "vintages_short": _vintage_text(v.vintages, short=True),
                    "previous_verdict": None if p is None else p.verdict,
                    "previous_vintages": "" if p is None else _vintage_text(p.vintages),
                    "changed": p is not None and p.verdict != v.verdict, "change": change,
                    "anchor": anchor(c)})
    return pd.DataFrame(out)


#: How the summary table is published: its verdict column as badges, its claims as links.
SUMMARY_BADGES: tuple[str, ...] = ("Verdict",)
SUMMARY_LINKS: tuple[tuple[str, str], ...] = (("Claim", "Section"),)


def summary_table(summary_frame: pd.DataFrame, page: str = "") -> pd.DataFrame:
    """The summary as a page shows it (the claims chapter and the introduction alike); ``page``
    is the claims chapter's page as seen from the page showing it ('' on the chapter itself)."""
    shown = summary_frame.assign(section=page + "#" + summary_frame["anchor"])
    return shown[["number", "claim", "section", "verdict", "deciding", "vintages_short",
                  "change"]].rename(columns={
        "number": "No.", "claim": "Claim", "section": "Section", "verdict": "Verdict",
        "deciding": "Deciding numbers", "vintages_short": "Data (vintage)",
        "change": "Since the previous vintage"})


def verdicts_json(current: Mapping[str, Verdict], previous: Mapping[str, Verdict | None]) -> str:
    """The verdicts as JSON for the build (``verdicts.json``): the pipeline prints each change."""
    records = [{"claim_id": c, "verdict": v.verdict,
                "previous_verdict": None if previous.get(c) is None else previous[c].verdict,
                "vintages": v.vintages,
                "previous_vintages": None if previous.get(c) is None else previous[c].vintages}
               for c, v in current.items()]
    return json.dumps(records, indent=1, sort_keys=True, ensure_ascii=False)

__all__ = [
    "BY_ID",
    "CANNOT",
    "CHECKS",
    "CLAIMS",
    "DECIDING_QUALITY",
    "ENGINE_PROGRAMMES",
    "LABELS",
    "NOT_SUPPORTED",
    "ORDER",
    "PARTLY",
    "STANDARD",
    "STATEMENTS",
    "SUPPORTED",
    "UNSOURCED",
    "USES",
    "VERDICTS",
    "VERDICT_NEEDS",
    "Inputs",
    "Params",
    "Verdict",
    "anchor",
    "combine",
    "engine_dependencies",
    "rerun",
    "run",
    "share_verdict",
    "standard_table",
    "summary",
    "summary_table",
    "turkiye_import_facts",
    "us_share_by_year",
    "utterances",
    "verdicts_json",
    "vintages_used",
]
