"""Claim 7: "Türkiye depends on imported critical minerals from China and on US-made engines for
its fighter and jet-trainer projects": two halves, combined.
"""

from __future__ import annotations

import pandas as pd

from analysis.calc import constraints, prose
from analysis.calc.claims.base import (
    CANNOT,
    NOT_SUPPORTED,
    PARTLY,
    SUPPORTED,
    Inputs,
    Verdict,
    admissibility,
    apply_standard,
    combine,
    evidence_row,
    judged_utterance,
)

CLAIM_ID = "minerals_and_engines"


def check(inputs: Inputs) -> Verdict:
    p = inputs.params
    said = judged_utterance(inputs.claims, inputs.claimed, CLAIM_ID)["claim_date"]
    return check_minerals_engines(inputs.dependencies, inputs.minerals, inputs.usgs,
                                  engine_country=p.engine_country,
                                  mining_country=p.mining_country,
                                  production_column=constraints.latest_production(inputs.usgs).column,
                                  said=said)


ENGINES_PART = "US-made engines for the fighter and the jet trainer"
MINERALS_PART = "critical minerals imported from China"


#: The fighter and the jet trainer of the claim, as the dependency table names them.
ENGINE_PROGRAMMES: dict[str, str] = {"fighter": "KAAN fighter", "jet trainer": "Hürjet trainer"}
#: Dependency statuses under which a programme no longer rests on the foreign engine.
NOT_DEPENDING = ("withdrawn", "replaced by domestic")
#: The minerals table names a fact about Türkiye with the prefix turkey_ (or turkiye_).
_ABOUT_TURKIYE = r"^(?:turkey|turkiye)_"
_IMPORTS = r"(?:^|[_\s])imports?(?:$|[_\s,.;])"


def engine_dependencies(dependencies: pd.DataFrame, engine_country: str) -> pd.DataFrame:
    """The engine and engine-licence rows of the claim's programmes
    (:func:`analysis.calc.constraints.matrix_entries`), with whether each makes the programme depend
    on ``engine_country``."""
    entries = constraints.matrix_entries(dependencies)
    rows = entries[entries["flagship"].isin(ENGINE_PROGRAMMES.values())
                   & entries["component_kind"].isin(["engine", "export licence"])].copy()
    head = rows["status"].str.replace(r" \(.+\)$", "", regex=True)
    rows["depends"] = ((rows["component_kind"] == "engine")
                       & (rows["supplier_country"] == engine_country)
                       & ~head.isin(NOT_DEPENDING))
    return rows.reset_index(drop=True)


def turkiye_import_facts(minerals: pd.DataFrame) -> pd.DataFrame:
    """Facts of the critical-minerals table about Türkiye's imports (none is recorded today)."""
    about = minerals["fact_id"].str.contains(_ABOUT_TURKIYE, regex=True)
    imports = (minerals["fact_id"].str.contains(_IMPORTS, regex=True)
               | minerals["description"].str.contains(_IMPORTS, regex=True, case=False))
    return minerals[about & imports]


