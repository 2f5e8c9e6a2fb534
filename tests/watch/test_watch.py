"""The watcher over the deployed stack: what it alerts, how it resumes, retracts and
delivers."""

from __future__ import annotations

from collections import Counter

import pytest

from somchain.watch import Store
from tests.utils.constants import ALICE, DEPLOYER, ONE
from tests.watch.conftest import sent


def test_once__over_the_deployment__alerts_its_timelock_roles_and_minters(create_watcher, chain):
    watched = create_watcher()

    result = watched.step()

    rules = Counter(watched.rules())
    assert result.alerts == len(watched.alerts) > 0
    assert rules["roles"] > 0
    assert rules["minters"] > 0
    assert rules["attestation_round"] > 0
    assert rules["cbdc_tiers"] > 0
    scheduled = [a for a in watched.alerts if a["event"] == "CallScheduled"]
    assert scheduled, "the stack's proposals"
    for alert in scheduled:
        assert alert["cancel_command"].startswith(
            f"ape run governance cancel {alert['details']['operation']}"
        )
        assert "UTC" in alert["details"]["earliest_execution"]
    budget = next(a for a in scheduled if "increaseMintBudget" in a["details"]["call"])
    assert "2,000,000 KGST" in budget["details"]["call"]
    assert "(mint_controller): increaseMintBudget(" in budget["details"]["call"]
    assert len({a["id"] for a in watched.alerts}) == len(watched.alerts)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_step__after_a_restart__resumes_with_no_alert_twice(
    create_watcher, chain, kgst, tmp_path, request, engine
):
    location = (
        tmp_path / "watch.sqlite"
        if engine == "sqlite"
        else request.getfixturevalue("postgres").create_database()
    )
    first = create_watcher(store=Store(location))
    first.step()
    sent(kgst.functions.mint(ALICE, 150_000 * ONE), DEPLOYER)

    again = create_watcher(store=Store(location))
    result = again.step()

    assert again.rules() == ["large_mint"]
    assert "150,000 KGST" in again.alerts[0]["title"]
    assert result.alerts == 1
    assert again.step().alerts == 0
