"""Chapters: one module per chapter notebook, composing the calculations and the publishing.

Each module has a ``run(...)`` that takes the chapter's parameters (as ``chapters/params.yml``
declares them) and returns one typed result (:class:`ChapterResult`): the named values the prose
uses, the tables and the figures. The notebook keeps its narrative, its ``parameters`` cell, one
call and a loop that glues the result::

    result = exports.run(deliveries_vintage=deliveries_vintage, ...)
    for key, value in result.glued():
        glue(key, value, display=False)
"""
