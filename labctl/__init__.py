"""Runs the lab: both servers under gunicorn on loopback, and a browser for the tests."""
