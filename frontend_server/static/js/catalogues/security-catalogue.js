// The security lab's scenarios, as data, shared by the victim's page (pages/security.js) and the
// attacker's (pages/attack.js); the attacks themselves are in security-attacks.js. A variant's
// kind: vulnerable, safe, or partial (stops some attackers only). Its code is a template of the
// lab's configuration (sampleParams): the samples name the configured origin and cookie.

// Where attacks come from, by config role. The same-site attacker is another port of the trusted
// host: SameSite does not stop it. Words: messages attacker.<id>, sec.<id>.title/.explain/.<variant>;
// a verdict's summary is [message key, params].
export const ATTACKERS = {
  'same-site': 'attacker_origin',
  'cross-site': 'untrusted_origin',
  'prefix-lookalike': 'prefix_lookalike_origin',
  'suffix-lookalike': 'suffix_lookalike_origin',
};

// What the code samples name: the trusted origin, its parts, the session cookie.
export function sampleParams(config) {
  const trusted = new URL(config.trusted_origin);
  return {
    origin: config.trusted_origin,
    hostPort: trusted.host,
    schemeHost: `${trusted.protocol}//${trusted.hostname}`,
    sessionCookie: config.contract.session_cookie,
  };
}

const secretVerdict = (got) => {
  if (got.secret) return { outcome: 'leaked', summary: ['sec.verdict.secret', { secret: got.secret }] };
  if (got.readable) return { outcome: 'partial', summary: ['sec.verdict.partial', { data: got.partnerData ?? '' }] };
  return { outcome: 'stopped', summary: ['sec.verdict.refused'] };
};

export const SCENARIOS = [
  {
    id: 'reflect-origin',
    variants: [
      {
        id: 'vulnerable',
        kind: 'vulnerable',
        check: 'reflect',
        code: () => "CORS(app, supports_credentials=True)  # origins defaults to '*': every Origin is echoed",
      },
      { id: 'safe', kind: 'safe', check: 'exact', code: (lab) => `CORS(app, origins=["${lab.origin}"], supports_credentials=True)` },
    ],
    attackers: ['same-site', 'cross-site'],
    verdict: secretVerdict,
  },
  {
    id: 'null-origin',
    variants: [
      { id: 'vulnerable', kind: 'vulnerable', check: 'null', code: (lab) => `allowed = ["${lab.origin}", "null"]` },
      { id: 'safe', kind: 'safe', check: 'exact', code: (lab) => `allowed = ["${lab.origin}"]` },
    ],
    attackers: ['same-site', 'cross-site'],
    verdict: secretVerdict,
  },
  {
    id: 'origin-checks',
    variants: [
      { id: 'prefix', kind: 'vulnerable', check: 'prefix', code: (lab) => `re.match(r"${lab.schemeHost}", origin)` },
      { id: 'suffix', kind: 'vulnerable', check: 'suffix', code: (lab) => `origin.endswith("${lab.hostPort}")` },
      { id: 'substring', kind: 'vulnerable', check: 'substring', code: (lab) => `"${lab.hostPort}" in origin` },
      { id: 'exact', kind: 'safe', check: 'exact', code: (lab) => `origin in {"${lab.origin}"}` },
    ],
    attackers: ['same-site', 'prefix-lookalike', 'suffix-lookalike'],
    verdict: secretVerdict,
  },
  {
    id: 'jsonp-leak',
    variants: [
      {
        id: 'vulnerable',
        kind: 'vulnerable',
        path: '/security/jsonp/leaky',
        code: () => 'return f"{callback}({json.dumps(current_user_data())})"',
      },
      { id: 'safe', kind: 'safe', path: '/jsonp', code: () => 'return f"/**/{callback}({json.dumps(PUBLIC_DATA)})"' },
    ],
    attackers: ['same-site', 'cross-site'],
    verdict: (got) =>
      got.secret
        ? { outcome: 'leaked', summary: ['sec.verdict.jsonp-secret', { secret: got.secret }] }
        : { outcome: 'stopped', summary: [got.readable ? 'sec.verdict.jsonp-public' : 'sec.verdict.jsonp-failed'] },
  },
  {
    id: 'jsonp-callback',
    variants: [
      {
        id: 'vulnerable',
        kind: 'vulnerable',
        path: '/security/jsonp/unvalidated',
        code: () => 'return Response(f"{callback}({data})", mimetype="text/javascript")',
      },
      {
        id: 'safe',
        kind: 'safe',
        path: '/jsonp',
        code: () => 'if not CALLBACK.match(callback): abort(400)  # plus text/javascript and nosniff',
      },
    ],
    attackers: ['same-site', 'cross-site'],
    verdict: (got) =>
      got.injectedOrigin
        ? { outcome: 'leaked', summary: ['sec.verdict.injected', { origin: got.injectedOrigin, api: got.apiOrigin }] }
        : { outcome: 'stopped', summary: ['sec.verdict.not-injected'] },
  },
  {
    id: 'csrf',
    variants: [
      {
        id: 'none',
        kind: 'vulnerable',
        defence: 'none',
        samesite: 'None',
        code: () => '@app.post("/transfer")  # trusts the cookie alone',
      },
      {
        id: 'require-json',
        kind: 'safe',
        defence: 'require-json',
        samesite: 'None',
        code: () => 'if request.mimetype != "application/json": abort(415)',
      },
      {
        id: 'check-origin',
        kind: 'safe',
        defence: 'check-origin',
        samesite: 'None',
        code: () => 'if request.headers.get("Origin") not in ALLOWED: abort(403)',
      },
      {
        id: 'samesite-lax',
        kind: 'partial',
        defence: 'none',
        samesite: 'Lax',
        code: (lab) => `response.set_cookie("${lab.sessionCookie}", token, samesite="Lax")`,
      },
    ],
    attackers: ['same-site', 'cross-site'],
    verdict: (got, after, wire) =>
      after.transfers > 0
        ? { outcome: 'leaked', summary: ['sec.verdict.transfer'] }
        : { outcome: 'stopped', summary: [`sec.verdict.no-transfer.${wire[0]?.status ?? 'never-sent'}`] },
  },
  {
    id: 'cache-vary',
    variants: [
      {
        id: 'no-vary',
        kind: 'vulnerable',
        mode: 'no-vary',
        code: () => 'response.headers["Access-Control-Allow-Origin"] = origin  # and no Vary',
      },
      { id: 'vary', kind: 'safe', mode: 'vary', code: () => 'response.headers["Vary"] = "Origin"' },
    ],
    attackers: ['cross-site'],
    verdict: (got, after) =>
      after.victimCanRead
        ? { outcome: 'stopped', summary: ['sec.verdict.own-answer', { cache: after.cache }] }
        : { outcome: 'leaked', summary: ['sec.verdict.poisoned'] },
  },
];

export const findScenario = (id) => SCENARIOS.find((scenario) => scenario.id === id);
