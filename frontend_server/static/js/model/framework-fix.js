// The whole fix of one request (fix-plan.js) in the user's own framework: the configuration that
// sends exactly the plan's headers, as an edit to apply (a block to insert, where, and what it
// replaces), and the framework-level cause where the answers show one. One generator per framework,
// here only: the doctor (labctl/doctor.py) prints them, tests/packages/test_frameworks.py applies
// each to the real package and has Chromium read the answer. Pure: nothing is sent.
//
//   recognise(hops) (framework-evidence.js): { name, evidence } | { name: null }: the framework the answers show
//   frameworkFixes(observed, plan): { [framework]: { framework, file, replaces, insert: 'after' | 'end' | 'in-place',
//                                      anchor, code, causes: [{ id, text }] } }
import { evidence } from './framework-evidence.js';

// labctl/doctor.py's --framework choices, but auto.
const FRAMEWORKS = ['flask-cors', 'fastapi', 'express', 'django', 'nginx', 'raw'];

const py = (value) => JSON.stringify(value);
const list = (items) => `[${items.map(py).join(', ')}]`;
const jsList = (items) => `[${items.map((item) => `'${item}'`).join(', ')}]`;

// Causes every framework shares, in its own words (`names`: its option for the origins, credentials).
function commonCauses(facts, names) {
  const causes = [];
  if (facts.trailingSlash) {
    causes.push(['trailing-slash-origin',
      `the allowed origin is written with a trailing slash: list ${facts.origin} exactly, in ${names.origins}`]);
  }
  if (facts.star) {
    causes.push(['star-with-credentials',
      `"*" cannot be read with credentials: list ${facts.origin} in ${names.origins} and set ${names.credentials}`]);
  }
  if (facts.noCredentials && !facts.star) {
    causes.push(['credentials-not-allowed',
      `a credentialed request needs Access-Control-Allow-Credentials: true: set ${names.credentials}`]);
  }
  if (facts.okBare && !facts.autoOptions) causes.push(['origin-not-listed', `${facts.origin} is not in ${names.origins}`]);
  if (facts.slashRedirect) {
    causes.push(['trailing-slash-url',
      'the URL lacks its trailing slash: the server redirects, so call the URL it redirects to']);
  }
  return causes;
}

function flaskCors(plan, facts) {
  const causes = commonCauses(facts, { origins: 'origins', credentials: 'supports_credentials=True' });
  if (facts.missingHeaders.length) causes.push(['header-not-allowed', `${facts.missingHeaders.join(', ')} not in allow_headers`]);
  const code = [
    'CORS(',
    '    app,',
    `    origins=${list([plan.origin])},`,
    `    methods=${list([plan.method])},`,
    `    allow_headers=${list(plan.requestHeaders)},  # the default, "*", reflects any header a page asks for`,
    `    supports_credentials=${plan.credentials ? 'True' : 'False'},`,
    ')',
  ];
  return {
    file: 'the module that creates the Flask app',
    replaces: 'your CORS(...) call',
    insert: 'after',
    anchor: 'Flask(',
    code,
    causes,
  };
}

function fastapi(plan, facts) {
  const causes = commonCauses(facts, { origins: 'allow_origins', credentials: 'allow_credentials=True' });
  if (facts.refusedPreflight && facts.missingHeaders.length) {
    causes.push(['header-not-allowed',
      `${facts.missingHeaders.join(', ')} not in allow_headers: Starlette answers such a preflight 400 ("Disallowed CORS headers")`]);
  }
  if (facts.refusedPreflight && facts.missingMethod) {
    causes.push(['method-not-allowed', `${plan.method} not in allow_methods (default ["GET"]): Starlette answers the preflight 400`]);
  }
  const options = [
    `allow_origins=${list([plan.origin])}`,
    `allow_methods=${list([plan.method])}`,
    `allow_headers=${list(plan.requestHeaders)}`,
    `allow_credentials=${plan.credentials ? 'True' : 'False'}`,
  ];
  const code = ['from fastapi.middleware.cors import CORSMiddleware', ''];
  if (facts.serverErrorBare) {
    causes.push(['server-error-outside-cors',
      "Starlette's ServerErrorMiddleware answers unhandled exceptions (500) outside CORSMiddleware, without its headers: "
        + 'wrap the whole app']);
    code.push('# Outermost, outside ServerErrorMiddleware: 500 answers carry the headers too.',
      'app = CORSMiddleware(', '    app,', ...options.map((option) => `    ${option},`), ')');
    return {
      file: 'the module that creates the FastAPI app',
      replaces: 'your app.add_middleware(CORSMiddleware, ...)',
      insert: 'end',
      anchor: null,
      code,
      causes,
    };
  }
  code.push('app.add_middleware(', '    CORSMiddleware,', ...options.map((option) => `    ${option},`), ')');
  return {
    file: 'the module that creates the FastAPI app',
    replaces: 'your app.add_middleware(CORSMiddleware, ...)',
    insert: 'after',
    anchor: 'FastAPI(',
    code,
    causes,
  };
}

