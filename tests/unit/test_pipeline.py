"""The operator pipeline without a chain or click: a fake contract, provider and account."""

from types import SimpleNamespace

import pytest

from somchain.actions import Action
from somchain.actions.pipeline import run
from somchain.actions.rehearsal import RehearsalResult
from somchain.errors import Aborted, ActionFailed, InputError

SENDER = "0x" + "aa" * 20


class FakeContract:
    """Answers the pipeline's read-only calls and records the calls sent."""

    address = "0x" + "cc" * 20
    contract_type = SimpleNamespace(errors=[])

    def __init__(self, holders=(SENDER,), paused=False):
        self.holders, self.is_paused, self.sent = set(holders), paused, []
        self.pause = self._method("pause")

    def PAUSER_ROLE(self):  # noqa: N802 (the contract's name)
        return b"\x01" * 32

    def hasRole(self, _role, account):  # noqa: N802
        return account in self.holders

    def paused(self):
        return self.is_paused

    def _method(self, name):
        def call(*args, sender=None, value=0):
            self.sent.append((name, args, sender.address))
            return SimpleNamespace(txn_hash="0x01", block_number=7, gas_used=21_000, events=[])

        call.encode_input = lambda *_args: b"\x12\x34"
        return call


def provider(chain_id=1337, name="local", uri=None):
    network = SimpleNamespace(
        name=name, is_local=True, chain_id=chain_id, ecosystem=SimpleNamespace(name="ethereum")
    )
    return SimpleNamespace(
        network=network, uri=uri, make_request=lambda _method, _params: hex(chain_id)
    )


ACCOUNT = SimpleNamespace(address=SENDER)


def action(contract, **kwargs):
    return Action(contract, "pause", [], "pause the token", role="PAUSER_ROLE", **kwargs)


def test_run__confirmed__sends_and_reports():
    token, lines = FakeContract(), []
    receipts = run(
        lambda: action(token), ACCOUNT, provider(), confirm=lambda _q: True, echo=lines.append
    )
    assert len(receipts) == 1
    assert token.sent == [("pause", (), SENDER)]
    assert lines[0] == "will pause the token"
    assert "tx 0x01" in lines
    assert lines[-1] == "done: pause the token"


def test_run__declined__aborts_and_sends_nothing():
    token, questions = FakeContract(), []
    with pytest.raises(Aborted, match="nothing sent"):
        run(
            lambda: action(token),
            ACCOUNT,
            provider(),
            confirm=lambda q: questions.append(q) or False,
            echo=lambda _line: None,
        )
    assert questions == ["send this transaction?"]
    assert token.sent == []


def test_run__yes__never_asks():
    token = FakeContract()

    def never(_question):
        raise AssertionError("asked")

    run(lambda: action(token), ACCOUNT, provider(), yes=True, confirm=never, echo=print)
    assert len(token.sent) == 1


def test_run__missing_role__input_error_before_any_question():
    token = FakeContract(holders=())
    with pytest.raises(InputError, match="does not hold PAUSER_ROLE"):
        run(lambda: action(token), ACCOUNT, provider(), confirm=lambda _q: True, echo=print)
    assert token.sent == []


def test_run__paused_or_failing_check__input_error():
    paused = FakeContract(paused=True)
    with pytest.raises(InputError, match="is paused"):
        run(
            lambda: action(paused, needs_unpaused=True),
            ACCOUNT,
            provider(),
            confirm=lambda _q: True,
            echo=print,
        )
    token = FakeContract()
    with pytest.raises(InputError, match="already paused"):
        run(
            lambda: action(token, checks=[lambda: "already paused"]),
            ACCOUNT,
            provider(),
            confirm=lambda _q: True,
            echo=print,
        )
    assert token.sent == []
    assert paused.sent == []


def test_run__mainnet_without_flag__refused():
    with pytest.raises(InputError, match="refusing BNB mainnet"):
        run(
            lambda: action(FakeContract()),
            ACCOUNT,
            provider(chain_id=56, name="mainnet"),
            confirm=lambda _q: True,
            echo=print,
        )


def test_run__rehearse_on_embedded_chain__input_error():
    with pytest.raises(InputError, match="needs a network reached over RPC"):
        run(
            lambda: action(FakeContract()),
            ACCOUNT,
            provider(),
            rehearse=True,
            confirm=lambda _q: True,
            echo=print,
        )


def test_run__rehearsal_reverts__nothing_sent():
    token = FakeContract()

    def rehearser(_actions, _sender, _uri, _chain_id):
        return RehearsalResult(False, 0, "CompliancePaused()")

    with pytest.raises(ActionFailed, match="reverted on the fork: CompliancePaused"):
        run(
            lambda: action(token),
            ACCOUNT,
            provider(uri="http://127.0.0.1:1"),
            rehearse=True,
            confirm=lambda _q: True,
            echo=print,
            rehearser=rehearser,
        )
    assert token.sent == []


def test_run__several_actions__one_question_for_all():
    token, questions = FakeContract(), []
    run(
        lambda: [action(token), action(token)],
        ACCOUNT,
        provider(),
        confirm=lambda q: questions.append(q) or True,
        echo=print,
    )
    assert questions == ["send these 2 transactions?"]
    assert len(token.sent) == 2
