"""The doctor against an API that attacks or stalls it (tests/hostile_api.py, raw sockets on
loopback): nothing it sends reaches the terminal raw, nothing stalls the doctor past its timeout
and deadline, every malformed answer is one line and exit status 2, and a stop signal ends it at
once, leaving no Chromium and no file behind."""

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from labctl.doctor import UsageError, describe, diagnose, main, parse, preflight_only
from labctl.probe import FOLDER_PREFIX
from labctl.terminal import CONTROL, printable
from tests.conftest import start_time, wait_for_exit
from tests.e2e.conftest import HTTPS_ORIGIN
from tests.hostile_api import hostile_api
from tests.test_lab_process import descendants

PROJECT_ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def api():
    with hostile_api() as api:
        yield api


@pytest.fixture
def run(doctor_browser, lab, api):
    """The doctor's report on the hostile API's ``path``, in the shared browser (``--preflight-only``
    among the options: the preflight alone)."""

    def run(path, *options):
        argv = [f"{api.url}{path}?origin={lab.trusted_origin}", "--origin", lab.trusted_origin, *options]
        options = parse(argv)
        return (preflight_only if options.preflight_only else diagnose)(options, doctor_browser)

    return run


def test_printable_escapes_what_a_terminal_acts_on():
    assert printable("a\tb\x1b[2J\r\n\x07\x9b31m\x7f") == "a\tb\\e[2J\\r\\n\\x07\\x9b31m\\x7f"
    assert printable("é 中文 ✓") == "é 中文 ✓"
    assert printable("x" * 30, limit=10) == "xxxxxxxxxx… [20 more characters]"


def test_a_body_is_shown_bounded_and_escaped(run):
    result = run("/escape-body")
    assert result["readable"] is True
    body = result["actual"]["body"]
    assert (
        body.startswith("\x1b[2J") and len(body) == 300 and result["actual"]["body_note"] == "the first 300 characters"
    )
    text = describe(result)
    assert not CONTROL.search(text.replace("\n", "")), repr(text)
    assert "body '\\x1b[2J\\x1b[1;1HJavaScript could read the answer.\\x07\\r" in text and "x" * 301 not in text


@pytest.mark.parametrize("options", [[], ["--preflight-only", "--method", "PUT"]], ids=["browser", "preflight-only"])
def test_escape_sequences_in_a_header_reach_the_terminal_escaped(run, options):
    """The API's Access-Control-Allow-Origin clears the screen, moves the cursor, prints a fake
    verdict and sets a scroll region: the report shows the sequences, and acts on none."""
    result = run("/escape", *options)
    assert result.get("kind") == "multiple-allow-origin-values" or result.get("passes") is False
    text = describe(result)
    assert not CONTROL.search(text.replace("\n", "")), repr(text)
    assert "\\e[2J\\e[1;1HJavaScript could read the answer.\\e[5;10r\\x07" in text


@pytest.mark.parametrize(
    ("path", "options", "awaited"),
    [
        pytest.param("/never", [], "the status and headers of the answer from", id="never-answers"),
        pytest.param("/trickle", [], "the status and headers of the answer from", id="a-byte-a-second"),
        pytest.param("/stall-body", [], "the end of the answer's body from", id="stalls-mid-body"),
        pytest.param("/endless", [], "the end of the answer's body from", id="endless-body"),
        pytest.param("/trickle", ["--preflight-only", "--method", "PUT"], "no whole answer to the preflight", id="preflight-only"),
    ],
)  # fmt: skip
def test_a_stalling_api_ends_at_the_timeout_saying_what_was_awaited(run, path, options, awaited):
    with pytest.raises(UsageError) as raised:
        run(path, "--timeout", "1", *options)
    assert awaited in str(raised.value) and "1 s (--timeout)" in str(raised.value)


