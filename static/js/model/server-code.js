// The server side of a playground configuration, as Python: flask-cors configuration where
// flask-cors can express the policy, raw response headers where it cannot (the broken ones).
// Header lists are parsed as cors-model.js parses them (configure() it first).
import { parseList } from './cors-model.js';

const SERIALIZED_ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d+)?$|^https?:\/\/\[[0-9a-f:.]+\](:\d+)?$/;
const py = (value) => JSON.stringify(value);
const pyList = (items) => `[${items.map(py).join(', ')}]`;
// /lab parameter -> [response header, flask-cors option as Python] (acac: see supports_credentials).
const HEADERS = {
  acac: ['Access-Control-Allow-Credentials'],
  acam: ['Access-Control-Allow-Methods', (value) => `"methods": ${pyList(parseList(value))}`],
  acah: ['Access-Control-Allow-Headers', (value) => `"allow_headers": ${pyList(parseList(value))}`],
  aceh: ['Access-Control-Expose-Headers', (value) => `"expose_headers": ${pyList(parseList(value))}`],
  max_age: ['Access-Control-Max-Age', (value) => `"max_age": ${Number(value)}`],
};

// Why flask-cors cannot produce this policy ([message key, params]), or null if it can.
function notExpressible(policy, origin) {
  const acao = policy.acao ?? 'none';
  if (acao === 'none') {
    return Object.keys(HEADERS).some((k) => policy[k] !== undefined) ? ['server.why.no-origin'] : null;
  }
  if (acao !== '*' && acao !== 'echo' && !SERIALIZED_ORIGIN.test(acao)) return ['server.why.acao', { value: acao }];
  if (policy.acac !== undefined && policy.acac !== 'true') return ['server.why.acac', { value: policy.acac }];
  if (acao === '*' && policy.acac === 'true') return ['server.why.star-with-credentials'];
  if (acao !== '*' && acao !== 'echo' && acao !== origin) return ['server.why.other-origin', { value: acao, origin }];
  const methods = parseList(policy.acam);
  if (methods === null || methods.some((m) => m !== m.toUpperCase())) return ['server.why.methods'];
  if (parseList(policy.acah) === null || parseList(policy.aceh) === null) return ['server.why.lists'];
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

function flaskCorsCode(policy, origin, method) {
  const options = [];
  const acao = policy.acao ?? 'none';
  if (acao === 'none') {
    return [
      'from flask import Flask, jsonify',
      '',
      'app = Flask(__name__)',
      '# No CORS(app): the answer carries no Access-Control-* header.',
      '',
      ...viewCode(policy, method),
    ].join('\n');
  }
  options.push(`"origins": ${acao === '*' ? '"*"' : pyList([acao === 'echo' ? origin : acao])}`);
  if (policy.acac === 'true') options.push('"supports_credentials": True');
  for (const [key, [, option]] of Object.entries(HEADERS)) {
    if (option && policy[key] !== undefined) options.push(option(policy[key]));
  }
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
    `@app.route("/lab", methods=${pyList([...new Set(['OPTIONS', 'GET', method.toUpperCase()])])},`
      + ' provide_automatic_options=False)',
    'def lab():',
    '    if request.method == "OPTIONS":  # the preflight',
    `        response = app.response_class(status=${policy.preflight_status ?? '204'})`,
    '    else:',
    '        response = jsonify(ok=True)',
    `        response.status_code = ${policy.status ?? '200'}`,
  ];
  if (policy.acao === 'echo') {
    lines.push(
      '    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "")  # reflects ANY origin',
      '    response.headers["Vary"] = "Origin"',
    );
  } else if (policy.acao !== undefined && policy.acao !== 'none') {
    lines.push(`    response.headers["Access-Control-Allow-Origin"] = ${py(policy.acao)}`);
  }
  for (const [key, [header]] of Object.entries(HEADERS)) {
    if (policy[key] !== undefined) lines.push(`    response.headers[${py(header)}] = ${py(policy[key])}`);
  }
  lines.push('    return response');
  return lines.join('\n');
}

export function serverCode(policy, origin, method) {
  const why = notExpressible(policy, origin);
  return why === null
    ? { kind: 'flask-cors', code: flaskCorsCode(policy, origin, method), why: null }
    : { kind: 'raw-headers', code: rawCode(policy, method), why };
}
