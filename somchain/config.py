"""Deployment parameters from deploy-config.yaml: defaults, then the network's section."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from somchain.errors import InputError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "deploy-config.yaml"


def _merge(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in (override or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load(network: str, path: str | Path | None = None) -> dict[str, Any]:
    """Settings for `network` ("ecosystem:network"): the default section merged with the
    network's own."""
    file = Path(path or DEFAULT_PATH)
    if not file.is_file():
        raise InputError(f"deploy config {file} does not exist")
    try:
        data = yaml.safe_load(file.read_text()) or {}
    except yaml.YAMLError as err:
        raise InputError(f"deploy config {file} is not valid YAML: {err}") from None
    if "default" not in data:
        raise InputError(f"deploy config {file} has no `default` section")
    return _merge(data["default"], data.get(network, {}))
