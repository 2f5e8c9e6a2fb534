"""Upgrade safety: the storage layout of each upgradeable implementation, as the compiler
reports it, compared with the layout of the released version it replaces.

Both tokens keep every variable in ERC-7201 namespaces (`@custom:storage-location
erc7201:...` structs), which the compiler's `storageLayout` does not list. The layout of a
namespace is read by compiling a probe contract that declares one variable of each
namespaced struct the implementation inherits; the probe's `storageLayout` then gives each
member's slot (relative to the namespace's root), offset and type.

Released layouts live in `security/layouts/<version>/<Contract>.json` (written by
`python tools/layouts.py <version>`). An upgrade is compatible when every variable of the
old layout, top-level or in a namespace, keeps its place, name and type (a struct may grow
at its end); new variables and new namespaces may only be added.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from eth_utils import keccak

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "security" / "layouts"
# The upgradeable (UUPS) implementations and their sources.
UPGRADEABLE = {
    "NationalStablecoin": "contracts/stablecoin/NationalStablecoin.sol",
    "DigitalSom": "contracts/cbdc/DigitalSom.sol",
}
REMAPPINGS = {
    "@openzeppelin/contracts-upgradeable/": "vendor/openzeppelin-contracts-upgradeable/",
    "@openzeppelin/contracts/": "vendor/openzeppelin-contracts/",
}
_IMPORT = re.compile(r'^\s*import\s+(?:\{[^}]*\}\s+from\s+)?"([^"]+)"', re.M)
_CONTRACT = re.compile(r"^\s*(?:abstract\s+)?(?:contract|library)\s+(\w+)", re.M)
_NAMESPACE = re.compile(
    r"@custom:storage-location\s+erc7201:([\w.\-]+)[^\n]*\n(?:\s*(?:///|\*)[^\n]*\n)*\s*struct\s+(\w+)"
)


def namespace_slot(namespace: str) -> str:
    """The ERC-7201 root slot of `namespace`."""
    inner = int.from_bytes(keccak(text=namespace), "big") - 1
    return (
        "0x"
        + (int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF)
        .to_bytes(32, "big")
        .hex()
    )


def _resolve(importer: str, path: str) -> str:
    for prefix, target in REMAPPINGS.items():
        if path.startswith(prefix):
            return target + path[len(prefix) :]
    return os.path.normpath(os.path.join(os.path.dirname(importer), path))


def _closure(sources: list[str]) -> list[str]:
    seen: list[str] = []
    todo = list(sources)
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.append(source)
        todo += [_resolve(source, p) for p in _IMPORT.findall((ROOT / source).read_text())]
    return seen


def _namespaced_structs(sources: list[str]) -> list[tuple[str, str, str, str]]:
    """(file, contract, struct, namespace) of every ERC-7201 struct in `sources`."""
    found = []
    for source in sources:
        text = (ROOT / source).read_text()
        for match in _NAMESPACE.finditer(text):
            contracts = [m for m in _CONTRACT.finditer(text) if m.start() < match.start()]
            found.append((source, contracts[-1].group(1), match.group(2), match.group(1)))
    return found


def _solc_binary() -> str:
    import yaml

    version = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]["version"]
    folder = Path(os.environ.get("SOLCX_BINARY_PATH", ROOT / ".solcx"))
    return str(folder / f"solc-v{version}")


def source_of(name: str) -> str:
    """The source file of an upgradeable implementation, or of any compiled project contract
    (a candidate implementation)."""
    if name in UPGRADEABLE:
        return UPGRADEABLE[name]
    from ape import project

    try:
        source = project.get_contract(name).contract_type.source_id
    except Exception:
        source = None
    if not source:
        raise KeyError(f"no compiled contract named {name}")
    return source


def _compile(names: list[str]) -> dict:
    import solcx

    sources = [source_of(n) for n in names]
    structs = _namespaced_structs(_closure(sources))
    probe = ["// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n"]
    for file, contract in sorted({(f, c) for f, c, _, _ in structs}):
        probe.append(f'import {{{contract}}} from "{file}";\n')
    probe.append("contract LayoutProbe {\n")
    for i, (_, contract, struct, _) in enumerate(structs):
        probe.append(f"    {contract}.{struct} internal s{i};\n")
    probe.append("}\n")
    standard = {
        "language": "Solidity",
        "sources": {
            **{s: {"urls": [s]} for s in sources},
            "LayoutProbe.sol": {"content": "".join(probe)},
        },
        "settings": {
            "remappings": [f"{k}={v}" for k, v in REMAPPINGS.items()],
            "outputSelection": {
                "*": {"": ["ast"]},
                **{source_of(n): {n: ["storageLayout"], "": ["ast"]} for n in names},
                "LayoutProbe.sol": {"LayoutProbe": ["storageLayout"]},
            },
        },
    }
    out = solcx.compile_standard(
        standard, solc_binary=_solc_binary(), base_path=str(ROOT), allow_paths=[str(ROOT)]
    )
    return {"out": out, "structs": structs}


def _canonical(types: dict, key: str) -> Any:
    """A type as a comparable value: its label, with struct members spelled out."""
    t = types[key]
    if "members" in t:
        return {"label": t["label"], "members": [_member(types, m) for m in t["members"]]}
    if t["encoding"] == "mapping":
        return {"label": t["label"], "value": _canonical(types, t["value"])}
    if "base" in t:
        return {"label": t["label"], "base": _canonical(types, t["base"])}
    return t["label"]


def _member(types: dict, m: dict) -> dict:
    return {
        "label": m["label"],
        "slot": int(m["slot"]),
        "offset": m["offset"],
        "type": _canonical(types, m["type"]),
    }


def _bases(out: dict, name: str) -> list[str]:
    nodes = {}
    for source in out["sources"].values():
        for node in source.get("ast", {}).get("nodes", []):
            if node.get("nodeType") == "ContractDefinition":
                nodes[node["id"]] = node
    target = next(n for n in nodes.values() if n["name"] == name)
    return [nodes[i]["name"] for i in target["linearizedBaseContracts"] if i in nodes]


def current_layouts(names: list[str] | None = None) -> dict[str, dict]:
    """The storage layout of each upgradeable implementation in the working tree."""
    names = names or list(UPGRADEABLE)
    compiled = _compile(names)
    out, structs = compiled["out"], compiled["structs"]
    probe = out["contracts"]["LayoutProbe.sol"]["LayoutProbe"]["storageLayout"]
    layouts = {}
    for name in names:
        own = out["contracts"][source_of(name)][name]["storageLayout"]
        bases = _bases(out, name)
        namespaces = {}
        for i, (_, contract, struct, namespace) in enumerate(structs):
            if contract not in bases:
                continue
            var = next(v for v in probe["storage"] if v["label"] == f"s{i}")
            namespaces[namespace] = {
                "struct": f"{contract}.{struct}",
                "slot": namespace_slot(namespace),
                "members": _canonical(probe["types"], var["type"])["members"],
            }
        layouts[name] = {
            "contract": name,
            "storage": [_member(own["types"] or {}, v) for v in own["storage"]],
            "namespaces": dict(sorted(namespaces.items())),
        }
    return layouts


def released_versions() -> list[str]:
    """Versions with a recorded layout, oldest first."""
    if not LAYOUTS.exists():
        return []
    versions = [p.name for p in LAYOUTS.iterdir() if p.is_dir()]
    return sorted(versions, key=lambda v: tuple(int(x) if x.isdigit() else x for x in v.split(".")))


def released_layout(name: str, version: str | None = None) -> dict:
    """The layout of `name` recorded for `version` (default: the latest release)."""
    version = version or released_versions()[-1]
    return json.loads((LAYOUTS / version / f"{name}.json").read_text())


def write_baseline(version: str, folder: Path = LAYOUTS) -> list[Path]:
    """Records the working tree's layouts as those of release `version`."""
    written = []
    for name, layout in current_layouts().items():
        path = folder / version / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(layout, indent=2) + "\n")
        written.append(path)
    return written


