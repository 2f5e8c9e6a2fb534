from somchain import stablecoin_demo


def test_stablecoin_demo__walks_every_step():
    lines: list[str] = []
    deployed = stablecoin_demo.demo(lines.append)
    token = deployed["token"]
    assert token.paused() is False
    assert token.totalSupply() == 1_000_000 * 10**18
    text = "\n".join(lines)
    for step in ("attest:", "mint:", "transfer:", "freeze:", "seize:", "pause:", "unpause:"):
        assert step in text
