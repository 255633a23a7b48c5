"""Deals added, removed and revised between two editions of SIPRI's deal register."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import revisions
from analysis.data.readers import sipri_transfers, vocabulary


def _deal(recipient: str, designation: str, description: str, delivered: float, years: str,
          **kw: object) -> dict[str, object]:
    return {"supplier": "Turkiye", "recipient": recipient, "order_year": 2023,
            "designation": designation, "description": description, "number_ordered": 6.0,
            "number_delivered": delivered, "delivery_years": years, "status": "New",
            "tiv_order": 30.0, "tiv_delivered": delivered * 5, **kw}


def test_renamed_words_match_and_moved_values_are_revised_on_hand_made_frames() -> None:
    old = pd.DataFrame([_deal("Poland", "Bayraktar TB2", "armed UAV", 0.0, ""),
                        _deal("UAE", "Cobra-2", "APC", 6.0, "2024"),
                        _deal("Estonia", "ARMA", "APC", 6.0, "2024"),
                        _deal("Qatar", "FAC-50", "missile boat", 0.0, "")])
    new = pd.DataFrame([_deal("Poland", "Bayraktar TB-2", "armed drone", 6.0, "2025"),
                        _deal("United Arab Emirates", "Cobra-2", "armoured personnel carrier",
                              6.0, "2024"),
                        _deal("Estonia", "Arma 6x6", "armoured personnel carrier", 6.0, "2024"),
                        _deal("Spain", "Hurjet", "trainer aircraft", 0.0, "")])
    vocab = vocabulary.vocabulary()
    d = revisions.diff_deals(old, new, vocabulary.canonical(old["description"], vocab),
                             vocabulary.canonical(new["description"], vocab))
    assert d.counts() == {"added": 1, "removed": 1, "revised": 2} and d.matched == 3
    assert d.added["designation"].tolist() == ["Hurjet"]
    assert d.removed["designation"].tolist() == ["FAC-50"]
    by = d.revised.set_index("designation_new")["changed"].to_dict()
    assert by == {"Bayraktar TB-2": "number_delivered, delivery_years, tiv_delivered",
                  "Arma 6x6": "designation renamed"}


@pytest.fixture(scope="module")
def real() -> revisions.DealsDiff:
    vocab = vocabulary.vocabulary()
    old, new = sipri_transfers.deals("2025-03-13"), sipri_transfers.deals("2026-05-18")
    return revisions.diff_deals(old, new, vocabulary.canonical(old["description"], vocab),
                                vocabulary.canonical(new["description"], vocab))


def test_the_2025_and_2026_registers_reconcile(real: revisions.DealsDiff) -> None:
    c = real.counts()
    # every deal of each edition is matched, added or removed: nothing is lost or counted twice
    assert real.matched + c["removed"] == 29515 and real.matched + c["added"] == 29916
    assert c["revised"] < 0.2 * real.matched  # an edition revises some deals, not most
    renamed = real.revised[real.revised["renamed"]]
    assert len(renamed) > 0 and (renamed["designation_old"] != renamed["designation_new"]).all()


def test_turkiye_s_european_deals_that_moved_in_2025(real: revisions.DealsDiff) -> None:
    mine = real.of_supplier("Turkiye")
    rev = mine.revised.set_index(["recipient_new", "designation_new"])
    croatia = rev.loc[("Croatia", "Bayraktar TB-2")]
    assert croatia["number_delivered_old"] == 0 and croatia["number_delivered_new"] == 6
    assert croatia["delivery_years_new"] == "2025"
    estonia = rev.loc[("Estonia", "NMS")]
    assert estonia["number_delivered_old"] == 0 and estonia["number_delivered_new"] > 0
    added = mine.added.set_index("recipient")
    assert added.loc["Spain", "designation"] == "Hurjet" and added.loc["Spain", "order_year"] == 2025
    # SIPRI's rename of the UAE is matched, not counted as 11 removed and 11 added deals
    assert "UAE" not in set(mine.removed["recipient"])
