"""What touches the operating system: file locations, atomic writes and links.

Public face: ``paths`` (platformdirs locations with overrides, the bundled catalogue,
state and cache file names; import-light so the quick path can share it),
``atomic`` (temp file, fsync, replace), ``links`` (URL policy and launching a browser
or showing the URL over SSH).
"""
