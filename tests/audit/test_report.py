"""The supervisor's report as a browser shows it: headless Chromium renders report.html;
the page has no Markdown left in it and its figures are the JSON's."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from somchain.audit.view import Amount, units

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Page(HTMLParser):
    """Text, figures (data-name/data-raw/value), images and titled codes of a DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.figures: dict[str, dict[str, str]] = {}
        self.images: list[str] = []
        self.titles: list[tuple[str, str]] = []
        self._figure: str | None = None
        self._class: list[str] = []
        self._code_title: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-name" in a:
            self._figure = a["data-name"]
            self.figures[self._figure] = {"raw": a.get("data-raw", "")}
        self._class.append(a.get("class", ""))
        if tag == "img":
            self.images.append(a.get("src", "")[:30])
        if tag == "code" and "title" in a:
            self._code_title = a["title"]

    def handle_endtag(self, _tag):
        if self._class:
            self._class.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._figure and self._class and self._class[-1] == "value":
            self.figures[self._figure]["value"] = data.strip()
        if self._code_title is not None:
            self.titles.append((data, self._code_title))
            self._code_title = None


def _render(path, tmp_path) -> str:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--dump-dom",
        path.as_uri(),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
def test_report_html__in_headless_chromium__renders_without_markdown_and_shows_json_figures(
    run_audit, tmp_path
):
    report = run_audit(draw=True)
    page = _Page()
    page.feed(_render(tmp_path / "out" / "report.html", tmp_path))
    text = "".join(page.text)
    assert "PASS: every check passed" in text
    assert "---|" not in text
    assert "|---" not in text
    assert "**" not in text
    assert len(page.images) == 3
    assert all(i.startswith("data:image/png") for i in page.images)

    checks = {c["id"]: c["details"] for c in report["checks"]}
    for key in ("stablecoin", "cbdc"):
        d = checks[f"supply.{key}"]
        shown = page.figures[f"Supply of {d['symbol']}"]
        assert int(shown["raw"]) == d["total_supply"]
        assert shown["value"] == Amount.of(d["total_supply"], d["decimals"], d["symbol"]).text
    coverage = checks["coverage"]
    assert int(page.figures["Attested reserve"]["raw"]) == coverage["reserve"]
    assert float(page.figures["Coverage"]["raw"]) == coverage["ratio"]
    assert page.figures["Coverage"]["value"] == f"{coverage['ratio']:,.2%}"
    frozen = checks["frozen.stablecoin"]["frozen"]
    assert int(page.figures["Frozen KGST"]["raw"]) == sum(f["balance"] for f in frozen)
    assert int(page.figures["Crypto reserve value"]["raw"]) == checks["reserve"]["total_value_usd8"]

    # the journal shows short addresses, the full one in the tooltip
    tx = report["journal"][-1]["tx"]
    assert (tx[:6] + "…" + tx[-4:], tx) in page.titles
    assert "no limit" in text  # the unlimited tier's holding limit


def test_report_markdown__figures_formatted_and_times_in_utc(run_audit, tmp_path):
    report = run_audit()
    md = (tmp_path / "out" / "report.md").read_text()
    supply = next(c for c in report["checks"] if c["id"] == "supply.stablecoin")["details"]
    assert f"Supply of KGST: **{units(supply['total_supply'], 18)} KGST**" in md
    assert " UTC" in md
    assert "| stablecoin | MASTER_MINTER_ROLE |" in md


def test_units__unlimited_and_decimals__formatted():
    assert units(2**256 - 1, 2) == "no limit"
    assert units(123_456_789, 2) == "1,234,567.89"
    assert units(10**18 + 5 * 10**15, 18) == "1.00"
    assert Amount.of(-1_500, 2, "KGSD").text == "-15.00 KGSD"


def test_report__feed_without_attestation__says_so_instead_of_an_age(gather_data):
    from somchain.audit import checks
    from somchain.audit.view import build

    data = gather_data()
    data.chain.feed.updated_at = 0
    result = checks.check_coverage(data, "stablecoin")
    result.key = "stablecoin"
    report = {
        "meta": {
            "chain_id": 1,
            "block": data.block,
            "block_time": data.block_time,
            "generated_at": "2026-01-01T00:00:00+00:00",
            "contracts": {},
        },
        "passed": False,
        "journal": [],
    }
    view = build(report, [result], {})
    reserve = next(f for f in view.figures if f.name == "Attested reserve")
    assert reserve.value == "no attestation posted yet"
    table = next(t for t in view.tables if t.title == "Reserve coverage")
    assert "no attestation posted yet" in table.rows[0]


def test_report_json__is_the_checks_details(run_audit, tmp_path):
    report = run_audit()
    on_disk = json.loads((tmp_path / "out" / "report.json").read_text())
    assert on_disk["checks"] == json.loads(json.dumps(report["checks"], default=str))
