// The order in which Chromium 156 walks a request's headers: the refused one its console line names
// is the first unsafe one in it (preflight_result.cc, EnsureAllowedCrossOriginHeaders). It is the
// order of Blink's HTTPHeaderMap, a WTF hash table keyed by CaseFoldingHash (rapidhash); sources
// and the rule in docs/browser-facts.md, "Which refused header Chromium names".
import { isForbiddenHeader, normalizeHeaderValue, unsafeHeaderReason } from './fetch-rules.js';

const M = (1n << 64n) - 1n;
const [S0, S1, S2] = [0x2d358dccaa6c78a5n, 0x8bb84b93962eacc9n, 0x4b33a62ed433d4a3n];
const BLINK_ADDS = ['sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform', 'user-agent'];
const mix = (a, b) => ((a * b) & M) ^ ((a * b) >> 64n);

function rd(bytes, at, count) {
  let value = 0n;
  for (let k = count - 1; k >= 0; k -= 1) value = (value << 8n) | BigInt(bytes[at + k]);
  return value;
}

// rapidhash (the 2024 one Chromium carries) of the lower-cased name as UTF-16, its top 8 bits masked.
function hash(name) {
  const b = [...name.toLowerCase()].flatMap((c) => [c.charCodeAt(0), 0]);
  const n = b.length;
  let seed = 0xbdd89aa982704029n;
  seed ^= mix(seed ^ S0, S1) ^ BigInt(n);
  let [a, c] = [BigInt(b[0]), 0n]; // one character: CaseFoldingHashReader::ReadSmall
  if (n > 2 && n <= 16) {
    const d = (n & 24) >> (n >> 3);
    [a, c] = [(rd(b, 0, 4) << 32n) | rd(b, n - 4, 4), (rd(b, d, 4) << 32n) | rd(b, n - 4 - d, 4)];
  } else if (n > 16) {
    let [p, i, e1, e2] = [0, n, seed, seed];
    if (i > 48) {
      do {
        seed = mix(rd(b, p, 8) ^ S0, rd(b, p + 8, 8) ^ seed);
        e1 = mix(rd(b, p + 16, 8) ^ S1, rd(b, p + 24, 8) ^ e1);
        e2 = mix(rd(b, p + 32, 8) ^ S2, rd(b, p + 40, 8) ^ e2);
        [p, i] = [p + 48, i - 48];
      } while (i >= 48);
      seed ^= e1 ^ e2;
    }
    if (i > 16) seed = mix(rd(b, p, 8) ^ S2, rd(b, p + 8, 8) ^ seed ^ S1);
    if (i > 32) seed = mix(rd(b, p + 16, 8) ^ S2, rd(b, p + 24, 8) ^ seed);
    [a, c] = [rd(b, p + i - 16, 8), rd(b, p + i - 8, 8)];
  }
  const [x, y] = [a ^ S1, c ^ seed];
  return Number(mix(((x * y) & M) ^ S0 ^ BigInt(n), ((x * y) >> 64n) ^ S1) & 0xffffffn) || 0x800000;
}

// A WTF::HashMap's iteration order for keys added in `names`' order: 8 slots at first, doubled
// (rehashed in slot order) when twice the keys reach the size, probing i += 1, 2, 3…
function hashMapOrder(names) {
  let slots = [];
  const place = (table, name) => {
    let i = hash(name) & (table.length - 1);
    for (let k = 1; table[i] !== undefined; k += 1) i = (i + k) & (table.length - 1);
    table[i] = name;
  };
  for (const name of names.map((n) => n.toLowerCase())) {
    if (slots.includes(name)) continue;
    place((slots = slots.length ? slots : new Array(8)), name);
    if (slots.filter(Boolean).length * 2 >= slots.length) {
      const old = slots.filter(Boolean);
      slots = new Array(slots.length * 2);
      old.forEach((kept) => place(slots, kept));
    }
  }
  return slots.filter(Boolean);
}

// The script's headers (`names`, none forbidden) as Chromium walks them: fetch() adds its Headers
// list (sorted), XMLHttpRequest its own map's order; Content-Type for a body; then what Blink adds.
export function chromiumHeaderOrder(names, transport, body) {
  const script = body && !names.some((name) => /^content-type$/i.test(name)) ? [...names, 'content-type'] : names;
  const author = transport === 'fetch' ? script.map((name) => name.toLowerCase()).sort() : hashMapOrder(script);
  return hashMapOrder([...author, ...BLINK_ADDS]);
}

// `unsafe` (lower case) in the order Chromium checks them for `request` (a body unless GET or HEAD,
// when `body` is not given): the unsafe ones, then those only past 1024 bytes of safelisted values.
// Other engines are not modelled on this point: alphabetical.
export function chromiumWalk(unsafe, { headers, transport, body, method, engine = 'chromium' }) {
  if (engine !== 'chromium') return [...unsafe].sort();
  const names = Object.keys(headers).filter((name) => !isForbiddenHeader(name));
  const order = chromiumHeaderOrder(names, transport, body ?? !['GET', 'HEAD'].includes(method));
  const value = (lower) => headers[names.find((name) => name.toLowerCase() === lower)];
  const last = (name) => (unsafeHeaderReason(name, normalizeHeaderValue(value(name)), engine) ? 0 : 1);
  return [...unsafe].sort((a, b) => last(a) - last(b) || order.indexOf(a) - order.indexOf(b));
}
