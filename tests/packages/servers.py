"""Servers of other software that the package tests start and stop: a process on a loopback port,
its output in ``server.log`` beside the files it serves."""

import os
import selectors
import shutil
import signal
import socket
import subprocess
import time

NGINX_BINARY = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")


def start_process(command, folder, env, port, timeout=30):
    """Starts ``command`` and returns it once something listens on ``port``; fails at once, with the
    server's log, if it exits instead. Between two attempts the wait is on the process's exit (a
    pidfd): the kernel wakes the test if the server dies."""
    log = open(folder / "server.log", "ab")  # noqa: SIM115 (the process holds it)
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)
    log.close()
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as exits:
        pidfd = os.pidfd_open(process.pid)
        exits.register(pidfd, selectors.EVENT_READ)
        try:
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    return process
                except OSError:
                    pass
                if exits.select(min(0.1, max(0, deadline - time.monotonic()))):
                    raise AssertionError(f"{command[:3]} ended: {(folder / 'server.log').read_text()[-2000:]}")
        finally:
            exits.unregister(pidfd)
            os.close(pidfd)
    raise AssertionError(f"{command[:3]} did not listen on {port}")


def stop(processes):
    for process in processes:
        process.send_signal(signal.SIGQUIT if process.args[0] == NGINX_BINARY else signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
