"""Supervisory audit of the stablecoin, its reserve attestation and the digital som.

`run_audit(chain_id_or_manifest, out_dir)` indexes the contracts' events into SQLite,
reads the chain at the audited block, runs every check of `checks.REGISTRY` and writes
the report (JSON, Markdown, HTML, PNG charts).
"""

from somchain.audit.runner import audit, gather, manifest_from_contracts, run_audit

__all__ = ["audit", "gather", "manifest_from_contracts", "run_audit"]
