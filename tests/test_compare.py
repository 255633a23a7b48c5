"""`report compare` finds every glued value that moved between two builds, and says how."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.build import compare

SPEC = "<script type='application/json' class='report-chart-spec'>{}</script>"


def _notebook(folder: Path, name: str, values: dict[str, dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    outputs = [{"output_type": "display_data", "data": data,
                "metadata": {"scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}}}
               for key, data in values.items()]
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def _chart(data: list, colour: str) -> str:
    spec = {"datasets": {"d": data}, "layer": [{"mark": {"type": "rule", "color": colour}}]}
    return "<div>chart</div>" + SPEC.format(json.dumps(spec))


def test_each_kind_of_move_is_named(tmp_path: Path) -> None:
    p, h = compare.PLAIN, compare.HTML
    before = {"n": {p: "'3'"}, "t": {h: "<table><td>A</td></table>", p: "<Table>"},
              "c": {h: _chart([1, 2], "#222"), p: "<Figure>"}, "d": {h: _chart([1, 2], "#222")},
              "gone": {p: "'x'"}}
    after = {"n": {p: "'4'"}, "t": {h: "<table class='x'><td >A</td></table>", p: "<Table>"},
             "c": {h: _chart([1, 2], "#444"), p: "<Figure>"}, "d": {h: _chart([1, 3], "#222")}}
    _notebook(tmp_path / "old", "spending", before)
    _notebook(tmp_path / "new", "spending", after)
    assert compare.compare(tmp_path / "old", tmp_path / "new") == {
        "spending/n": "text", "spending/t": "table markup (same text)",
        "spending/c": "chart style (same data)", "spending/d": "chart data",
        "spending/gone": "gone"}
    text, moved = compare.report(tmp_path / "old", tmp_path / "new")
    assert moved and "5 glued values compared, 5 differ" in text
    assert compare.report(tmp_path / "old", tmp_path / "old") == (
        "5 glued values compared, 0 differ", False)
