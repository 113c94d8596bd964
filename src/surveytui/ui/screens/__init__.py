"""Screens of the browser: the main three-pane screen, help, statistics (imported when
first opened), and the small editors."""
