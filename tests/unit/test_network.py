"""Network guards and unattended signing without a chain."""

from types import SimpleNamespace

import pytest

from somchain.errors import InputError
from somchain.network import unlock


class Keyfile(SimpleNamespace):
    def set_autosign(self, enabled, passphrase=None):
        if passphrase != "right":
            raise RuntimeError("Invalid password")
        self.autosign = enabled


def test_unlock__passphrase_from_environment__enables_autosign(monkeypatch):
    monkeypatch.setenv("APE_ACCOUNTS_ops_PASSPHRASE", "right")
    account = Keyfile(alias="ops", autosign=False)
    unlock(account)
    assert account.autosign is True


def test_unlock__wrong_passphrase__one_line_input_error(monkeypatch):
    monkeypatch.setenv("APE_ACCOUNTS_ops_PASSPHRASE", "wrong")
    with pytest.raises(
        InputError, match="APE_ACCOUNTS_ops_PASSPHRASE does not unlock the account 'ops'"
    ):
        unlock(Keyfile(alias="ops"))


def test_unlock__no_variable__leaves_the_account_alone(monkeypatch):
    monkeypatch.delenv("APE_ACCOUNTS_ops_PASSPHRASE", raising=False)
    account = Keyfile(alias="ops", autosign=False)
    unlock(account)
    assert account.autosign is False
