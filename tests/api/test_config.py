import pytest

from api_server import create_app


def allowlist(tmp_path, **config):
    return create_app({"LOG_DB": str(tmp_path / "c.sqlite3"), **config}).config["ALLOWED_ORIGINS"]


def test_default_allowlist_is_the_trusted_page_origin(tmp_path):
    assert allowlist(tmp_path) == ["http://localhost:8000"]


def test_environment_sets_the_allowlist_and_the_dict_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("LAB_TRUSTED_ORIGIN", "http://localhost:9000")
    assert allowlist(tmp_path) == ["http://localhost:9000"]
    monkeypatch.setenv("LAB_ALLOWED_ORIGINS", "http://localhost:9000, http://app.localhost:9000")
    assert allowlist(tmp_path) == ["http://localhost:9000", "http://app.localhost:9000"]
    assert allowlist(tmp_path, ALLOWED_ORIGINS=["http://localhost:7000"]) == ["http://localhost:7000"]


@pytest.mark.parametrize(
    "origin",
    [
        pytest.param("null", id="null"),
        pytest.param("http://localhost:8000/", id="trailing-slash"),
        pytest.param("HTTP://localhost:8000", id="upper-case"),
        pytest.param("localhost:8000", id="no-scheme"),
        pytest.param("http://localhost:8000/path", id="path"),
        pytest.param("http://*.localhost", id="wildcard"),
        pytest.param("http://localhost:8000$", id="regex"),
    ],
)
def test_allowlist_refuses_anything_but_serialized_origins(tmp_path, origin):
    with pytest.raises(ValueError, match="null|serialized origin"):
        allowlist(tmp_path, ALLOWED_ORIGINS=[origin])
