-- wrk's report as one JSON line (read by bench/run.py): counts, bytes, errors and latency percentiles in µs.
-- The session cookie comes from the environment, as wrk's -H would give it.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requetes": %d, "duree_us": %d, "octets": %d, "erreurs_connexion": %d, "erreurs_lecture": %d, '
      .. '"erreurs_ecriture": %d, "erreurs_statut": %d, "delais_depasses": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "moyenne_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
