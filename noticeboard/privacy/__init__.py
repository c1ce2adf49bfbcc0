"""Privacy over the whole life of the data: backup, keys, consent, access, erasure, retention.

Headless: the CLI (``noticeboard/cli/cmd_privacy.py``) and the service call these modules.
"""
