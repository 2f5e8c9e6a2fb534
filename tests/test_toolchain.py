from pathlib import Path

from ape import project

ROOT = Path(__file__).resolve().parents[1]


def test_every_contract_source_is_seen_by_ape():
    """ape lists at most 500 files under contracts/ (its dependency cache included);
    a source past that cap silently disappears from the build."""
    ours = {
        p.relative_to(ROOT / "contracts")
        for p in (ROOT / "contracts").rglob("*.sol")
        if ".cache" not in p.parts
    }
    seen = {p.relative_to(project.contracts_folder) for p in project.sources.paths}
    assert ours <= seen
    assert sum(1 for p in (ROOT / "contracts").rglob("*.*") if p.is_file()) < 450


def test_compiler_is_the_pinned_wasm_shim():
    solc = ROOT / ".solcx" / "solc-v0.8.28"
    assert solc.is_file()
    assert "tools/solc.js" in solc.read_text()
