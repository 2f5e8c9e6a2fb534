"""Operator actions: what to call and what must hold (`action`), revert decoding
(`reverts`), rehearsal on a fork (`rehearsal`) and the pipeline every command runs
(`pipeline`)."""

from somchain.actions.action import Action, Read, preflight, receipt_lines, role_id, send
from somchain.actions.reverts import decode_revert, describe_error, revert_data

__all__ = [
    "Action",
    "Read",
    "decode_revert",
    "describe_error",
    "preflight",
    "receipt_lines",
    "revert_data",
    "role_id",
    "send",
]
