"""The audit's minting check on the scripted history: the MintController alone is the
token's master minter, allowances stay within the board's grants, every minter has a rate
limit and no account is both master minter and minter; each departure is a finding."""

from somchain.audit import checks
from somchain.audit.checks import FAIL, PASS


def test_minting__scripted_history__passes(gather_data):
    result = checks.check_minting(gather_data(), "stablecoin")
    assert result.status == PASS, result.summary
    assert result.details.granted == 10_000_000 * 10**18


def test_minting__a_minter_without_rate_limit__fails(gather_data):
    data = gather_data()
    minter, reads = next((m, r) for m, r in data.chain.minters.items() if r.is_minter)
    reads.capacity = 0
    result = checks.check_minting(data, "stablecoin")
    assert result.status == FAIL
    assert f"minter {minter.lower()} has no rate limit" in result.details.findings


def test_minting__master_minter_also_minter__fails(gather_data):
    data = gather_data()
    minter = next(m for m, r in data.chain.minters.items() if r.is_minter)
    data.chain.roles["stablecoin"].setdefault(checks.parts._role_id("MASTER_MINTER_ROLE"), {})[
        minter
    ] = True
    result = checks.check_minting(data, "stablecoin")
    assert f"{minter.lower()} is both master minter and minter" in result.details.findings


def test_minting__controllers_master_minter_also_minter__fails(gather_data):
    data = gather_data()
    minter = next(m for m, r in data.chain.minters.items() if r.is_minter)
    data.chain.mint_control.master_minters_minting = [minter]
    assert checks.check_minting(data, "stablecoin").status == FAIL


def test_minting__allowances_beyond_the_grants__fails(gather_data):
    data = gather_data()
    data.chain.mint_control.granted = 1_000 * 10**18
    result = checks.check_minting(data, "stablecoin")
    assert result.status == FAIL
    assert "exceed the board's grants" in result.summary


def test_minting__no_mint_controller__fails(gather_data):
    data = gather_data()
    data.chain.mint_control = None
    result = checks.check_minting(data, "stablecoin")
    assert "no MintController" in result.summary
