"""Claim 2: "The United States accounts for 60 to 65 per cent of NATO's defence spending".

The claimed range (from the curated table of claimed figures) against the US share of all
Allies' defence expenditure in the year of each utterance, by NATO's own figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.calc import prose, spending
from analysis.calc.claims.base import (
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Inputs,
    Verdict,
    claimed_figures,
    utterances,
)

CLAIM_ID = "us_share_60_65"
FIGURES = ("low_pct", "high_pct")
#: A claims row that reports a different quantity, shown beside the claim and never judged.
CONTRAST_PREFIX = "Contrast"


def check(inputs: Inputs) -> Verdict:
    p = inputs.params
    return check_us_share(utterances(inputs.claims, CLAIM_ID), inputs.nato, inputs.members,
                          claimed_figures(inputs.claimed, CLAIM_ID, FIGURES), lead=p.lead,
                          regions=p.regions, extra=p.extra, about_pp=p.about_pp)


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


def check_us_share(rows: pd.DataFrame, nato_table: pd.DataFrame, members: pd.DataFrame,
                   claimed: dict[str, str], *, lead: str, regions: Sequence[str],
                   extra: Sequence[str], about_pp: float) -> Verdict:
    """The claimed range against the US share of all Allies' defence expenditure in the year of
    each utterance (NATO's table, current USD).

    An utterance dated after the table's last year is judged on the last year, and says so. The
    verdict is that of the latest utterance (:func:`share_verdict`); a row that reports another
    quantity (NATO's common-funded budget) is listed as a contrast and not judged.
    """
    low, high = float(claimed["low_pct"]), float(claimed["high_pct"])
    by_year = us_share_by_year(nato_table, members, lead=lead, regions=regions, extra=extra)
    if by_year.empty:
        raise ValueError("NATO's table gives no year with every Ally's spending")
    latest = int(by_year["year"].max())
    indexed = by_year.set_index("year")
    out = []
    for r in rows.itertuples(index=False):
        contrast = str(r.claim).startswith(CONTRAST_PREFIX)
        year = None if pd.isna(r.year) else int(r.year)
        judged = None if (contrast or year is None) else min(year, latest)
        rec: dict[str, object] = {
            "line": r.line, "claim_date": r.claim_date, "claimant": r.claimant, "claim": r.claim,
            "source_title": r.source_title, "source_url": r.source_url,
            "kind": "contrast: a different quantity" if contrast else "utterance",
            "year_judged": judged, "year_label": "", "covered": bool(judged == year),
            "us_share_pct": float("nan"), "verdict": "",
        }
        if judged is not None:
            share = float(indexed.loc[judged, "share_pct"])
            rec.update(year_label=str(indexed.loc[judged, "year_label"]), us_share_pct=share,
                       verdict=share_verdict(share, low, high, about_pp))
        out.append(rec)
    numbers = pd.DataFrame(out)
    numbers["year_judged"] = numbers["year_judged"].astype("Int64")
    judged_rows = numbers[numbers["kind"] == "utterance"].dropna(subset=["year_judged"])
    if judged_rows.empty:
        raise ValueError("no dated utterance of the US-share claim")
    last = judged_rows.sort_values(["year_judged", "claim_date"]).iloc[-1]
    claim_year = int(last["claim_date"][:4])
    share, label = float(last["us_share_pct"]), str(last["year_label"])
    verdict = str(last["verdict"])
    where = ("inside" if verdict == SUPPORTED else
             f"{prose.number(share - high if share > high else low - share, 1)} points "
             f"{'above' if share > high else 'below'}")
    coverage = ("" if claim_year <= latest else
                f" ({claim_year} is beyond the table's last year, {latest}, so {latest} is used)")
    reason = (f"By NATO's own figures the United States carried {prose.percent(share, 1)} of all "
              f"Allies' defence expenditure in {label}{coverage}, {where} the claimed "
              f"{low:g}-{high:g}%.")
    figures: dict[str, float | str] = {
        "low_pct": low, "high_pct": high, "about_pp": about_pp, "share_pct": share,
        "year_label": label, "claim_year": str(claim_year), "latest_year": str(latest),
        "first_year": str(int(by_year["year"].min())),
        "first_share_pct": float(by_year.iloc[0]["share_pct"]),
        "peak_share_pct": float(by_year["share_pct"].max()),
        "peak_year": str(int(by_year.loc[by_year["share_pct"].idxmax(), "year"])),
        "claim_year_covered": "yes" if claim_year <= latest else "no",
    }
    would = (f"NATO's figures for {claim_year}: a US share between {low:g}% and {high:g}% would "
             f"make the claim supported, one more than {about_pp:g} points outside it not "
             "supported.") if claim_year > latest else (
             f"A revision of NATO's {label} figure that moves the share across {low:g}%, "
             f"{high:g}% or {about_pp:g} points beyond them.")
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=numbers, figures=figures,
        deciding=f"US share {prose.percent(share, 1)} in {label} (NATO, current US$)",
        reason=reason, would_change=would)
