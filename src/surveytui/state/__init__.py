"""The reader's own state: stars, read marks, tags, notes and saved filters.

Public face: ``store`` (Store: locked, atomic, merge-on-write persistence),
``protocols`` (the read-only UserState views that search and export accept),
``schema`` (the versioned file format and its validation), ``merge`` (newer wins),
``files`` (reading and moving aside state files), ``reader`` (cheap snapshots).
"""
