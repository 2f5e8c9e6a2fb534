"""The two ways an operator command fails: bad input (exit 2, nothing sent) and a revert
or failed transaction (exit 1)."""

from __future__ import annotations


class InputError(ValueError):
    """The command's input is wrong; no transaction was sent."""

    exit_code = 2


class ActionFailed(RuntimeError):
    """The transaction (or its simulation) reverted or failed."""

    exit_code = 1


class Aborted(RuntimeError):
    """The operator declined the confirmation; nothing was sent."""

    exit_code = 1
