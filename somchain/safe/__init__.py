"""The board's Safe multisig (Safe v1.4.1): its contracts from npm (`contracts`), its
deployment (`deploy`), SafeTx hashing and signing (`tx`) and proposal files that owners
sign offline and anyone executes once the threshold is met (`proposal`)."""
