"""The code passes the linter the project pins (ruff, configured in pyproject.toml): a finding
fails the suite, as the import contract does (tests/test_layers.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_finds_nothing_in_the_package_or_the_tests() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    proc = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise",
                           "src", "tests"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_linter_is_the_pinned_one() -> None:
    """A finding the test reports is the pinned ruff's, not whatever version is on the path."""
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pinned = next(line.split("==", 1)[1].strip() for line in lock.splitlines()
                  if line.lower().startswith("ruff=="))
    ruff = Path(sys.executable).with_name("ruff")
    version = subprocess.run([str(ruff), "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[-1]
    assert version == pinned
