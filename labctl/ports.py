"""Loopback ports for the lab's servers: which port an origin needs, whether it is free on
127.0.0.1 and ::1, and a free one for tests. The lab listens on loopback only."""

import functools
import socket
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class LabError(Exception):
    """Something the person running the lab can fix; the message says what."""


def loopback_port(origin):
    """The port of ``origin``, after checking that its host is a loopback name."""
    parts = urlsplit(origin)
    host = parts.hostname or ""
    if parts.scheme != "http" or parts.path not in ("", "/"):
        raise LabError(f"{origin}: the lab's origins are plain http://host:port")
    if host not in LOOPBACK_HOSTS and not host.endswith(".localhost"):
        raise LabError(f"{origin}: the lab listens on loopback only; use localhost or 127.0.0.1")
    return parts.port or 80


@functools.cache
def ipv6_loopback_available():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def bind_addresses(port):
    addresses = [f"127.0.0.1:{port}"]
    if ipv6_loopback_available():
        addresses.append(f"[::1]:{port}")
    return addresses


def check_port_free(port, role):
    families = [(socket.AF_INET, "127.0.0.1")]
    if ipv6_loopback_available():
        families.append((socket.AF_INET6, "::1"))
    for family, host in families:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                raise LabError(
                    f"port {port} ({role}) is already in use on {host}: stop what uses it, "
                    "or choose other origins (see the README)"
                ) from None


def free_port():
    """A port free on 127.0.0.1 and ::1 alike, for tests."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            check_port_free(port, "test")
            return port
        except LabError:
            continue
