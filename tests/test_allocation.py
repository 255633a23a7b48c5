"""The yearly split of the deal register: this report's estimate, checked against SIPRI."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.calc import allocation, exports
from analysis.data.readers import sipri_transfers


def test_a_deal_s_tiv_is_spread_evenly_over_its_delivery_years() -> None:
    deals = pd.DataFrame({
        "supplier": ["Turkiye", "Turkiye", "France"], "recipient": ["Poland", "Qatar", "Chad"],
        "designation": ["TB2", "Cobra", "X"], "description": ["armed drone", "APC", "tank"],
        "order_year": [2021, 2020, 2024], "delivery_years": ["2022; 2023; 2025", "2021", ""],
        "tiv_delivered": [30.0, 4.0, None], "status": ["New", "New", "New"]},
        index=pd.Index([13, 14, 15], name="_line"))
    out = allocation.allocate(deals)
    assert out[["deal_id", "delivery_year", "tiv_delivered"]].values.tolist() == [
        [13, 2022, 10.0], [13, 2023, 10.0], [13, 2025, 10.0], [14, 2021, 4.0]]
    assert out["tiv_delivered"].sum() == pytest.approx(34.0)  # nothing lost, nothing added


@pytest.fixture(scope="module")
def same_edition() -> tuple[pd.DataFrame, pd.DataFrame]:
    """SIPRI's 2025 edition in both forms: exact yearly values and the deal register."""
    return (sipri_transfers.deliveries("2026-02-12"),
            allocation.allocate(sipri_transfers.deals("2025-03-13")))


def test_the_estimate_keeps_windowed_ranks_of_the_exact_yearly_values(same_edition) -> None:
    exact, estimate = same_edition
    spans = exports.windows(2015, 2024, 5)
    a = exports.exporters_by_window(exact, spans, 5)
    b = exports.exporters_by_window(estimate, spans, 5)
    for window in ("2015-19", "2020-24"):
        ra = a[a["window"] == window].set_index("supplier")
        rb = b[b["window"] == window].set_index("supplier")
        assert ra.loc["Turkiye", "rank"] == rb.loc["Turkiye", "rank"]
        # Türkiye's window total within 5% of SIPRI's exact one
        assert abs(rb.loc["Turkiye", "tiv"] / ra.loc["Turkiye", "tiv"] - 1) < 0.05
        top = ra.sort_values("rank").index[:10]
        assert list(rb.loc[top].sort_values("rank").index[:3]) == list(top[:3])


def test_compare_yearly_lines_up_the_two(same_edition) -> None:
    exact, estimate = same_edition
    table = allocation.compare_yearly(exact, estimate, "Turkiye", 2015, 2024)
    assert table["year"].tolist() == list(range(2015, 2025))
    assert (table["difference"] == table["estimate"] - table["exact"]).all()
    assert table["exact"].sum() == pytest.approx(exports.yearly_tiv(exact, "Turkiye", 2015, 2024)["tiv"].sum())
