"""``python -m labctl.doctor URL``: is your API's CORS right? Asked of a real Chromium.

A probe page lives on exactly the origin you name (``--origin``, default the lab's trusted page
origin): Chromium maps that host and port to a tiny server of the doctor's own
(``--host-resolver-rules``; never a route, which would answer preflights itself). From there it
sends your request, as XMLHttpRequest or fetch, and watches both exchanges as the browser saw
them through the DevTools protocol: the preflight and the actual request, sent or not, their
status and headers (every hop of a redirect), Chromium's own CORS verdict and console message, and
whether JavaScript could read the answer. It prints what happened; why, and the fix, are the lab's
model (static/js/model/explain-observed.js over cors-model.js) applied to the headers and statuses
Chromium really received, evaluated in a probe page; where the model and Chromium disagree, the
report says so.

``--preflight-only`` sends no browser request at all: only the OPTIONS a browser would send first
(which one, the model says: Origin, Access-Control-Request-Method, Access-Control-Request-Headers
as Chromium writes them), from Python; the model says what the browser would conclude of the
answer and the console line Chromium would print (labelled as predicted). The browser only runs
the model, on the probe page.

Exit status: 0 readable (with --preflight-only: the preflight passes, or none is needed), 1 blocked
by the browser, 3 readable but with a finding (labctl/findings.py), 2 bad usage or no usable answer (nothing answered, an answer that is not HTTP, the
time ran out); 128 + the signal's number when stopped by SIGINT, SIGTERM or SIGHUP. With --json,
stdout is one JSON object whatever the outcome (``{"error": ..., "exit": 2}`` when there is no
report); warnings and errors go to stderr, one line each. Nothing the API sends reaches the
terminal raw (labctl/terminal.py). ``--timeout`` bounds each wait, ``--deadline`` the whole run.
``make doctor`` passes URL, ORIGIN, METHOD, HEADERS (one per line), COOKIES (one per line),
CREDENTIALS, BODY and TRANSPORT through the environment, so ``&``, ``;`` and quotes survive;
scripts call ``cors-lab doctor``, as make turns every failure into its own exit status 2.
"""

import argparse
import ipaddress
import json
import os
import re
import shutil
import signal
import sys
import time
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from lab_contract import ORIGIN_DEFAULTS

from . import checkfile
from .cors_errors import explain
from .findings import exit_status, findings
from .preflight import PreflightError, preflight_headers, send_preflight
from .probe import (
    FOLDERS,
    NOT_SENT,
    PROBE_SCRIPT,
    PROGRESS,
    CertificateError,
    apply_model,
    observe,
    remove_leftovers,
    serve_probe_page,
)
from .terminal import printable

SAFELISTED_METHODS = ("GET", "HEAD", "POST")
# static/js/model/framework-fix.js's FRAMEWORKS, and auto.
FRAMEWORKS = ("auto", "flask-cors", "fastapi", "express", "django", "nginx", "raw")


