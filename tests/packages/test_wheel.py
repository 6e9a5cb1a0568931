"""The tool as people install it (``make test-packages``): the wheel built from this checkout,
installed with pip into a fresh virtual environment outside the checkout, its ``cors-lab``
command run from another folder. ``cors-lab run`` serves pages whose scripts and styles load
(opened in Chromium) and keeps its state in the per-user folder; ``cors-lab doctor`` checks an
API of that lab in Chromium, and its exit status says blocked or readable."""

import json
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from labctl.servers import Origins, free_port, wait_until_up
from tests.pages import open_ready

PROJECT_ROOT = Path(__file__).parents[2]


def no_stale_build():
    """setuptools builds in the checkout's build/ (ignored by git): a file deleted since an earlier
    build would still be there, and so in the package."""
    shutil.rmtree(PROJECT_ROOT / "build", ignore_errors=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtual environment with the wheel of this checkout installed: its bin folder."""
    folder = tmp_path_factory.mktemp("installed")
    wheels = folder / "wheels"
    no_stale_build()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(PROJECT_ROOT)],
        check=True,
        cwd=folder,
    )
    [wheel] = wheels.glob("cors_lab-*.whl")
    venv.create(folder / "venv", with_pip=True)
    bin_folder = folder / "venv" / "bin"
    subprocess.run([bin_folder / "python", "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=folder)
    return bin_folder


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """A folder outside the checkout to run the command in, and an environment whose per-user
    state folder (XDG_STATE_HOME) is inside it."""
    folder = tmp_path_factory.mktemp("elsewhere")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LAB_", "PYTHON"))}
    return folder, env | {"XDG_STATE_HOME": str(folder / "state")}


def test_the_wheel_carries_the_command_and_nothing_comes_from_the_checkout(installed, elsewhere):
    folder, env = elsewhere
    done = subprocess.run([installed / "cors-lab", "--version"], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("cors-lab ")
    where = subprocess.run(
        [installed / "python", "-c", "import frontend_server, labctl; print(frontend_server.STATIC_DIR)"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.parent) and (Path(where) / "js" / "model" / "cors-model.js").is_file()


@pytest.fixture(scope="module")
def installed_lab(installed, elsewhere):
    """``cors-lab run`` from the installed package, on free ports; stopped by SIGINT at the end."""
    folder, env = elsewhere
    origins = Origins.on_ports(free_port(), free_port())
    process = subprocess.Popen(
        [installed / "cors-lab", "run"],
        cwd=folder,
        env=env | origins.environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(f"{origins.api_origin}/health", process, 60)
        wait_until_up(f"{origins.trusted_origin}/config.json", process, 60)
        yield origins
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    assert (folder / "state" / "cors-lab" / "wire-log.sqlite3").is_file()
    assert not list(installed.parent.rglob("*.sqlite3")), "state inside the installed package"


def test_cors_lab_run_serves_pages_whose_scripts_and_styles_load(installed_lab, page):
    loaded, failed = [], []
    page.on("response", lambda response: loaded.append((response.url, response.status)))
    page.on("requestfailed", lambda request: failed.append(request.url))
    for path in ("/", "/experiments", "/playground"):
        open_ready(page, f"{installed_lab.trusted_origin}{path}")
    assets = [(url, status) for url, status in loaded if "/static/" in url]
    assert any(url.endswith(".js") for url, _ in assets) and any(url.endswith(".css") for url, _ in assets)
    assert [(url, status) for url, status in loaded if status >= 400] == [] and failed == []


def test_pipx_install_gives_the_command(tmp_path, elsewhere, installed_lab):
    """`pipx install .` in the checkout: the command on pipx's PATH, and its doctor runs."""
    folder, env = elsewhere
    no_stale_build()
    env = env | {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(PROJECT_ROOT)], env=env, check=True, capture_output=True
    )
    url = f"{installed_lab.api_origin}/lab?acao=none"
    done = subprocess.run(
        [tmp_path / "bin" / "cors-lab", "doctor", url, "--origin", installed_lab.trusted_origin],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "Blocked: JavaScript gets no answer." in done.stdout


@pytest.mark.parametrize(("query", "status"), [("acao=none", 1), ("acao=echo", 0)], ids=["blocked", "readable"])
def test_cors_lab_doctor_checks_an_api_in_chromium(installed, elsewhere, installed_lab, query, status):
    folder, env = elsewhere
    command = [
        installed / "cors-lab",
        "doctor",
        f"{installed_lab.api_origin}/lab?{query}",
        "--origin",
        installed_lab.trusted_origin,
    ]
    done = subprocess.run([*command, "--json"], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == status, done.stderr
    report = json.loads(done.stdout)
    assert report["readable"] is (status == 0) and report["actual"]["sent"] is True
    assert report.get("kind") == (None if status == 0 else "missing-allow-origin")
