"""Exports analysis on the real register and on small hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import exports
from analysis.readers import sipri_transfers


@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return sipri_transfers.deliveries("2026-02-12")


def test_yearly_tiv_matches_the_sidecar_and_fills_gaps(register: pd.DataFrame) -> None:
    yearly = exports.yearly_tiv(register, "Turkiye", 1995, 2024)
    assert list(yearly["year"]) == list(range(1995, 2025))
    # the sidecar of the 2022 vintage cites 482 for 2021 in the 2025 edition
    assert round(float(yearly.set_index("year").loc[2021, "tiv"])) == 482
    assert (yearly["tiv"] >= 0).all()


def test_window_totals_reconcile_with_the_yearly_series(register: pd.DataFrame) -> None:
    yearly = exports.yearly_tiv(register, "Turkiye", 1995, 2024)
    by_window = exports.window_totals(yearly, 5)
    assert list(by_window["window"]) == ["1995-99", "2000-04", "2005-09", "2010-14", "2015-19",
                                         "2020-24"]
    assert by_window["tiv"].sum() == pytest.approx(yearly["tiv"].sum())
    raw = register[(register["supplier"] == "Turkiye")
                   & register["delivery_year"].between(2020, 2024)]["tiv_delivered"].sum()
    assert by_window.set_index("window").loc["2020-24", "tiv"] == pytest.approx(raw)


def test_windows_on_a_hand_made_series() -> None:
    yearly = pd.DataFrame({"year": range(2013, 2025), "tiv": [1.0] * 2 + [2.0] * 5 + [4.0] * 5})
    out = exports.window_totals(yearly, 5)
    # only whole windows ending at the last year; 2013-14 is left out
    assert out[["window", "tiv"]].values.tolist() == [["2015-19", 10.0], ["2020-24", 20.0]]
    assert out["change_pct"].iloc[1] == pytest.approx(100.0)
    assert pd.isna(out["change_pct"].iloc[0])


def test_change_from_zero_is_missing_not_infinite() -> None:
    yearly = pd.DataFrame({"year": range(2015, 2025), "tiv": [0.0] * 5 + [3.0] * 5})
    out = exports.window_totals(yearly, 5)
    assert pd.isna(out["change_pct"].iloc[1])


def test_window_label_crosses_a_century() -> None:
    assert exports.window_label(1998, 5) == "1998-2002"
    assert exports.window_label(2020, 5) == "2020-24"