function express(plan, facts) {
  const causes = commonCauses(facts, { origins: 'origin', credentials: 'credentials: true' });
  if (facts.authBare) {
    causes.push(['cors-after-auth',
      'cors() is registered after a middleware that refuses the request (401/403): its answer has no CORS headers. Register cors() first']);
  }
  if (facts.autoOptions) {
    causes.push(['no-options-route',
      `no OPTIONS route for ${facts.path}: Express answered the preflight itself (Allow: ...), without CORS headers`]);
  }
  if (facts.missingHeaders.length) causes.push(['header-not-allowed', `${facts.missingHeaders.join(', ')} not in allowedHeaders`]);
  const code = [
    '// needs: const cors = require(\'cors\');',
    'const corsOptions = {',
    `  origin: ${jsList([plan.origin])},`,
    `  methods: ${jsList([plan.method])},`,
    `  allowedHeaders: ${jsList(plan.requestHeaders)}, // the default reflects any header a page asks for`,
    `  credentials: ${plan.credentials},`,
    '};',
    '// First, before any auth middleware and route: it answers every preflight and every error.',
    'app.use(cors(corsOptions));',
  ];
  if (facts.autoOptions) {
    code.push(`app.options('${facts.path}', cors(corsOptions)); // the preflight of ${facts.path} (never '*', which throws in Express 5)`);
  }
  return {
    file: 'the module that creates the Express app',
    replaces: 'your cors() calls and corsOptions',
    insert: 'after',
    anchor: 'express()',
    code,
    causes,
  };
}

function django(plan, facts) {
  const causes = commonCauses(facts, { origins: 'CORS_ALLOWED_ORIGINS', credentials: 'CORS_ALLOW_CREDENTIALS = True' });
  if (facts.redirectBare) {
    causes.push(['cors-below-common',
      'CorsMiddleware is below CommonMiddleware (or missing): CommonMiddleware\'s APPEND_SLASH redirect is answered before '
        + 'CORS headers are added. Put CorsMiddleware first']);
  }
  if (facts.missingHeaders.length) causes.push(['header-not-allowed', `${facts.missingHeaders.join(', ')} not in CORS_ALLOW_HEADERS`]);
  const cors = 'corsheaders.middleware.CorsMiddleware';
  const code = [
    '# django-cors-headers, first in MIDDLEWARE: redirects and error answers carry the headers too.',
    `MIDDLEWARE = [${py(cors)}, *(name for name in MIDDLEWARE if name != ${py(cors)})]`,
    'CORS_ALLOW_ALL_ORIGINS = False',
    `CORS_ALLOWED_ORIGINS = ${list([plan.origin])}`,
    'CORS_ALLOWED_ORIGIN_REGEXES = []',
    `CORS_ALLOW_METHODS = ${list([plan.method])}`,
    `CORS_ALLOW_HEADERS = ${list(plan.requestHeaders)}`,
    `CORS_ALLOW_CREDENTIALS = ${plan.credentials ? 'True' : 'False'}`,
  ];
  return { file: 'settings.py', replaces: null, insert: 'end', anchor: null, code, causes };
}

const HIDDEN = ['Origin', 'Credentials', 'Methods', 'Headers'].map((name) => `Access-Control-Allow-${name}`);

function nginx(plan, facts) {
  const names = { origins: 'add_header Access-Control-Allow-Origin', credentials: 'Access-Control-Allow-Credentials "true"' };
  const causes = commonCauses(facts, names);
  if (facts.twice) {
    causes.push(['added-twice',
      'Access-Control-Allow-Origin is sent twice, by nginx and by the app: one layer only (proxy_hide_header drops the app\'s)']);
  }
  if (facts.errorBare && !facts.okBare) {
    causes.push(['add-header-without-always',
      'add_header without `always`: nginx adds it to 2xx and 3xx answers only, not to this error answer']);
  }
  const add = (headers, indent) => headers.map(([name, value]) => `${indent}add_header ${name} ${py(value)} always;`);
  const code = [
    '# in the location that serves this URL, in place of its add_header Access-Control-* lines',
    ...HIDDEN.map((name) => `proxy_hide_header ${name};`),
    ...add(plan.actual.headers, ''),
  ];
  if (plan.preflight) {
    code.push('if ($request_method = OPTIONS) {', ...add(plan.preflight.headers, '    '), `    return ${plan.preflight.status};`, '}');
  }
  return {
    file: 'the nginx server block',
    replaces: 'the add_header Access-Control-* lines of that location',
    insert: 'in-place',
    anchor: null,
    code,
    causes,
  };
}

function raw(plan, facts) {
  const causes = commonCauses(facts, { origins: 'Access-Control-Allow-Origin', credentials: 'Access-Control-Allow-Credentials: true' });
  const headers = (list_) => list_.map(([name, value]) => `${name}: ${value}`);
  const code = [];
  if (plan.preflight) {
    code.push(`# OPTIONS ${facts.path} (the preflight): status ${plan.preflight.status}`, ...headers(plan.preflight.headers), '');
  }
  code.push(`# ${plan.method} ${facts.path}, and every error answer (4xx, 5xx)`, ...headers(plan.actual.headers));
  return { file: 'every answer of this URL', replaces: null, insert: 'in-place', anchor: null, code, causes };
}

const GENERATORS = { 'flask-cors': flaskCors, fastapi, express, django, nginx, raw };

export function frameworkFixes(observed, plan) {
  const facts = evidence(observed, plan);
  return Object.fromEntries(FRAMEWORKS.map((name) => {
    const fix = GENERATORS[name](plan, facts);
    return [name, { framework: name, ...fix, code: fix.code.join('\n'), causes: fix.causes.map(([id, text]) => ({ id, text })) }];
  }));
}
