"""The governance timelock: its deployment and bootstrap, its operations, and the actions
that put any admin call behind it."""
