-- The write scenarios (bench/ecritures.py): each request a POST on its own target, read from BENCH_CIBLES, one
-- target a line: cookie <TAB> path <TAB> urlencoded body. Thread `rang` of BENCH_FILS takes the targets
-- BENCH_DEBUT + rang, + BENCH_FILS, … (wrapping round the list when it runs out). The report: wrk's figures, the
-- responses by status and, per thread, how many targets it took (run.py starts the next level after them).
local cibles = {}
for ligne in io.lines(os.getenv("BENCH_CIBLES")) do
  local cookie, chemin, corps = ligne:match("^([^\t]*)\t([^\t]*)\t(.*)$")
  cibles[#cibles + 1] = {cookie, chemin, corps}
end

local fils = {}
function setup(thread)
  thread:set("rang", #fils)
  fils[#fils + 1] = thread
end

function init(args)
  pas = tonumber(os.getenv("BENCH_FILS"))
  debut = tonumber(os.getenv("BENCH_DEBUT"))
  pris = 0
  statuts = {}
end

function request()
  local i = debut + rang + pas * pris
  pris = pris + 1
  local c = cibles[(i % #cibles) + 1]
  return wrk.format("POST", c[2], {
    ["Cookie"] = c[1],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, c[3])
end

function response(status, headers, body)
  local cle = tostring(status)
  statuts[cle] = (statuts[cle] or 0) + 1
end

done = function(summary, latency, requests)
  local par_statut, pris_max = {}, 0
  for _, thread in ipairs(fils) do
    pris_max = math.max(pris_max, thread:get("pris"))
    for statut, n in pairs(thread:get("statuts")) do
      par_statut[statut] = (par_statut[statut] or 0) + n
    end
  end
  local morceaux = {}
  for statut, n in pairs(par_statut) do
    morceaux[#morceaux + 1] = string.format('"%s": %d', statut, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requetes": %d, "duree_us": %d, "octets": %d, "erreurs_connexion": %d, "erreurs_lecture": %d, '
      .. '"erreurs_ecriture": %d, "erreurs_statut": %d, "delais_depasses": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "moyenne_us": %.1f, '
      .. '"statuts": {%s}, "pris_par_fil_max": %d, "cibles": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    table.concat(morceaux, ", "), pris_max, #cibles))
end
