"""What the doctor finds wrong or risky beyond the verdict, from what Chromium sent and received.

Two severities:

``finding``  the browser let JavaScript read the answer, but not the request the page meant: a
             redirect changed its method (and dropped its body), or a cookie given with
             ``--cookie`` was not sent. The doctor's exit status is then 3 (readable, with a finding).
``warning``  nothing went wrong in this run, but the configuration will hurt: an answer whose
             Access-Control-Allow-Origin names the page's origin without ``Vary: Origin`` (a cache
             may hand it to another origin), or an Access-Control-* header sent twice. The exit
             status stays what the verdict says.
"""

# A redirect that turns the request into a GET (Fetch standard, HTTP-redirect fetch, step 12).
METHOD_CHANGING = {301: ("POST",), 302: ("POST",), 303: None}  # None: every method but GET and HEAD
# Chromium's cookie blocked reasons (DevTools protocol, Network.CookieBlockedReason), in words.
BLOCKED_REASONS = {
    "SameSiteLax": "SameSite=Lax: not sent on a cross-site request",
    "SameSiteStrict": "SameSite=Strict: not sent on a cross-site request",
    "SameSiteUnspecifiedTreatedAsLax": "no SameSite attribute, so Lax: not sent on a cross-site request",
    "SchemefulSameSiteLax": "SameSite=Lax: not sent on a cross-site request (http and https are other sites)",
    "SchemefulSameSiteStrict": "SameSite=Strict: not sent on a cross-site request (http and https are other sites)",
    "SchemefulSameSiteUnspecifiedTreatedAsLax": "no SameSite attribute, so Lax: not sent on a cross-site request",
    "SameSiteNoneInsecure": "SameSite=None without Secure",
    "SecureOnly": "Secure: sent over https only",
    "ThirdPartyPhaseout": "third-party cookies are blocked in this browser",
    "ThirdPartyBlockedInFirstPartySet": "third-party cookies are blocked in this browser",
    "UserPreferences": "the browser's settings block it",
    "DomainMismatch": "its Domain does not match the URL's host",
    "NotOnPath": "its Path does not match the URL's path",
}


def finding(kind, text, severity="finding"):
    return {"kind": kind, "severity": severity, "text": text}


def header_values(headers, name):
    """The value of ``name`` as Chromium received it (repeated lines joined by a newline), or None."""
    return next((value for key, value in headers.items() if key.lower() == name), None)


def answer_warnings(where, exchange, origin):
    """Warnings about one answer's headers."""
    said = []
    headers = exchange.get("headers") or {}
    allow_origin = header_values(headers, "access-control-allow-origin")
    vary = [part.strip().lower() for part in (header_values(headers, "vary") or "").replace("\n", ",").split(",")]
    if allow_origin == origin and "origin" not in vary and "*" not in vary:
        said.append(
            finding(
                "vary-missing",
                f"{where}: Access-Control-Allow-Origin names {origin} without `Vary: Origin`: a cache between "
                "the API and the browser may hand this answer to a page on another origin, or another origin's "
                "answer to this one",
                "warning",
            )
        )
    for name, value in headers.items():
        if name.lower().startswith("access-control-") and "\n" in value:
            lines = value.count("\n") + 1
            said.append(
                finding(
                    "header-twice",
                    f"{where}: {name} was sent {lines} times (often a proxy and the application both add it)",
                    "warning",
                )
            )
    return said


def cookie_findings(cookies, chain, credentials, url=""):
    """A cookie given with --cookie (its text) that the browser did not send on the actual request, and why."""
    said = []
    weighed = {}
    for hop in chain:
        for cookie in hop["actual"].get("cookies", []):
            weighed.setdefault(cookie["name"], cookie["blocked"])
    for text in cookies:
        name = text.split("=", 1)[0].strip()
        secure = any(part.strip().lower() == "secure" for part in text.split(";")[1:])
        blocked = weighed.get(name)
        if blocked == []:
            continue  # sent
        if not credentials:
            why = "the request is not credentialed (withCredentials, or credentials: 'include', sends cookies cross-origin)"
        elif blocked:
            why = "; ".join(BLOCKED_REASONS.get(reason, reason) for reason in blocked)
        elif secure and url.startswith("http://"):
            why = "Secure: this browser did not keep it for an http:// URL (Secure cookies are for https://)"
        else:
            why = "the browser did not weigh it for this URL"
        said.append(finding("cookie-not-sent", f"the cookie {name} was given but not sent: {why}"))
    return said


def redirect_findings(chain):
    """A redirect that turned the request into a GET and dropped its body."""
    said = []
    for before, after in zip(chain, chain[1:], strict=False):
        status = before["actual"]["status"]
        if status not in METHOD_CHANGING or not before.get("method") or not after.get("method"):
            continue
        if before["method"].upper() != after["method"].upper():
            said.append(
                finding(
                    "method-changed-by-redirect",
                    f"a {status} redirect turned the {before['method']} to {before['url']} into a "
                    f"{after['method']} to {after['url']}, its body dropped: use 307 or 308 to keep the method "
                    "and the body, or call the final URL",
                )
            )
    return said


def findings(options, seen):
    """Every finding and warning of one diagnosis (see the module's docstring)."""
    chain = seen["hops"]
    said = redirect_findings(chain)
    said += cookie_findings(options.cookie, chain, options.credentials, options.url)
    for index, hop in enumerate(chain):
        where = "the answer" if len(chain) == 1 else f"the answer of hop {index + 1} ({hop['url']})"
        if hop["preflight"]["sent"]:
            said += answer_warnings(
                f"the preflight's answer{'' if len(chain) == 1 else f' of hop {index + 1}'}",
                hop["preflight"],
                options.origin,
            )
        said += answer_warnings(where, hop["actual"], options.origin)
    return said


def exit_status(result):
    """0 readable, 1 blocked, 3 readable but with a finding (a warning changes nothing)."""
    if not result["readable"]:
        return 1
    return 3 if any(each["severity"] == "finding" for each in result.get("findings", [])) else 0
