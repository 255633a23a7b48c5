"""The package's layers go one way (pyproject.toml, [tool.importlinter]): the contract holds today,
and `lint-imports` does fail when a module imports a layer above its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([str(LINT), "--no-cache"], check=False, cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_import_contract_is_kept() -> None:
    done = lint(ROOT, ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout
    assert done.stdout.count("KEPT") >= 3


@pytest.mark.parametrize("module, line, broken", [
    # analysis importing publishing: an upward import across the layers
    ("calc/upward.py", "from analysis.publishing import figures\n", "Layers"),
    # data importing the build
    ("data/upward.py", "from analysis.build import pipeline\n", "Layers"),
    # a chart builder reading a data file itself
    ("publishing/reads.py", "from analysis.data import sources\n", "Publishing never reads"),
])
def test_a_crossing_import_breaks_the_contract(tmp_path: Path, module: str, line: str,
                                                broken: str) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "analysis", tmp_path / "src" / "analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "src" / "analysis" / module).write_text(line, encoding="utf-8")
    done = lint(tmp_path, tmp_path / "src")
    assert done.returncode != 0, done.stdout
    broken_lines = [ln for ln in done.stdout.splitlines() if " BROKEN" in ln]
    assert any(broken in ln for ln in broken_lines), done.stdout
