"""deploy-config.yaml without a chain: defaults, network sections, errors."""

import pytest

from somchain import config
from somchain.errors import InputError


def test_load__network_section__overrides_defaults():
    local = config.load("ethereum:local")
    assert local["admin_delay"] == 0
    assert local["stablecoin"]["symbol"] == "KGST"
    testnet = config.load("bsc:anvil-testnet")
    assert testnet["reserve"]["min_delay"] == 600
    assert testnet["reserve"]["max_price_age"] == 3600


def test_load__missing_file__one_line_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        config.load("ethereum:local", tmp_path / "nope.yaml")


def test_load__bad_yaml_or_no_default__one_line_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("default: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        config.load("ethereum:local", bad)
    empty = tmp_path / "empty.yaml"
    empty.write_text("other: {}\n")
    with pytest.raises(InputError, match="no `default` section"):
        config.load("ethereum:local", empty)
