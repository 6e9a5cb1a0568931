"""`make run` as processes: it starts, it stops on every signal a terminal or a user sends, it
leaves no process and no listening port behind, and its errors are one line."""

import contextlib
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lab_contract import LAB_KEY_VARIABLE
from labctl.servers import Lab, LabError, Origins, check_port_free, free_port
from tests.conftest import Output, start_time, wait_for_exit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Generous: the lab starts in about 2 s and stops in about 1 s on a 2-core machine.
START_WITHIN_S = 60
STOP_WITHIN_S = 30


def descendants(pid):
    try:
        children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [each for child in children for each in (child, *descendants(child))]


def process_group(pgid):
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    members.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return members


def still_running(processes):
    return {pid for pid, started in processes.items() if start_time(pid) == started}


def ports_of(origins):
    return sorted({urlsplit(origin).port for origin in vars(origins).values()})


def ports_in_use(ports):
    in_use = []
    for port in ports:
        try:
            check_port_free(port, "test")
        except LabError:
            in_use.append(port)
    return in_use


def kill_all(processes):
    """After a failure: leave nothing running for the next test."""
    for pid in still_running(processes):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def leftovers(processes, ports):
    return f"still running: {sorted(still_running(processes))}; ports in use: {ports_in_use(ports)}"


def api_health(origins):
    """The API's /health, asked on 127.0.0.1 with the Host header of the API's origin."""
    port = urlsplit(origins.api_origin).port
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health", headers={"Host": urlsplit(origins.api_origin).netloc}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status
    except OSError:
        return None


def make_environment(origins):
    env = {**os.environ, **origins.environment()}
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # from an outer `make test`
        env.pop(name, None)
    return env


def make_run(*arguments):
    # The interpreter running these tests, and no install step: `make run` as it is, minus pip.
    return ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"VPY={sys.executable}", *arguments]


STOP_CASES = [
    pytest.param(signal.SIGHUP, True, id="hup-to-group"),
    pytest.param(signal.SIGHUP, False, id="hup-to-make"),
    pytest.param(signal.SIGTERM, True, id="term-to-group"),
    pytest.param(signal.SIGTERM, False, id="term-to-make"),
    pytest.param(signal.SIGINT, True, id="int-to-group"),
    pytest.param(signal.SIGINT, False, id="int-to-make"),
    pytest.param(signal.SIGQUIT, True, id="quit-to-group"),
    pytest.param(signal.SIGQUIT, False, id="quit-to-make"),
]


@pytest.mark.parametrize(("signum", "to_group"), STOP_CASES)
def test_make_run_stops_both_servers_on_every_signal(signum, to_group):
    origins = Origins.on_ports(free_port(), free_port())
    ports = ports_of(origins)
    # Its own session, as in a terminal: make leads the process group that Ctrl-C or a hang-up signals.
    make = subprocess.Popen(
        make_run(), cwd=PROJECT_ROOT, env=make_environment(origins), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    output = Output(make.stdout)
    processes = {}
    try:
        started = output.wait_for("The CORS lab is running", START_WITHIN_S)
        assert started, f"make run did not start:\n{output.text}"
        assert make.poll() is None, f"make run exited with {make.returncode}:\n{output.text}"
        assert api_health(origins) == 200
        # Everything make run started, wherever it runs: make's group and all its descendants.
        pids = {make.pid, *process_group(make.pid), *descendants(make.pid)}
        processes = {pid: started for pid in pids if (started := start_time(pid))}
        assert len(processes) >= 5, "make, labctl, two gunicorn masters and their workers"

        if to_group:
            os.killpg(make.pid, signum)
        else:
            os.kill(make.pid, signum)

        wait_for_exit(processes, STOP_WITHIN_S, lambda: f"{leftovers(processes, ports)}\n{output.text}")
        # Every process that held a port has exited: none is left listening.
        assert ports_in_use(ports) == []
        make.wait()
        assert process_group(make.pid) == []
    finally:
        kill_all(processes)
        if make.poll() is None:
            make.kill()
        make.wait()


def test_servers_stop_when_labctl_is_killed(tmp_path):
    """SIGKILL leaves labctl no chance to stop the servers; they stop by themselves (Linux)."""
    origins = Origins.on_ports(free_port(), free_port())
    ports = ports_of(origins)
    script = (
        "import subprocess, sys; from labctl.servers import Lab, Origins; "
        "Lab(Origins(*sys.argv[1:]), output=subprocess.DEVNULL).start(); print('up', flush=True); sys.stdin.read()"
    )
    arguments = [
        origins.trusted_origin,
        origins.untrusted_origin,
        origins.api_origin,
        origins.api_alias_origin,
        origins.attacker_origin,
    ]
    holder = subprocess.Popen(
        [sys.executable, "-c", script, *arguments], cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )  # fmt: skip
    processes = {}
    try:
        assert holder.stdout.readline() == b"up\n"
        processes = {pid: started for pid in descendants(holder.pid) if (started := start_time(pid))}
        assert len(processes) >= 4, "two gunicorn masters and their workers"
        holder.kill()
        holder.wait()
        wait_for_exit(processes, STOP_WITHIN_S, lambda: leftovers(processes, ports))
        assert ports_in_use(ports) == []
    finally:
        kill_all(processes)
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def environment_of(pid):
    entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode(errors="replace").split("=", 1) for entry in entries if b"=" in entry)


def test_every_worker_of_both_servers_gets_the_labs_key(tmp_path):
    origins = Origins.on_ports(free_port(), free_port())
    with open(tmp_path / "servers.log", "w") as output, Lab(origins, output=output) as lab:
        api, pages = lab.processes
        for master in (api, pages):
            workers = descendants(master.pid)
            assert workers
            assert {environment_of(pid)[LAB_KEY_VARIABLE] for pid in (master.pid, *workers)} == {lab.key}


@pytest.mark.parametrize("through_make", [False, True], ids=["labctl", "make"])
def test_an_origin_off_loopback_is_one_line_not_a_traceback(through_make):
    origin = "http://0.0.0.0:9121"
    env = make_environment(Origins())
    if through_make:
        command = make_run(f"API_ORIGIN={origin}")
    else:
        command, env["LAB_API_ORIGIN"] = [sys.executable, "-m", "labctl.run"], origin
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make:")]  # make's own "Error 1"
    assert ours == [f"cors-lab run: {origin}: the lab listens on loopback only; use localhost or 127.0.0.1"]
    if not through_make:
        assert result.returncode == 1
