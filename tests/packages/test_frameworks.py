"""The doctor's fix, proven with the real packages (``make test-packages``): for each framework,
broken configurations that developers report and one correct one. Each case starts the real
server (flask-cors under Werkzeug, FastAPI under uvicorn, Django's runserver with
django-cors-headers, Express 5 with cors under Node, nginx in front of a small app) on a free
loopback port, asks the doctor (its probe page in one shared Chromium), applies the fix the
doctor gives for that framework literally (its JSON edit: the block, where it goes, what it
replaces, which the case's source marks between CORS-BEGIN and CORS-END), restarts the server,
and Chromium must then read the answer. Versions: constraints.txt (PyPI), express/package-lock.json
(npm), Debian's nginx."""

import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from labctl.doctor import diagnose, parse, probe_browser
from labctl.servers import free_port
from tests.packages.servers import NGINX_BINARY, start_process, stop

HERE = Path(__file__).parent
NODE_MODULES = HERE / "express" / "node_modules"
ORIGIN = "http://localhost:8000"  # the probe page's origin: Chromium maps it to the doctor's own page


@dataclass
class Case:
    framework: str
    name: str
    files: dict  # file name -> source (the one the fix edits first)
    path: str = "/items"
    options: list = field(default_factory=list)
    kind: str | None = None  # Chromium's verdict before the fix (None: readable already)
    causes: tuple = ()  # the framework-level causes the doctor must name


def start(framework, folder, port):
    """The real server of ``framework`` on 127.0.0.1:``port``, serving the case in ``folder``."""
    python = [sys.executable]
    commands = {
        "flask-cors": [*python, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        "fastapi": [*python, "-m", "uvicorn", "app:app", "--port", str(port), "--log-level", "warning"],
        "django": [
            *python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--settings=settings",
            "--pythonpath=.", "--skip-checks",
        ],
        "express": [shutil.which("node") or "node", "app.js", str(port)],
        "nginx": [NGINX_BINARY or "nginx", "-p", str(folder), "-c", "nginx.run.conf", "-e", "stderr"],
    }  # fmt: skip
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "NODE_PATH": str(NODE_MODULES), "PYTHONDONTWRITEBYTECODE": "1"}
    processes = []
    if framework == "nginx":  # the app behind it, on a port of its own; nginx.conf stays the edited template
        upstream = free_port()
        processes.append(start_process([*python, "upstream.py", str(upstream)], folder, env, upstream))
        conf = (folder / "nginx.conf").read_text().replace("UPSTREAM", str(upstream)).replace("PORT", str(port))
        (folder / "nginx.run.conf").write_text(conf)
    processes.append(start_process(commands[framework], folder, env, port))
    return processes


def apply(fix, source):
    """The doctor's edit, mechanically: the lines between CORS-BEGIN and CORS-END are the case's CORS
    configuration (what ``replaces`` names); ``code`` goes after the first line holding ``anchor``,
    at the end, or in their place."""
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines) if "CORS-BEGIN" in line)
    end = next(i for i, line in enumerate(lines) if "CORS-END" in line)
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    code = [f"{indent}{line}" if fix["insert"] == "in-place" else line for line in fix["code"].splitlines()]
    if fix["replaces"] or fix["insert"] == "in-place":
        del lines[begin : end + 1]
    if fix["insert"] == "in-place":
        lines[begin:begin] = code
    elif fix["insert"] == "after":
        anchor = next(i for i, line in enumerate(lines) if fix["anchor"] in line)
        lines[anchor + 1 : anchor + 1] = code
    else:
        lines += code
    return "\n".join(lines) + "\n"


FLASK = """
from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
# CORS-BEGIN
{cors}
# CORS-END


@app.route("/items", methods=["GET", "POST", "PUT", "DELETE"])
def items():
    return jsonify(items=[], method=request.method)
"""

FASTAPI = """
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
# CORS-BEGIN
{cors}
# CORS-END


@app.get("/items")
def items():
    return {{"items": []}}


@app.delete("/items")
def delete_items():
    return {{"deleted": True}}


@app.get("/boom")
def boom():
    raise RuntimeError("an unhandled error")
"""

DJANGO_SETTINGS = """
SECRET_KEY = "test"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "urls"
INSTALLED_APPS = ["corsheaders"]
# CORS-BEGIN
{cors}
# CORS-END
"""
DJANGO_URLS = """
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def items(request):
    return JsonResponse({"items": [], "method": request.method})


urlpatterns = [path("items/", items)]
"""
DJANGO_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

