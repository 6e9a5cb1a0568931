// The server side of a playground configuration, as Python: flask-cors configuration where
// flask-cors can express the policy, raw response headers where it cannot (the broken ones).
import { parseList } from './cors-model.js';

const SERIALIZED_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d+)?$|^https?:\/\/\[[0-9a-f:.]+\](:\d+)?$/;
const HEADERS = {
  acac: 'Access-Control-Allow-Credentials',
  acam: 'Access-Control-Allow-Methods',
  acah: 'Access-Control-Allow-Headers',
  aceh: 'Access-Control-Expose-Headers',
  max_age: 'Access-Control-Max-Age',
};
const py = (value) => JSON.stringify(value);
const pyList = (items) => `[${items.map(py).join(', ')}]`;

// Why flask-cors cannot produce this policy, or null if it can.
function notExpressible(policy, origin) {
  const acao = policy.acao ?? 'none';
  if (acao === 'none') return Object.keys(HEADERS).some((k) => policy[k] !== undefined) ? 'flask-cors sends no CORS header at all to an origin it does not allow' : null;
  if (acao !== '*' && acao !== 'echo' && !SERIALIZED_ORIGIN.test(acao)) return `flask-cors only ever sends the request's own origin or *, never "${acao}"`;
  if (policy.acac !== undefined && policy.acac !== 'true') return `flask-cors sends Access-Control-Allow-Credentials only as "true", never "${policy.acac}"`;
  if (acao === '*' && policy.acac === 'true') return 'flask-cors refuses * together with credentials, as browsers do';
  if (acao !== '*' && acao !== 'echo' && acao !== origin) return `flask-cors sends ${acao} only to that origin, and this page is ${origin}`;
  const methods = parseList(policy.acam);
  if (methods === null || methods.some((m) => m !== m.toUpperCase())) return 'flask-cors upper-cases methods: it cannot send this Access-Control-Allow-Methods';
  if (parseList(policy.acah) === null || parseList(policy.aceh) === null) return 'these header lists are not valid lists of names';
  if (policy.max_age !== undefined && !/^\d+$/.test(policy.max_age)) return 'flask-cors takes max_age as a number of seconds, not this value';
  if (!['200', '204', undefined].includes(policy.preflight_status)) return `flask-cors answers preflights itself, always 200, never ${policy.preflight_status}`;
  return null;
}

function viewCode(policy, method) {
  const status = policy.status ?? '200';
  return [`@app.route("/lab", methods=${pyList([...new Set(['GET', method.toUpperCase()])])})`, 'def lab():', `    return jsonify(ok=True), ${status}`];
}

function flaskCorsCode(policy, origin, method) {
  const options = [];
  const acao = policy.acao ?? 'none';
  if (acao === 'none') {
    return ['from flask import Flask, jsonify', '', 'app = Flask(__name__)', '# No CORS(app): the answer carries no Access-Control-* header.', '', ...viewCode(policy, method)].join('\n');
  }
  options.push(`"origins": ${acao === '*' ? '"*"' : pyList([acao === 'echo' ? origin : acao])}`);
  if (policy.acac === 'true') options.push('"supports_credentials": True');
  if (policy.acam !== undefined) options.push(`"methods": ${pyList(parseList(policy.acam))}`);
  if (policy.acah !== undefined) options.push(`"allow_headers": ${pyList(parseList(policy.acah))}`);
  if (policy.aceh !== undefined) options.push(`"expose_headers": ${pyList(parseList(policy.aceh))}`);
  if (policy.max_age !== undefined) options.push(`"max_age": ${Number(policy.max_age)}`);
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

function rawCode(policy, method) {
  const lines = [
    'from flask import Flask, jsonify, request',
    '',
    'app = Flask(__name__)',
    '',
    `@app.route("/lab", methods=${pyList([...new Set(['OPTIONS', 'GET', method.toUpperCase()])])}, provide_automatic_options=False)`,
    'def lab():',
    '    if request.method == "OPTIONS":  # the preflight',
    `        response = app.response_class(status=${policy.preflight_status ?? '204'})`,
    '    else:',
    '        response = jsonify(ok=True)',
    `        response.status_code = ${policy.status ?? '200'}`,
  ];
  if (policy.acao === 'echo') {
    lines.push('    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")  # reflects ANY origin', '    response.headers["Vary"] = "Origin"');
  } else if (policy.acao !== undefined && policy.acao !== 'none') {
    lines.push(`    response.headers["Access-Control-Allow-Origin"] = ${py(policy.acao)}`);
  }
  for (const [key, header] of Object.entries(HEADERS)) {
    if (policy[key] !== undefined) lines.push(`    response.headers[${py(header)}] = ${py(policy[key])}`);
  }
  lines.push('    return response');
  return lines.join('\n');
}

export function serverCode(policy, origin, method) {
  const why = notExpressible(policy, origin);
  return why === null
    ? { kind: 'flask-cors', code: flaskCorsCode(policy, origin, method), why: null }
    : { kind: 'raw headers', code: rawCode(policy, method), why };
}
