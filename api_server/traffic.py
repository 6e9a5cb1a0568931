"""Whose traffic a request is: the lab's own pages' (``LAB``) or anyone else's (``OUTSIDE``).

The wire log (log_store.py) and /no-cors's effects (lessons.py) keep the two apart, each part
bounded on its own, so that no website can flush the learner's runs or effects out of them.

A request is the lab's when its ``Origin`` is one of the lab's origins (pages, attackers,
look-alikes, or the API's own: no other page can send one), or when its run id carries the
running lab's run tag (lab_contract.run_tag), which only the lab's pages can read: so the lab's
own requests without an Origin (its JSONP script elements, no-cors GETs, navigations) or with
``Origin: null`` (its sandboxed frames) count as the learner's too. Everything else is outside:
no Origin or ``null`` and an untagged run id (curl, and any website's images, scripts, forms,
frames and no-cors fetches), or another site's Origin. The wire log records nothing of the last
kind (``from_another_site``).
"""

from flask import current_app, request

from lab_contract import api_origins, page_origins, run_tag

LAB = "lab"
OUTSIDE = "outside"
PARTS = (LAB, OUTSIDE)


def lab_origins():
    origins = current_app.config["LAB_ORIGINS"]
    # The API's own origins too: the same-origin baseline (baseline.py) sends from there.
    return page_origins(origins) + api_origins(origins)


def from_another_site():
    """Whether a page outside the lab's origins sent this request: its Origin says so."""
    origin = request.headers.get("Origin")
    return origin is not None and origin != "null" and origin not in lab_origins()


def part():
    """LAB or OUTSIDE: whose traffic this request is."""
    tag = run_tag(current_app.config.get("LAB_KEY"))
    run = request.args.get("run") or ""
    if request.headers.get("Origin") in lab_origins() or (tag and tag in run):
        return LAB
    return OUTSIDE
