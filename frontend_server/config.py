"""The page origins' configuration: defaults, then environment variables, then the caller's dict.

``LAB_ORIGINS`` [``LAB_TRUSTED_ORIGIN``, ``LAB_API_ORIGIN``, ... see lab_contract]
    Every origin of the lab by role, named as the lab contract names them (the API's
    configuration holds them the same way).
``LAB_KEY`` [``LAB_KEY``]
    The secret the security lab's endpoints require; the pages read it, with the origins, from
    ``/config.json``.
"""

import os

from lab_contract import LAB_KEY_VARIABLE, origins_from_environment


def configure(app, config=None):
    app.config["LAB_ORIGINS"] = origins_from_environment(os.environ)
    app.config["LAB_KEY"] = os.environ.get(LAB_KEY_VARIABLE)
    if config:
        app.config.update(config)


def lab_origins(config):
    """role -> origin, as the lab contract names them."""
    return config["LAB_ORIGINS"]
