"""The national stablecoin (KGST): deployment, operator actions, EIP-712 signing, demo."""

from somchain.stablecoin.deploy import StablecoinParams, deploy_attestation, deploy_stablecoin

__all__ = ["StablecoinParams", "deploy_attestation", "deploy_stablecoin"]
