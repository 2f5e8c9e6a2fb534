"""Supervisory audit of the stablecoin, its reserve attestation, the digital som and the
national crypto reserve (the parts of `parts.PARTS`).

`run_audit(chain_id_or_manifest, out_dir)` indexes the contracts' events into SQLite or
PostgreSQL (keeping every holder's balance as it goes), reads the chain at the audited
block, runs every check of `checks.REGISTRY` and writes the report (JSON, and Markdown and
HTML from the templates, with PNG charts). See docs/audit.md.
"""

from somchain.audit.runner import Verify, audit, gather, manifest_from_contracts, run_audit

__all__ = ["Verify", "audit", "gather", "manifest_from_contracts", "run_audit"]
