"""The live monitor (`ape run watch`): follows the deployment and the board's Safe,
raises alerts by rules, delivers them at least once, exports Prometheus metrics and can
pause a token with a pauser-only key. See docs/watch.md."""

from somchain.watch.config import WatchConfig, load
from somchain.watch.follower import Breaker, StepResult, Watcher
from somchain.watch.metrics import Metrics
from somchain.watch.store import Store

__all__ = ["Breaker", "Metrics", "StepResult", "Store", "WatchConfig", "Watcher", "load"]
