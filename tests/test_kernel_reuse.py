"""A worker runs its chapters in one kernel (started once, imports paid once), reset before each
chapter: a new namespace, the chapter's own settings and folder, cell numbers from 1."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from analysis.build import pipeline
from analysis.data.store import worker_context


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("x = None", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)
    return path


def test_one_kernel_per_worker_reset_between_chapters(tmp_path: Path, root: Path) -> None:
    probe = ("import json, os\n"
             "print(json.dumps({'pid': os.getpid(), 'cwd': os.getcwd(), 'x': x,\n"
             "                  'left': 'kept' in globals(),\n"
             "                  'chapter': os.environ['REPORT_CHAPTER']}))\n"
             "kept = 1\n")
    first = _notebook(tmp_path / "first.ipynb", probe)
    second = _notebook(tmp_path / "second.ipynb", probe)
    seen = []
    with ProcessPoolExecutor(max_workers=1, mp_context=worker_context()) as pool:
        for name, nb, x in (("first", first, 1), ("second", second, 2)):
            work = tmp_path / "work" / name
            res = pool.submit(pipeline.execute_chapter, str(root), name, str(nb), {"x": x},
                              str(work), 120, {"REPORT_SCRATCH_ONLY": name}).result()
            assert res["ok"], res
            out = nbformat.read(work / f"{name}.ipynb", as_version=4)
            code = [c for c in out.cells if c.cell_type == "code"]
            assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
            seen.append(json.loads(code[-1].outputs[0]["text"]) | {"work": str(work)})
    assert seen[0]["pid"] == seen[1]["pid"]  # the same kernel ...
    for s, name, x in zip(seen, ("first", "second"), (1, 2), strict=True):
        assert s["x"] == x and s["chapter"] == name and s["cwd"] == s["work"]
        assert not s["left"]  # ... with a new namespace for each chapter
