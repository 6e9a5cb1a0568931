import pytest

from api_server import create_app
from tests.conftest import TRUSTED


@pytest.fixture
def app(tmp_path):
    return create_app({"LOG_DB": str(tmp_path / "lab.sqlite3"), "ALLOWED_ORIGINS": [TRUSTED]})


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
