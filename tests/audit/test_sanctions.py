"""Sanctions lists in the OFAC SDN "Digital Currency Address" format and as plain lists."""

from __future__ import annotations

from somchain.compliance import sanctions

SDN_ROW = (
    '25001,"EXAMPLE, Person",individual,"CYBER2",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; '
    "Digital Currency Address - ETH 0x7F367cC41522cE07553e823bf3be79A889DEbe1B; "
    'Digital Currency Address - BSC 0x901bb9583b24D97e995513C6778dc6888AB6870e; Gender Male."'
)


def test_parse__sdn_csv_row__keeps_evm_addresses_with_currency_and_name():
    listed = sanctions.parse(SDN_ROW)
    assert len(listed) == 2
    assert "0x7f367cc41522ce07553e823bf3be79a889debe1b" in listed
    entry = listed.entries["0x901bb9583b24d97e995513c6778dc6888ab6870e"]
    assert entry == {"currency": "BSC", "name": "EXAMPLE, Person"}
    assert listed.other_chains == 1


def test_parse__xml_feature_and_pip_remarks__are_read():
    text = (
        "<feature><type>Digital Currency Address - ETH</type>"
        "<value>0x8589427373D6D84E98730D7795D8f6f8731FDA16</value></feature>\n"
        "Digital Currency Address - USDT: 0x098B716B8Aaf21512996dC57EB0615e2383E2f96\n"
    )
    assert len(sanctions.parse(text)) == 2


def test_parse__plain_list_with_comments__is_read():
    text = (
        "# screened wallets\n0x722122dF12D4e14e13Ac3b6895a86e84145b6967  # mixer\n"
        "\nnot an address\n"
    )
    listed = sanctions.parse(text)
    assert list(listed.entries) == ["0x722122df12d4e14e13ac3b6895a86e84145b6967"]
    assert listed.entries["0x722122df12d4e14e13ac3b6895a86e84145b6967"]["name"] == "mixer"


def test_load__shipped_example__lists_three_evm_addresses():
    listed = sanctions.load("examples/sanctions/sdn_digital_currency.csv")
    assert len(listed) == 3
    assert listed.other_chains == 2


def test_load__plain_list_file__lower_case_accepted_and_bad_rows_named_by_line(tmp_path):
    import pytest

    from somchain.errors import InputError

    good = tmp_path / "list.txt"
    good.write_text("# screened\n0x722122df12d4e14e13ac3b6895a86e84145b6967  # mixer\n")
    listed = sanctions.load(good)
    assert listed.entries == {
        "0x722122df12d4e14e13ac3b6895a86e84145b6967": {"currency": "", "name": "mixer"}
    }
    bad = tmp_path / "bad.txt"
    bad.write_text("0x722122df12d4e14e13ac3b6895a86e84145b6967\nnot an address\n")
    with pytest.raises(InputError, match="line 2: sanctioned address 'not an address'"):
        sanctions.load(bad)
