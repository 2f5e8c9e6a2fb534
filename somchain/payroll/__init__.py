"""Payroll: a file of payments paid exactly once in the digital som (`DigitalSom.disburse`)
or KGST (through a `PayrollDisperser`): the file format and batch ids (`sheet`), what each
token checks and sends (`ledgers`), checking, paying and status (`run`), deployment of the
KGST disperser (`deploy`)."""
