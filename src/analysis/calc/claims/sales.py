"""Claim 6: "Türkiye has sold drones to Poland and Croatia, replenishment ships to Portugal and
armoured land systems to Romania and Estonia".

The named sales (buyer, kind of system) come from the curated table of claimed sales. Each is
looked up in SIPRI's deals register and in the curated timeline through two small vocabularies
(:data:`SIPRI_WORDS`, :data:`TIMELINE_WORDS`), never through ad hoc patterns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from analysis.calc import constraints, exports
from analysis.calc.claims.base import (
    CANNOT,
    DECIDING_QUALITY,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Inputs,
    Verdict,
    admissibility,
    evidence_row,
    judged_utterance,
)

CLAIM_ID = "sales_to_european_allies"
DRONES = "drones"
SHIPS = "replenishment ships"
ARMOURED = "armoured land systems"
#: A SIPRI word that names none of the kinds of system the claim names.
OTHER = None

#: SIPRI's words for a deal -- its description (the kind of weapon) or its designation -- and
#: the kind of system of the claim each belongs to. Both spellings are listed where an edition
#: renamed one (SIPRI's 2026 edition: 'armed UAV' -> 'armed drone', 'APC' -> 'armoured
#: personnel carrier', 'Bayraktar TB2' -> 'Bayraktar TB-2', 'ARMA' -> 'Arma 6x6'). A deal of a
#: named buyer matches a kind when its description or its designation belongs to it. A deal of a
#: named buyer whose description and designation are both missing here stops the check: a new
#: word is added here (with ``OTHER`` when the claim names no such system), never guessed.
SIPRI_WORDS: dict[str, str | None] = {
    # descriptions
    "armed UAV": DRONES,
    "armed drone": DRONES,
    "replenishment ship": SHIPS,
    "APC": ARMOURED,
    "armoured personnel carrier": ARMOURED,
    "frigate": OTHER,  # Romania's Hisar-class frigate (2026 edition): a warship, not a supply ship
    # designations
    "Bayraktar TB2": DRONES,
    "Bayraktar TB-2": DRONES,
    "STM-11000": SHIPS,
    "Cobra-2": ARMOURED,
    "ARMA": ARMOURED,
    "Arma 6x6": ARMOURED,
    "NMS": ARMOURED,
}
#: The words of the curated timeline's events (whole words, as the table spells them) that name
#: each kind of system.
TIMELINE_WORDS: dict[str, tuple[str, ...]] = {
    DRONES: ("drone", "drones", "TB2", "Bayraktar"),
    SHIPS: ("ship", "ships"),
    ARMOURED: ("armoured", "armored", "vehicle", "vehicles", "APC", "Cobra", "Arma", "NMS"),
}
SALES_LANE = "Sales to European allies"


def _words(words: Sequence[str]) -> str:
    return r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"


def named_sales(claimed_sales: pd.DataFrame) -> list[tuple[str, str]]:
    """(buyer, kind) for each sale the claim names, in the table's order; a kind neither
    vocabulary knows stops the check."""
    rows = claimed_sales[claimed_sales["claim_id"] == CLAIM_ID]
    if rows.empty:
        raise KeyError(f"the table of claimed sales holds no row for {CLAIM_ID!r}")
    out = list(zip(rows["buyer"], rows["system"], strict=True))
    unknown = sorted({k for _, k in out} - set(TIMELINE_WORDS))
    if unknown:
        raise KeyError(f"claimed sales of {unknown}: not a kind of analysis.calc.claims.sales "
                       f"(one of {sorted(TIMELINE_WORDS)})")
    return out


def sipri_kind(description: str, designation: str) -> str | None:
    """The kind of system a SIPRI deal is, from its description or designation; KeyError when
    neither is in :data:`SIPRI_WORDS`."""
    name = designation.rstrip(" -")
    if description in SIPRI_WORDS and SIPRI_WORDS[description] is not OTHER:
        return SIPRI_WORDS[description]
    if name in SIPRI_WORDS:
        return SIPRI_WORDS[name]
    if description in SIPRI_WORDS:
        return OTHER
    raise KeyError(f"SIPRI deal {designation!r} ({description!r}): neither word is in "
                   "analysis.calc.claims.sales.SIPRI_WORDS; add the one SIPRI uses, with the kind of "
                   "system it is (or OTHER)")


def sales_found(sales: Sequence[tuple[str, str]], deals: pd.DataFrame, timeline: pd.DataFrame,
                members: pd.DataFrame, *, supplier: str, europe_region: str,
                exclude: Sequence[str]) -> pd.DataFrame:
    """Each named sale looked up in SIPRI's deals register (:func:`analysis.calc.exports.deals_with`:
    order year, numbers, delivered or not) and in the curated timeline
    (:func:`analysis.calc.constraints.timeline_events`, lane of sales to European allies)."""
    deal_table = exports.deals_with(deals, supplier, members, europe_region, exclude=exclude)
    buyers = {b for b, _ in sales}
    of_buyers = deal_table[deal_table["recipient"].isin(buyers)]
    kinds = pd.Series([sipri_kind(d, n) for d, n in
                       zip(of_buyers["description"], of_buyers["designation"], strict=True)],
                      index=of_buyers.index, dtype="object")
    events = constraints.timeline_events(timeline)
    events = events[events["lane"] == SALES_LANE]
    out = []
    for buyer, kind in sales:
        d = of_buyers[(of_buyers["recipient"] == buyer) & (kinds == kind)]
        e = events[events["event"].str.contains(rf"\b{re.escape(buyer)}", regex=True)
                   & events["event"].str.contains(_words(TIMELINE_WORDS[kind]), regex=True)]
        delivered = d["number_delivered"].fillna(0) > 0
        out.append({
            "buyer": buyer, "kind": kind,
            "in_sipri": not d.empty,
            "sipri_deals": "; ".join(f"{r.designation} ({r.description}), ordered {r.order_year}: "
                                     f"{r.number_delivered:g} of {r.number_ordered:g} delivered"
                                     for r in d.itertuples()),
            "order_years": ", ".join(str(y) for y in sorted(d["order_year"].unique())),
            "sipri_status": "; ".join(d["status"]),
            "any_delivered": bool(delivered.any()),
            "in_timeline": not e.empty,
            "timeline_date": "; ".join(e["date"]),
            "timeline_event": "; ".join(e["event"]),
            "source_title": e["source_title"].iloc[0] if not e.empty else "",
            "source_url": e["source_url"].iloc[0] if not e.empty else "",
            "timeline_line": int(e["line"].iloc[0]) if not e.empty else pd.NA,
            "timeline_grades": [str(timeline.loc[int(x), "source_grade"]) for x in e["line"]],
            "timeline_published": list(e["source_date"]),
            "timeline_events": list(e["date"]),
        })
    frame = pd.DataFrame(out)
    frame["found"] = frame["in_sipri"] | frame["in_timeline"]
    frame["timeline_line"] = frame["timeline_line"].astype("Int64")
    return frame


def check(inputs: Inputs) -> Verdict:
    p = inputs.params
    said = judged_utterance(inputs.claims, inputs.claimed_sales, CLAIM_ID)["claim_date"]
    return check_sales(named_sales(inputs.claimed_sales), inputs.deals, inputs.timeline,
                       inputs.members, supplier=p.supplier, europe_region=p.europe_region,
                       exclude=[p.supplier_iso3], said=said)


def sales_evidence(found: pd.DataFrame, deals_published: str, said: object) -> pd.DataFrame:
    """Each named sale's records as evidence under the one standard: its SIPRI deals (the
    register is the publisher's file: primary, published on its edition's date) and its timeline
    events (graded as their sources), one part per named sale."""
    rows = []
    for r in found.itertuples():
        part = f"{r.buyer}: {r.kind}"
        if r.in_sipri:
            rows.append(evidence_row(part, f"SIPRI's deals register: {r.sipri_deals}",
                                     DECIDING_QUALITY, deals_published, True))
        for g, pub, when in zip(r.timeline_grades, r.timeline_published, r.timeline_events,
                                strict=True):
            rows.append(evidence_row(part, f"timeline event of {when}", g, pub, True))
    frame = pd.DataFrame(rows, columns=["part", "evidence", "grade", "published",
                                        "like_for_like", "announced", "caveat"])
    return admissibility(frame, said)


def check_sales(sales: Sequence[tuple[str, str]], deals: pd.DataFrame, timeline: pd.DataFrame,
                members: pd.DataFrame, *, supplier: str, europe_region: str,
                exclude: Sequence[str], said: object = None) -> Verdict:
    """The share of the named sales with admissible evidence (SIPRI's deals register or the
    timeline, under the one standard, as public when the claim was ``said``): all of them
    supported, at least half partly supported, fewer not supported, none cannot be checked. An
    order counts as a sale ("has sold"); whether anything was delivered by the register's data
    year is reported."""
    found = sales_found(sales, deals, timeline, members, supplier=supplier,
                        europe_region=europe_region, exclude=exclude)
    evidence = sales_evidence(found, str(deals.attrs.get("vintage", "")), said)
    decided = set(evidence.loc[evidence["admissible"], "part"])
    found["found"] = [f"{b}: {k}" in decided for b, k in zip(found["buyer"], found["kind"],
                                                             strict=True)]
    found = found.drop(columns=["timeline_grades", "timeline_published", "timeline_events"])
    n, n_found = len(found), int(found["found"].sum())
    share = n_found / n
    verdict = (CANNOT if n_found == 0 else SUPPORTED if share == 1 else
               PARTLY if share >= 0.5 else NOT_SUPPORTED)
    delivered = found.loc[found["any_delivered"], "buyer"].tolist()
    missing = found.loc[~found["found"], "buyer"].tolist()
    years = sorted({int(y) for ys in found["order_years"] if ys for y in ys.split(", ")})
    figures: dict[str, float | str] = {
        "n_named": float(n), "n_found": float(n_found),
        "n_in_sipri": float(found["in_sipri"].sum()),
        "n_in_timeline": float(found["in_timeline"].sum()),
        "n_delivered": float(len(delivered)), "delivered": ", ".join(delivered) or "none",
        "missing": ", ".join(missing) or "none",
        "first_order": str(years[0]) if years else "", "last_order": str(years[-1]) if years else "",
    }
    reason = (f"{n_found} of the {n} named sales are recorded: {int(found['in_sipri'].sum())} in "
              f"SIPRI's deals register"
              + (f" (ordered {years[0]}-{years[-1]})" if years else "")
              + f" and {int(found['in_timeline'].sum())} in the curated timeline; by the register's "
              f"last year, deliveries had begun for {', '.join(delivered) or 'none'}"
              + (f"; not found: {', '.join(missing)}" if missing else "") + ".")
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=found, figures=figures, evidence=evidence,
        said="" if said is None else str(said),
        deciding=f"{n_found} of {n} sales recorded, {len(delivered)} with deliveries begun",
        reason=reason,
        would_change=("A sale cancelled before delivery, or missing from the next SIPRI register, "
                      "would lower the count; the next register also shows which orders were "
                      "delivered."))
