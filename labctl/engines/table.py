"""The behaviour table: each experiment in Chromium, Firefox and WebKit, from one real run.

``write_table(runs)`` rewrites the text between ``START`` and ``END`` in
docs/browser-facts.md. Chromium's column is ✓ where it did what the experiment expects, from both
page origins. Another engine's cell is ✓ where it also observed exactly what Chromium observed in
the same run; otherwise the facts it observed differently (Chromium's in brackets), and ✗ where
that was not what the page expected of that engine (each experiment's catalogue entry: engines).
"""

import datetime
import re

from .drivers import ROOT

START = "<!-- engines-table:start (written by `make engines-table`; do not edit by hand) -->"
END = "<!-- engines-table:end -->"
FILES = (ROOT / "docs" / "browser-facts.md",)  # the one place the table lives
ORDER = ("chromium", "firefox", "webkit")
ORIGIN_WORDS = {"trusted": "from the trusted page", "untrusted": "from the untrusted page (in a cross-site frame)"}


def escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def find(run, role, experiment_id):
    return next((card for card in run.cards.get(role, []) if card["id"] == experiment_id), None)


def cell(run, experiment_id, chromium=None):
    notes = []
    for role in run.cards:
        card = find(run, role, experiment_id)
        if card is None:
            notes.append(f"✗ not run {ORIGIN_WORDS[role]}")
            continue
        if not card["match"]:
            facts = "; ".join(f"{d['fact']} {d['observed']} (expected {d['expected']})" for d in card["differs"])
            notes.append(f"✗ {ORIGIN_WORDS[role]}: {facts or card.get('error') or 'failed'}")
            continue
        reference = find(chromium, role, experiment_id) if chromium and chromium is not run else None
        if reference:
            theirs = reference.get("observed", {})
            differs = [
                f"{fact} {value} (Chromium: {theirs.get(fact, '-')})"
                for fact, value in card.get("observed", {}).items()
                if theirs.get(fact) != value
            ]
            if differs:
                notes.append(f"{ORIGIN_WORDS[role]}: {', '.join(differs)}")
    return escape("; ".join(notes)) if notes else "✓"


def checks_cell(run, check):
    outcomes = [outcome for outcome in run.outcomes if outcome.check == check]
    passed = sum(outcome.passed for outcome in outcomes)
    return f"✓ {passed} of {len(outcomes)}" if passed == len(outcomes) else f"✗ {passed} of {len(outcomes)} agree"


def titles(runs):
    for run in runs:
        for cards in run.cards.values():
            if cards:
                return [(card["id"], card.get("title") or card["id"]) for card in cards]
    return []


def markdown(runs, today=None):
    runs = sorted(runs, key=lambda run: ORDER.index(run.name))
    today = today or datetime.date.today().isoformat()
    lines = [
        START,
        f'One run of `make engines-table` on {today}: each experiment\'s "Run all" from both page origins,'
        " the playground's presets and the matrix sample. ✓: Chromium did what the experiment expects, and"
        " Firefox or WebKit observed exactly what Chromium did; otherwise the facts they observed differently"
        " (Chromium's in brackets); ✗: not what the page expected of that engine.",
        "",
        "| experiment | " + " | ".join(run.version or run.name for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    chromium = next((run for run in runs if run.name == "chromium"), None)
    for experiment_id, title in titles(runs):
        label = f"{escape(title)} (`{experiment_id}`)"
        lines.append(f"| {label} | " + " | ".join(cell(run, experiment_id, chromium) for run in runs) + " |")
    lines.append("| the playground's presets | " + " | ".join(checks_cell(run, "playground") for run in runs) + " |")
    lines.append("| the model's matrix sample | " + " | ".join(checks_cell(run, "matrix") for run in runs) + " |")
    lines.append(END)
    return "\n".join(lines)


def write_table(runs, files=FILES):
    table = markdown(runs)
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    written = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if not pattern.search(text):
            raise SystemExit(f"{path} has no behaviour table markers ({START} ... {END})")
        path.write_text(pattern.sub(lambda _: table, text), encoding="utf-8")
        written.append(path)
    return written
