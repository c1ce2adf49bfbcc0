"""Buurthulp noticeboard: a federated, offline-first board for neighbourhood help."""

__version__ = "0.1.0"
