"""Claim 6 (analysis.calc.claims.sales): the five named sales, read from the claimed-sales table and
matched in SIPRI's deals register through the vocabulary of SIPRI's words (both editions'
spellings) and in the curated timeline."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import claims
from analysis.calc.claims import sales
from analysis.calc.claims.base import NOT_SUPPORTED, PARTLY, SUPPORTED
from analysis.data.readers import sipri_transfers

NAMED = [("Poland", sales.DRONES), ("Croatia", sales.DRONES), ("Portugal", sales.SHIPS),
         ("Romania", sales.ARMOURED), ("Estonia", sales.ARMOURED)]


def _check(claims_inputs: claims.Inputs, deals: pd.DataFrame | None = None,
           timeline: pd.DataFrame | None = None) -> claims.Verdict:
    return sales.check_sales(sales.named_sales(claims_inputs.claimed_sales),
                             claims_inputs.deals if deals is None else deals,
                             claims_inputs.timeline if timeline is None else timeline,
                             claims_inputs.members, supplier="Turkiye", europe_region="Europe",
                             exclude=["TUR"])


def test_the_named_sales_are_the_table_rows(claims_inputs: claims.Inputs) -> None:
    assert sales.named_sales(claims_inputs.claimed_sales) == NAMED


def test_sales_found_in_sipri_and_the_timeline(claims_verdicts: dict[str, claims.Verdict],
                                               claims_inputs: claims.Inputs) -> None:
    v = claims_verdicts[sales.CLAIM_ID]
    assert v.verdict == SUPPORTED and v.numbers["found"].all()
    # each buyer's deal is in the register itself with a supplier Turkiye row, and the
    # 'delivered' flag is the register's own number delivered
    deals = claims_inputs.deals[claims_inputs.deals["supplier"] == "Turkiye"]
    for r in v.numbers.itertuples():
        own = deals[deals["recipient"] == r.buyer]
        assert r.in_sipri and not own.empty
        kinds = own[[sales.sipri_kind(d, n) == r.kind
                     for d, n in zip(own["description"], own["designation"], strict=True)]]
        assert r.any_delivered == bool((kinds["number_delivered"] > 0).any())
        assert str(r.order_years) == ", ".join(str(y) for y in sorted(kinds["order_year"].unique()))
    # SIPRI's 2026 edition: deliveries to the end of 2025 (Portugal's ships still to come)
    assert v.figures["delivered"] == "Poland, Croatia, Romania, Estonia"
    romania = v.numbers.set_index("buyer").loc["Romania", "sipri_deals"]
    assert "Cobra-2 (armoured personnel carrier)" in romania
    assert "TB-2" not in romania  # its drones are not the claim's
    line = claims_inputs.timeline.loc[int(v.numbers.set_index("buyer").loc["Portugal",
                                                                           "timeline_line"])]
    assert "Portugal" in line["event"] and line["category"].startswith("Export to European")
    assert v.vintages["sipri-arms-transfers"] == claims_inputs.deals.attrs["vintage"]


@pytest.mark.parametrize(("dropped", "expected"), [
    ((), SUPPORTED), (("Portugal",), PARTLY), (("Croatia", "Portugal", "Romania"), NOT_SUPPORTED)])
def test_sales_flip_when_sales_are_missing(claims_inputs: claims.Inputs,
                                           dropped: tuple[str, ...], expected: str) -> None:
    deals = claims_inputs.deals[~claims_inputs.deals["recipient"].isin(dropped)]
    pattern = "|".join(dropped) or "^$"
    timeline = claims_inputs.timeline[~claims_inputs.timeline["event"].str.contains(pattern)]
    v = _check(claims_inputs, deals, timeline)
    assert v.verdict == expected
    assert v.figures["missing"] == (", ".join(dropped) or "none")


def test_the_2026_spellings_find_the_same_sales(claims_inputs: claims.Inputs) -> None:
    renamed = claims_inputs.deals.replace({
        "description": {"armed UAV": "armed drone", "APC": "armoured personnel carrier"},
        "designation": {"Bayraktar TB2": "Bayraktar TB-2", "ARMA": "Arma 6x6"}})
    assert (renamed["description"] == "armed drone").any()
    before = _check(claims_inputs).numbers
    after = _check(claims_inputs, deals=renamed).numbers
    cols = ["buyer", "kind", "in_sipri", "order_years", "any_delivered", "found"]
    assert after[cols].equals(before[cols])
    # a deal is found by its designation alone, as SIPRI spells it in either edition
    for designation in ("Bayraktar TB2", "Bayraktar TB-2", "ARMA", "Arma 6x6"):
        assert sales.sipri_kind("towed gun", designation) is not None
    with pytest.raises(KeyError, match="Boran"):  # a word of neither table is never guessed
        sales.sipri_kind("towed gun", "Boran 105mm")


def test_sipris_2026_register_finds_the_same_five_sales(claims_inputs: claims.Inputs) -> None:
    """SIPRI's 2026 deals register words the same deals anew (armed drone, armoured personnel
    carrier, Bayraktar TB-2, Arma 6x6) and adds a frigate for Romania: the same five sales are
    found, and more of them have deliveries begun."""
    deals = sipri_transfers.deals("2026-05-18")
    own = deals[deals["supplier"] == "Turkiye"]
    assert "armed drone" in set(own["description"]) and "armed UAV" not in set(own["description"])
    v = _check(claims_inputs, deals=deals)
    assert v.verdict == SUPPORTED and v.numbers["in_sipri"].all()
    assert _check(claims_inputs).numbers["order_years"].tolist() == v.numbers["order_years"].tolist()
    romania = v.numbers.set_index("buyer").loc["Romania", "sipri_deals"]
    assert "Cobra-2" in romania and "Hisar" not in romania  # the frigate is not the claim's
    assert set(v.figures["delivered"].split(", ")) == {"Poland", "Croatia", "Romania", "Estonia"}


def test_an_unknown_sipri_word_for_a_named_buyer_stops_the_check(
        claims_inputs: claims.Inputs) -> None:
    deals = claims_inputs.deals.copy()
    croatia = (deals["supplier"] == "Turkiye") & (deals["recipient"] == "Croatia")
    deals.loc[croatia, "description"] = "uncrewed combat aircraft"
    deals.loc[croatia, "designation"] = "TB2 Block 2"
    with pytest.raises(KeyError, match="uncrewed combat aircraft"):
        _check(claims_inputs, deals=deals)
    # an ally the claim does not name may buy anything
    other = claims_inputs.deals.copy()
    other.loc[(other["supplier"] == "Turkiye") & (other["recipient"] == "Albania"),
              "description"] = "uncrewed combat aircraft"
    assert _check(claims_inputs, deals=other).verdict == SUPPORTED


def test_a_kind_without_words_stops_the_check(claims_inputs: claims.Inputs) -> None:
    table = claims_inputs.claimed_sales.copy()
    table.loc[table["buyer"] == "Poland", "system"] = "frigates"
    with pytest.raises(KeyError, match="frigates"):
        sales.named_sales(table)