class UsageError(Exception):
    """Bad usage or no usable answer: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")


# RFC 9110's token: a method or a header name; a header value may hold no CR, LF or NUL; a
# cookie's value: RFC 6265's cookie-octets, optionally in double quotes.
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
BAD_VALUE = re.compile(r"[\r\n\x00]")
COOKIE_VALUE = re.compile(r'(?:"?)[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*(?:"?)\Z')
DEFAULT_TIMEOUT, DEFAULT_DEADLINE = 10.0, 30.0
# What a script can rely on (docs/doctor.md); a stop signal gives 128 + its number.
EXIT_STATUSES = (
    "0 readable, 1 blocked by the browser, 3 readable but with a finding (a redirect changed the method, "
    "a cookie was not sent), 2 bad usage or no usable answer"
)


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0, at most 3600")
    return value


def parse(argv, prog="python -m labctl.doctor"):
    parser = Parser(
        prog=prog,
        description="Is your API's CORS right? Asked of a real Chromium, from a probe page on --origin.",
        epilog=f"Exit status: {EXIT_STATUSES}.",
    )
    parser.add_argument("url", nargs="?", help="the URL of your API to request, e.g. http://localhost:5000/items")
    parser.add_argument(
        "--checks", metavar="FILE", help="check every [[check]] of a TOML file instead, in one Chromium (for CI)"
    )
    parser.add_argument("--junit", metavar="FILE", help="with --checks: also write a JUnit XML report there")
    parser.add_argument(
        "--origin",
        default=ORIGIN_DEFAULTS["trusted_origin"],
        help="the origin of the page that calls your API (default %(default)s)",
    )
    parser.add_argument("--method", default="GET", help="default %(default)s")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', set by the page's script")
    parser.add_argument(
        "--cookie",
        action="append",
        default=[],
        help="'name=value[; SameSite=None; Secure; Domain=...; Path=...]', in the browser's jar for URL (no SameSite: Lax)",
    )
    parser.add_argument("--credentials", action="store_true", help="withCredentials / credentials: 'include'")
    parser.add_argument("--body", help="the request's body, as the page's script sends it")
    parser.add_argument("--transport", choices=("xhr", "fetch"), default="fetch", help="default %(default)s")
    parser.add_argument(
        "--framework",
        choices=FRAMEWORKS,
        default="auto",
        help="write the fix for this server (default %(default)s: the one the answers show, else raw headers)",
    )
    parser.add_argument(
        "--preflight-only",
        action="store_true",
        help="send only the preflight (OPTIONS) a browser would send, from Python",
    )
    parser.add_argument("--json", action="store_true", help="print the report (or the error) as one JSON object")
    parser.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT, help=f"seconds for each wait (default {DEFAULT_TIMEOUT:g})"
    )
    parser.add_argument(
        "--deadline",
        type=seconds,
        help=f"seconds for the whole diagnosis (default {DEFAULT_DEADLINE:g}, and as much again for each check)",
    )
    options = parser.parse_args(argv)
    if options.checks is not None:
        if options.url is not None:
            raise UsageError("give a URL or --checks FILE, not both")
        return options
    if options.junit is not None:
        raise UsageError("--junit goes with --checks FILE")
    if options.url is None:
        raise UsageError(
            f"give the URL to check, e.g. {prog} http://localhost:5000/items --origin http://localhost:3000"
        )
    options.deadline = options.deadline or DEFAULT_DEADLINE
    check(options)
    return options


def arguments(url, values=(), lists=(), flags=()):
    """The doctor's command line for ``url``: each (option, value) of ``values`` that is set, each
    value of each (option, values) of ``lists``, each option of ``flags``. make doctor's variables
    and a checks file's tables both say what they want this way."""
    argv = [url]
    for option, value in values:
        argv += [option, value] if value else []
    for option, each in lists:
        argv += [part for value in each for part in (option, value)]
    return argv + list(flags)


def from_environment(environ):
    """The arguments that ``make doctor``'s variables stand for."""
    if not environ.get("URL"):
        raise UsageError("give the URL to check: make doctor URL=http://localhost:5000/items [ORIGIN=... METHOD=...]")
    truthy = lambda variable: environ.get(variable, "").lower() in ("1", "true", "yes")  # noqa: E731
    lines = lambda variable: [line.strip() for line in environ.get(variable, "").splitlines() if line.strip()]  # noqa: E731
    return arguments(
        environ["URL"],
        [(option, environ.get(variable)) for variable, option in MAKE_VALUES],
        [("--header", lines("HEADERS")), ("--cookie", lines("COOKIES"))],
        [option for variable, option in MAKE_FLAGS if truthy(variable)],
    )


def split_url(text, what):
    """(scheme, host, port) of an http(s) URL, its port made explicit; UsageError if it is not one."""
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise UsageError(f"{what} {text!r}: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} {text!r}: give an http:// or https:// URL")
    if port == 0:
        raise UsageError(f"{what} {text!r}: port 0 is not a port a browser connects to")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check(options):
    url = split_url(options.url, "URL")
    origin = split_url(options.origin, "--origin")
    if urlsplit(options.origin).path not in ("", "/") or urlsplit(options.origin).query:
        raise UsageError(f"{options.origin}: the probe page's origin must be http://host[:port] or https://host[:port]")
    default = ":443" if origin[0] == "https" else ":80"  # the browser's origin leaves the default port out
    options.origin = f"{origin[0]}://{urlsplit(options.origin).netloc.lower().removesuffix(default)}"
    if url == origin:
        raise UsageError(
            f"{options.url} is on the page's own origin {options.origin}: the doctor checks cross-origin requests "
            "(give the origin of the page that calls the API with --origin)"
        )
    if not TOKEN.match(options.method):
        raise UsageError(f"--method {options.method!r}: not an HTTP method name")
    for header in options.header:
        name, colon, value = header.partition(":")
        if not colon:
            raise UsageError(f"--header {header!r}: write it as 'Name: value'")
        if not TOKEN.match(name.strip()) or BAD_VALUE.search(value):
            raise UsageError(f"--header {header!r}: not a valid header name and value")
    for cookie in options.cookie:
        browser_cookie(cookie, options.url)
    if options.body is not None and options.method.upper() in ("GET", "HEAD") and options.transport == "fetch":
        raise UsageError(
            f"--body with {options.method.upper()}: fetch() refuses to send a body with GET or HEAD, "
            "so no browser would send this request"
        )


