"""``python -m labctl.doctor URL``: is your API's CORS right? Asked of a real Chromium.

A probe page lives on exactly the origin you name (``--origin``, default the lab's trusted page
origin): Chromium maps that host and port to a tiny server of the doctor's own
(``--host-resolver-rules``; never a route, which would answer preflights itself). From there it
sends your request, as XMLHttpRequest or fetch, and watches both exchanges as the browser saw
them through the DevTools protocol: the preflight and the actual request, sent or not, their
status and headers, Chromium's own CORS verdict and console message, and whether JavaScript
could read the answer. It prints what happened, why, and the fix.

``--preflight-only`` sends no browser request at all: only the OPTIONS a browser would send first
(Origin, Access-Control-Request-Method, Access-Control-Request-Headers as Chromium writes them), from
Python, and says what the browser would conclude of the answer.

Exit status: 0 readable (with --preflight-only: the preflight passes, or none is needed), 1 blocked
by the browser, 2 bad usage or an unreachable URL.
``make doctor`` passes URL, ORIGIN, METHOD, HEADERS (one per line), COOKIES (one per line),
CREDENTIALS, BODY and TRANSPORT through the environment, so ``&``, ``;`` and quotes survive.
"""

import argparse
import ipaddress
import json
import os
import sys
from contextlib import contextmanager
from urllib.parse import urlsplit

from lab_contract import ORIGIN_DEFAULTS

from .cors_errors import explain
from .preflight import preflight_report
from .probe import PROBE_SCRIPT, observe, serve_probe_page

SAFELISTED_METHODS = ("GET", "HEAD", "POST")


