"""Paths of the checkout."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manifest_in(folder: Path, chain_id: int = 97) -> Path:
    """The one manifest of `chain_id` in `folder` (named by chain id and genesis hash), or
    a path that does not exist when there is none."""
    found = sorted(folder.glob(f"{chain_id}-*.json"))
    assert len(found) <= 1, f"several manifests of chain {chain_id} in {folder}: {found}"
    return found[0] if found else folder / f"{chain_id}-none.json"