# make doctor's variables and the options they stand for.
MAKE_VALUES = (
    ("ORIGIN", "--origin"),
    ("METHOD", "--method"),
    ("BODY", "--body"),
    ("TRANSPORT", "--transport"),
    ("FRAMEWORK", "--framework"),
)
MAKE_FLAGS = (("CREDENTIALS", "--credentials"), ("JSON", "--json"), ("PREFLIGHT_ONLY", "--preflight-only"))
SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None"}


def browser_cookie(text, url):
    """``--cookie 'name=value[; SameSite=None; Secure; HttpOnly; Domain=example.com; Path=/]'``, as
    the Set-Cookie line that put it in the jar would (attributes as Set-Cookie writes them), for
    Playwright's add_cookies. Without SameSite a browser treats the cookie as Lax."""
    first, *attributes = [part.strip() for part in text.split(";")]
    name, equals, value = first.partition("=")
    if not equals:
        raise UsageError(f"--cookie {text!r}: write it as 'name=value', then any Set-Cookie attributes after ';'")
    if not TOKEN.match(name) or not COOKIE_VALUE.match(value):
        raise UsageError(f"--cookie {text!r}: not a valid cookie name and value (no spaces, quotes, ; or ,)")
    cookie = {"name": name, "value": value}
    for attribute in filter(None, attributes):
        key, _, given = (part.strip() for part in attribute.partition("="))
        key = key.lower()
        if key == "samesite" and given.lower() in SAME_SITE:
            cookie["sameSite"] = SAME_SITE[given.lower()]
        elif key in ("secure", "httponly") and not given:
            cookie["secure" if key == "secure" else "httpOnly"] = True
        elif key in ("domain", "path") and given and not BAD_VALUE.search(given) and " " not in given:
            cookie[key] = given
        else:
            raise UsageError(
                f"--cookie {text!r}: {attribute!r} is not a SameSite, Secure, HttpOnly, Domain or Path attribute"
            )
    if cookie.get("sameSite") == "None" and not cookie.get("secure"):
        raise UsageError(f"--cookie {text!r}: SameSite=None needs Secure, as browsers require")
    if "domain" in cookie or "path" in cookie:  # Playwright takes a domain and a path, or a URL
        cookie.setdefault("domain", urlsplit(url).hostname)
        cookie.setdefault("path", "/")
    else:
        cookie["url"] = url
    return cookie


def headers_of(options):
    return dict((name.strip(), value.strip()) for name, value in (header.split(":", 1) for header in options.header))


