"""The supervisor's report as a browser shows it: headless Chromium renders report.html;
the page has no Markdown left in it and its figures are the JSON's."""

from __future__ import annotations

import json
import re
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


def _render(path, tmp_path, width: int = 1280) -> str:
    command = [
        CHROMIUM,
        "--headless",
        f"--window-size={width},1000",
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
    reserve = page.figures["Attested reserve (som, KGS)"]
    assert int(reserve["raw"]) == coverage["reserve"]
    assert reserve["value"] == Amount.of(coverage["reserve"], coverage["decimals"], "som").text
    assert float(page.figures["Coverage"]["raw"]) == coverage["ratio"]
    assert page.figures["Coverage"]["value"] == f"{coverage['ratio']:,.2%}"
    frozen = checks["frozen.stablecoin"]["frozen"]
    assert int(page.figures["Frozen KGST"]["raw"]) == sum(f["balance"] for f in frozen)
    assert int(page.figures["Crypto reserve value"]["raw"]) == checks["reserve"]["total_value_usd8"]

    # the journal shows short addresses, the full one in the tooltip
    tx = report["journal"][-1]["tx"]
    assert (tx[:6] + "…" + tx[-4:], tx) in page.titles
    assert "no limit" in text  # the unlimited tier's holding limit


# Measures the rendered page in the browser and records it on <body> for --dump-dom.
_MEASURE = """<script>
const b = document.body;
b.dataset.pageWidth = document.documentElement.scrollWidth;
const journal = document.querySelector('#journal table');
b.dataset.journalRight = Math.round(journal.getBoundingClientRect().right);
const lines = [...document.querySelectorAll('#journal td.time')].map((td) => {
  const r = document.createRange(); r.selectNodeContents(td);
  return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
});
b.dataset.timeLines = Math.max(0, ...lines);
</script>"""


def _measured(path, tmp_path, width: int) -> tuple[dict[str, str], str]:
    """The page at `width` px: its measures (data-* of <body>) and its DOM."""
    probe = path.with_name("probe.html")
    probe.write_text(path.read_text().replace("</body>", _MEASURE + "</body>"))
    dom = _render(probe, tmp_path, width)
    body = re.search(r"<body([^>]*)>", dom).group(1)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body)), dom


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
def test_report_html__journal_in_units_within_1400_px_and_fail_banner_names_checks(
    run_audit, tmp_path
):
    """A failing audit (a sanctioned holder not frozen): the banner names the failing check
    and links to its row; the journal shows token units, UTC times and text references,
    fits a 1,400 px window, and each time stays on one line."""
    from somchain.constants import FIAT

    listed = tmp_path / "sanctions.txt"
    holders = [j["args"]["to"] for j in run_audit()["journal"] if j["event"] == "Mint"]
    listed.write_text(f"{holders[-1]}  # a holder the audit finds unfrozen\n")
    report = run_audit(sanctions=listed)
    assert not report["passed"]
    failed = [c for c in report["checks"] if c["status"] == "fail"]
    measures, dom = _measured(tmp_path / "out" / "report.html", tmp_path, 1400)
    assert int(measures["page-width"]) <= 1400
    assert int(measures["journal-right"]) <= 1400
    assert measures["time-lines"] == "1"

    banner = re.search(r'<div class="verdict fail" id="verdict">(.*?)</div>', dom, re.S).group(1)
    for check in failed:
        assert f'href="#check-{check["id"]}"' in banner
        assert check["title"] in banner
        assert f'id="check-{check["id"]}"' in dom

    page = _Page()
    page.feed(dom)
    text = "".join(page.text)
    journal = text[text.index("Journal (") :]
    assert re.search(r"amount=[0-9,]+\.[0-9]{2} KGST", journal)
    assert re.search(rf"reserve=[0-9,]+\.[0-9]{{2}} {FIAT}", journal)
    assert re.search(r"asOf=20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC", journal)
    assert not re.search(r"(amount|asOf)=[0-9]{1,3}(,[0-9]{3}){4,}\b", journal)
    seizure = next(j for j in report["journal"] if j["event"] == "Seized")
    case = bytes.fromhex(seizure["args"]["caseRef"][2:]).rstrip(b"\x00").decode()
    assert f"caseRef={case}" in journal


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
    reserve = next(f for f in view.figures if f.name == "Attested reserve (som, KGS)")
    assert reserve.value == "no attestation posted yet"
    table = next(t for t in view.tables if t.title == "Reserve coverage")
    assert "no attestation posted yet" in table.rows[0]


def test_report_json__is_the_checks_details(run_audit, tmp_path):
    report = run_audit()
    on_disk = json.loads((tmp_path / "out" / "report.json").read_text())
    assert on_disk["checks"] == json.loads(json.dumps(report["checks"], default=str))


def test_supply_chart__short_history_tiny_supply__distinct_ticks_and_log_scale():
    """Four points within two minutes: no two time ticks read the same; a supply of 10
    KGST beside a 2,000,000 som reserve is drawn on a log scale, not on the axis."""
    import matplotlib.pyplot as plt

    from somchain.audit.charts import supply_figure

    one = 10**18
    start = 1_796_885_333
    series = [
        {"time": start + 30 * i, "block": 10 + i, "supply": s * one, "reserve": 2_000_000 * one}
        for i, s in enumerate([0, 5, 10, 10])
    ]
    for p in series:
        p["ratio"] = p["reserve"] / p["supply"] if p["supply"] else None
    fig = supply_figure(series, 18, "KGST")
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(ticks) >= 2
    assert len(set(ticks)) == len(ticks)
    assert ax.get_yscale() == "symlog"
    assert "log scale" in ax.get_title()
    plt.close(fig)
