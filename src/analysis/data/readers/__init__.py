"""Parsers for each source, each with the pandera schema its tidy frame must pass.

Readers are the only code that opens data files (through :func:`analysis.data.sources.resolve`);
analysis modules receive the frames they return.
"""