@contextmanager
def probe_browser(origin, playwright=None, more=(), timeout=DEFAULT_TIMEOUT):
    """A Chromium whose ``origin`` (and each of ``more``) is a blank page of the doctor's own:
    yields the browser. An https origin gets a self-signed certificate, which this browser
    accepts. ``playwright``: a running Playwright to launch it from (one thread can run only one)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started, probe_browser(origin, started, more, timeout) as browser:
            yield browser
        return
    from .browser import BrowserMissing, launch_options

    origins = [urlsplit(each) for each in (origin, *more)]
    # One probe server per scheme and address space: a page on a public origin is served from
    # loopback too, but Chromium is told its address is public (--ip-address-space-overrides), so
    # that it applies Local Network Access to its requests as it would to the real site's.
    kind = lambda parts: (parts.scheme == "https", is_public(parts.geturl()))  # noqa: E731
    with ExitStack() as stack:
        rules, probe_keys, public = [], [], []
        for https, public_page in sorted({kind(parts) for parts in origins}):
            hosts = [parts for parts in origins if kind(parts) == (https, public_page)]
            try:
                port, spki = stack.enter_context(serve_probe_page(https, hosts[0].hostname))
            except CertificateError as error:
                raise UsageError(str(error)) from None
            default = 443 if https else 80
            rules += [f"MAP {parts.hostname}:{parts.port or default} 127.0.0.1:{port}" for parts in hosts]
            probe_keys += [spki] if spki else []
            public += [f"127.0.0.1:{port}=public"] if public_page else []
        # The headless shell where there is one: half the CPU, and like a desktop Chrome with its
        # default settings it sends third-party cookies (a full Chromium's fresh context does not).
        try:
            launch = launch_options(playwright.chromium, shell=True)
        except BrowserMissing as missing:
            raise UsageError(str(missing)) from None
        args = [f"--host-resolver-rules={','.join(rules)}"]
        if probe_keys:  # the probe page's certificate alone: the user's API is checked as ever
            args.append(f"--ignore-certificate-errors-spki-list={','.join(probe_keys)}")
        if public:
            args.append(f"--ip-address-space-overrides={','.join(public)}")
        browser = playwright.chromium.launch(**launch, args=args, timeout=timeout * 1000)
        try:
            yield browser
        finally:
            browser.close()


# Chromium's network errors that mean nothing answered at that address.
NOT_ANSWERED = (
    "net::ERR_CONNECTION_REFUSED",
    "net::ERR_NAME_NOT_RESOLVED",
    "net::ERR_ADDRESS_UNREACHABLE",
    "net::ERR_CONNECTION_TIMED_OUT",
    "net::ERR_TIMED_OUT",
    "net::ERR_NAME_RESOLUTION_FAILED",
)


def not_usable(options, seen):
    """Why Chromium got no usable answer, in one line (None: it got one)."""
    if seen["thrown"]:
        return f"the browser refused to send the request at all: {seen['thrown']}"
    if seen["timed_out"]:
        return f"{seen['timed_out']} did not come within {options.timeout:g} s (--timeout)"
    if seen["refused"]:
        return f"Chromium refused to send the request from {options.origin} at all ({seen['refused']})"
    error = seen["unreachable"]
    if not error:
        return None
    redirected = [hop for hop in seen["hops"] if hop["actual"]["status"] in (301, 302, 303, 307, 308)]
    location = next(
        (value for hop in redirected for name, value in hop["actual"]["headers"].items() if name.lower() == "location"),
        None,
    )
    if location is not None and urlsplit(location).scheme not in ("", "http", "https"):
        return f"{options.url} redirected to {location!r}, not an http(s) URL: the browser refuses to follow ({error})"
    if error == "net::ERR_UNSAFE_PORT":
        return f"Chromium refuses to connect to the port of {options.url}, a port it reserves for other protocols ({error})"
    if error in NOT_ANSWERED:
        return f"{options.url} did not answer ({error}): is the server running?"
    return f"{options.url} answered, but not with an HTTP answer Chromium could use ({error})"


def diagnose(options, browser=None):
    """The report of one request, as a dict (see README: make doctor). ``browser``: one that
    ``probe_browser(options.origin)`` gave, to reuse; by default the doctor starts its own."""
    if browser is None:
        with probe_browser(options.origin, timeout=options.timeout) as browser:
            return diagnose(options, browser)
    headers = headers_of(options)
    context = browser.new_context()
    context.set_default_timeout(options.timeout * 1000)
    try:
        if options.cookie:
            context.add_cookies([browser_cookie(cookie, options.url) for cookie in options.cookie])
        page = context.new_page()
        PROGRESS.waiting_for(f"the probe page on {options.origin}")
        page.goto(f"{options.origin}/")
        request = {
            "url": options.url,
            "method": options.method,
            "headers": headers,
            "body": options.body,
            "credentials": options.credentials,
            "transport": options.transport,
            "timeout": round(options.timeout * 1000),
        }
        seen = observe(
            page, options.url, lambda: page.evaluate(PROBE_SCRIPT, request), settle_seconds=min(5, options.timeout)
        )
        failure = not_usable(options, seen)
        if failure:
            raise UsageError(failure)
    finally:
        context.close()
    PROGRESS.waiting_for("the lab's model, in the probe page")
    return report(
        options, headers, seen, apply_model(browser, options.origin, observed(options, headers, seen["hops"]))
    )


def observed(options, headers, hops, preflight_only=False):
    """What the model is asked about (static/js/model/explain-observed.js)."""
    return {
        "pageOrigin": options.origin,
        "method": options.method,
        "headers": headers,
        "credentials": options.credentials,
        "transport": options.transport,
        "preflightOnly": preflight_only,
        "framework": options.framework,
        "hops": hops,
    }


def planned_preflight(options, browser):
    """The headers of the preflight a browser sends for this request, as the lab's model says
    (None: a simple request, no preflight)."""
    unsent = {"url": options.url, "preflight": NOT_SENT, "actual": NOT_SENT}
    planned = apply_model(
        browser, options.origin, observed(options, headers_of(options), [unsent], preflight_only=True)
    )
    return preflight_headers(options.origin, planned["preflightRequest"])


def preflight_only(options, browser=None):
    """The preflight alone: the OPTIONS a browser would send, sent from Python (never following a
    redirect); what the lab's model concludes of its answer, and the console line it predicts. The
    browser only runs the model, on the probe page: it sends nothing to ``options.url``."""
    if browser is None:
        with probe_browser(options.origin, timeout=options.timeout) as browser:
            return preflight_only(options, browser)
    headers = headers_of(options)
    request = planned_preflight(options, browser)
    preflight = {**NOT_SENT, "request_headers": request or {}}
    if request is not None:
        PROGRESS.waiting_for(f"the answer to the preflight (OPTIONS {options.url})")
        try:
            status, answer, body = send_preflight(options.url, request, options.timeout)
        except PreflightError as error:
            raise UsageError(f"{options.url}: {error}") from None
        preflight |= {"sent": True, "status": status, "headers": answer, "body": body}
    hop = {"url": options.url, "preflight": preflight, "actual": NOT_SENT}
    model = apply_model(browser, options.origin, observed(options, headers, [hop], preflight_only=True))
    result = {
        "origin": options.origin,
        "url": options.url,
        "method": options.method,
        "preflight": preflight,
        "actual": dict(NOT_SENT),
        "passes": model["allowed"],
        "console": [],
        "predicted_console": model["console"],
        "reasons": model["reasons"],
        "fix": fix_text(model.get("plan")),
        "plan": model.get("plan"),
        "model": model,
        "disagreements": [],
    }
    if not model["allowed"]:
        result |= {"kind": model["kind"], "blocked_on": "preflight"}
    for value in model["literal"]:
        result["disagreements"].append(LITERAL.format(value=value))
    return with_bodies(result)


# Said of an Allow-Origin value that the lab's model cannot take literally (explain-observed.js: literal).
LITERAL = "Access-Control-Allow-Origin {value!r}: the lab's model reads this word as /lab's, not literally"


def header_list(headers):
    return ", ".join(f"`{name}: {value}`" for name, value in headers)


def plan_lines(plan):
    """The whole fix (static/js/model/fix-plan.js), a line for each answer it goes on."""
    if not plan:
        return []
    lines = []
    redirect = plan["redirect"]
    if redirect:
        lines.append(
            f"call {redirect['to']}: {redirect['from']} answers the {redirect['on']} request with a "
            f"{redirect['status']} redirect (a preflight is never followed; a followed one can change the Origin or method)"
        )
    if plan["preflight"]:
        lines.append(
            f"on the preflight (OPTIONS) answer: status {plan['preflight']['status']}, {header_list(plan['preflight']['headers'])}"
        )
    seen = ", ".join(str(status) for status in plan["errors"]["statuses"])
    errors = f"every error answer (4xx, 5xx: here {seen})" if seen else "every error answer (4xx, 5xx)"
    lines.append(f"on the actual answer and {errors}: {header_list(plan['actual']['headers'])}")
    checked = "readable" if plan["readable"] else f"STILL BLOCKED ({'; '.join(plan['console'])})"
    lines.append(f"with these changes (checked with the lab's model): {checked}")
    return lines


def framework_lines(plan):
    """The fix in the chosen framework (static/js/model/framework-fix.js): its causes and the edit."""
    if not plan or "framework" not in plan:
        return []
    chosen = plan["framework"]
    fix = plan["frameworks"][chosen["name"]]
    recognised = chosen["recognised"]
    if chosen["asked"] != "auto":
        how = "as asked (--framework)"
    elif recognised["name"]:
        how = f"recognised by {recognised['evidence']}"
    else:
        how = "no framework recognised: raw headers; --framework flask-cors|fastapi|express|django|nginx for its configuration"
    lines = [f"framework: {chosen['name']} ({how})"]
    lines += [f"cause: {cause['text']}" for cause in fix["causes"]]
    where = {"after": f"right after the line with `{fix['anchor']}`", "end": "at its end", "in-place": "there"}[
        fix["insert"]
    ]
    replaces = f", in place of {fix['replaces']}" if fix["replaces"] else ""
    lines.append(f"in {fix['file']}, {where}{replaces}:")
    lines += [f"    {line}" for line in fix["code"].splitlines()]
    return lines


def fix_text(plan):
    """The whole fix in one line."""
    return "; ".join(plan_lines(plan)) or None


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


# Chromium's Local Network Access, seen for real: the probe page of a public origin is declared
# public (--ip-address-space-overrides, probe_browser), so its requests to loopback or private
# addresses meet what the real site's would (verified in Chromium 156's headless shell).
LOCAL_NETWORK_ACCESS = {
    "insecure-local-network": (
        "Local Network Access: a page on a public origin served over http:// is not a secure context, so Chromium "
        "refuses its requests to a loopback or private address outright, before any CORS check (the lab's model "
        "does not cover this: the verdict is Chromium's alone)"
    ),
    "local-network-access-permission-denied": (
        "Local Network Access: a page on a public https:// origin needs the user's permission to reach a loopback "
        "or private address, and here it was denied (a browser without a user, like this one, denies it); with the "
        "permission granted the request goes on and CORS applies as usual (the lab's model does not cover this)"
    ),
}
LOCAL_NETWORK_FIX = (
    "not a CORS header: serve the page over https:// and have the user allow local network access, or have the "
    "page call the API through its own origin (a proxy on the page's site)"
)


def report(options, headers, seen, model):
    """The report: what Chromium did and printed, and why, by the lab's model applied to the
    headers Chromium received; where the two disagree, ``disagreements`` says so."""
    result = {
        "origin": options.origin,
        "url": options.url,
        "method": options.method,
        "preflight": seen["preflight"],
        "actual": seen["actual"],
        "readable": seen["readable"],
        "console": seen["console"],
        "reasons": list(model["reasons"]),
        "fix": fix_text(model.get("plan")),
        "plan": model.get("plan"),
        "model": {key: model[key] for key in ("preflight", "sent", "allowed", "kind", "onPreflight", "console", "fix")},
        "disagreements": [],
    }
    if len(seen["hops"]) > 1:
        result["redirects"] = seen["hops"][1:]
    notes = []
    if any(name.lower() == "authorization" for name in headers):
        notes.append(
            "Authorization is set by the page's script here: an ordinary request header (preflighted, needs "
            "Access-Control-Allow-Headers), not a credential the browser holds"
        )
    result["reasons"] += notes
    if seen["cors_error"]:
        kind, on_preflight, fix = explain(*seen["cors_error"], options.origin, options.method)
        result |= {"kind": kind, "blocked_on": "preflight" if on_preflight else "actual"}
        result["fix"] = result["fix"] or f"{fix} (from Chromium's verdict: the lab's model has none)"
    if result.get("kind") in LOCAL_NETWORK_ACCESS:
        # Before any CORS check, and not in the lab's model: Chromium's verdict alone, said as such.
        result |= {"reasons": [LOCAL_NETWORK_ACCESS[result["kind"]]], "fix": LOCAL_NETWORK_FIX, "plan": None}
        result["findings"] = findings(options, seen)
        return with_bodies(result)
    result["disagreements"] = disagreements(result, seen, model)
    result["findings"] = findings(options, seen)
    return with_bodies(result)


def disagreements(result, seen, model):
    """Where the lab's model and Chromium differ on this very exchange, in words."""
    said = []
    chain = seen["hops"]

    def differ(what, chromium, predicted):
        if chromium != predicted:
            said.append(f"{what}: Chromium {chromium}, the lab's model {predicted}")

    differ("preflight sent", any(hop["preflight"]["sent"] for hop in chain), model["preflight"])
    differ("actual request sent", any(hop["actual"]["sent"] for hop in chain), model["sent"])
    differ("JavaScript could read the answer", result["readable"], model["allowed"])
    if not result["readable"] and not model["allowed"]:
        differ("kind of failure", result.get("kind"), model["kind"])
        differ("failed on", result.get("blocked_on"), "preflight" if model["onPreflight"] else "actual")
    if seen["console"] != model["console"]:
        said.append(f"console line: Chromium printed {seen['console']}, the lab's model predicts {model['console']}")
    said += [LITERAL.format(value=value) for value in model["literal"]]
    return said


