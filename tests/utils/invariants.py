"""What the stateful property tests (tests/invariants/) share: their size, and a state
machine base that runs each example on a chain snapshot.

Size: `SOMCHAIN_DEEP=1` raises the examples and steps per example for a long run; the
defaults keep the whole invariant suite within a few minutes. `SOMCHAIN_INVARIANT_EXAMPLES`
and `SOMCHAIN_INVARIANT_STEPS` set either figure exactly.
"""

from __future__ import annotations

import os

from ape import chain
from ape.exceptions import VirtualMachineError
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine

DEEP = os.environ.get("SOMCHAIN_DEEP", "") not in ("", "0")
EXAMPLES = int(os.environ.get("SOMCHAIN_INVARIANT_EXAMPLES", 50 if DEEP else 6))
STEPS = int(os.environ.get("SOMCHAIN_INVARIANT_STEPS", 50 if DEEP else 20))


def machine_settings() -> settings:
    """Hypothesis settings of every machine: sized as above, no deadline (a step is a few
    transactions), no example database, and a fixed seed sequence outside deep runs, so a
    CI failure reproduces."""
    return settings(
        max_examples=EXAMPLES,
        stateful_step_count=STEPS,
        deadline=None,
        database=None,
        derandomize=not DEEP,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )


def sends(fn, *args, **kwargs) -> bool:
    """Sends a transaction; True if it was mined, False if it reverted."""
    try:
        fn(*args, **kwargs)
    except VirtualMachineError:
        return False
    return True


class ChainMachine(RuleBasedStateMachine):
    """A state machine whose example starts on a snapshot of the chain and ends by
    restoring it, so every example sees the same deployed contracts."""

    def __init__(self) -> None:
        super().__init__()
        self._snapshot = chain.snapshot()

    def teardown(self) -> None:
        chain.restore(self._snapshot)
