"""Türkiye and Europe's rearmament: the report's analysis package.

Layers, in the one direction data flows: ``sources`` (files, sidecars, checksums) ->
``readers`` + ``validate`` (parsed, schema-checked frames) -> analysis modules (``exports``, ...;
pure functions) -> ``charts`` and ``figures`` (theme, offline HTML + SVG + CSV) -> chapters.
``pipeline`` and ``cli`` build the book.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("turkiye-rearmament-report")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"
