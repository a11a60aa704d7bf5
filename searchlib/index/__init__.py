"""The on-disk inverted index: immutable segments, one atomically replaced manifest, a writer lock.

Layout of an index directory::

    manifest.json             the commit point (searchlib.index.manifest)
    write.lock                present while a writer works (searchlib.index.lock)
    segments/<name>/          one immutable segment per folder (searchlib.index.segment_writer)

Modules, one per structure: ``schema`` (fields), ``fsio`` (durable writes, and safe reads of an
untrusted folder), ``validate`` (shape checks of the JSON files), ``arrays`` (raw numeric files),
``termdict`` (term and id dictionaries), ``postings``, ``store``, ``deletes``, ``manifest``,
``lock``; ``segment_writer``/``segment_reader``, ``batch`` (analysis in worker processes),
``writer``, ``reader`` (snapshots), ``merge``, ``check`` (full integrity check). What is checked
where, and why: docs/SECURITY.md.
"""