MAX_VALUE = 200  # characters of one header value in the report; a longer one is cut with a mark
MAX_BODY = 300  # characters of a body in the report (text and JSON)
NO_BODY = {
    "preflight": "not available: Chromium keeps no preflight's body",
    "actual": "not available: Chromium keeps no body of an answer it blocked",
}


def with_bodies(result):
    """Each answered exchange's body, cut at MAX_BODY characters (``body``), or why there is none (``body_note``)."""
    for hop in [result, *result.get("redirects", [])]:
        for which in ("preflight", "actual"):
            exchange = hop[which] = dict(hop[which])
            if not exchange["sent"] or exchange["status"] is None:
                continue
            body = exchange.get("body")
            if body is None:
                exchange |= {"body": None, "body_note": NO_BODY[which]}
            elif len(body) > MAX_BODY:
                exchange |= {"body": body[:MAX_BODY], "body_note": f"the first {MAX_BODY} characters"}
    return result


def exchange_lines(name, exchange, extra=("access-control-",)):
    if not exchange["sent"]:
        return [f"  {name:<9} not sent"]
    shown = {k: printable(v, MAX_VALUE) for k, v in exchange["headers"].items() if k.lower().startswith(extra)}
    lines = [f"  {name:<9} {exchange['status']}  {shown or 'no Access-Control-* headers'}"]
    if exchange.get("body") is not None:
        note = f" ({exchange['body_note']})" if exchange.get("body_note") else ""
        lines.append(f"  {'':<9} body {printable(repr(exchange['body']), MAX_BODY + 10)}{note}")
    elif "body_note" in exchange:
        lines.append(f"  {'':<9} body {exchange['body_note']}")
    return lines


