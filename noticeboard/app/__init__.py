"""The Textual app: the resident kiosk (``kiosk/``) and the staff desk (``staff/``).

This is the only package that imports Textual; the core below it stays headless.
"""
