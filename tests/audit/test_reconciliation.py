"""The audit over a scripted history of both tokens."""

from __future__ import annotations

import json

from tests.audit.conftest import statuses


def test_audit__after_scripted_history__every_check_passes(run_audit):
    report = run_audit()
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    assert failed == []
    assert report["passed"] is True
    s = statuses(report)
    for check in (
        "supply.stablecoin",
        "supply.cbdc",
        "coverage",
        "journal.stablecoin",
        "roles.stablecoin",
        "roles.cbdc",
        "roles.attestation",
        "frozen.stablecoin",
        "code.stablecoin",
        "code.cbdc",
        "code.attestation",
        "cbdc",
    ):
        assert s[check] == "pass", check
    assert s["reserve"] == "skip"
    assert s["sanctions.stablecoin"] == "skip"
