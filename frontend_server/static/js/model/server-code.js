// The server side of a playground configuration, as Python: flask-cors configuration where
// flask-cors can express the policy, raw response headers where it cannot (the broken ones).
// Header lists are parsed as cors-model.js parses them (configure() it first). Every flask-cors
// option whose default differs from the policy is written out (tests/packages runs the code).
import { commentsIn } from './code-samples.js';
import { parseList } from './cors-model.js';
import { headerOf, headerParameterNames } from './hops.js';

const SERIALIZED_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d+)?$|^https?:\/\/\[[0-9a-f:.]+\](:\d+)?$/;
const py = (value) => JSON.stringify(value);
const pyList = (items) => `[${items.map(py).join(', ')}]`;

// Why flask-cors cannot produce this policy ([message key, params]), or null if it can.
function notExpressible(policy, origin) {
  const doubled = Object.keys(policy).find((key) => Array.isArray(policy[key]));
  if (doubled) return ['server.why.doubled', { parameter: doubled }];
  if (Object.keys(policy).some((key) => key.startsWith('pf_'))) return ['server.why.separate-preflight'];
  if (policy.redirect !== undefined) return ['server.why.redirect'];
  const acao = policy.acao ?? 'none';
  if (acao === 'none') {
    return headerParameterNames().some((k) => k !== 'acao' && policy[k] !== undefined) ? ['server.why.no-origin'] : null;
  }
  if (acao !== '*' && acao !== 'echo' && !SERIALIZED_ORIGIN.test(acao)) return ['server.why.acao', { value: acao }];
  if (policy.acac !== undefined && policy.acac !== 'true') return ['server.why.acac', { value: policy.acac }];
  if (acao === '*' && policy.acac === 'true') return ['server.why.star-with-credentials'];
  if (acao !== '*' && acao !== 'echo' && acao !== origin) return ['server.why.other-origin', { value: acao, origin }];
  const methods = parseList(policy.acam);
  if (methods === null || methods.some((m) => m !== m.toUpperCase())) return ['server.why.methods'];
  if (parseList(policy.acah) === null || parseList(policy.aceh) === null) return ['server.why.lists'];
  // flask-cors's "*" reflects every requested header, Authorization and credentialed requests too.
  if (parseList(policy.acah)?.includes('*')) return ['server.why.allow-headers-star'];
  if (policy.max_age !== undefined && !/^\d+$/.test(policy.max_age)) return ['server.why.max-age'];
  if (!['200', '204', undefined].includes(policy.preflight_status)) {
    return ['server.why.preflight-status', { status: policy.preflight_status }];
  }
  return null;
}

function viewCode(policy, method) {
  const status = policy.status ?? '200';
  return [
    `@app.route("/lab", methods=${pyList([...new Set(['GET', method.toUpperCase()])])})`,
    'def lab():',
    `    return jsonify(ok=True), ${status}`,
  ];
}

// flask-cors sends Allow-Headers, Allow-Methods and Max-Age only when the preflight asks for one of
// its `methods`: so a safelisted method, which the browser never needs listed, is listed here.
const SAFELISTED = ['GET', 'HEAD', 'POST'];
const flaskMethods = (policy, method) =>
  [...new Set([...(parseList(policy.acam) ?? []), ...(SAFELISTED.includes(method.toUpperCase()) ? [method.toUpperCase()] : [])])];

function flaskCorsCode(policy, origin, method, say) {
  const options = [];
  const acao = policy.acao ?? 'none';
  if (acao === 'none') {
    return [
      'from flask import Flask, jsonify',
      '',
      'app = Flask(__name__)',
      `# ${say('no-cors-app', 'No CORS(app): the response carries no Access-Control-* header.')}`,
      '',
      ...viewCode(policy, method),
    ].join('\n');
  }
  options.push(`"origins": ${acao === '*' ? '"*"' : pyList([acao === 'echo' ? origin : acao])}`);
  // Every option, defaults that differ from the policy included (flask-cors allows all methods and
  // reflects every requested header unless told otherwise).
  options.push(`"methods": ${pyList(flaskMethods(policy, method))}`);
  options.push(`"allow_headers": ${pyList(parseList(policy.acah) ?? [])}`);
  if (policy.aceh !== undefined) options.push(`"expose_headers": ${pyList(parseList(policy.aceh))}`);
  if (policy.max_age !== undefined) options.push(`"max_age": ${Number(policy.max_age)}`);
  options.push(`"supports_credentials": ${policy.acac === 'true' ? 'True' : 'False'}`);
  return [
    'from flask import Flask, jsonify',
    'from flask_cors import CORS',
    '',
    'app = Flask(__name__)',
    'CORS(app, resources={r"/lab": {',
    ...options.map((option) => `    ${option},`),
    '}})',
    '',
    ...viewCode(policy, method),
  ].join('\n');
}

