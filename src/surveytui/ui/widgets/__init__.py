"""Widgets named by role; each talks to the screen through its own messages."""
