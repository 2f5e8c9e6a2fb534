"""The stablecoin's status without a chain: the reserve attestation's states and the lines
a person reads, from stand-in contracts."""

from somchain.stablecoin import ops

FEED = "0x" + "fe" * 20
NO_FEED = "0x" + "00" * 20


class Token:
    def __init__(self, feed: str, reserve: int | None = None):
        self._feed, self._reserve = feed, reserve

    def reserveFeed(self):
        return self._feed, 86_400

    def attestedReserve(self):
        if self._reserve is None:
            raise RuntimeError("StablecoinReserveStale")
        return self._reserve


class Feed:
    def __init__(self, round_id: int, as_of: int = 0):
        self._round = (round_id, 0, as_of, as_of, round_id)

    def latestRoundData(self):
        return self._round


def _report(state: dict, supply: int = 10**18) -> dict:
    return {
        "token": "0x" + "11" * 20,
        "name": "Kyrgyz Som Stablecoin",
        "symbol": "KGST",
        "decimals": 18,
        "reserve": {
            "state": state["state"],
            "round": state.get("round"),
            "feed": state["feed"],
            "max_age_seconds": state["max_age"],
        },
        "coverage": None,
        "paused": False,
        "admin": "0x" + "22" * 20,
        "roles": {"PAUSER_ROLE": []},
        "_raw": {"supply": supply, "reserve": state["reserve"], "as_of": state["as_of"]},
    }


def test_reserve_attestation__feed_without_a_round__no_attestation_yet():
    state = ops.reserve_attestation(Token(FEED), feed_at=lambda _a: Feed(0))
    assert state["state"] == "no attestation yet"
    assert state["reserve"] is None
    lines = ops.status_lines(_report(state))
    assert "reserve       no attestation yet" in lines


def test_reserve_attestation__no_feed__says_so():
    state = ops.reserve_attestation(Token(NO_FEED), feed_at=lambda _a: Feed(0))
    assert state["state"] == "no reserve feed set"


def test_reserve_attestation__stale__names_the_last_round_and_time():
    state = ops.reserve_attestation(Token(FEED), feed_at=lambda _a: Feed(3, 1_795_690_800))
    assert state["state"] == "stale"
    lines = ops.status_lines(_report(state))
    assert any("stale: the last attestation (2026-11-26 11:00:00 UTC, round 3)" in x for x in lines)


def test_status_lines__current__amount_time_and_duration():
    token = Token(FEED, reserve=2_000_000 * 10**18)
    state = ops.reserve_attestation(token, feed_at=lambda _a: Feed(1, 1_795_690_800))
    lines = ops.status_lines(_report(state, supply=1_250_500_000_000_000_000_000))
    assert "supply        1,250.5 KGST" in lines
    assert "reserve       2,000,000 som, attested 2026-11-26 11:00:00 UTC (round 1)" in lines
    assert "feed max age  1 d" in lines
    assert "  PAUSER_ROLE  nobody" in lines
