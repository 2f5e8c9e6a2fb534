"""Kept for `make bench`: the audit's benchmark is now benchmarks/audit_scale.py (10,000 and
100,000 transfers on SQLite and PostgreSQL; pass sizes to measure others)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_scale import SIZES, main  # noqa: E402

if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or list(SIZES))
