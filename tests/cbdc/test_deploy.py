import ape

from somchain.cbdc import NO_LIMIT
from somchain.cbdc.tiers import MAX_RETAIL_TIER


def test_initialize__defaults__name_symbol_decimals(som):
    assert som.name() == "Digital Som"
    assert som.symbol() == "KGSD"
    assert som.decimals() == 2
    assert som.totalSupply() == 0


def test_initialize__custom_params__set_at_deployment(create_som):
    s = create_som(name="Digital Som Test", symbol="KGSDT", decimals=6)
    assert (s.name(), s.symbol(), s.decimals()) == ("Digital Som Test", "KGSDT", 6)


def test_initialize__second_call__reverts(som, admin):
    with ape.reverts(som.InvalidInitialization):
        som.initialize("X", "X", 2, admin, 0, sender=admin)


def test_roles__admin_is_owner_and_constants_exposed(som, central_bank):
    assert som.getOwner() == central_bank.address
    assert som.NO_LIMIT() == NO_LIMIT
    assert som.MAX_TIER() == 4
    assert som.MAX_RETAIL_TIER() == MAX_RETAIL_TIER
    assert som.WINDOW() == 86_400


def test_roles__bank_and_treasury__become_holder_kinds(som, bank, treasury, alice):
    assert som.accountKind(bank) == som.KIND_BANK()
    assert som.accountKind(treasury) == som.KIND_TREASURY()
    assert som.accountKind(alice) == som.KIND_NONE()


def test_code_size__runtime__below_eip170_limit(project):
    size = len(project.DigitalSom.contract_type.runtime_bytecode.bytecode) // 2 - 1
    assert size < 24_576 - 512  # EIP-170, with room for a fix in a later version
