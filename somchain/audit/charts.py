"""PNG charts of the report, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _when(point: dict[str, Any]) -> Any:
    t = point.get("time")
    return datetime.fromtimestamp(t, UTC) if t is not None else point["block"]


def supply_and_reserve(series: list[dict[str, Any]], decimals: int, path: Path) -> Path | None:
    """Supply and attested reserve over time, with the coverage ratio on a second axis."""
    if not series:
        return None
    x = [_when(p) for p in series]
    scale = 10**decimals
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.step(x, [p["supply"] / scale for p in series], where="post", label="supply")
    ax.step(
        x,
        [(p["reserve"] or 0) / scale for p in series],
        where="post",
        label="attested reserve",
    )
    ax.set_ylabel("KGST")
    ax.set_title("Supply and attested reserve")
    ratio = ax.twinx()
    ratio.plot(x, [p["ratio"] or float("nan") for p in series], "k:", label="coverage ratio")
    ratio.set_ylabel("coverage ratio")
    fig.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def composition(parts: dict[str, float], path: Path, title: str) -> Path | None:
    """A pie of the reserve's composition (value per holding)."""
    values = {k: v for k, v in parts.items() if v > 0}
    if not values:
        return None
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.pie(list(values.values()), labels=list(values), autopct="%1.1f%%")
    ax.set_title(title)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def cbdc_by_tier(tiers: dict[str, dict[str, int]], decimals: int, path: Path) -> Path | None:
    """Total CBDC balance and wallet count per tier."""
    if not tiers:
        return None
    names = [f"tier {t}" for t in tiers]
    fig, ax = plt.subplots(figsize=(6, 4))
    bars = ax.bar(names, [v["balance"] / 10**decimals for v in tiers.values()])
    for bar, v in zip(bars, tiers.values(), strict=True):
        ax.annotate(
            f"{v['wallets']} wallets",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_ylabel("som")
    ax.set_title("Digital som held per wallet tier")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