def check_minerals_engines(dependencies: pd.DataFrame, minerals: pd.DataFrame,
                           usgs: pd.DataFrame, *,
                           engine_country: str, mining_country: str,
                           production_column: str, said: object = None) -> Verdict:
    """Two parts, combined (:func:`combine`).

    Engines: supported when every programme of :data:`ENGINE_PROGRAMMES` has an engine from
    ``engine_country`` it still depends on, partly when some do, not supported when none do,
    cannot be checked when the table holds no engine row. Minerals: supported when a recorded fact
    shows China supplying more than half of Türkiye's imports of a critical mineral, not supported
    when such facts show less, cannot be checked when none is recorded (today). China's share of
    world mining (USGS) is context: it says nothing of where Türkiye buys.
    """
    engines = engine_dependencies(dependencies, engine_country)
    # the standard, programme by programme: an engine row may count only if admissible
    engine_rows = engines[engines["component_kind"] == "engine"]
    grades = {int(line): str(dependencies.loc[int(line), "source_grade"])
              for line in engine_rows["line"]}
    ev_engines = admissibility(pd.DataFrame(
        [evidence_row(f"engine of the {r.flagship}", f"{r.dependency} ({r.status}, {r.status_date})",
                      grades[int(r.line)], str(r.source_date), True)
         for r in engine_rows.itertuples()],
        columns=["part", "evidence", "grade", "published", "like_for_like", "announced",
                 "caveat"]), said)
    ok_lines = {int(x) for x, a in zip(engine_rows["line"], ev_engines["admissible"], strict=True)
                if a}
    engines = engines.assign(depends=engines["depends"] & engines["line"].astype(int).isin(ok_lines))
    per_programme = engines.groupby("flagship")["depends"].any().reindex(
        list(ENGINE_PROGRAMMES.values()), fill_value=False)
    if engine_rows.empty:
        engines_part = CANNOT
    elif per_programme.all():
        engines_part = SUPPORTED
    elif per_programme.any():
        engines_part = PARTLY
    else:
        engines_part = NOT_SUPPORTED
    imports = turkiye_import_facts(minerals)
    if imports.empty:
        minerals_part = CANNOT
    else:
        china = imports[imports["description"].str.contains(mining_country)
                        & imports["unit"].str.contains("percent")]
        shares = [float(v.split("-")[0]) for v in china["value"]]
        minerals_part = SUPPORTED if any(s > 50 for s in shares) else NOT_SUPPORTED
    ev_minerals = admissibility(pd.DataFrame(
        [evidence_row(MINERALS_PART, str(r.description), str(r.source_grade), str(r.source_date),
                      True) for r in imports.itertuples()],
        columns=["part", "evidence", "grade", "published", "like_for_like", "announced",
                 "caveat"]), said)
    evidence = pd.concat([ev_engines.assign(part=ENGINES_PART), ev_minerals], ignore_index=True)
    judged = apply_standard({ENGINES_PART: engines_part, MINERALS_PART: minerals_part}, evidence)
    engines_part, minerals_part = judged[ENGINES_PART], judged[MINERALS_PART]
    mining = constraints.share_of_world(usgs, mining_country, production_column)
    numbers = pd.DataFrame([
        {"part": "US-made engines for the fighter and the jet trainer", "outcome": engines_part,
         "evidence": "; ".join(f"{p}: {'depends' if d else 'no dependent engine row'}"
                               for p, d in per_programme.items())},
        {"part": "critical minerals imported from China", "outcome": minerals_part,
         "evidence": (f"{len(imports)} recorded facts on Türkiye's imports" if len(imports)
                      else "Türkiye's imports by mineral and origin are not in the report's data")},
    ])
    depend = engines[engines["depends"]]
    figures: dict[str, float | str] = {
        "n_programmes": float(len(per_programme)),
        "n_depending": float(per_programme.sum()),
        "engines": "; ".join(f"{r.flagship}: {r.dependency} ({r.status}, {r.status_date})"
                             for r in depend.itertuples()),
        "mining_share_pct": mining.pct_of_world, "mining_country": mining_country,
        "mining_year": next(y.year for y in constraints.production_years(usgs)
                            if y.column == production_column),
        "n_import_facts": float(len(imports)),
        "engines_part": engines_part, "minerals_part": minerals_part,
    }
    verdict = combine([engines_part, minerals_part])
    reason = (f"Engines: {int(per_programme.sum())} of {len(per_programme)} programmes "
              f"({', '.join(per_programme.index)}) fly on an engine made in the {engine_country} "
              f"({engines_part}); minerals: Türkiye's import mix is not in the report's data "
              f"({minerals_part}), though {mining_country} mined "
              f"{prose.percent(mining.pct_of_world)} of the world's rare earths in "
              f"{figures['mining_year']} (USGS).") if imports.empty else (
              f"Engines: {engines_part}; minerals: {minerals_part}, from {len(imports)} recorded "
              "facts on Türkiye's imports.")
    return Verdict(
        claim_id=CLAIM_ID, verdict=verdict, numbers=numbers, figures=figures, evidence=evidence,
        said="" if said is None else str(said),
        deciding=(f"{int(per_programme.sum())} of {len(per_programme)} programmes on engines made "
                  f"in the {engine_country}; Türkiye's mineral imports "
                  + ("not recorded" if imports.empty else f"in {len(imports)} recorded facts")),
        reason=reason,
        would_change=("Türkiye's imports by mineral and country of origin (trade statistics "
                      "such as UN Comtrade or TurkStat, for rare-earth compounds, gallium, "
                      "germanium and permanent magnets) would decide the minerals half; a "
                      "domestic engine in service would change the engines half."))
