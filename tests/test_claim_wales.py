"""Claim 1 (analysis.calc.claims.wales): the Wales and Hague figures against NATO's own texts, on the
real claims table and on hand-made texts that flip the verdict."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.calc import claims
from analysis.calc.claims import wales
from analysis.calc.claims.base import CANNOT, NOT_SUPPORTED, PARTLY, SUPPORTED


def _pledge_rows(wales_text: str | None, hague_text: str | None,
                 grade: str = "primary") -> pd.DataFrame:
    rows = []
    for date, text in (("2014-09-05", wales_text), ("2025-06-25", hague_text)):
        if text is not None:
            rows.append({"claim_id": wales.CLAIM_ID, "claim": text,
                         "claimant": wales.OFFICIAL_CLAIMANT, "claim_date": date,
                         "date_precision": "day", "venue": "summit", "source_title": "t",
                         "source_url": "https://example.org/x", "source_date": date,
                         "source_grade": grade, "quality_note": ""})
    rows.append({"claim_id": wales.CLAIM_ID, "claim": "restates it",
                 "claimant": "A journalist", "claim_date": "2025-09", "date_precision": "month",
                 "venue": "article", "source_title": "t", "source_url": "https://example.org/y",
                 "source_date": "2025-09", "source_grade": "weak", "quality_note": ""})
    frame = pd.DataFrame(rows, index=range(2, 2 + len(rows)))
    return claims.utterances(frame, wales.CLAIM_ID)


def test_claimed_figures_come_from_the_table(claims_inputs: claims.Inputs) -> None:
    assert wales.claimed(claims_inputs) == {"wales_pct": 2.0, "wales_year": "2014",
                                            "hague_pct": 5.0, "by_year": "2035",
                                            "hague_month": "2025-06"}


def test_wales_hague_on_nato_texts(claims_verdicts: dict[str, claims.Verdict],
                                   claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[wales.CLAIM_ID]
    assert v.verdict == PARTLY
    assert v.numbers["outcome"].tolist() == [PARTLY, PARTLY]
    # the figures are read from NATO's own Hague text, and its parts add up to the whole
    c = claims_inputs.claims
    hague = c[c["claimant"].str.startswith(wales.OFFICIAL_CLAIMANT)
              & c["claim_date"].str.startswith("2025-06")]["claim"].iloc[0]
    for key in ("hague_pct", "core_pct", "related_pct"):
        assert f"{v.figures[key]:g}%" in hague
    assert v.figures["core_pct"] + v.figures["related_pct"] == v.figures["hague_pct"]
    assert v.numbers["line"].tolist() == [2, 3]  # NATO's rows, not the journalist's
    assert v.vintages == {"curated/claims.csv": "curated"}


@pytest.mark.parametrize(("wales_text", "hague_text", "expected"), [
    ("Allies set a new guideline of spending 2% of GDP on defence within a decade",
     "Allies committed to spend 5% of GDP a year on defence by 2035", SUPPORTED),
    ("Allies set a new guideline of spending 2% of GDP on defence",
     "Allies committed to spend 4% of GDP a year on defence by 2035", PARTLY),
    ("Allies agreed to spend 3% of GDP", "Allies committed to 4% of GDP by 2030", NOT_SUPPORTED),
    (None, None, CANNOT),
])
def test_wales_hague_flips(claims_inputs: claims.Inputs, wales_text: str | None,
                           hague_text: str | None, expected: str) -> None:
    v = wales.check_wales_hague(_pledge_rows(wales_text, hague_text), wales.claimed(claims_inputs),
                                said="2025-09")
    assert v.verdict == expected
    # the one standard: the same texts from a weak page decide nothing
    weak = wales.check_wales_hague(_pledge_rows(wales_text, hague_text, grade="weak"),
                                   wales.claimed(claims_inputs), said="2025-09")
    assert weak.verdict == CANNOT


def test_another_claimed_year_is_judged_on_another_summit(claims_inputs: claims.Inputs) -> None:
    claimed = claims_inputs.claimed.copy()
    claimed.loc[claimed["figure"] == "wales_year", "value"] = "2006"  # Riga, not in the table
    v = wales.check(replace(claims_inputs, claimed=claimed))
    assert v.numbers["outcome"].tolist() == [CANNOT, PARTLY]
    assert v.verdict == PARTLY and "2006" in v.numbers["part"].iloc[0]
