"""Compare every glued value of two builds: ``report compare OLD NEW``.

OLD and NEW are folders of executed notebooks (a build's ``_build/work/src/chapters``) or build
folders holding one. Each value is ``chapter/key`` with its mime bundle; a value that moved is
classified: its text differs (what a reader sees), only its table markup differs, only a chart's
styling differs (the data drawn are the same), or a chart's data differ.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

PLAIN = "application/papermill.record/text/plain"
HTML = "application/papermill.record/text/html"
_SPEC = re.compile(r"<script type='application/json' class='report-chart-spec'>(.*?)</script>",
                   re.DOTALL)


def _folder(path: Path) -> Path:
    for candidate in (path, path / "work" / "src" / "chapters",
                      path / "_build" / "work" / "src" / "chapters"):
        if any(candidate.glob("*.ipynb")):
            return candidate
    raise FileNotFoundError(f"no executed notebooks under {path}")


def glued(path: Path) -> dict[str, dict[str, str]]:
    """``chapter/key`` -> the glued value's mime bundle, for every executed notebook."""
    out = {}
    for nb in sorted(_folder(path).glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for o in cell.get("outputs", []):
                name = o.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    out[f"{nb.stem}/{name}"] = {k: "".join(v) if isinstance(v, list) else v
                                                for k, v in o.get("data", {}).items()}
    return out


def _text(markup: str) -> str:
    markup = re.sub(r"<script.*?</script>", " ", markup, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def _data(markup: str) -> Any:
    m = _SPEC.search(markup)
    return None if m is None else json.loads(m.group(1)).get("datasets")


def compare(old: Path, new: Path) -> dict[str, str]:
    """Every value that differs: ``chapter/key`` -> how ("gone", "new", "text", ...)."""
    a, b = glued(old), glued(new)
    out = {}
    for key in sorted(set(a) | set(b)):
        if key not in b:
            out[key] = "gone"
        elif key not in a:
            out[key] = "new"
        elif a[key] != b[key]:
            ha, hb = a[key].get(HTML, ""), b[key].get(HTML, "")
            if a[key].get(PLAIN) != b[key].get(PLAIN) or _text(ha) != _text(hb):
                out[key] = "text"
            elif _SPEC.search(ha):
                out[key] = "chart style (same data)" if _data(ha) == _data(hb) else "chart data"
            else:
                out[key] = "table markup (same text)"
    return out


def report(old: Path, new: Path) -> tuple[str, bool]:
    """A summary for the terminal, and whether any value a reader reads or a chart draws moved."""
    moved = compare(old, new)
    n = len(glued(old))
    lines = [f"{n} glued values compared, {len(moved)} differ"]
    lines += [f"  {how}: {key}" for key, how in moved.items()]
    return "\n".join(lines), any(how in ("gone", "new", "text", "chart data")
                                 for how in moved.values())
