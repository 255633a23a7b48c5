"""Country names: every SIPRI name resolves or is a documented non-state party; NATO by year."""

from __future__ import annotations

from analysis.data import countries
from analysis.data.readers import curated, sipri_transfers


def test_every_register_name_is_resolved_or_documented() -> None:
    reg = sipri_transfers.deliveries("2026-02-12")
    assert countries.unresolved(set(reg["supplier"]) | set(reg["recipient"])) == []


def test_publisher_spellings_join() -> None:
    assert countries.to_iso3(["Turkiye", "Türkiye", "United States of America", "Slovak Republic",
                              countries.clean_label("Poland* "), "UAE", "Hezbollah (Lebanon)*",
                              "NATO**"]) == ["TUR", "TUR", "USA", "SVK", "POL", "ARE", None, None]


def test_nato_membership_follows_accession_years() -> None:
    members = curated.table("nato_members.csv")
    assert len(members) == 32
    assert len(countries.members_in(members, 2016)) == 28
    assert "MNE" in countries.members_in(members, 2017) and "MNE" not in countries.members_in(members, 2016)
    assert "SWE" not in countries.members_in(members, 2023, "Europe")
    assert countries.members_in(members, 2024, "North America") == ["CAN", "USA"]
