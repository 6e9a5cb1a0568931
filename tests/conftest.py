import pytest

TRUSTED = "http://localhost:8000"
UNTRUSTED = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def no_lab_environment(monkeypatch):
    """Tests start from the defaults: `make` exports LAB_* variables that would leak in."""
    import os

    for name in list(os.environ):
        if name.startswith("LAB_"):
            monkeypatch.delenv(name)
