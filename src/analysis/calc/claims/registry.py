"""The one list of the claims the report checks. A claim is added here -- its id (as in
``data/curated/claims.csv``), the summary's short label, the sentence the chapter quotes, its
check module and the frames it reads -- with its check in a module of its own and its figures
in ``data/curated/claimed_figures.csv`` (or ``claimed_sales.csv``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.calc.claims import allies, engines, russia, sales, systems, us_share, wales
from analysis.calc.claims.base import Inputs, Verdict


@dataclass(frozen=True)
class Claim:
    """One claim: ``key`` prefixes the chapter's glue keys; ``uses`` names the frames of
    :class:`~analysis.calc.claims.base.Inputs` whose vintages the verdict rests on (and which a previous
    vintage replaces in :func:`analysis.calc.claims.rerun`)."""

    claim_id: str
    key: str
    label: str
    statement: str
    check: Callable[[Inputs], Verdict]
    uses: tuple[str, ...]


CLAIMS: tuple[Claim, ...] = (
    Claim(wales.CLAIM_ID, "wales",
          "2% set at Wales (2014), raised to 5% at The Hague (2025)",
          "The 2% of GDP pledge was set at the 2014 Wales summit; the target was raised to 5% by "
          "2035 at The Hague in June 2025.",
          wales.check, ("claims",)),
    Claim(us_share.CLAIM_ID, "us",
          "The US pays 60 to 65% of NATO's defence spending",
          "The United States accounts for 60 to 65 per cent of NATO's defence spending.",
          us_share.check, ("claims", "nato", "members", "headlines")),
    Claim(russia.CLAIM_ID, "russia",
          "Russia makes in three months what NATO makes in a year",
          "Russia produces in three months the munitions that all of NATO produces in a year "
          "(said in early 2025).",
          russia.check, ("claims", "context")),
    Claim(allies.CLAIM_ID, "allies",
          "The allies together outproduce Russia",
          "The 32 allies together produce more equipment and munitions than Russia (a "
          "counter-claim).",
          allies.check, ("claims", "context")),
    Claim(systems.CLAIM_ID, "systems",
          "178 weapon-system types in Europe, 30 in the US",
          "The US fields about 30 major weapon systems while EU members operate 178 (a 2017 "
          "comparison).",
          systems.check, ("claims", "context")),
    Claim(sales.CLAIM_ID, "sales",
          "Turkish sales to Poland, Croatia, Portugal, Romania, Estonia",
          "Türkiye has sold drones to Poland and Croatia, replenishment ships to Portugal and "
          "armoured land systems to Romania and Estonia.",
          sales.check, ("claims", "deals", "timeline", "members")),
    Claim(engines.CLAIM_ID, "engines",
          "Minerals from China, US engines for KAAN and Hürjet",
          "Türkiye depends on imported critical minerals from China and on US-made engines for "
          "its fighter and jet-trainer projects.",
          engines.check, ("claims", "dependencies", "minerals", "usgs")),
)
BY_ID: dict[str, Claim] = {c.claim_id: c for c in CLAIMS}
