"""A small Sphinx extension for the book: keep every page self-contained and quiet.

Jupyter Book 1 always loads sphinx-thebe, whose configuration script is injected twice (a console
error, ``THEBE_JS_URL`` already declared) and names a CDN address. The book has no launch buttons,
so the thebe scripts and stylesheet are dropped from every page.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

_THEBE_MARKERS = ("thebe", "THEBE_JS_URL")


def _is_thebe(asset: Any) -> bool:
    name = getattr(asset, "filename", None) or str(asset)
    body = (getattr(asset, "attributes", {}) or {}).get("body", "")
    return any(m in (name or "") or m in (body or "") for m in _THEBE_MARKERS)


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: Any) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
