import pytest

from api_server import create_app
from tests.conftest import TRUSTED

API_HOST = "localhost:8001"
LAB_KEY = "test-lab-key"


def api_app(**config):
    """An API app whose test client sends the API's own Host (the app refuses any other)."""
    return create_app({"SERVER_NAME": API_HOST, "LAB_KEY": LAB_KEY, **config})


@pytest.fixture
def app(tmp_path):
    return api_app(LOG_DB=str(tmp_path / "lab.sqlite3"), ALLOWED_ORIGINS=[TRUSTED])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def log(client):
    """Reads the wire log of one run through the API's own /log."""

    def read(run):
        response = client.get(f"/log?run={run}")
        assert response.status_code == 200
        return response.get_json()["entries"]

    return read


@pytest.fixture
def login(client):
    """Logs the test client in from the trusted page, as the lab's pages do; returns the answer."""

    def log_in(query=""):
        response = client.post(f"/credentials/login{query}", headers={"Origin": TRUSTED})
        assert response.status_code == 200
        return response

    return log_in
