"""Tables whose source column is a link, and cells holding several entries broken into lines.

figures.table escapes every cell, as it must for text from data; a source title should still be a
link to its page. LinkedTable keeps figures.Table's rendering (and its escaping) and swaps in the
links afterwards, built from escaped text and an escaped http(s) address.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields

import pandas as pd

from analysis.calc.constraints import ENTRY_SEPARATOR
from analysis.publishing import figures

_TOKEN = "\u27e6link-{}\u27e7"
_BREAK = "\u27e6br\u27e7"
_MARK = "\u27e6"
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def link_html(text: str, url: str) -> str:
    """An escaped link; text alone (escaped) when the address is not a plain http(s) URL."""
    if not url or not _SAFE_URL.match(url):
        return html.escape(text)
    return (f"<a href=\"{html.escape(url, quote=True)}\" rel=\"noopener\">"
            f"{html.escape(text)}</a>")


@dataclass(frozen=True)
class LinkedTable(figures.Table):
    """A figures.Table whose ``links`` columns (text column, address column) render as links; the
    address column is dropped from the page but stays in the CSV. In the ``breaks`` columns each
    ``separator`` starts a new bulleted line on the page (the CSV keeps the separator). ``hidden``
    columns are in the CSV only (long notes that would squeeze the page's columns)."""

    links: tuple[tuple[str, str], ...] = ()
    breaks: tuple[str, ...] = ()
    separator: str = ENTRY_SEPARATOR
    hidden: tuple[str, ...] = ()

    def html(self) -> str:
        if any(_MARK in str(v) for v in self.frame.to_numpy().ravel()):
            raise ValueError("a cell contains the placeholder marker U+27E6")
        shown = self.frame.copy()
        for col in self.breaks:
            shown[col] = [("\u2022 " + str(v).replace(self.separator, _BREAK + "\u2022 "))
                          if self.separator in str(v) else v for v in shown[col]]
        anchors: dict[str, str] = {_BREAK: "<br>"}
        for text_col, url_col in self.links:
            cells = []
            for text, url in zip(shown[text_col], shown[url_col], strict=True):
                token = _TOKEN.format(len(anchors))
                anchors[token] = link_html(str(text), str(url))
                cells.append(token)
            shown[text_col] = cells
        shown = shown.drop(columns=[u for _, u in self.links] + list(self.hidden))
        plain = figures.Table(**{f.name: getattr(self, f.name) for f in fields(figures.Table)}
                              | {"frame": shown})
        out = plain.html()
        for token, anchor in anchors.items():
            out = out.replace(token, anchor)
        return out


def linked_table(key: str, frame: pd.DataFrame, *, source: str, caption: str,
                 links: Iterable[tuple[str, str]] = (), breaks: Iterable[str] = (),
                 hidden: Iterable[str] = (), formats: dict[str, str] | None = None
                 ) -> LinkedTable:
    """Publish a table (CSV of every column, addresses included) with linked source titles and
    multi-entry cells broken into lines; ``hidden`` columns go to the CSV only."""
    base = figures.table(key, frame, source=source, caption=caption, formats=formats)
    return LinkedTable(**{f.name: getattr(base, f.name) for f in fields(figures.Table)},
                       links=tuple(links), breaks=tuple(breaks), hidden=tuple(hidden))
