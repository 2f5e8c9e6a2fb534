from somchain.cbdc_demo import demo


def test_demo__runs__prints_every_step():
    lines: list[str] = []
    demo(lines.append)
    assert [line.split(".")[0] for line in lines[1:]] == ["1", "2", "3", "4", "5"]
    assert "swept" in lines[-1]
