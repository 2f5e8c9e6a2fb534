"""PNG charts of the report, drawn with matplotlib's Agg backend (no display needed):
axes with thousands separators and dates, the coverage axis from 0 with the 100% line."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

from somchain.constants import FIAT, FIAT_CODE  # noqa: E402

THOUSANDS = FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1 or v == 0 else f"{v:g}")
LOG_ABOVE = 50  # a value range wider than this factor is drawn on a log scale


def _when(point: dict[str, Any]) -> Any:
    t = point.get("time")
    return datetime.fromtimestamp(t, UTC) if t is not None else point["block"]


def supply_and_reserve(
    series: list[dict[str, Any]], decimals: int, path: Path, symbol: str = "KGST"
) -> Path | None:
    """Supply and attested reserve over time, with the coverage ratio (from 0, with the
    100% line) on a second axis."""
    if not series:
        return None
    fig = supply_figure(series, decimals, symbol)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def supply_figure(series: list[dict[str, Any]], decimals: int, symbol: str) -> Any:
    """The figure of `supply_and_reserve`, drawn (its tick labels set)."""
    x = [_when(p) for p in series]
    scale = 10**decimals
    supply = [p["supply"] / scale for p in series]
    reserve = [(p["reserve"] or 0) / scale for p in series]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.step(x, supply, where="post", label="supply")
    ax.step(x, reserve, where="post", label="attested reserve")
    ax.set_ylabel(f"{symbol} (reserve: {FIAT}, {FIAT_CODE})")
    title = "Supply and attested reserve (UTC)"
    positive = [v for v in supply + reserve if v > 0]
    if positive and max(positive) > LOG_ABOVE * min(positive):
        # A small supply beside a large reserve would lie on the axis: a log scale shows both.
        ax.set_yscale("symlog", linthresh=max(min(positive), 1e-9))
        title += ", log scale"
    else:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_title(title)
    ratio = ax.twinx()
    ratios = [(p["ratio"] * 100) if p["ratio"] else float("nan") for p in series]
    ratio.plot(x, ratios, "k:", label="coverage")
    ratio.axhline(100, color="tab:red", linewidth=1, label="100% coverage")
    top = max([r for r in ratios if r == r] + [100])
    ratio.set_ylim(0, top * 1.1)
    ratio.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ratio.set_ylabel("coverage (reserve / supply)")
    if isinstance(x[0], datetime):
        # The label's precision follows the history's span (seconds for a short one), so
        # that no two ticks read the same.
        span = (x[-1] - x[0]).total_seconds()
        shown = "%H:%M:%S" if span < 3_600 else "%m-%d %H:%M" if span < 3 * 86_400 else "%Y-%m-%d"
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(tz=UTC, maxticks=8))
        ax.xaxis.set_major_formatter(mdates.DateFormatter(shown, tz=UTC))
        ax.set_xlabel(f"UTC, from {x[0]:%Y-%m-%d %H:%M:%S}")
    else:
        ax.set_xlabel("block")
        ax.xaxis.set_major_formatter(THOUSANDS)
    fig.autofmt_xdate()
    fig.legend(loc="lower center", ncol=4, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.canvas.draw()
    return fig


def composition(parts: dict[str, float], path: Path, title: str, unit: str = "USD") -> Path | None:
    """The reserve's composition as horizontal bars (value and share per holding): a bar
    chart reads for one holding as well as for many, where a pie of one slice says nothing."""
    values = {k: v for k, v in parts.items() if v > 0}
    if not values:
        return None
    total = sum(values.values())
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.6 * len(values)))
    names = list(values)
    bars = ax.barh(names, [values[n] for n in names])
    for bar, n in zip(bars, names, strict=True):
        ax.annotate(
            f" {values[n]:,.0f} {unit} ({values[n] / total:.1%})",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
            fontsize=8,
        )
    ax.xaxis.set_major_formatter(THOUSANDS)
    ax.set_xlim(0, max(values.values()) * 1.45)
    ax.set_xlabel(unit)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def cbdc_by_tier(
    tiers: dict[str, dict[str, int]], decimals: int, path: Path, symbol: str = "som"
) -> Path | None:
    """Total CBDC balance and wallet count per tier."""
    if not tiers:
        return None
    names = [f"tier {t}" for t in tiers]
    fig, ax = plt.subplots(figsize=(7, 4))
    bars = ax.bar(names, [v["balance"] / 10**decimals for v in tiers.values()])
    for bar, v in zip(bars, tiers.values(), strict=True):
        ax.annotate(
            f"{v['wallets']:,} wallets",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_ylabel(symbol)
    ax.set_title("Digital som held per wallet tier")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
