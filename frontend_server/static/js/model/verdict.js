// Could JavaScript read the answer? The one verdict every page shows for a request, from what
// the transport observed (core/transport.js): 'allowed' (JavaScript read it), 'blocked' (the
// browser kept it from JavaScript), or 'none' when the page sent nothing to read.

export const couldRead = (result) => result?.readable === true;

export function verdictOf(result) {
  if (result === undefined || result === null) return 'none';
  return couldRead(result) ? 'allowed' : 'blocked';
}