def describe(result):
    lines = [f"{result['method']} {result['url']} from a page on {result['origin']}"]
    if "passes" in result:
        sent = result["preflight"]["request_headers"]
        lines += [f"  sent      OPTIONS  {sent}"] if result["preflight"]["sent"] else ["  preflight not needed"]
        if result["preflight"]["sent"]:
            lines += exchange_lines("preflight", result["preflight"], ("access-control-", "location"))
        lines.append(
            "  The browser would pass it." if result["passes"] else "  The browser would block the request here."
        )
        lines += [
            f"  console (predicted by the lab's model; no browser sent it): {line}"
            for line in result["predicted_console"]
        ]
    else:
        lines += exchange_lines("preflight", result["preflight"])
        lines += exchange_lines("actual", result["actual"], ("access-control-", "location"))
        for hop in result.get("redirects", []):
            lines.append(f"  redirected to {hop['url']}")
            lines += exchange_lines("preflight", hop["preflight"]) + exchange_lines("actual", hop["actual"])
        lines.append(
            "  JavaScript could read the answer." if result["readable"] else "  Blocked: JavaScript gets no answer."
        )
        lines += [f"  console: {line}" for line in result["console"]]
        lines += [f"  {each['severity']}: {each['text']}" for each in result.get("findings", [])]
    lines += [f"  why: {reason}" for reason in result["reasons"]]
    if result.get("plan"):
        lines += [f"  fix: {line}" for line in plan_lines(result["plan"])]
        lines += [f"  {line}" for line in framework_lines(result["plan"])]
    elif result["fix"]:
        lines.append(f"  fix: {result['fix']}")
    if result["disagreements"]:
        lines.append("  THE LAB'S MODEL AND CHROMIUM DISAGREE here (the model is wrong, or this is new to it):")
        lines += [f"    - {line}" for line in result["disagreements"]]
    return "\n".join(printable(line) for line in lines)