def _compare_type(where: str, old: Any, new: Any) -> list[str]:
    if isinstance(old, str) or isinstance(new, str) or set(old) != set(new):
        return [] if old == new else [f"{where}: type changed from {_label(old)} to {_label(new)}"]
    if "members" in old:
        return _compare_vars(where, old["members"], new["members"])
    key = "value" if "value" in old else "base"
    if old["label"] != new["label"] and old.get(key) == new.get(key):
        return [f"{where}: type changed from {old['label']} to {new['label']}"]
    return _compare_type(where, old[key], new[key])


def _label(t: Any) -> str:
    return t if isinstance(t, str) else t["label"]


def _compare_vars(where: str, old: list[dict], new: list[dict]) -> list[str]:
    """Each old variable must keep its slot, offset, name and type; appending is fine. A
    variable is matched by name, else by position (then it was renamed, or removed)."""
    problems = []
    by_label = {v["label"]: v for v in new}
    for i, var in enumerate(old):
        place = f"{where}.{var['label']}"
        now = by_label.get(var["label"])
        if now is None:
            same = i < len(new) and (new[i]["slot"], new[i]["offset"]) == (
                var["slot"],
                var["offset"],
            )
            if same and not _compare_type(place, var["type"], new[i]["type"]):
                problems.append(f"{place}: renamed to {new[i]['label']}")
            else:
                problems.append(f"{place}: removed")
            continue
        if (now["slot"], now["offset"]) != (var["slot"], var["offset"]):
            problems.append(
                f"{place}: moved from slot {var['slot']} offset {var['offset']} "
                f"to slot {now['slot']} offset {now['offset']}"
            )
        problems += _compare_type(place, var["type"], now["type"])
    return problems


