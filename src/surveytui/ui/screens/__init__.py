"""Screens of the browser: the main three-pane screen, help, and the small editors."""
