"""What a person reads: amounts, "no limit", UTC times, coverage, names beside addresses,
and the status lines built from them."""

import pytest

from somchain import display

KGST = 18


@pytest.mark.parametrize(
    ("units", "decimals", "symbol", "shown"),
    [
        (1_275_000_500_000_000_000_000_000, KGST, "KGST", "1,275,000.5 KGST"),
        (1_000 * 10**18, KGST, "KGST", "1,000 KGST"),
        (1, KGST, "", "0.000000000000000001"),
        (125_050, 2, "KGSD", "1,250.5 KGSD"),
        (1234, 0, "", "1,234"),
        (0, 2, "KGSD", "0 KGSD"),
        (-150, 2, "", "-1.5"),
        (2**256 - 1, KGST, "KGST", "no limit"),
        (None, KGST, "KGST", "-"),
    ],
)
def test_amount__separators_significant_digits_symbol(units, decimals, symbol, shown):
    assert display.amount(units, decimals, symbol) == shown


def test_amount__fixed_places__truncated_not_rounded():
    assert display.amount(1_999_999, 6, "USDT", places=2) == "1.99 USDT"
    assert display.amount(1_000_000, 6, places=2) == "1.00"


def test_plain_amount__exact_without_separators():
    assert display.plain_amount(1_275_000_500_000_000_000_000_000, KGST) == "1275000.5"
    assert display.plain_amount(10**18, KGST) == "1"


def test_utc__iso_like_with_zone():
    assert display.utc(1_795_690_800) == "2026-11-26 11:00:00 UTC"
    assert display.utc(None) == "-"
    assert display.iso_utc(1_795_690_800) == "2026-11-26T11:00:00+00:00"


def test_coverage__two_decimals_truncated_one_format():
    assert display.coverage(2_000_000, 1_000_000) == "200.00%"
    assert display.coverage(1, 3) == "33.33%"
    assert display.coverage(500 * 10**18, 10**18) == "50,000.00%"
    assert display.coverage(5, 0) == "no supply"
    assert display.coverage(None, 10) == "-"


def test_duration__two_largest_units():
    assert display.duration(172_800) == "2 d"
    assert display.duration(600) == "10 min"
    assert display.duration(3_725) == "1 h 2 min"
    assert display.duration(0) == "0 s"


def test_named__manifest_name_beside_the_address():
    names = {"0xabc0000000000000000000000000000000000001": "timelock"}
    address = "0xAbC0000000000000000000000000000000000001"
    assert display.named(address, names) == f"{address} (timelock)"
    assert display.named("0x" + "1" * 40, names) == "0x" + "1" * 40
    assert display.named(None) == "-"


def test_role_lines__nobody_for_an_empty_role():
    lines = display.role_lines({"PAUSER_ROLE": [], "MINTER_ROLE": ["0x1", "0x2"]}, {"0x2": "bank"})
    assert lines == [
        "roles",
        "  PAUSER_ROLE  nobody",
        "  MINTER_ROLE  0x1",
        "               0x2 (bank)",
    ]


def test_public__drops_working_fields():
    assert display.public({"supply": "1", "_raw": {}}) == {"supply": "1"}
