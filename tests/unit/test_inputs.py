"""Operator input without a chain: amounts, addresses, references, address lists."""

import pytest

from somchain.errors import InputError
from somchain.inputs import (
    bytes32_text,
    checksummed,
    read_address_file,
    read_address_rows,
    to_text,
    to_units,
)
from tests.utils.constants import ALICE, BOB, DEPLOYER, STRANGER


@pytest.mark.parametrize(
    ("text", "decimals", "units"),
    [("1", 2, 100), ("1250.50", 2, 125_050), ("0.000000000000000001", 18, 1), (" 7 ", 0, 7)],
)
def test_to_units__plain_decimals__exact(text, decimals, units):
    assert to_units(text, decimals) == units


@pytest.mark.parametrize(
    "text", ["1_000", "٣", "1e3", "-1e3", "1.", ".5", "1,000", "", "0x10", "١٢"]
)
def test_to_units__anything_but_ascii_decimal__refused(text):
    with pytest.raises(InputError, match="not a plain decimal number"):
        to_units(text, 2)


def test_to_units__too_many_decimals__refused():
    with pytest.raises(InputError, match="3 decimal places; the token has 2"):
        to_units("1.001", 2)


def test_to_units__zero__refused_unless_allowed():
    with pytest.raises(InputError, match="must be positive"):
        to_units("0", 2)
    assert to_units("0.00", 2, allow_zero=True) == 0


def test_to_text__groups_thousands_and_keeps_every_significant_digit():
    assert to_text(125_000_050, 2) == "1,250,000.5"
    assert to_text(1, 18) == "0.000000000000000001"
    assert to_text(1234, 0) == "1,234"


def test_checksummed__lowercase__refused_with_the_checksummed_form():
    with pytest.raises(InputError, match=f"did you mean {ALICE}"):
        checksummed(ALICE.lower())


def test_checksummed__zero_and_garbage__refused():
    with pytest.raises(InputError, match="zero address"):
        checksummed("0x" + "0" * 40)
    with pytest.raises(InputError, match="is not an address"):
        checksummed("alice")
    assert checksummed("0x" + "0" * 40, allow_zero=True) == "0x" + "0" * 40


def test_bytes32_text__text_and_hex():
    assert bytes32_text("TAX-1") == b"TAX-1".ljust(32, b"\x00")
    assert bytes32_text("0x" + "ab" * 32) == b"\xab" * 32
    for bad in ("", "x" * 33, "0x1234", "0xzz" + "0" * 62):
        with pytest.raises(InputError):
            bytes32_text(bad)


def test_read_address_rows__plain_csv_comments_and_header(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"address,tier\n# a comment\n{ALICE},1\n\n{BOB} # trailing note\n")
    rows = read_address_rows(path, trailing_comments=True)
    assert [(r.line, r.address) for r in rows] == [(3, ALICE), (5, BOB)]
    assert rows[0].cells == ("1",)
    assert rows[1].comment == "trailing note"


def test_read_address_rows__hash_inside_a_value__kept(tmp_path):
    path = tmp_path / "pay.csv"
    path.write_text(f"  # June\n{ALICE},10,INV#42\n{BOB},5,Invoice #43\n")
    rows = read_address_rows(path, columns=3)
    assert [r.cells for r in rows] == [("10", "INV#42"), ("5", "Invoice #43")]
    assert read_address_file(tmp_path / "pay.csv") == [ALICE, BOB]


def test_read_address_rows__every_bad_row__reported_with_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{ALICE}\nnot-an-address\n{ALICE}\n{BOB.lower()}\n")
    with pytest.raises(InputError) as caught:
        read_address_rows(path)
    message = str(caught.value)
    assert "line 2: address 'not-an-address' is not an address" in message
    assert "line 3:" in message
    assert "listed twice (first on line 1)" in message
    assert "line 4:" in message
    assert "not checksummed" in message


def test_read_address_rows__missing_columns_missing_file_and_empty_file(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text(f"{ALICE}\n")
    with pytest.raises(InputError, match="line 1: expected 2 columns"):
        read_address_rows(path, columns=2)
    with pytest.raises(InputError, match="does not exist"):
        read_address_rows(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_text("# nothing\n")
    with pytest.raises(InputError, match="lists no addresses"):
        read_address_rows(tmp_path / "empty.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "amount -5 is negative"),
        ("-0.5", "amount -0.5 is negative"),
        ("9" * 4301, r"amount 99999999999999999999\.\.\.\(4,301 characters\) is too large"),
        (str(2**256 // 10**18 + 1), "is too large: above 2\\^256 - 1 base units"),
    ],
)
def test_to_units__negative_or_beyond_uint256__one_line_error(text, message):
    with pytest.raises(InputError, match=message) as caught:
        to_units(text, 18)
    assert "\n" not in str(caught.value)


def test_to_units__largest_uint256__accepted():
    assert to_units(str(2**256 - 1), 0) == 2**256 - 1
    assert to_units("0" * 100 + "1", 2) == 100


def test_read_payroll__hash_in_a_reference_and_amounts_beyond_uint256(tmp_path):
    from somchain.payroll.sheet import read_payroll

    path = tmp_path / "june.csv"
    path.write_text(
        f"# June\nwallet,amount,reference\n{ALICE},10,INV#42\n{BOB},5,Invoice #43\n"
        f"{STRANGER},{2**256},big\n{DEPLOYER},{'9' * 4301},huge\n"
    )
    payroll, problems = read_payroll(path, 2)
    assert [p.reference for p in payroll.payments] == ["INV#42", "Invoice #43"]
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 6"]
    assert all("is too large" in p for p in problems)
