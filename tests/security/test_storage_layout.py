"""Upgrade safety: each upgradeable implementation's storage layout, ERC-7201 namespaces
included, against the layout of the latest release (security/layouts/<version>/); and the
comparison itself, on layouts altered in each way that would corrupt a proxy's state.
Regenerate the baseline at a release with `python tools/layouts.py <version>`."""

import copy
import json

import pytest

from somchain import upgrades
from tests.utils.paths import ROOT


@pytest.fixture(scope="module")
def layouts():
    return upgrades.current_layouts()


@pytest.mark.parametrize("name", sorted(upgrades.UPGRADEABLE))
def test_layout__compatible_with_the_latest_release(layouts, name):
    old = upgrades.released_layout(name)
    assert upgrades.layout_problems(old, layouts[name]) == []


@pytest.mark.parametrize("name", sorted(upgrades.UPGRADEABLE))
def test_layout__namespace_roots_match_the_constants_in_code(layouts, name):
    sources = "".join(p.read_text() for p in (ROOT / "contracts").rglob("*.sol"))
    for namespace, space in layouts[name]["namespaces"].items():
        if namespace.startswith("kgs."):
            assert space["slot"][2:] in sources.lower(), namespace


def test_check_upgrade_layout__by_name_and_version__finds_nothing():
    version = upgrades.released_versions()[-1]
    assert upgrades.check_upgrade_layout("NationalStablecoin", "NationalStablecoin") == []
    assert upgrades.check_upgrade_layout(f"{version}:DigitalSom", "DigitalSom") == []
    entry = {
        "contract": "DigitalSom",
        "implementation": "0x00000000000000000000000000000000000000aA",
        "implementation_layouts": {"0x00000000000000000000000000000000000000AA": "0.1.0"},
    }
    assert upgrades.deployed_layout(entry) == upgrades.released_layout("DigitalSom", "0.1.0")
    with pytest.raises(KeyError):
        upgrades.deployed_layout({"contract": "DigitalSom", "implementation": "0x01"})
    assert upgrades.release_of("DigitalSom") == version
    assert upgrades.release_of("DigitalSomV2Mock", "DigitalSom") == version
    assert upgrades.release_of("DigitalSom", "NationalStablecoin") is None


def _altered(layouts, change):
    old = copy.deepcopy(layouts["NationalStablecoin"])
    new = copy.deepcopy(old)
    change(new["namespaces"]["kgs.storage.NationalStablecoin"]["members"], new)
    return upgrades.layout_problems(old, new)


def test_layout_problems__appended_variable__accepted(layouts):
    def append(members, _):
        members.append({"label": "_extra", "slot": 2, "offset": 0, "type": "uint256"})

    assert _altered(layouts, append) == []


def test_layout_problems__new_namespace__accepted(layouts):
    def add(_, layout):
        layout["namespaces"]["kgs.storage.New"] = {"struct": "X.S", "slot": "0x00", "members": []}

    assert _altered(layouts, add) == []


def test_layout_problems__removed_variable__reported(layouts):
    assert _altered(layouts, lambda m, _: m.pop()) == [
        "NationalStablecoin[kgs.storage.NationalStablecoin]._reserve: removed"
    ]


def test_layout_problems__inserted_variable__reported(layouts):
    def insert(members, _):
        members.insert(0, {"label": "_new", "slot": 0, "offset": 0, "type": "uint256"})
        for m in members[1:]:
            m["slot"] += 1

    problems = _altered(layouts, insert)
    assert any("_minters: moved from slot 0 offset 0 to slot 1 offset 0" in p for p in problems)


def test_layout_problems__changed_type__reported(layouts):
    def retype(members, _):
        members[1]["type"]["members"][1]["type"] = "uint32"  # _reserve.maxAge

    problems = _altered(layouts, retype)
    assert problems == [
        "NationalStablecoin[kgs.storage.NationalStablecoin]._reserve.maxAge: "
        "type changed from uint48 to uint32"
    ]


def test_layout_problems__packed_member_moved__reported(layouts):
    def move(members, _):
        members[0]["type"]["value"]["members"][1]["offset"] = 2  # Minter.allowance

    assert any("allowance: moved" in p for p in _altered(layouts, move))


def test_layout_problems__renamed_variable__reported(layouts):
    def rename(members, _):
        members[0]["label"] = "_issuers"

    assert any("renamed to _issuers" in p for p in _altered(layouts, rename))


def test_layout_problems__removed_namespace__reported(layouts):
    def drop(_, layout):
        del layout["namespaces"]["kgs.storage.TransferAuthorization"]

    assert _altered(layouts, drop) == [
        "NationalStablecoin: namespace kgs.storage.TransferAuthorization "
        "(TransferAuthorizationUpgradeable.TransferAuthorizationStorage) removed"
    ]


def test_write_baseline__writes_each_upgradeable_layout(layouts, tmp_path):
    paths = upgrades.write_baseline("9.9.9", folder=tmp_path)
    assert sorted(p.name for p in paths) == ["DigitalSom.json", "NationalStablecoin.json"]
    assert json.loads((tmp_path / "9.9.9" / "DigitalSom.json").read_text()) == layouts["DigitalSom"]


def test_layout__0_1_0_digital_som__not_upgradable_in_place_to_0_2_0():
    """0.2.0 moved the holder's kind and tier into the balance's word (AccountWord): a
    0.1.0 DigitalSom proxy is redeployed, never upgraded, and the check says so."""
    problems = upgrades.check_upgrade_layout("0.1.0:DigitalSom", "DigitalSom")
    assert "DigitalSom[kgs.storage.DigitalSom]._holders.kind: removed" in problems
    assert "DigitalSom[kgs.storage.DigitalSom]._holders.tier: removed" in problems
    old, new = (upgrades.released_layout("NationalStablecoin", v) for v in ("0.1.0", "0.2.0"))
    assert upgrades.layout_problems(old, new) == []


@pytest.mark.parametrize("version", ["0.1.0", "0.2.0"])
def test_layout__earlier_stablecoin__only_the_allowance_narrowed_in_0_3_0(version):
    """0.3.0 packs each minter's bucket beside its allowance (uint248 to uint96): the one
    change: a proxy upgrades in place only while every allowance is below 2**96, which
    then reads the same, with no rate limit."""
    problems = upgrades.check_upgrade_layout(f"{version}:NationalStablecoin", "NationalStablecoin")
    assert problems == [
        "NationalStablecoin[kgs.storage.NationalStablecoin]._minters.allowance: "
        "type changed from uint248 to uint96"
    ]
