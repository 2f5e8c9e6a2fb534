"""Balances, supply and journal matching from SQL, exact for uint256 amounts on both
engines, and the same whether kept running per range or rebuilt from the transfers."""

from __future__ import annotations

import json

from sqlalchemy import select

from somchain.audit import rebuild
from somchain.audit.indexer import Chunk, Index, balances

TOKEN = "0x" + "70" * 20
ZERO = "0x" + "00" * 20
A, B, C = ("0x" + c * 40 for c in "abc")
BIG = 2**255 + 12345  # far beyond SQLite's 64-bit integers


def _transfer(block, index, src, dst, value, tx=None):
    return (block, index, tx or f"0x{block:064x}", TOKEN, src, dst, str(value))


def _mint_event(block, index, to, value):
    args = json.dumps({"minter": A, "to": to, "amount": value})
    return (block, index, f"0x{block:064x}", TOKEN, "Mint", args, ZERO, to, str(value))


def _chunks() -> list[Chunk]:
    first = Chunk(
        transfers=[
            _transfer(1, 0, ZERO, A, BIG),
            _transfer(1, 2, ZERO, B, BIG),
            _transfer(2, 0, A, C, BIG - 5),
        ],
        events=[_mint_event(1, 1, A, BIG), _mint_event(1, 3, B, BIG)],
    )
    second = Chunk(
        transfers=[_transfer(3, 0, C, ZERO, 7), _transfer(4, 0, B, C, BIG)],
    )
    return [first, second]


def _book_and_balances(index: Index):
    with index.engine.connect() as conn:
        book = rebuild.load_book(conn, TOKEN)
        stored = rebuild.load_balances(conn, TOKEN, [A, B, C])
        matching = rebuild.supply_matching(conn, TOKEN)
    return book, stored, matching


def test_ledger__uint256_amounts__summed_exactly_and_rebuild_agrees(index_location):
    with Index(index_location) as index:
        for chunk in _chunks():
            with index.engine.begin() as conn:
                index.apply(conn, chunk)
        book, stored, matching = _book_and_balances(index)
        assert stored == {A: 5, B: 0, C: 2 * BIG - 12}
        assert (book.minted, book.burned, book.transfers) == (2 * BIG, 7, 5)
        assert book.supply == 2 * BIG - 7 == book.minted - book.burned
        assert (book.accounts, book.holders, book.negative) == (3, 2, [])
        assert book.supply_series == [(1, 2 * BIG), (3, 2 * BIG - 7)]
        assert matching == ({"Mint": 2}, [])

        with index.engine.connect() as conn, conn.begin():
            index.rebuild_state(conn)
            rows = sorted(conn.execute(select(balances)).all())
            rebuilt = rebuild.load_book(conn, TOKEN)
        assert rebuilt == book
        assert [(h, int(v), s) for _, h, v, s, _ in rows] == [
            (A, 5, 1),
            (B, 0, 0),
            (C, 2 * BIG - 12, 1),
        ]


def test_ledger__mint_without_its_transfer__listed_unmatched(index_location):
    first, second = _chunks()
    first.transfers = [t for t in first.transfers if t[5] != B]  # drop the mint to B
    with Index(index_location) as index:
        for chunk in (first,):
            with index.engine.begin() as conn:
                index.apply(conn, chunk)
        _, _, (counts, unmatched) = _book_and_balances(index)
    assert counts == {"Mint": 2}
    assert [(u["event"], u["block"], u["args"]["to"]) for u in unmatched] == [("Mint", 1, B)]


def test_ledger__more_spent_than_received__negative_balance_reported(index_location):
    with Index(index_location) as index, index.engine.begin() as conn:
        index.apply(conn, Chunk(transfers=[_transfer(1, 0, A, B, BIG)]))
        book = rebuild.load_book(conn, TOKEN)
    assert book.negative == [(A, -BIG)]
    assert book.holders == 1
    assert book.supply == 0