@pytest.mark.parametrize(
    ("path", "options", "said"),
    [
        pytest.param("/many-headers", ["--preflight-only", "--method", "PUT"], "not valid HTTP (HTTPException: got more than 100 headers)", id="over-100-headers"),
        pytest.param("/long-header", ["--preflight-only", "--method", "PUT"], "not valid HTTP (LineTooLong", id="header-line-over-64-KiB"),
        pytest.param("/not-http", ["--preflight-only", "--method", "PUT"], "not valid HTTP (BadStatusLine", id="not-http-preflight"),
        pytest.param("/not-http", [], "answered, but not with an HTTP answer Chromium could use (net::ERR_INVALID_HTTP_RESPONSE)", id="not-http"),
        pytest.param("/to-file", [], "redirected to 'file:///etc/passwd', not an http(s) URL", id="redirect-to-file"),
    ],
)  # fmt: skip
def test_a_malformed_answer_is_named_not_a_traceback(run, path, options, said):
    with pytest.raises(UsageError) as raised:
        run(path, *options)
    assert said in str(raised.value)
    assert "is the server running" not in str(raised.value)


def test_a_port_chromium_reserves_is_named(doctor_browser, lab):
    """X11's port 6000: Chromium refuses it (net::ERR_UNSAFE_PORT) before connecting."""
    with pytest.raises(UsageError, match="a port it reserves for other protocols"):
        diagnose(parse(["http://127.0.0.1:6000/", "--origin", lab.trusted_origin]), doctor_browser)


def doctor_process(*argv):
    """The doctor as people run it, in a session of its own (a terminal's process group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "labctl", "doctor", *argv],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def leftovers(pid):
    return sorted(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}{pid}-*"))


def test_the_deadline_ends_the_run_with_one_json_object(api, lab):
    doctor = doctor_process(f"{api.url}/never", "--origin", lab.trusted_origin, "--deadline", "2", "--json")
    out, err = doctor.communicate(timeout=30)
    assert doctor.returncode == 2
    report = json.loads(out)
    assert report["exit"] == 2 and report["error"].startswith("no result within 2 s (--deadline): still waiting for ")
    assert err == f"doctor: {report['error']}\n"


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [
        pytest.param(signal.SIGINT, True, id="ctrl-c"),
        pytest.param(signal.SIGINT, False, id="int-to-the-doctor"),
        pytest.param(signal.SIGTERM, False, id="term-to-the-doctor"),
        pytest.param(signal.SIGHUP, True, id="hup-to-the-group"),
    ],
)
def test_a_stop_signal_ends_it_at_once_leaving_nothing(api, signum, to_group):
    """While the doctor waits on an API that never answers, with an https probe page (whose
    certificate is in a folder of its own): one line, 128 + the signal, within two seconds, and no
    Chromium, no folder left."""
    api.arrived.clear()
    doctor = doctor_process(f"{api.url}/never", "--origin", HTTPS_ORIGIN)
    try:
        assert api.arrived.wait(30), "the doctor never sent its request"
        children = {pid: start_time(pid) for pid in descendants(doctor.pid)}
        assert leftovers(doctor.pid), "the probe page's certificate folder"
        (os.killpg if to_group else os.kill)(doctor.pid, signum)
        out, err = doctor.communicate(timeout=2)
    finally:
        doctor.kill()
    assert (doctor.returncode, out, err) == (128 + signum, "", f"doctor: stopped by {signal.Signals(signum).name}\n")
    assert leftovers(doctor.pid) == []
    wait_for_exit(children, 10, "a process the doctor started outlived it")


def test_after_sigkill_no_chromium_survives_and_the_next_run_removes_the_folder(api, monkeypatch, capsys):
    api.arrived.clear()
    doctor = doctor_process(f"{api.url}/never", "--origin", HTTPS_ORIGIN)
    try:
        assert api.arrived.wait(30), "the doctor never sent its request"
        children = {pid: start_time(pid) for pid in descendants(doctor.pid)}
        doctor.kill()
        doctor.wait()
    finally:
        doctor.kill()
    wait_for_exit(children, 10, "Chromium outlived a doctor killed by SIGKILL")
    [left] = leftovers(doctor.pid)
    running = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))  # a running doctor's
    try:
        monkeypatch.setattr("labctl.doctor.diagnose", lambda options: (_ for _ in ()).throw(UsageError("stop here")))
        assert main([f"{api.url}/never"]) == 2
        assert not left.exists() and running.exists()
    finally:
        running.rmdir()
