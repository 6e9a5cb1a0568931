// The same-origin baseline's requests: sent cross-origin by the experiments page, and to its own
// origin by the API's /baseline (pages/baseline.js). Imports nothing: the API serves it as it is.
export const baselineRequests = (base, run) => {
  const lab = `${base}/lab?acao=echo&acam=PUT&acah=content-type&run=${run}`;
  return [
    { method: 'GET', url: lab },
    { method: 'PUT', url: lab, headers: { 'Content-Type': 'application/json' }, body: '{"hello":"cors"}' },
  ];
};
