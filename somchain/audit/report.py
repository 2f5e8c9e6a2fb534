"""The report in three forms: JSON for machines, and for people a Markdown file and one
self-contained HTML page (charts inlined), both rendered from jinja2 templates
(`templates/`) over the same formatted view (`view.build`)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from somchain.audit import view
from somchain.audit.checks import CheckResult

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html.j2"]),
    undefined=StrictUndefined,
    trim_blocks=False,
    keep_trailing_newline=True,
)


def write_json(report: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return path


def markdown(report: dict[str, Any], results: list[CheckResult]) -> str:
    charts = {n: f"charts/{Path(p).name}" for n, p in (report.get("charts") or {}).items()}
    return _env.get_template("report.md.j2").render(v=view.build(report, results, charts))


def html(report: dict[str, Any], results: list[CheckResult]) -> str:
    charts = {
        n: "data:image/png;base64," + base64.b64encode(Path(p).read_bytes()).decode()
        for n, p in (report.get("charts") or {}).items()
    }
    return _env.get_template("report.html.j2").render(v=view.build(report, results, charts))


def write(report: dict[str, Any], results: list[CheckResult], out: Path) -> None:
    """report.json, report.md and report.html in `out`."""
    write_json(report, out / "report.json")
    (out / "report.md").write_text(markdown(report, results))
    (out / "report.html").write_text(html(report, results))
