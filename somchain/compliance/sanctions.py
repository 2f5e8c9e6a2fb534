"""Sanctions lists: the OFAC SDN list's "Digital Currency Address" entries, or plain
address lists.

OFAC publishes a listed person's wallet addresses among the entry's remarks (sdn.csv,
sdn.pip) or features (the XML files), one per currency, as
`Digital Currency Address - ETH 0x...;`. Every such entry whose address is an EVM address
(ETH, BSC, ARB, USDT, USDC, ETC, ... all share the 0x format) is screened; entries of other
chains (XBT, XMR, TRX, ...) are counted but cannot hold BEP-20 tokens. A line holding
nothing but an address (optionally followed by `#` and a comment) is also accepted; a file
of such lines is read by `somchain.inputs.read_address_rows`, which reports every bad row
with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from somchain.errors import InputError
from somchain.inputs import read_address_rows

DCA = re.compile(
    r"Digital Currency Address\s*-\s*([A-Za-z0-9.]+)"  # the currency, e.g. ETH, BSC, XBT
    r"[\s:;\"<>/a-zA-Z=]*?"  # separators, or XML tags between the type and the value
    r"([0-9A-Za-z]{25,64}|0x[0-9a-fA-F]{40})"
)
EVM = re.compile(r"^0x[0-9a-fA-F]{40}$")
PLAIN = re.compile(r"^\s*(0x[0-9a-fA-F]{40})\s*(?:#\s*(.*))?$")


@dataclass
class SanctionsList:
    """Screened EVM addresses (lowercase) with the entry they come from."""

    source: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    other_chains: int = 0

    def __contains__(self, address: str) -> bool:
        return address.lower() in self.entries

    def __len__(self) -> int:
        return len(self.entries)


def _entry_name(line: str) -> str:
    try:
        row = next(csv.reader(io.StringIO(line)))
    except (csv.Error, StopIteration):
        return ""
    return row[1].strip() if len(row) > 2 else ""


def parse(text: str, source: str = "<text>") -> SanctionsList:
    """Reads SDN-style "Digital Currency Address" entries and plain address lines."""
    out = SanctionsList(source)
    for line in text.splitlines():
        plain = PLAIN.match(line)
        if plain:
            out.entries[plain.group(1).lower()] = {
                "currency": "",
                "name": (plain.group(2) or "").strip(),
            }
            continue
        if "Digital Currency Address" not in line:
            continue
        name = _entry_name(line)
        for currency, address in DCA.findall(line):
            if EVM.match(address):
                out.entries[address.lower()] = {"currency": currency.upper(), "name": name}
            else:
                out.other_chains += 1
    return out


def load(path: str | Path) -> SanctionsList:
    """An SDN-format file (any "Digital Currency Address" entry in it), or a plain list
    read by the project's one address-list reader, which names every bad row's line."""
    if not Path(path).is_file():
        raise InputError(f"file {path} does not exist")
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    if "Digital Currency Address" in text:
        return parse(text, str(path))
    out = SanctionsList(str(path))
    rows = read_address_rows(
        path, "sanctioned address", unique=False, checksum=False, trailing_comments=True
    )
    for row in rows:
        out.entries[row.address.lower()] = {"currency": "", "name": row.comment}
    return out