// The headers each response must carry, as /lab sends them: Allow-Origin and Allow-Credentials on
// both, the rest where the browser reads them (Expose-Headers on the actual response; Allow-Methods,
// Allow-Headers and Max-Age on the preflight), the preflight's own values (pf_*) first.
const READ_ON = { acao: 'both', acac: 'both', acam: 'preflight', acah: 'preflight', aceh: 'actual', max_age: 'preflight' };
const readOn = (where) => Object.keys(READ_ON).filter((key) => [where, 'both'].includes(READ_ON[key]));

function headerLines(policy, keys, preflight, say) {
  const lines = [];
  for (const key of keys) {
    const given = preflight && policy[`pf_${key}`] !== undefined ? policy[`pf_${key}`] : policy[key];
    const values = [].concat(given ?? []).filter((value) => value !== 'none');
    const count = values.length;
    const reads = values.join(', ');
    const twice = `sent ${count} times (say by a proxy and by the app): the browser reads "${reads}"`;
    if (count > 1) lines.push(`        # ${say('sent-twice', twice, { count, reads })}`);
    for (const value of values) {
      const echo = `request.headers.get("Origin", "")  # ${say('reflects-any', 'reflects ANY origin')}`;
      const text = key === 'acao' && value === 'echo' ? echo : py(value);
      const header = py(headerOf(key));
      lines.push(values.length > 1 ? `        response.headers.add(${header}, ${text})` : `        response.headers[${header}] = ${text}`);
    }
  }
  return lines;
}

function answer(policy, preflight, say) {
  const redirect = policy.redirect !== undefined && [preflight ? 'preflight' : 'actual', 'both'].includes(policy.redirect_on ?? 'actual');
  if (redirect) {
    const why = preflight
      ? `  # ${say('redirect-preflight', 'fails: a preflight is never followed')}`
      : `  # ${say('redirect-actual', 'needs the CORS headers below')}`;
    return [`        response = redirect(${py(policy.location ?? '')}, code=${policy.redirect})${why}`];
  }
  if (preflight) return [`        response = app.response_class(status=${policy.preflight_status ?? '204'})`];
  return ['        response = jsonify(ok=True)', `        response.status_code = ${policy.status ?? '200'}`];
}

function rawCode(policy, method, say) {
  return [
    'from flask import Flask, jsonify, redirect, request',
    '',
    'app = Flask(__name__)',
    '',
    `@app.route("/lab", methods=${pyList([...new Set(['OPTIONS', 'GET', method.toUpperCase()])])},`
      + ' provide_automatic_options=False)',
    'def lab():',
    `    if request.method == "OPTIONS":  # ${say('preflight', 'the preflight: checked on its own headers')}`,
    ...answer(policy, true, say),
    ...headerLines(policy, readOn('preflight'), true, say),
    `    else:  # ${say('actual', 'the actual request: checked again on these headers')}`,
    ...answer(policy, false, say),
    ...headerLines(policy, readOn('actual'), false, say),
    ...(policy.acao === 'echo' || [].concat(policy.acao).includes('echo') ? ['    response.headers["Vary"] = "Origin"'] : []),
    '    return response',
  ].join('\n');
}

// `translate`: the page's t(), for comments in its language (English without it).
export function serverCode(policy, origin, method, translate) {
  const why = notExpressible(policy, origin);
  const say = commentsIn(translate);
  return why === null
    ? { kind: 'flask-cors', code: flaskCorsCode(policy, origin, method, say), why: null }
    : { kind: 'raw-headers', code: rawCode(policy, method, say), why };
}
