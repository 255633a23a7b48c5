"""Claim 2: "The United States accounts for 60 to 65 per cent of NATO's defence spending".

The claimed range (from the curated table of claimed figures) against the US share of all
Allies' defence expenditure that was public when the claim was made: NATO's tables the report
reads, and the figures NATO announced with a newer edition (``published_headlines.csv``: a
release known from reports of it, marked as announced, with its price-basis doubt). The
evidence standard (:data:`~analysis.calc.claims.base.STANDARD`) decides which figures may judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.calc import prose, spending
from analysis.calc.claims.base import (
    DECIDING_QUALITY,
    GRADES,
    NOT_SUPPORTED,
    PARTLY,
    PUBLISHED_LATER,
    SUPPORTED,
    Inputs,
    Verdict,
    admissibility,
    apply_standard,
    claimed_figures,
    date_prefix,
    evidence_row,
    timing,
    utterances,
)

CLAIM_ID = "us_share_60_65"
FIGURES = ("low_pct", "high_pct")
#: A claims row that reports a different quantity, shown beside the claim and never judged.
CONTRAST_PREFIX = "Contrast"
#: A claimed figure of this claim ending so is a share that one row of the claims table states
#: (a report of NATO's figures, not the claim): it is compared with NATO's figure for its year.
STATED_SUFFIX = "share_pct"
#: The announced figures of published_headlines.csv that give the lead Ally's spending and the
#: rest of the Allies' (by the start of their ``fact``); a year ends the fact ('..., 2025e').
ANNOUNCED_LEAD = "United States defence expenditure, "
ANNOUNCED_REST = ("NATO Europe and Canada defence expenditure, ",
                  "NATO allies other than the United States, defence expenditure, ")
ANNOUNCED_PUBLISHER = "NATO"
PART = "US share of all Allies' defence spending"
#: What a row is and what it is compared with.
KIND_CLAIM = "the claim"
KIND_REPORT = "a report of NATO's figure"
KIND_CONTRAST = "contrast: a different quantity"
CONSISTENT = "consistent with NATO's figure"
DIFFERS = "differs from NATO's figure"


def check(inputs: Inputs) -> Verdict:
    p = inputs.params
    return check_us_share(utterances(inputs.claims, CLAIM_ID), inputs.nato, inputs.members,
                          claimed_figures(inputs.claimed, CLAIM_ID, FIGURES),
                          headlines=inputs.headlines, stated=stated_shares(inputs.claimed),
                          claim_line=claim_line(inputs.claimed), lead=p.lead, regions=p.regions,
                          extra=p.extra, about_pp=p.about_pp)


def claim_line(claimed: pd.DataFrame) -> int:
    """The line of the claims table whose utterance the claimed range quotes."""
    rows = claimed[(claimed["claim_id"] == CLAIM_ID) & claimed["figure"].isin(FIGURES)]
    return int(rows["claims_line"].iloc[0])


def stated_shares(claimed: pd.DataFrame) -> dict[int, float]:
    """Line of the claims table -> the share (%) that row states, for the rows that report a
    figure (claimed figures of this claim named ``*share_pct``)."""
    rows = claimed[(claimed["claim_id"] == CLAIM_ID)
                   & claimed["figure"].str.endswith(STATED_SUFFIX)
                   & ~claimed["figure"].isin(FIGURES)]
    return {int(r.claims_line): float(r.value) for r in rows.itertuples()}


def share_verdict(share_pct: float, low: float, high: float, about_pp: float) -> str:
    """Supported inside the claimed range; partly supported within ``about_pp`` points of it (the
    claim says 'about'); not supported further away."""
    if low <= share_pct <= high:
        return SUPPORTED
    if low - about_pp <= share_pct <= high + about_pp:
        return PARTLY
    return NOT_SUPPORTED


def us_share_by_year(nato_table: pd.DataFrame, members: pd.DataFrame, *, lead: str,
                     regions: Sequence[str], extra: Sequence[str]) -> pd.DataFrame:
    """The lead Ally's share (%) of all Allies' defence expenditure per year, by NATO's own
    figures in current US dollars (:func:`analysis.calc.spending.burden_shares`)."""
    names = members.set_index("iso3")["country"]
    current = spending.series(nato_table, "defence_expenditure", "current")
    shares = spending.burden_shares(current, members, lead=lead, regions=regions, extra=extra,
                                    lead_name=str(names[lead]), group_name="the other Allies",
                                    source="NATO")
    lead_rows = shares[shares["group"] == str(names[lead])]
    return lead_rows[["year", "year_label", "is_estimate", "share_pct", "spending_usd_m",
                      "all_allies_usd_m"]].reset_index(drop=True)


def _grade_of(*grades: str) -> str:
    """The lower of the grades (a figure computed from two reports is as good as the weaker)."""
    return max(grades, key=GRADES.index)


def _published_together(a: str, b: str) -> str:
    """When two reported figures were both public: the later date; unknown if either is."""
    if date_prefix(a) is None or date_prefix(b) is None:
        return "n.d."
    return max(a, b)


def announced_shares(headlines: pd.DataFrame) -> pd.DataFrame:
    """The US share computed from each pair of announced figures (the lead Ally's spending and
    the rest of the Allies', same year and same unit, i.e. the same price basis as reported):
    year, share, the pair's grade and publication date, and the price-basis doubt its unit
    states. Empty when no pair is announced."""
    rows = headlines[headlines["publisher"] == ANNOUNCED_PUBLISHER]
    lead = rows[rows["fact"].str.startswith(ANNOUNCED_LEAD)]
    rest = rows[rows["fact"].str.startswith(ANNOUNCED_REST)]
    out = []
    for line, r in lead.iterrows():
        label = r["fact"].removeprefix(ANNOUNCED_LEAD)
        m = re.fullmatch(r"(\d{4})e?", label)
        if not m:
            raise ValueError(f"published_headlines.csv line {line}: fact {r['fact']!r} does not "
                             "end in a year")
        same = rest[rest["fact"].str.endswith(", " + label) & (rest["unit"] == r["unit"])]
        if same.empty:
            continue
        o = same.iloc[0]
        us, others = float(r["value"]), float(o["value"])
        basis = re.search(r"\((.+)\)", str(r["unit"]))
        out.append({
            "year": int(m.group(1)), "year_label": label, "share_pct": 100 * us / (us + others),
            "lead_bn": us, "rest_bn": others, "unit": r["unit"],
            "grade": _grade_of(str(r["source_grade"]), str(o["source_grade"])),
            "published": _published_together(str(r["source_date"]), str(o["source_date"])),
            "source_title": r["title"], "reported_by": r["source_url"],
            "caveat": "announced figures, known from a report of NATO's release"
                      + (f"; {basis.group(1)}" if basis else ""),
            "lines": f"{line}, {same.index[0]}",
        })
    return pd.DataFrame(out)


def figures_available(by_year: pd.DataFrame, announced: pd.DataFrame,
                      file_published: str, file_label: str) -> pd.DataFrame:
    """Every US-share figure the report holds, one row per year and source: the tables' years
    (primary, published on the edition's date) and each announced pair."""
    rows = [{"year": int(r.year), "year_label": str(r.year_label), "share_pct": float(r.share_pct),
             "grade": DECIDING_QUALITY, "published": file_published, "announced": False,
             "evidence": f"{file_label}, {r.year_label}", "caveat": ""}
            for r in by_year.itertuples()]
    rows += [{"year": int(a.year), "year_label": str(a.year_label),
              "share_pct": float(a.share_pct), "grade": str(a.grade),
              "published": str(a.published), "announced": True,
              "evidence": (f"NATO's announced {a.year_label} figures (US {a.lead_bn:g} bn against "
                           f"{a.rest_bn:g} bn for the other Allies), as reported"),
              "caveat": str(a.caveat)} for a in announced.itertuples()]
    return pd.DataFrame(rows)


def evidence_for(available: pd.DataFrame, said: object, year: int | None) -> pd.DataFrame:
    """The standard applied to the figures for one utterance: each figure's grade, timing and
    admissibility, and which one judges it (``judges``): the admissible figure for the latest
    year up to the utterance's, public when it was said where one is (else a later one,
    marked), the primary one where two tie."""
    ev = pd.DataFrame([evidence_row(PART, r.evidence, r.grade, r.published, True, r.announced,
                                    r.caveat) for r in available.itertuples()])
    ev = pd.concat([ev, available[["year", "year_label", "share_pct"]].reset_index(drop=True)],
                   axis=1)
    ev = admissibility(ev, said)
    ev["judges"] = False
    ok = ev[ev["admissible"] & ((ev["year"] <= year) if year is not None else True)]
    if not ok.empty:
        ok = ok.assign(later=ok["timing"] == PUBLISHED_LATER,
                       rank=ok["grade"].map(GRADES.index))
        best = ok.sort_values(["later", "year", "rank"], ascending=[True, False, True]).index[0]
        ev.loc[best, "judges"] = True
    return ev


def check_us_share(rows: pd.DataFrame, nato_table: pd.DataFrame, members: pd.DataFrame,
                   claimed: dict[str, str], *, headlines: pd.DataFrame,
                   stated: dict[int, float], claim_line: int, lead: str,
                   regions: Sequence[str], extra: Sequence[str], about_pp: float) -> Verdict:
    """The claimed range against the US share that was public when the claim was made.

    Each row of the claims table is one of three kinds, and its label says what it is compared
    with: *the claim* (line ``claim_line``), judged with :func:`share_verdict` on the figure
    :func:`evidence_for` picks; *a report of NATO's figure* (a row in ``stated``), whose stated
    share is set against NATO's figure for its year ("consistent" within ``about_pp`` points);
    and a *contrast* (NATO's common-funded budget), a different quantity, never judged. The
    verdict is the claim's, under the evidence standard.
    """
    low, high = float(claimed["low_pct"]), float(claimed["high_pct"])
    by_year = us_share_by_year(nato_table, members, lead=lead, regions=regions, extra=extra)
    if by_year.empty:
        raise ValueError("NATO's table gives no year with every Ally's spending")
    vintage = str(nato_table.attrs.get("vintage", ""))
    file_label = (f"NATO's tables of {prose.date(vintage)}" if date_prefix(vintage) == vintage
                  and len(vintage) == 10 else "NATO's tables")
    available = figures_available(by_year, announced_shares(headlines), vintage, file_label)
    if claim_line not in set(rows["line"]):
        raise KeyError(f"line {claim_line} of claims.csv is not a row of {CLAIM_ID}")
    out = []
    claim_evidence = None
    for r in rows.itertuples(index=False):
        contrast = str(r.claim).startswith(CONTRAST_PREFIX)
        kind = (KIND_CONTRAST if contrast else KIND_CLAIM if r.line == claim_line else
                KIND_REPORT if r.line in stated else KIND_CLAIM)
        year = None if pd.isna(r.year) else int(r.year)
        rec: dict[str, object] = {
            "line": r.line, "claim_date": r.claim_date, "claimant": r.claimant, "claim": r.claim,
            "source_title": r.source_title, "source_url": r.source_url, "kind": kind,
            "stated_pct": stated.get(r.line, float("nan")), "year_judged": pd.NA,
            "year_label": "", "figure_used": "", "timing": "", "us_share_pct": float("nan"),
            "compared_with": "not compared: NATO's common-funded budget, not national defence "
                             "spending" if contrast else "", "verdict": "not judged" if contrast
            else "",
        }
        if not contrast:
            ev = evidence_for(available, r.claim_date, year)
            if r.line == claim_line:
                claim_evidence = ev
            picked = ev[ev["judges"]]
            if not picked.empty:
                f = picked.iloc[0]
                share = float(f["share_pct"])
                later = " (published after it was said)" if f["timing"] == PUBLISHED_LATER else ""
                rec.update(year_judged=int(f["year"]), year_label=str(f["year_label"]),
                           figure_used=str(f["evidence"]), timing=str(f["timing"]),
                           us_share_pct=share)
                if kind == KIND_REPORT:
                    mine = stated[r.line]
                    rec["verdict"] = CONSISTENT if abs(mine - share) <= about_pp else DIFFERS
                    rec["compared_with"] = (f"its stated {mine:g}% against {f['evidence']}: "
                                            f"{prose.percent(share, 1)}{later}")
                else:
                    rec["verdict"] = share_verdict(share, low, high, about_pp)
                    rec["compared_with"] = (f"the claimed {low:g}-{high:g}% against "
                                            f"{f['evidence']}: {prose.percent(share, 1)}{later}")
            else:
                rec["verdict"] = "no admissible figure"
        out.append(rec)
    numbers = pd.DataFrame(out)
    numbers["year_judged"] = numbers["year_judged"].astype("Int64")
    assert claim_evidence is not None
    said_row = numbers[numbers["line"] == claim_line].iloc[0]
    claim_year = str(said_row["claim_date"])[:4]
    latest = int(by_year["year"].max())
    file_share = float(by_year.iloc[-1]["share_pct"])
    picked = claim_evidence[claim_evidence["judges"]]
    if picked.empty:
        outcome = NOT_SUPPORTED  # replaced by the standard: no admissible figure
    else:
        outcome = str(said_row["verdict"])
    verdict = apply_standard({PART: outcome}, claim_evidence)[PART]
    figures: dict[str, float | str] = {
        "low_pct": low, "high_pct": high, "about_pp": about_pp,
        "claim_year": claim_year, "latest_year": str(latest),
        "file_year_label": str(by_year.iloc[-1]["year_label"]), "file_share_pct": file_share,
        "first_year": str(int(by_year["year"].min())),
        "first_share_pct": float(by_year.iloc[0]["share_pct"]),
        "peak_share_pct": float(by_year["share_pct"].max()),
        "peak_year": str(int(by_year.loc[by_year["share_pct"].idxmax(), "year"])),
        "claim_year_covered": "yes" if int(claim_year) <= latest else "no",
        "n_reports": float((numbers["kind"] == KIND_REPORT).sum()),
        "n_reports_consistent": float((numbers["verdict"] == CONSISTENT).sum()),
    }
    if picked.empty:
        figures.update(share_pct=float("nan"), year_label="", basis="none")
        reason = "No admissible figure of the US share was public when the claim was made."
        deciding = "no admissible figure"
    else:
        f = picked.iloc[0]
        share = float(f["share_pct"])
        figures.update(share_pct=share, year_label=str(f["year_label"]),
                       basis="announced" if bool(f["announced"]) else "tables",
                       basis_caveat=str(f["caveat"]), basis_grade=str(f["grade"]),
                       basis_published=str(f["published"]))
        where = ("inside" if outcome == SUPPORTED else
                 f"{prose.number(share - high if share > high else low - share, 1)} points "
                 f"{'above' if share > high else 'below'}")
        if bool(f["announced"]):
            reason = (f"When the claim was made, NATO had announced figures for "
                      f"{f['year_label']} that put the US share at {prose.percent(share, 1)} of all "
                      f"Allies' defence spending, {where} the claimed {low:g}-{high:g}% (announced "
                      f"figures, reported on {f['published']}; {f['caveat'].split('; ', 1)[-1]}). "
                      f"NATO's tables the report reads end in {by_year.iloc[-1]['year_label']}, "
                      f"with {prose.percent(file_share, 1)}.")
            deciding = (f"US share {prose.percent(share, 1)} in {f['year_label']} (NATO, "
                        "announced)")
        else:
            reason = (f"By NATO's own figures the United States carried {prose.percent(share, 1)} "
                      f"of all Allies' defence expenditure in {f['year_label']}, {where} the "
                      f"claimed {low:g}-{high:g}%.")
            deciding = f"US share {prose.percent(share, 1)} in {f['year_label']} (NATO, current US$)"
    would = ("NATO's tables for the year of the claim, read as a file (the announced figures "
             "known only from a report, with their price basis unstated): a US share between "
             f"{low:g}% and {high:g}% would keep the claim supported, one more than {about_pp:g} "
             "points outside it would make it not supported.")
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=numbers, figures=figures,
        deciding=deciding, reason=reason, would_change=would, evidence=claim_evidence,
        said=str(said_row["claim_date"]))


__all__ = ["CLAIM_ID", "FIGURES", "announced_shares", "check", "check_us_share", "share_verdict",
           "stated_shares", "timing", "us_share_by_year"]
