"""The pages' JavaScript as source: lines of at most 140 characters, modules in layers with no
import cycle, small modules, and none of the lab contract's values written into the code (they
come from /config.json)."""

import re

import pytest

from frontend_server import STATIC_DIR
from lab_contract import HEADER_NAME_PATTERN, ORIGIN_DEFAULTS, RUN_ID_PATTERN, SESSION_COOKIE, VISIBLE_COOKIE, hosts
from labctl.page_weight import module_imports

JS = STATIC_DIR / "js"
MODULES = sorted(path.relative_to(STATIC_DIR).as_posix() for path in JS.rglob("*.js"))
MAX_LINE = 140
MAX_LINES = 250
# Data tables may be longer than MAX_LINES (the experiments' are split by section: js/catalogues/experiments/).
DATA_TABLES = {"js/catalogues/security-catalogue.js"}
# A module may import its own layer and those below it.
LAYERS = ["core", "model", "catalogues", "views", "pages"]
# The security catalogue's data import nothing but core; the model nothing outside the model.
DATA_FILES = {"js/catalogues/security-catalogue.js"}
# A classic script on purpose: a module would be fetched with CORS from the sandbox's opaque origin.
CLASSIC_SCRIPTS = {"js/pages/sandbox-attack.js"}


def layer(module):
    return module.split("/")[1]


@pytest.mark.parametrize("module", MODULES)
def test_lines_are_at_most_140_characters(module):
    lines = (STATIC_DIR / module).read_text().splitlines()
    assert [number for number, line in enumerate(lines, 1) if len(line) > MAX_LINE] == []


@pytest.mark.parametrize("module", MODULES)
def test_every_module_lives_in_a_layer(module):
    assert layer(module) in LAYERS


@pytest.mark.parametrize("module", sorted(set(MODULES) - DATA_TABLES))
def test_modules_are_small(module):
    assert len((STATIC_DIR / module).read_text().splitlines()) <= MAX_LINES


@pytest.mark.parametrize("module", MODULES)
def test_modules_import_only_their_layer_and_those_below(module):
    imported = module_imports(module)
    assert [name for name in imported if not (STATIC_DIR / name).is_file()] == [], "imports a missing module"
    allowed = LAYERS[: LAYERS.index(layer(module)) + 1]
    if module in DATA_FILES:
        allowed = ["core"]
    elif layer(module) == "model":
        allowed = ["model"]
    assert [name for name in imported if layer(name) not in allowed] == []


def test_no_import_cycles():
    graph = {module: module_imports(module) for module in MODULES}
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError(" -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        path.append(module)
        for imported in graph[module]:
            visit(imported)
        path.pop()
        done.add(module)

    for module in MODULES:
        visit(module)


@pytest.mark.parametrize("module", sorted(CLASSIC_SCRIPTS))
def test_the_sandbox_script_stays_classic(module):
    assert not re.search(r"^\s*(import|export)\b", (STATIC_DIR / module).read_text(), re.M)


# The lab contract's values, which the JavaScript reads from /config.json and never repeats.
CONTRACT_VALUES = [
    *ORIGIN_DEFAULTS.values(),
    *hosts(ORIGIN_DEFAULTS.values()),
    SESSION_COOKIE,
    VISIBLE_COOKIE,
    RUN_ID_PATTERN.strip("^$"),
    HEADER_NAME_PATTERN.strip("^$"),
    # The /lab parameters as a list: two of them side by side, quoted.
    re.compile(
        r"""['"](acao|acac|acam|acah|aceh|max_age|status|preflight_status)['"],\s*['"](acac|acam|acah|aceh|max_age)"""
    ),
]


@pytest.mark.parametrize("module", MODULES)
def test_no_contract_value_is_written_into_the_code(module):
    source = (STATIC_DIR / module).read_text()
    found = [
        value if isinstance(value, str) else value.pattern for value in CONTRACT_VALUES if _contains(source, value)
    ]
    assert found == []


def _contains(source, value):
    return value.search(source) is not None if isinstance(value, re.Pattern) else value in source
