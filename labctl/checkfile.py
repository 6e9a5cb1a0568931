"""``cors-lab doctor --checks FILE``: an API's CORS contract as a file, checked in one Chromium, for CI.

The file is TOML, one ``[[check]]`` table per request::

    [[check]]
    name = "the SPA reads the items"            # optional: the check's name in reports
    url = "http://localhost:5000/items"
    origin = "http://localhost:3000"            # default: the lab's trusted origin
    method = "PUT"                              # default GET
    headers = ["Content-Type: application/json"]
    cookies = ["session=abc"]
    credentials = true
    body = '{"a": 1}'
    transport = "xhr"                           # default fetch
    expect = "readable"                         # or "blocked"
    findings = []                               # none allowed; or the kinds expected; absent: not checked

A check holds when Chromium's verdict is ``expect`` and, where ``findings`` is given, the kinds of
the report's findings and warnings are exactly those (labctl/findings.py). Exit status: 0 when
every check holds, 1 when any does not (or could not run: its reason is reported), 2 for a bad
file. ``--junit FILE`` also writes a JUnit XML report, one test case per check.
"""

import tomllib
import xml.etree.ElementTree as ElementTree
from pathlib import Path

KEYS = {
    "name": str,
    "url": str,
    "origin": str,
    "method": str,
    "headers": list,
    "cookies": list,
    "credentials": bool,
    "body": str,
    "transport": str,
    "expect": str,
    "findings": list,
}
EXPECTATIONS = ("readable", "blocked")
# The doctor's options a check's keys stand for: one value, a list of values, a flag.
VALUES = (("origin", "--origin"), ("method", "--method"), ("body", "--body"), ("transport", "--transport"))
LISTS = (("headers", "--header"), ("cookies", "--cookie"))
FLAGS = (("credentials", "--credentials"),)


class CheckFileError(Exception):
    """The checks file cannot be used: one line, exit status 2."""


def load(path):
    """The checks of the file at ``path``: [{"name", "where", "table", "expect", "findings"}]."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CheckFileError(f"--checks {path}: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CheckFileError(f"--checks {path}: not a TOML file ({error})") from None
    tables = data.get("check")
    if not isinstance(tables, list) or not tables or set(data) != {"check"}:
        raise CheckFileError(f"--checks {path}: give one [[check]] table per request, and nothing else")
    return [entry(path, index, table) for index, table in enumerate(tables, 1)]


def entry(path, index, table):
    where = f"--checks {path}, check {index}"
    for key, value in table.items():
        if key not in KEYS:
            raise CheckFileError(f"{where}: unknown key {key!r} (known: {', '.join(KEYS)})")
        if not isinstance(value, KEYS[key]) or (KEYS[key] is list and not all(isinstance(v, str) for v in value)):
            raise CheckFileError(
                f"{where}: {key} must be {'a list of strings' if KEYS[key] is list else KEYS[key].__name__}"
            )
    if "url" not in table or table.get("expect") not in EXPECTATIONS:
        raise CheckFileError(f'{where}: give url and expect = "readable" or "blocked"')
    name = (
        table.get("name")
        or f"{table.get('method', 'GET')} {table['url']} from {table.get('origin', 'the default origin')}"
    )
    return {"name": name, "where": where, "table": table, "expect": table["expect"], "findings": table.get("findings")}


def outcome(check, result=None, error=None):
    """Whether ``check`` held, given the doctor's report (or why it could not run)."""
    if error is not None:
        return {"name": check["name"], "held": False, "expected": check["expect"], "got": None, "why": error}
    got = "readable" if result["readable"] else "blocked"
    kinds = sorted(each["kind"] for each in result.get("findings", []))
    why = []
    if got != check["expect"]:
        why.append(
            f"expected {check['expect']}, Chromium said {got}" + (f" ({result['kind']})" if result.get("kind") else "")
        )
        why += result["console"][:1]
    if check["findings"] is not None and sorted(check["findings"]) != kinds:
        why.append(f"expected findings {sorted(check['findings'])}, found {kinds}")
    return {
        "name": check["name"],
        "held": not why,
        "expected": check["expect"],
        "got": got,
        "findings": kinds,
        "why": "; ".join(why) or None,
    }


def junit(outcomes, seconds):
    """A JUnit XML report of ``outcomes``, one test case per check."""
    failed = sum(not each["held"] for each in outcomes)
    suite = ElementTree.Element(
        "testsuite", name="cors-lab doctor", tests=str(len(outcomes)), failures=str(failed), time=f"{seconds:.3f}"
    )
    for each in outcomes:
        case = ElementTree.SubElement(suite, "testcase", classname="cors", name=each["name"])
        if not each["held"]:
            ElementTree.SubElement(case, "failure", message=each["why"] or "").text = each["why"]
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True)