EXPRESS = """
const express = require('express');
const cors = require('cors');

const app = express();
{before}
// CORS-BEGIN
{cors}
// CORS-END
{routes}
app.listen(Number(process.argv[2]), '127.0.0.1');
"""
EXPRESS_ROUTES = """
app.get('/items', (req, res) => res.json({ items: [] }));
app.delete('/items', (req, res) => res.json({ deleted: true }));
"""
EXPRESS_AUTH = """
app.use((req, res, next) => (req.get('authorization') === 'Bearer t' ? next() : res.status(401).json({ error: 'login' })));
"""

NGINX = """
daemon off;
pid nginx.pid;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
    server {{
        listen 127.0.0.1:PORT;
        location / {{
            proxy_pass http://127.0.0.1:UPSTREAM;
            # CORS-BEGIN
{cors}
            # CORS-END
        }}
    }}
}}
"""
UPSTREAM = """
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class App(BaseHTTPRequestHandler):
    def answer(self):
        status = 401 if "{refuse}" and "/items" in self.path and self.command != "OPTIONS" else 200
        body = b"{{}}"
        self.send_response(status)
        if "{own_header}":
            self.send_header("Access-Control-Allow-Origin", "{own_header}")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_OPTIONS = answer

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), App).serve_forever()
"""


def flask(name, cors, **kw):
    return Case("flask-cors", name, {"app.py": FLASK.format(cors=cors)}, **kw)


def fastapi(name, cors, **kw):
    return Case("fastapi", name, {"app.py": FASTAPI.format(cors=cors)}, **kw)


def django(name, cors, **kw):
    return Case("django", name, {"settings.py": DJANGO_SETTINGS.format(cors=cors), "urls.py": DJANGO_URLS}, **kw)


def express(name, cors, routes=EXPRESS_ROUTES, before="", **kw):
    return Case("express", name, {"app.js": EXPRESS.format(cors=cors, routes=routes, before=before)}, **kw)


def nginx(name, cors, refuse="", own_header="", **kw):
    conf = NGINX.format(cors=textwrap.indent(cors, " " * 12))
    upstream = UPSTREAM.format(refuse=refuse, own_header=own_header)
    return Case("nginx", name, {"nginx.conf": conf, "upstream.py": upstream}, **kw)


AUTHORIZATION = ["--header", "Authorization: Bearer t"]
CORS_BELOW = f"MIDDLEWARE = {[*DJANGO_MIDDLEWARE, 'corsheaders.middleware.CorsMiddleware']!r}"
CORS_FIRST = f"MIDDLEWARE = {['corsheaders.middleware.CorsMiddleware', *DJANGO_MIDDLEWARE]!r}"

