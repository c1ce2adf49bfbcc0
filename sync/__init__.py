"""Replication between nodes: wire format, peer server and client, ingest, trust, scope."""