class Watch:
    """The doctor's deadline and stop signals. Whatever the API does (never answers, trickles a
    byte at a time) and wherever the doctor waits, it ends by ``deadline``, and SIGINT, SIGTERM or
    SIGHUP end it at once: one line on stderr (and the JSON object, with --json), the probe page's
    certificate folder removed, exit status 2 (the deadline) or 128 + the signal. The process
    ends at once; Playwright's driver then closes the browser it started."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self, deadline, as_json):
        self.deadline, self.as_json = deadline, as_json
        self.previous = {}

    def __enter__(self):
        for each in (*self.SIGNALS, signal.SIGALRM):
            self.previous[each] = signal.signal(each, self.on_signal)
        signal.setitimer(signal.ITIMER_REAL, self.deadline)
        return self

    def __exit__(self, *exc_info):
        signal.setitimer(signal.ITIMER_REAL, 0)
        for each, handler in self.previous.items():
            signal.signal(each, handler)

    def on_signal(self, signum, _frame):
        signal.setitimer(signal.ITIMER_REAL, 0)
        for each in self.previous:
            signal.signal(each, signal.SIG_IGN)
        if signum == signal.SIGALRM:
            message = f"no result within {self.deadline:g} s (--deadline): still waiting for {PROGRESS.now()}"
            status = 2
        else:
            message, status = f"stopped by {signal.Signals(signum).name}", 128 + signum
        fail(message, self.as_json, status)
        for folder in list(FOLDERS):
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(status)


def fail(message, as_json, status=2):
    """The one line of a run without a report: on stderr, and as the JSON object on stdout."""
    with suppress(OSError, ValueError):  # the terminal may be gone
        if as_json:
            print(json.dumps({"error": message, "exit": status}), flush=True)
        print(f"doctor: {printable(message)}", file=sys.stderr, flush=True)


def main(argv=None, prog="python -m labctl.doctor"):
    argv = sys.argv[1:] if argv is None else argv
    from_make = argv == ["--from-environment"]
    as_json = os.environ.get("JSON", "").lower() in ("1", "true", "yes") if from_make else "--json" in argv
    try:
        options = parse(from_environment(os.environ) if from_make else argv, prog)
    except UsageError as error:
        fail(str(error), as_json)
        return 2
    from playwright.sync_api import Error as PlaywrightError

    remove_leftovers()
    PROGRESS.waiting_for("Chromium to start")
    if options.checks is not None:
        return check_file(options, prog, PlaywrightError)
    with Watch(options.deadline, options.json):
        try:
            if options.preflight_only:
                result = preflight_only(options)
                status = 0 if result["passes"] else 1
            else:
                if options.method.upper() not in SAFELISTED_METHODS:
                    print(
                        f"Sending a real {printable(options.method)} to {printable(options.url)}: it may change data there.",
                        file=sys.stderr,
                    )
                result = diagnose(options)
                status = exit_status(result)
        except UsageError as error:
            fail(str(error), options.json)
            return 2
        except PlaywrightError as error:  # Chromium failed to start, or closed under the doctor
            fail(f"Chromium: {error.message.splitlines()[0] if error.message else error}", options.json)
            return 2
    print(json.dumps(result, indent=2) if options.json else describe(result))
    return status


def parsed_checks(path, prog="python -m labctl.doctor", timeout=DEFAULT_TIMEOUT):
    """The checks of the file at ``path`` (labctl/checkfile.py), each with its parsed ``options``:
    every check's arguments are checked before anything is sent (CheckFileError names the check)."""
    checks = checkfile.load(path)
    for each in checks:
        try:
            table = each["table"]
            argv = arguments(
                table["url"],
                [(option, table.get(key)) for key, option in checkfile.VALUES],
                [(option, table.get(key, [])) for key, option in checkfile.LISTS],
                [option for key, option in checkfile.FLAGS if table.get(key)],
            )
            each["options"] = parse([*argv, "--timeout", str(timeout)], prog)
        except UsageError as error:
            raise checkfile.CheckFileError(f"{each['where']}: {error}") from None
    return checks


