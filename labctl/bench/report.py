"""The benchmark's method and its report: repetitions in turn, paired ratios, the table and the
description of the machine, written to bench/results.md."""

import os
import platform
import statistics
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from .load import REQUESTS_PER_RUN, SECONDS_PER_RUN

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RESULTS_FILE = PROJECT_ROOT / "bench" / "results.md"
REPETITIONS = 5


@dataclass(frozen=True)
class Row:
    measurement: str
    baseline: str
    compared: str
    ratios: list
    goal: str = ""


def paired_row(measurement, baseline, compared, show, goal=""):
    """A row from two lists of values, one per repetition, measured back to back in pairs."""
    return Row(
        measurement,
        show(statistics.median(baseline)),
        show(statistics.median(compared)),
        [c / b for c, b in zip(compared, baseline, strict=True)],
        goal,
    )


def each_repetition_in_turn(names):
    """Every repetition measures every name, starting with a different one each time, so that
    none of them always runs first (on a cold cache) or last (after the others heated the CPU)."""
    for repetition in range(REPETITIONS):
        shift = repetition % len(names)
        yield names[shift:] + names[:shift]


def milliseconds(seconds):
    return f"{seconds * 1000:.2f} ms"


def requests_per_second(rate):
    return f"{rate:.0f} req/s"


def expectation(met, text):
    return f"{text}: {'met' if met else 'NOT MET'}"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass  # not Linux: fall back to what the platform module knows
    return platform.processor() or "unknown CPU"


def machine_description(chromium_version, load_before, load_after):
    packages = ", ".join(f"{name} {version(name)}" for name in ("flask", "flask-cors", "werkzeug", "gunicorn"))
    return [
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"load average {load_before:.2f} before, {load_after:.2f} after (other work widens the ranges)",
        f"- Python {platform.python_version()}; {packages}; Chromium {chromium_version}",
        f"- Date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Baseline and Compared: medians of {REPETITIONS} repetitions. Ratio: Compared / Baseline within each "
        "repetition (measured back to back); the median, and the range over the repetitions.",
        f"- API load: each run stops after {REQUESTS_PER_RUN} requests or {SECONDS_PER_RUN:g} s. Latencies come "
        "from one run that sends the three endpoints' requests in turn; throughputs from one run per endpoint.",
    ]


def markdown_table(rows):
    lines = [
        "| Measurement | Baseline | Compared | Ratio, median (range) | Goal |",
        "|---|---:|---:|---:|---|",
    ]
    for row in rows:
        ratio = f"{statistics.median(row.ratios):.2f}x ({min(row.ratios):.2f}–{max(row.ratios):.2f})"
        lines.append(f"| {row.measurement} | {row.baseline} | {row.compared} | {ratio} | {row.goal} |")
    return lines


def write_report(rows, chromium_version, load_before):
    """The report as markdown, also written to RESULTS_FILE."""
    header = machine_description(chromium_version, load_before, os.getloadavg()[0])
    report = "\n".join(["# CORS lab benchmark", "", *header, "", *markdown_table(rows)]) + "\n"
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(report)
    return report