CASES = [
    flask("unlisted-origin", 'CORS(app, origins=["http://app.example"])', kind="missing-allow-origin",
          causes=("origin-not-listed",)),
    # flask-cors' defaults with a credentialed request: the origin reflected, no Allow-Credentials.
    flask("credentials-with-defaults", "CORS(app)", options=["--credentials"], kind="invalid-allow-credentials",
          causes=("credentials-not-allowed",)),
    flask("unlisted-x-requested-with", f'CORS(app, origins=["{ORIGIN}"], allow_headers=["Content-Type"])',
          options=["--header", "X-Requested-With: XMLHttpRequest"], kind="header-disallowed-by-preflight-response",
          causes=("header-not-allowed",)),
    flask("correct", f'CORS(app, origins=["{ORIGIN}"], allow_headers=["Authorization"])', options=AUTHORIZATION),
    fastapi("unlisted-authorization",
            f'app.add_middleware(CORSMiddleware, allow_origins=["{ORIGIN}"], allow_methods=["*"], allow_headers=["x-requested-with"])',
            options=AUTHORIZATION, kind="preflight-invalid-status", causes=("header-not-allowed",)),
    fastapi("unhandled-500", f'app.add_middleware(CORSMiddleware, allow_origins=["{ORIGIN}"])', path="/boom",
            kind="missing-allow-origin", causes=("server-error-outside-cors",)),
    fastapi("delete-not-in-allow-methods", f'app.add_middleware(CORSMiddleware, allow_origins=["{ORIGIN}"])',
            options=["--method", "DELETE"], kind="preflight-invalid-status", causes=("method-not-allowed",)),
    fastapi("correct",
            f'app.add_middleware(CORSMiddleware, allow_origins=["{ORIGIN}"], allow_methods=["DELETE"], allow_credentials=True)',
            options=["--method", "DELETE", "--credentials"]),
    express("auth-before-cors", "const corsOptions = { origin: '*' };\napp.use(cors(corsOptions));",
            before=EXPRESS_AUTH, options=["--method", "DELETE", *AUTHORIZATION],
            kind="missing-allow-origin", causes=("cors-after-auth",)),
    express("route-without-options", f"const corsOptions = {{ origin: '{ORIGIN}' }};",
            routes="app.delete('/items', cors(corsOptions), (req, res) => res.json({ deleted: true }));",
            options=["--method", "DELETE"], kind="missing-allow-origin", causes=("no-options-route",)),
    express("credentials-with-star", "app.use(cors());", options=["--credentials"],
            kind="wildcard-origin-not-allowed", causes=("star-with-credentials",)),
    express("correct", f"app.use(cors({{ origin: '{ORIGIN}', credentials: true }}));", options=["--credentials"]),
    django("trailing-slash-and-middleware-order", f'{CORS_BELOW}\nCORS_ALLOWED_ORIGINS = ["{ORIGIN}"]',
           options=["--method", "POST", "--header", "Content-Type: application/json", "--body", "{}"],
           kind="missing-allow-origin", causes=("cors-below-common", "trailing-slash-url")),
    django("unlisted-origin", f'{CORS_FIRST}\nCORS_ALLOWED_ORIGINS = ["http://app.example"]',
           path="/items/", kind="missing-allow-origin", causes=("origin-not-listed",)),
    django("unlisted-header", f'{CORS_FIRST}\nCORS_ALLOWED_ORIGINS = ["{ORIGIN}"]', path="/items/",
           options=["--header", "X-Api-Key: k"], kind="header-disallowed-by-preflight-response",
           causes=("header-not-allowed",)),
    django("correct", f'{CORS_FIRST}\nCORS_ALLOWED_ORIGINS = ["{ORIGIN}"]', path="/items/", options=AUTHORIZATION),
    nginx("add-header-without-always", f'add_header Access-Control-Allow-Origin "{ORIGIN}";', refuse="yes",
          kind="missing-allow-origin", causes=("add-header-without-always",)),
    nginx("added-by-proxy-and-app", f'add_header Access-Control-Allow-Origin "{ORIGIN}" always;', own_header=ORIGIN,
          kind="multiple-allow-origin-values", causes=("added-twice",)),
    nginx("trailing-slash-in-the-allowed-origin", f'add_header Access-Control-Allow-Origin "{ORIGIN}/" always;',
          kind="allow-origin-mismatch", causes=("trailing-slash-origin",)),
    nginx("correct", f'add_header Access-Control-Allow-Origin "{ORIGIN}" always;'),
]  # fmt: skip


@pytest.fixture(scope="module")
def doctor_browser(playwright):
    with probe_browser(ORIGIN, playwright) as browser:
        yield browser


def ask(browser, url, case):
    return diagnose(parse([url, "--origin", ORIGIN, *case.options]), browser)


@pytest.mark.parametrize("case", CASES, ids=[f"{case.framework}-{case.name}" for case in CASES])
def test_the_doctors_fix_applied_literally_makes_the_answer_readable(case, doctor_browser, tmp_path):
    if case.framework == "nginx" and not NGINX_BINARY:
        pytest.fail("nginx is not installed (.ci/run installs Debian's nginx)")
    for name, source in case.files.items():
        (tmp_path / name).write_text(textwrap.dedent(source).lstrip())
    (tmp_path / "tmp").mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}{case.path}"
    processes = start(case.framework, tmp_path, port)
    try:
        before = ask(doctor_browser, url, case)
    finally:
        stop(processes)
    if case.kind is None:
        assert before["readable"] is True and before["plan"] is None, before["reasons"]
        return
    assert before["readable"] is False and before["kind"] == case.kind, (before.get("kind"), before["reasons"])
    plan = before["plan"]
    assert plan["readable"] is True, plan
    assert plan["framework"]["name"] == case.framework, plan["framework"]
    fix = plan["frameworks"][case.framework]
    assert set(case.causes) <= {cause["id"] for cause in fix["causes"]}, fix["causes"]
    edited = next(iter(case.files))
    source = (tmp_path / edited).read_text()
    (tmp_path / edited).write_text(apply(fix, source))
    if case.framework == "nginx":
        (tmp_path / "nginx.conf").write_text((tmp_path / "nginx.conf").read_text().replace(str(port), "PORT"))
    processes = start(case.framework, tmp_path, port)
    try:
        after = ask(doctor_browser, plan["url"], case)
    finally:
        stop(processes)
    assert after["readable"] is True, (after.get("kind"), after["console"], (tmp_path / edited).read_text())
