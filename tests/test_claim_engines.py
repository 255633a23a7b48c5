"""Claim 7 (analysis.calc.claims.engines): US engines for KAAN and Hürjet, minerals from China."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import claims
from analysis.calc.claims import engines
from analysis.calc.claims.base import CANNOT, NOT_SUPPORTED, PARTLY, SUPPORTED


def test_minerals_and_engines_partly(claims_verdicts: dict[str, claims.Verdict],
                                     claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[engines.CLAIM_ID]
    assert v.verdict == PARTLY
    assert v.figures["engines_part"] == SUPPORTED and v.figures["minerals_part"] == CANNOT
    assert engines.turkiye_import_facts(claims_inputs.minerals).empty
    deps = claims_inputs.dependencies
    for programme in engines.ENGINE_PROGRAMMES.values():
        rows = deps[(deps["programme"] == programme) & (deps["component_kind"] == "engine")
                    & (deps["supplier_country"] == "United States")]
        assert not rows.empty and rows["status"].str.startswith("in use").any()
    u = claims_inputs.usgs
    world = u[u["row_kind"] == "world total"]["production_2024e_t"].iloc[0]
    china = u[u["country"] == "China"]["production_2024e_t"].iloc[0]
    assert v.figures["mining_share_pct"] == pytest.approx(100 * china / world)
    assert "not in the report's data" in v.reason


def _with_import_fact(minerals: pd.DataFrame, value: str) -> pd.DataFrame:
    fact = pd.DataFrame([{"fact_id": "turkey_ree_imports_from_china", "value": value,
                          "unit": "percent of Türkiye's imports", "period": "2024",
                          "description": "Share of Türkiye's rare-earth imports from China",
                          "source_title": "t", "source_url": "https://example.org",
                          "source_date": "2025", "source_grade": "reputable secondary",
                          "quality_note": ""}])
    return pd.concat([minerals, fact], ignore_index=True)


@pytest.mark.parametrize(("import_share", "drop_us_engines", "expected"), [
    ("80", False, SUPPORTED), ("30", False, PARTLY), (None, True, NOT_SUPPORTED),
    ("80", True, PARTLY)])
def test_minerals_and_engines_flip(claims_inputs: claims.Inputs, import_share: str | None,
                                   drop_us_engines: bool, expected: str) -> None:
    minerals = claims_inputs.minerals
    if import_share is not None:
        minerals = _with_import_fact(minerals, import_share)
    deps = claims_inputs.dependencies
    if drop_us_engines:
        deps = deps[~((deps["component_kind"] == "engine")
                      & (deps["supplier_country"] == "United States"))]
    v = engines.check_minerals_engines(deps, minerals, claims_inputs.usgs,
                                       engine_country="United States", mining_country="China",
                                       production_column="production_2024e_t")
    assert v.verdict == expected
