"""The conversion desk between KGST and the digital som: deployment, the holders' and the
board's actions, status."""

from somchain.desk.deploy import TO_KGST, TO_SOM, deploy_desk, wire_desk

__all__ = ["TO_KGST", "TO_SOM", "deploy_desk", "wire_desk"]
