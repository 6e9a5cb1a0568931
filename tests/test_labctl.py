import pytest

from labctl.servers import LabError, Origins, gunicorn_command, loopback_port


@pytest.mark.parametrize(
    ("origin", "port"),
    [("http://localhost:8000", 8000), ("http://127.0.0.1:8001", 8001), ("http://app.localhost", 80)],
)
def test_loopback_origins_give_their_port(origin, port):
    assert loopback_port(origin) == port


@pytest.mark.parametrize(
    "origin", ["http://example.com:8000", "http://192.168.1.2:8000", "http://10.0.0.1:8001", "https://localhost:8000"]
)
def test_origins_off_loopback_are_refused(origin):
    with pytest.raises(LabError):
        loopback_port(origin)


def test_gunicorn_binds_loopback_only_and_lets_lowercase_methods_through():
    command = gunicorn_command("api_server:create_app()", [8001], workers=2, threads=4)
    binds = [command[i + 1] for i, part in enumerate(command) if part == "--bind"]
    assert binds and all(bind.startswith(("127.0.0.1:", "[::1]:")) for bind in binds)
    assert "--permit-unconventional-http-method" in command


def test_origins_from_environment(monkeypatch):
    monkeypatch.setenv("LAB_API_ORIGIN", "http://localhost:9001")
    assert Origins.from_environment() == Origins(api="http://localhost:9001")
