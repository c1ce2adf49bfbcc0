"""Acts: one function for each thing a person does (post, respond, withdraw, block, ...).

Each act takes the :class:`~noticeboard.acts.actor.Actor` doing it, checks what that actor may
do, and writes its change, its audit line and its consent record in one transaction. The
kiosk, the desk, the CLI and the service call only these; none composes an act itself.
"""
