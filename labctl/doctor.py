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
by the browser, 2 bad usage or an unreachable URL.
``make doctor`` passes URL, ORIGIN, METHOD, HEADERS (one per line), COOKIES (one per line),
CREDENTIALS, BODY and TRANSPORT through the environment, so ``&``, ``;`` and quotes survive.
"""

import argparse
import ipaddress
import json
import os
import sys
from contextlib import ExitStack, contextmanager
from urllib.parse import urlsplit

from lab_contract import ORIGIN_DEFAULTS

from .cors_errors import explain
from .preflight import preflight_headers, send_preflight
from .probe import NOT_SENT, PROBE_SCRIPT, CertificateError, apply_model, observe, serve_probe_page

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
    if origin.scheme not in ("http", "https") or not origin.hostname or origin.path not in ("", "/"):
        raise UsageError(f"{options.origin}: the probe page's origin must be http://host[:port] or https://host[:port]")
    default = ":443" if origin.scheme == "https" else ":80"  # the browser's origin leaves the default port out
    options.origin = f"{origin.scheme}://{origin.netloc.lower().removesuffix(default)}"
    for header in options.header:
        if ":" not in header:
            raise UsageError(f"--header {header!r}: write it as 'Name: value'")
    for cookie in options.cookie:
        if "=" not in cookie:
            raise UsageError(f"--cookie {cookie!r}: write it as 'name=value'")


def headers_of(options):
    return dict((name.strip(), value.strip()) for name, value in (header.split(":", 1) for header in options.header))


@contextmanager
def probe_browser(origin, playwright=None, more=()):
    """A Chromium whose ``origin`` (and each of ``more``) is a blank page of the doctor's own:
    yields the browser. An https origin gets a self-signed certificate, which this browser
    accepts. ``playwright``: a running Playwright to launch it from (one thread can run only one)."""
    if playwright is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as started, probe_browser(origin, started, more) as browser:
            yield browser
        return
    from .browser import launch_options

    origins = [urlsplit(each) for each in (origin, *more)]
    with ExitStack() as stack:
        rules, probe_keys = [], []
        for https in sorted({parts.scheme == "https" for parts in origins}):
            hosts = [parts for parts in origins if (parts.scheme == "https") == https]
            try:
                port, spki = stack.enter_context(serve_probe_page(https, hosts[0].hostname))
            except CertificateError as error:
                raise UsageError(str(error)) from None
            default = 443 if https else 80
            rules += [f"MAP {parts.hostname}:{parts.port or default} 127.0.0.1:{port}" for parts in hosts]
            probe_keys += [spki] if spki else []
        # The headless shell where there is one: half the CPU, and like a desktop Chrome with its
        # default settings it sends third-party cookies (a full Chromium's fresh context does not).
        launch = launch_options(playwright.chromium, shell=True)
        args = [f"--host-resolver-rules={','.join(rules)}"]
        if probe_keys:  # the probe page's certificate alone: the user's API is checked as ever
            args.append(f"--ignore-certificate-errors-spki-list={','.join(probe_keys)}")
        browser = playwright.chromium.launch(**launch, args=args)
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
        if seen["refused"]:
            raise UsageError(f"Chromium refused to send the request from {options.origin} at all ({seen['refused']})")
        if seen["unreachable"]:
            raise UsageError(f"{options.url} did not answer ({seen['unreachable']}): is the server running?")
    finally:
        context.close()
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
        with probe_browser(options.origin) as browser:
            return preflight_only(options, browser)
    headers = headers_of(options)
    request = planned_preflight(options, browser)
    preflight = {**NOT_SENT, "request_headers": request or {}}
    if request is not None:
        try:
            status, answer = send_preflight(options.url, request)
        except OSError as error:
            raise UsageError(f"{options.url} did not answer ({error}): is the server running?") from None
        preflight |= {"sent": True, "status": status, "headers": answer}
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
        "fix": fix_text(model["fix"]),
        "model": model,
        "disagreements": [],
    }
    if not model["allowed"]:
        result |= {"kind": model["kind"], "blocked_on": "preflight"}
    for value in model["literal"]:
        result["disagreements"].append(LITERAL.format(value=value))
    return result


# Said of an Allow-Origin value that the lab's model cannot take literally (explain-observed.js: literal).
LITERAL = "Access-Control-Allow-Origin {value!r}: the lab's model reads this word as /lab's, not literally"


WHERE = {"preflight": "the preflight (OPTIONS) answer", "actual": "the actual answer", "errors": "error answers"}


def fix_text(fix):
    """The model's fix (explain-fix.js) in one line."""
    if not fix:
        return None
    where = ", ".join(WHERE[name] for name in fix["where"])
    text = f"on {where}: {'; '.join(f'`{line}`' for line in fix['headers'])}" if fix["headers"] else f"on {where}"
    return text + (f"; flask-cors: `{fix['flask']}`" if fix["flask"] else "")


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
        "fix": fix_text(model["fix"]),
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
    if is_public(options.origin) and not is_public(options.url):
        notes.append(
            "a page on a public origin calling a loopback or private address: Chrome will also ask the user for "
            "Local Network Access permission, which this mapped local probe page cannot show"
        )
    result["reasons"] += notes
    if seen["cors_error"]:
        kind, on_preflight, fix = explain(*seen["cors_error"], options.origin, options.method)
        result |= {"kind": kind, "blocked_on": "preflight" if on_preflight else "actual"}
        result["fix"] = result["fix"] or f"{fix} (from Chromium's verdict: the lab's model has none)"
    result["disagreements"] = disagreements(result, seen, model)
    return result


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


def exchange_lines(name, exchange, extra=("access-control-",)):
    if not exchange["sent"]:
        return [f"  {name:<9} not sent"]
    shown = {k: v for k, v in exchange["headers"].items() if k.lower().startswith(extra)}
    return [f"  {name:<9} {exchange['status']}  {shown or 'no Access-Control-* headers'}"]


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
    lines += [f"  why: {reason}" for reason in result["reasons"]]
    if result["fix"]:
        lines.append(f"  fix: {result['fix']}")
    if result["disagreements"]:
        lines.append("  THE LAB'S MODEL AND CHROMIUM DISAGREE here (the model is wrong, or this is new to it):")
        lines += [f"    - {line}" for line in result["disagreements"]]
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
