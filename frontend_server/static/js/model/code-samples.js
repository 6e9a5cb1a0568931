// The code a lesson runs, as source to show: what core/transport.js sends for the same
// arguments, with XMLHttpRequest, fetch() or a JSONP script element. Its comments are in the
// page's language when the page passes its t() as `translate` (messages code.*), else in English.

// say(key, english, params): one comment of the generated code.
export const commentsIn = (translate) => (key, english, params = {}) => (translate ? translate(`code.${key}`, params) : english);

export function fetchSource({ method, url, headers = {}, body = null, withCredentials = false, mode = 'cors' }, translate) {
  const init = [`method: ${JSON.stringify(method)}`];
  if (mode !== 'cors') init.push(`mode: ${JSON.stringify(mode)}`);
  if (withCredentials) init.push("credentials: 'include'");
  if (Object.keys(headers).length) init.push(`headers: ${JSON.stringify(headers)}`);
  if (body !== null) init.push(`body: ${JSON.stringify(body)}`);
  return [
    `fetch(${JSON.stringify(url)}, { ${init.join(', ')} })`,
    '  .then((response) => console.log(response.type, response.status))',
    `  .catch((error) => console.log(error)); // ${commentsIn(translate)('fetch-fails', 'TypeError: Failed to fetch')}`,
  ].join('\n');
}

export function xhrSource({ method, url, headers = {}, body = null, withCredentials = false }, translate) {
  const lines = ['const xhr = new XMLHttpRequest();', `xhr.open(${JSON.stringify(method)}, ${JSON.stringify(url)});`];
  if (withCredentials) lines.push('xhr.withCredentials = true;');
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`xhr.setRequestHeader(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  }
  lines.push(
    'xhr.onload = () => console.log(xhr.status, xhr.responseText);',
    `xhr.onerror = () => console.log('error event, status', xhr.status); // ${commentsIn(translate)('always-0', 'always 0')}`,
    `xhr.send(${body === null ? '' : JSON.stringify(body)});`,
  );
  return lines.join('\n');
}

export function jsonpSource({ jsonp, callback }) {
  return [
    `window.labJsonp = { ${callback}: (data) => console.log(data) };`,
    "const script = document.createElement('script');",
    `script.src = ${JSON.stringify(jsonp)};`,
    'document.head.append(script);',
  ].join('\n');
}

// An experiment's whole code for `ctx`: what the page prepares (prepare.code, if the function has
// one), its setup, each step, and what it looks at after (after.code, or a word on it).
export function experimentSource(experiment, ctx, translate) {
  const say = commentsIn(translate);
  const lines = [...(experiment.prepare?.code?.(ctx, say) ?? [])];
  if (lines.length) lines.push('');
  const setup = experiment.setup?.(ctx) ?? [];
  if (setup.length) {
    const requests = setup.map((request) => `${request.method} ${request.url}`).join(', ');
    lines.push(`// ${translate('exppage.code.setup', { requests })}`, '');
  }
  for (const step of experiment.steps(ctx)) {
    if (step.jsonp) lines.push(jsonpSource(step));
    else lines.push((step.transport ?? ctx.transport) === 'fetch' ? fetchSource(step, translate) : xhrSource(step, translate));
    lines.push('');
  }
  if (experiment.after?.code) lines.push(...experiment.after.code(ctx, say));
  else if (experiment.after) lines.push(`// ${translate('exppage.code.after')}`);
  return lines.join('\n').trim();
}
