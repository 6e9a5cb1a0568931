// What a request's answers show of the server behind them (framework-fix.js writes the fix from it):
// which framework answered (headers, bodies), and the facts its framework-level causes are read from. Pure.
const REDIRECTS = [301, 302, 303, 307, 308];
const lines = (exchange, name) =>
  Object.entries(exchange?.headers ?? {}).filter(([key]) => key.toLowerCase() === name).flatMap(([, v]) => String(v).split('\n'));
const first = (exchange, name) => lines(exchange, name)[0];
const exchangesOf = (hops) => hops.flatMap((hop) => [hop.preflight, hop.actual]).filter((exchange) => exchange?.sent);

// What each framework's answers show, most specific first: [name, header or 'body', pattern, evidence].
const SIGNS = [
  ['nginx', 'server', /^nginx\b/i],
  ['fastapi', 'body', /Disallowed CORS (origin|method|headers)/, 'Starlette\'s "Disallowed CORS" answer'],
  ['django', 'body', /doesn't end in a slash|You're seeing this error because you have <code>DEBUG = True/, 'Django\'s error page'],
  ['express', 'x-powered-by', /^Express$/i],
  ['fastapi', 'server', /^(uvicorn|hypercorn)\b/i],
  ['flask-cors', 'server', /^Werkzeug\//i],
  ['django', 'access-control-allow-headers', /\bx-csrftoken\b/i, 'django-cors-headers\' default allowed headers (x-csrftoken)'],
  ['django', 'cross-origin-opener-policy', /^same-origin$/i, 'Django\'s SecurityMiddleware headers'],
  ['django', 'server', /^WSGIServer\/[\d.]+ CPython/, 'Server: WSGIServer (Django\'s runserver)'],
];

export function recognise(hops) {
  const exchanges = exchangesOf(hops);
  for (const [name, where, pattern, evidence] of SIGNS) {
    for (const exchange of exchanges) {
      const value = where === 'body' ? exchange.body : first(exchange, where);
      if (typeof value === 'string' && pattern.test(value)) return { name, evidence: evidence ?? `${where}: ${value}` };
    }
  }
  return { name: null, evidence: null };
}

// What the answers show, framework or not: facts the causes are read from.
export function evidence(observed, plan) {
  const origin = observed.pageOrigin;
  const { hops } = observed;
  const [hop] = hops;
  const preflight = hop.preflight?.sent ? hop.preflight : null;
  const answers = hops.map((each) => each.actual).filter((actual) => actual?.sent);
  const noOrigin = (exchange) => lines(exchange, 'access-control-allow-origin').length === 0;
  const allowedHeaders = (first(preflight, 'access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
  const allowedMethods = (first(preflight, 'access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
  return {
    origin,
    path: new URL(plan.url).pathname,
    preflight,
    refusedPreflight: preflight && (preflight.status < 200 || preflight.status > 299),
    missingHeaders: plan.requestHeaders.filter((name) => preflight && !allowedHeaders.includes(name) && !allowedHeaders.includes('*')),
    missingMethod: Boolean(plan.preflight) && preflight && !allowedMethods.includes(plan.method) && !allowedMethods.includes('*'),
    serverErrorBare: answers.some((actual) => actual.status >= 500 && noOrigin(actual)),
    authBare: [preflight, ...answers].some((exchange) => exchange && [401, 403].includes(exchange.status) && noOrigin(exchange)),
    errorBare: answers.some((actual) => actual.status >= 400 && noOrigin(actual)),
    okBare: [preflight, ...answers].some((exchange) => exchange && exchange.status < 300 && noOrigin(exchange)),
    preflightBare: preflight && noOrigin(preflight),
    autoOptions: preflight && preflight.status < 300 && noOrigin(preflight) && lines(preflight, 'allow').length > 0,
    redirectBare: [preflight, ...answers].some((exchange) => exchange && REDIRECTS.includes(exchange.status) && noOrigin(exchange)),
    twice: [preflight, ...answers].some((exchange) => exchange && lines(exchange, 'access-control-allow-origin').length > 1),
    trailingSlash: [preflight, ...answers].some((exchange) => first(exchange, 'access-control-allow-origin') === `${origin}/`),
    noCredentials: observed.credentials && [preflight, ...answers].some((exchange) =>
      exchange && !noOrigin(exchange) && first(exchange, 'access-control-allow-credentials') !== 'true'),
    star: observed.credentials && [preflight, ...answers].some((exchange) => first(exchange, 'access-control-allow-origin') === '*'),
    slashRedirect: plan.redirect && plan.redirect.to === `${plan.redirect.from.split(/[?#]/)[0]}/`,
  };
}

