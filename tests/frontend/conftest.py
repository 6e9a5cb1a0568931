import pytest

from frontend_server import create_app

PAGES_HOST = "localhost:8000"
LAB_KEY = "test-lab-key"


def pages_app(**config):
    """A pages app whose test client sends the trusted origin's Host (the app refuses others)."""
    return create_app({"SERVER_NAME": PAGES_HOST, "LAB_KEY": LAB_KEY, **config})


@pytest.fixture
def client():
    return pages_app().test_client()