def run_checks(checks, browser):
    """Each check's outcome (``parsed_checks``), in ``browser`` (whose probe pages map every check's
    origin). A check that cannot run (nothing answered...) fails with its reason."""
    outcomes = []
    for each in checks:
        PROGRESS.waiting_for(f"the check {each['name']!r}")
        try:
            outcomes.append(checkfile.outcome(each, diagnose(each["options"], browser)))
        except UsageError as error:
            outcomes.append(checkfile.outcome(each, error=str(error)))
    return outcomes


def check_file(options, prog, playwright_error):
    """``--checks FILE``: every check in one Chromium; 0 when all hold, 1 when any does not, 2 for a bad file."""
    started = time.monotonic()
    try:
        checks = parsed_checks(options.checks, prog, options.timeout)
    except checkfile.CheckFileError as error:
        fail(str(error), options.json)
        return 2
    origins = list(dict.fromkeys(each["options"].origin for each in checks))
    with Watch(options.deadline or DEFAULT_DEADLINE * len(checks), options.json):
        try:
            with probe_browser(origins[0], more=origins[1:], timeout=options.timeout) as browser:
                outcomes = run_checks(checks, browser)
        except UsageError as error:
            fail(str(error), options.json)
            return 2
        except playwright_error as error:
            fail(f"Chromium: {error.message.splitlines()[0] if error.message else error}", options.json)
            return 2
    held = sum(each["held"] for each in outcomes)
    if options.junit:
        Path(options.junit).write_text(checkfile.junit(outcomes, time.monotonic() - started), encoding="utf-8")
    if options.json:
        print(json.dumps({"checks": outcomes, "held": held, "failed": len(outcomes) - held}, indent=2))
    else:
        for each in outcomes:
            line = f"{'ok  ' if each['held'] else 'FAIL'} {each['name']}" + ("" if each["held"] else f": {each['why']}")
            print(printable(line))
        print(f"{held} of {len(outcomes)} checks hold")
    return 0 if held == len(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