def layout_problems(old: dict, new: dict) -> list[str]:
    """Why `new` cannot replace `old` behind a proxy (empty if it can)."""
    name = new.get("contract", "?")
    problems = _compare_vars(name, old["storage"], new["storage"])
    for namespace, space in old["namespaces"].items():
        if namespace not in new["namespaces"]:
            problems.append(f"{name}: namespace {namespace} ({space['struct']}) removed")
            continue
        problems += _compare_vars(
            f"{name}[{namespace}]", space["members"], new["namespaces"][namespace]["members"]
        )
    return problems


def check_upgrade_layout(old_name_or_layout: str | dict, new_name: str) -> list[str]:
    """The problems of upgrading to the working tree's `new_name` from `old_name_or_layout`:
    a layout dict (as `released_layout` returns), a contract name (its latest released
    layout), or `"<version>:<Contract>"`. An empty list means the upgrade is safe."""
    if isinstance(old_name_or_layout, dict):
        old = old_name_or_layout
    elif ":" in old_name_or_layout:
        version, name = old_name_or_layout.split(":", 1)
        old = released_layout(name, version)
    else:
        old = released_layout(old_name_or_layout)
    return layout_problems(old, current_layouts([new_name])[new_name])


def tree_layout(name: str) -> dict:
    """The working tree's layout of `name` (any compiled project contract), kept in
    .build/layouts/ under a hash of the sources it compiles from, so that it is computed
    once per state of the tree (compiling the probe takes seconds)."""
    import hashlib

    sources = sorted(_closure([source_of(name)]))
    digest = hashlib.sha256(_solc_binary().encode())
    for source in sources:
        digest.update(source.encode() + b"\0" + (ROOT / source).read_bytes())
    cached = ROOT / ".build" / "layouts" / f"{name}-{digest.hexdigest()[:16]}.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    layout = current_layouts([name])[name]
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(layout) + "\n")
    return layout


def _same(a: dict, b: dict) -> bool:
    return (a["storage"], a["namespaces"]) == (b["storage"], b["namespaces"])


def release_of(name: str, family: str | None = None) -> str | None:
    """The newest release of `family` (default: `name`) whose recorded layout is exactly the
    working tree's layout of `name`; None when no release has it."""
    family = family or name
    layout = tree_layout(name)
    for version in reversed(released_versions()):
        path = LAYOUTS / version / f"{family}.json"
        if path.is_file() and _same(json.loads(path.read_text()), layout):
            return version
    return None


def running_release(entry: dict, implementation: str) -> str | None:
    """The layout release the manifest records for the proxy's running `implementation`."""
    recorded = {a.lower(): v for a, v in (entry.get("implementation_layouts") or {}).items()}
    found = recorded.get(implementation.lower())
    if found is None and str(entry.get("implementation", "")).lower() == implementation.lower():
        found = entry.get("layout_version")
    return found


def deployed_layout(entry: dict, implementation: str | None = None) -> dict:
    """The released layout of the implementation a manifest entry records as running
    (`implementation`, default the entry's own); KeyError when none is recorded."""
    version = running_release(entry, implementation or entry["implementation"])
    if version is None:
        raise KeyError(f"no layout release recorded for {entry['contract']}")
    return released_layout(entry["contract"], version)
