"""Pure cryptographic building blocks for a buurthulp node.

Nothing in this package knows about the store, the network or the user interface.
"""
