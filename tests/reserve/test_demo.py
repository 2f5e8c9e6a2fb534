"""The reserve demo runs end to end on the test chain."""

from somchain.reserve_demo import demo


def test_demo__on_local_chain__reports_each_step():
    lines: list[str] = []

    demo(lines.append)

    text = "\n".join(lines)
    assert lines[0].startswith("Deploying the reserve")
    assert any(line.strip().startswith("total") for line in lines)
    assert "ready now? False" in text
    assert "ready now? True" in text
    assert any(line.startswith("Executed: 10,000.00 USDT") for line in lines)
    assert "  recipient USDT balance: 10,000.00" in lines
    assert lines[-1] == "  reserve value: $200,000.00"  # $60k BNB + $100k BTCB + $40k USDT