class UsageError(Exception):
    """Bad usage or an unreachable URL: one line, exit status 2."""


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m labctl.doctor", description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the URL of your API to request, e.g. http://localhost:5000/items")
    parser.add_argument("--origin", default=ORIGIN_DEFAULTS["trusted_origin"], help="the page's origin")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', set by the page's script")
    parser.add_argument("--cookie", action="append", default=[], help="'name=value', in the browser's jar for URL")
    parser.add_argument("--credentials", action="store_true", help="withCredentials / credentials: 'include'")
    parser.add_argument("--body")
    parser.add_argument("--transport", choices=("xhr", "fetch"), default="fetch")
    parser.add_argument(
        "--preflight-only",
        action="store_true",
        help="send only the preflight (OPTIONS) a browser would send, from Python",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    options = parser.parse_args(argv)
    check(options)
    return options


def from_environment(environ):
    """The arguments that ``make doctor``'s variables stand for."""
    if not environ.get("URL"):
        raise UsageError("give the URL to check: make doctor URL=http://localhost:5000/items [ORIGIN=... METHOD=...]")
    argv = [environ["URL"]]
    for variable, option in (
        ("ORIGIN", "--origin"),
        ("METHOD", "--method"),
        ("BODY", "--body"),
        ("TRANSPORT", "--transport"),
    ):
        if environ.get(variable):
            argv += [option, environ[variable]]
    for variable, option in (("HEADERS", "--header"), ("COOKIES", "--cookie")):
        for line in environ.get(variable, "").splitlines():
            if line.strip():
                argv += [option, line.strip()]
    if environ.get("CREDENTIALS", "").lower() in ("1", "true", "yes"):
        argv.append("--credentials")
    for variable, option in (("JSON", "--json"), ("PREFLIGHT_ONLY", "--preflight-only")):
        if environ.get(variable, "").lower() in ("1", "true", "yes"):
            argv.append(option)
    return argv


def check(options):
    url, origin = urlsplit(options.url), urlsplit(options.origin)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise UsageError(f"{options.url}: give an http:// or https:// URL")
    if origin.scheme != "http" or not origin.hostname or origin.path not in ("", "/"):
        raise UsageError(
            f"{options.origin}: the probe page's origin must be http://host[:port] (https is not supported yet)"
        )
    options.origin = f"http://{origin.netloc.lower()}"
    for header in options.header:
        if ":" not in header:
            raise UsageError(f"--header {header!r}: write it as 'Name: value'")
    for cookie in options.cookie:
        if "=" not in cookie:
            raise UsageError(f"--cookie {cookie!r}: write it as 'name=value'")


def headers_of(options):
    return dict((name.strip(), value.strip()) for name, value in (header.split(":", 1) for header in options.header))


@contextmanager
def probe_browser(origin, playwright=None):
    """A Chromium whose ``origin`` is a blank page of the doctor's own: yields the browser.
    ``playwright``: a running Playwright to launch it from (one thread can run only one)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started, probe_browser(origin, started) as browser:
            yield browser
        return
    from .browser import executable_for_tests

    with serve_probe_page() as port:
        executable = executable_for_tests(playwright.chromium)
        netloc = urlsplit(origin).netloc
        rule = f"MAP {netloc if ':' in netloc else netloc + ':80'} 127.0.0.1:{port}"
        launch = {"executable_path": executable} if executable else {}
        browser = playwright.chromium.launch(**launch, args=[f"--host-resolver-rules={rule}"])
        try:
            yield browser
        finally:
            browser.close()


def diagnose(options, browser=None):
    """The report of one request, as a dict (see README: make doctor). ``browser``: one that
    ``probe_browser(options.origin)`` gave, to reuse; by default the doctor starts its own."""
    if browser is None:
        with probe_browser(options.origin) as browser:
            return diagnose(options, browser)
    headers = headers_of(options)
    context = browser.new_context()
    try:
        if options.cookie:
            cookies = [cookie.split("=", 1) for cookie in options.cookie]
            context.add_cookies([{"name": name, "value": value, "url": options.url} for name, value in cookies])
        page = context.new_page()
        page.goto(f"{options.origin}/")
        request = {
            "url": options.url,
            "method": options.method,
            "headers": headers,
            "body": options.body,
            "credentials": options.credentials,
            "transport": options.transport,
        }
        seen = observe(page, options.url, lambda: page.evaluate(PROBE_SCRIPT, request))
    finally:
        context.close()
    return report(options, headers, seen)


def preflight_only(options):
    """The report of the preflight alone (see ``probe.preflight_report``)."""
    try:
        return preflight_report(options.origin, options.url, options.method, headers_of(options), options.credentials)
    except OSError as error:
        raise UsageError(f"{options.url} did not answer ({error}): is the server running?") from None


def is_public(url):
    """Whether ``url``'s host is neither loopback (localhost, *.localhost, 127/8, ::1) nor private."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True  # a name: public unless it resolves otherwise, which the browser decides
    return not (address.is_loopback or address.is_private or address.is_link_local)


def report(options, headers, seen):
    if seen["unreachable"]:
        raise UsageError(f"{options.url} did not answer ({seen['unreachable']}): is the server running?")
    result = {
        "origin": options.origin,
        "url": options.url,
        "method": options.method,
        "preflight": seen["preflight"],
        "actual": seen["actual"],
        "readable": seen["readable"],
        "console": seen["console"],
        "reasons": [],
        "fix": None,
    }
    if any(name.lower() == "authorization" for name in headers):
        result["reasons"].append(
            "Authorization is set by the page's script here: an ordinary request header (preflighted, needs "
            "Access-Control-Allow-Headers), not a credential the browser holds"
        )
    if is_public(options.origin) and not is_public(options.url):
        result["reasons"].append(
            "a page on a public origin calling a loopback or private address: Chrome will also ask the user for "
            "Local Network Access permission, which this mapped local probe page cannot show"
        )
    if seen["cors_error"]:
        kind, on_preflight, why, fix = explain(*seen["cors_error"], options.origin, options.method)
        result |= {"kind": kind, "blocked_on": "preflight" if on_preflight else "actual"}
        result["reasons"].append(why)
        result["fix"] = fix
    return result


def describe(result):
    lines = [f"{result['method']} {result['url']} from a page on {result['origin']}"]
    if "passes" in result:
        sent = result["preflight"]["request_headers"]
        lines += [f"  sent      OPTIONS  {sent}"] if result["preflight"]["sent"] else ["  preflight not needed"]
        if result["preflight"]["sent"]:
            shown = {
                k: v
                for k, v in result["preflight"]["headers"].items()
                if k.lower().startswith(("access-control-", "location"))
            }
            lines.append(f"  preflight {result['preflight']['status']}  {shown or 'no Access-Control-* headers'}")
        lines.append(
            "  The browser would pass it." if result["passes"] else "  The browser would block the request here."
        )
        lines += [f"  why: {reason}" for reason in result["reasons"]]
        return "\n".join(lines + ([f"  fix: {result['fix']}"] if result["fix"] else []))
    for name in ("preflight", "actual"):
        exchange = result[name]
        if exchange["sent"]:
            cors = {k: v for k, v in exchange["headers"].items() if k.lower().startswith("access-control-")}
            lines.append(f"  {name:<9} {exchange['status']}  {cors or 'no Access-Control-* headers'}")
        else:
            lines.append(f"  {name:<9} not sent")
    lines.append(
        "  JavaScript could read the answer." if result["readable"] else "  Blocked: JavaScript gets no answer."
    )
    lines += [f"  console: {line}" for line in result["console"]]
    lines += [f"  why: {reason}" for reason in result["reasons"]]
    if result["fix"]:
        lines.append(f"  fix: {result['fix']}")
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse(from_environment(os.environ) if argv == ["--from-environment"] else argv)
        if options.preflight_only:
            result = preflight_only(options)
            print(json.dumps(result, indent=2) if options.json else describe(result))
            return 0 if result["passes"] else 1
        if options.method.upper() not in SAFELISTED_METHODS:
            print(f"Sending a real {options.method} to {options.url}: it may change data there.", file=sys.stderr)
        result = diagnose(options)
    except UsageError as error:
        print(f"doctor: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if options.json else describe(result))
    return 0 if result["readable"] else 1


if __name__ == "__main__":
    sys.exit(main())
