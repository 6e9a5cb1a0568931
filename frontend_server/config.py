"""The page origins' configuration: defaults, then environment variables, then the caller's dict.

The origins are the lab contract's (see lab_contract for the roles and their ``LAB_*``
variables), kept under upper-case keys: ``TRUSTED_ORIGIN``, ``UNTRUSTED_ORIGIN``, ``API_ORIGIN``,
``API_ALIAS_ORIGIN`` and ``ATTACKER_ORIGIN``. ``LAB_KEY`` [``LAB_KEY``] is the secret the
security lab's endpoints require; the pages read it, with the origins, from ``/config.json``.
"""

import os

from lab_contract import LAB_KEY_VARIABLE, ORIGIN_DEFAULTS, origins_from_environment


def configure(app, config=None):
    app.config.update({role.upper(): origin for role, origin in origins_from_environment(os.environ).items()})
    app.config["LAB_KEY"] = os.environ.get(LAB_KEY_VARIABLE)
    if config:
        app.config.update(config)


def lab_origins(config):
    """role -> origin, as the lab contract names them."""
    return {role: config[role.upper()] for role in ORIGIN_DEFAULTS}
