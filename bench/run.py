"""`make bench`: the application as in production, driven at several concurrency levels, against its two floors.

    make bench                                   # factor 1, concurrency 1, 4, 16 and 64, 3 s per measure
    make bench FACTEUR=10 DUREE=10 CONCURRENCES=1,4,16,32
    .venv/bin/python bench/run.py --help         # every option (the Makefile passes them through)

Steps: create the PostgreSQL database if missing (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ti_bench), migrate, load the référentiel, phases 1 and 2 and the demo (idempotent),
run `generate_scale_data --factor N` if the command exists, collect static files; then bench/scenarios.py picks the
records and captures each page's SQL; gunicorn starts on 127.0.0.1 with DEBUG=0 and BENCH=1 (SQL count header and
framework floor, ti/core/middleware_bench.py); wrk (Debian) drives each endpoint at each concurrency for a bounded
time; each page's main query is timed raw on PostgreSQL (psycopg) — the database floor; the exports' peak memory is
read from the worker's /proc; Lighthouse loads the home page and a territory page (bench/lighthouse.py); the write
scenarios post their prepared targets (bench/ecritures.py, bench/wrk_ecriture.lua) and the invariants are checked in
SQL. Results: bench/results/<date>.json and .md, the .md opening with the issue 16 targets (bench/objectifs.py);
bench/README.md explains them.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from bench import lighthouse, objectifs  # noqa: E402
from bench.objectifs import INVARIANTS  # noqa: E402

BIN = RACINE / ".venv" / "bin"
RESULTATS = RACINE / "bench" / "results"
HOTE = "127.0.0.1"
EXPORTS = ("export_scdl", "export_projets")


def etape(texte: str) -> None:
    print(f"\n== {texte}", flush=True)


def environnement(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-cle-secrete-locale-0123456789-jamais-en-production"),
        ALLOWED_HOSTS=HOTE,
        SECURE_SSL_REDIRECT="0",
        BENCH="1",
        LOG_LEVEL="WARNING",
        # As in production: the workers share one cache of figures (ti/core/cache.py); empty to keep it per process.
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
    )
    return env


def vider_cache(env: dict) -> None:
    """Start every run from an empty cache: the figures cached by an earlier run (or an earlier version of the code)
    must not be measured."""
    if env["CACHE_URL"]:
        manage(env, "shell", "-c", "from django.core.cache import cache; cache.clear()")


def analyser_la_base(database_url: str) -> None:
    """Fresh planner statistics, as autovacuum keeps them in production: a server may run without it (this machine's
    does), and a table loaded but never analysed is planned as if it held a few rows (the communes, 34 875 rows
    counted as 2 556, were read whole and hashed to find one territory's 150)."""
    with psycopg.connect(database_url, autocommit=True) as connexion:
        connexion.execute("ANALYZE")


def creer_base(database_url: str) -> None:
    base = database_url.rsplit("/", 1)[1].split("?")[0]
    serveur = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(serveur, autocommit=True) as connexion:
        if connexion.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base]).fetchone():
            print(f"Base {base} existante : réutilisée.")
        else:
            connexion.execute(f'CREATE DATABASE "{base}"')
            print(f"Base {base} créée.")


def manage(env: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "python"), "manage.py", *arguments], cwd=RACINE, env=env, check=True)


def commande_existe(env: dict, nom: str) -> bool:
    code = (
        "import django; django.setup(); from django.core.management import get_commands; "
        f"print({nom!r} in get_commands())"
    )
    sortie = subprocess.run(
        [str(BIN / "python"), "-c", code],
        cwd=RACINE,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return sortie.stdout.strip().endswith("True")


def charger(env: dict, facteur: str, regenerer: bool) -> dict:
    etape("Données : migrations, référentiel, phase 1, démonstration")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "import_cog", "data/cog-2026")
    manage(env, "import_territoires", "--phase", "1", "data/territoires-industrie/temps1-communes-2020.csv")
    manage(env, "import_territoires", "--phase", "2", "data/territoires-industrie/temps2-communes-2026.csv")
    manage(env, "charger_demo")
    etape(f"Données à l’échelle : generate_scale_data --factor {facteur}")
    if not commande_existe(env, "generate_scale_data"):
        print(
            "La commande generate_scale_data n’existe pas encore : mesure sur le référentiel et la démonstration seuls."
        )
        return {"generate_scale_data": "absente", "facteur": None}
    marque = RACINE / "var" / f"bench-facteur-{env['DATABASE_URL'].rsplit('/', 1)[1]}.txt"
    deja = marque.read_text().strip() if marque.exists() else None
    if deja == facteur and not regenerer:
        print(f"Facteur {facteur} déjà généré dans cette base ({marque}) : réutilisé (--regenerer pour refaire).")
        return {"generate_scale_data": "reutilisee", "facteur": facteur}
    debut = time.monotonic()
    try:  # another factor was generated before: --nettoyer removes the synthetic rows first
        manage(env, "generate_scale_data", "--factor", facteur, *(["--nettoyer"] if deja else []))
    except subprocess.CalledProcessError as erreur:
        print(f"generate_scale_data a échoué (code {erreur.returncode}) : mesure sur les données présentes.")
        marque.unlink(missing_ok=True)
        return {"generate_scale_data": f"echec (code {erreur.returncode})", "facteur": facteur}
    marque.parent.mkdir(exist_ok=True)
    marque.write_text(str(facteur))
    return {"generate_scale_data": "executee", "facteur": facteur, "duree_s": round(time.monotonic() - debut, 1)}


def volumes(database_url: str) -> dict:
    tables = {
        "communes": "referentiel_commune",
        "territoires": "territoires_territoire",
        "projets": "projets_projet",
        "dossiers": "financements_dossier",
        "utilisateurs": "comptes_utilisateur",
    }
    with psycopg.connect(database_url) as connexion:
        resultat = {}
        for nom, table in tables.items():
            try:
                resultat[nom] = connexion.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            except psycopg.Error:
                connexion.rollback()
                resultat[nom] = None
        return resultat


def plancher_bd(database_url: str, endpoints: list[dict], repetitions: int) -> None:
    """The database floor: each page's main query, run raw on PostgreSQL `repetitions` times (median, ms), parsed
    and planned at each run as Django runs it (client-side binding, no prepared statement): psycopg prepares a
    statement from its fifth run, and a prepared plan measured the planner's absence (a dossier page: 0.21 ms
    prepared, 1.68 ms not), not the ORM's cost. The prepared time is kept beside it (`plancher_bd_prepare_ms`)."""
    with psycopg.connect(database_url, autocommit=True) as connexion:
        for ligne in endpoints:
            sql = ligne.get("sql_principal")
            if not sql:
                continue
            for cle, prepare in (("plancher_bd_ms", False), ("plancher_bd_prepare_ms", True)):
                temps = []
                for _ in range(repetitions + 1):  # the first run warms the cache and is not kept
                    debut = time.perf_counter()
                    connexion.execute(sql, prepare=prepare).fetchall()
                    temps.append(time.perf_counter() - debut)
                ligne[cle] = round(statistics.median(temps[1:]) * 1000, 3)
            total = 0.0
            for requete in ligne.get("sql_toutes", []):
                debut = time.perf_counter()
                connexion.execute(requete).fetchall()
                total += time.perf_counter() - debut
            ligne["sql_toutes_ms"] = round(total * 1000, 3)


def demarrer_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    journal = RACINE / "var" / "bench-gunicorn.log"
    journal.parent.mkdir(exist_ok=True)
    commande = [
        str(BIN / "gunicorn"), "config.wsgi:application",
        "--bind", f"{HOTE}:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--error-logfile", str(journal), "--log-level", "warning",
    ]  # fmt: skip
    processus = subprocess.Popen(commande, cwd=RACINE, env=env, start_new_session=True)
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if processus.poll() is not None:
            raise SystemExit(f"gunicorn s’est arrêté (code {processus.returncode}) : voir {journal}")
        try:
            with urllib.request.urlopen(f"http://{HOTE}:{port}/bench/plancher", timeout=10) as reponse:
                if reponse.status == 200:
                    print(f"gunicorn prêt sur {HOTE}:{port}, {workers} workers (pid {processus.pid}).")
                    return processus
        except OSError:  # refused, reset or timed out while the workers boot: try again
            time.sleep(0.3)
    arreter(processus)
    raise SystemExit("gunicorn ne répond pas après 60 s")


def arreter(processus: subprocess.Popen) -> None:
    if processus.poll() is None:
        os.killpg(processus.pid, signal.SIGTERM)  # its own process group: the master and its workers
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(processus.pid, signal.SIGKILL)


def sonder(base: str, url: str, cookie: str) -> dict:
    """One request: status, SQL count header, response size, reading a streamed body to its end."""
    requete = urllib.request.Request(base + url, headers={"Cookie": cookie} if cookie else {})
    debut = time.perf_counter()
    try:
        with urllib.request.urlopen(requete, timeout=120) as reponse:
            taille = sum(len(bloc) for bloc in iter(lambda: reponse.read(65536), b""))
            statut, entetes = reponse.status, reponse.headers
    except urllib.error.HTTPError as erreur:
        taille, statut, entetes = len(erreur.read()), erreur.code, erreur.headers
    except (http.client.HTTPException, OSError) as erreur:  # e.g. a worker killed by gunicorn's timeout mid-stream
        return {"statut": None, "erreur": f"{type(erreur).__name__} après {time.perf_counter() - debut:.1f} s"}
    return {
        "statut": statut,
        "requetes_sql": int(entetes["X-Requetes-SQL"]) if entetes.get("X-Requetes-SQL") else None,
        "octets": taille,
        "duree_sonde_ms": round((time.perf_counter() - debut) * 1000, 1),
    }


REPOS_MS = 50  # the floor answers within this when no request is queued before it
REPOS_MAX_S = 60


def attendre_le_repos(base: str) -> float:
    """Wait until the server has served what an earlier level left queued: when wrk stops, the requests it sent
    (64 clients of slow writes: seconds of work) are still served by the workers, and the next level's first
    requests waited behind them (the 1–2 s « outliers » at one client). Three answers of the floor in a row, each
    within REPOS_MS, say that no request is waiting. Returns the seconds waited."""
    debut = time.monotonic()
    suite = 0
    while suite < 3 and time.monotonic() - debut < REPOS_MAX_S:
        avant = time.monotonic()
        with urllib.request.urlopen(f"{base}/bench/plancher", timeout=REPOS_MAX_S) as reponse:
            reponse.read()
        suite = suite + 1 if (time.monotonic() - avant) * 1000 < REPOS_MS else 0
    return round(time.monotonic() - debut, 2)


def charger_wrk(
    base: str, url: str, cookie: str, concurrence: int, duree: int, script: str = "wrk_rapport.lua", **env_script
) -> dict:
    attendre_le_repos(base)
    fils = min(concurrence, 2)
    commande = [
        "wrk", "-t", str(fils), "-c", str(concurrence), "-d", f"{duree}s", "--timeout", "10s",
        "-s", str(RACINE / "bench" / script), base + url,
    ]  # fmt: skip
    env_wrk = os.environ | {"BENCH_COOKIE": cookie, "BENCH_FILS": str(fils)}
    env_wrk |= {k: str(v) for k, v in env_script.items()}
    sortie = subprocess.run(commande, env=env_wrk, capture_output=True, text=True)
    ligne = next((x for x in sortie.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if ligne is None:
        return {"erreur": (sortie.stderr or sortie.stdout)[-500:]}
    brut = json.loads(ligne.removeprefix("BENCH_JSON "))
    if brut["requetes"] == 0:  # every request outlasted the measure: no latency to report
        return {"erreur": f"aucune requête terminée en {duree} s (allonger DUREE)", "requetes": 0}
    secondes = brut["duree_us"] / 1e6
    erreurs = sum(brut[k] for k in ("erreurs_connexion", "erreurs_lecture", "erreurs_ecriture", "delais_depasses"))
    return {
        "requetes": brut["requetes"],
        "debit_rps": round(brut["requetes"] / secondes, 1) if secondes else 0,
        "p50_ms": brut["p50_us"] / 1000,
        "p95_ms": brut["p95_us"] / 1000,
        "p99_ms": brut["p99_us"] / 1000,
        "max_ms": brut["max_us"] / 1000,
        "non_2xx_3xx": brut["erreurs_statut"],
        "erreurs": erreurs,
    } | {cle: brut[cle] for cle in ("statuts", "pris_par_fil_max", "cibles") if cle in brut}


CHAUFFE_CLIENTS = 4  # one per gunicorn worker


def charger_ecritures(base: str, ecritures: dict, concurrences: list[int], duree: int) -> list[dict]:
    """Each write scenario at each concurrency: bench/wrk_ecriture.lua posts its targets in turn, each level
    starting after the targets the previous one took, so that no two levels write to the same object."""
    resultats = []
    for nom, scenario in ecritures.items():
        cibles = scenario["cibles"]
        ligne = {"nom": nom, "libelle": scenario["libelle"], "cibles": len(cibles), "charge": {}}
        resultats.append(ligne)
        if not cibles:
            ligne["absent"] = "aucune cible dans cette base"
            print(f"{scenario['libelle']} : non mesuré (aucune cible).", flush=True)
            continue
        fichier = RACINE / "var" / f"bench-cibles-{nom}.tsv"
        fichier.write_text("".join(f"{cookie}\t{chemin}\t{corps}\n" for cookie, chemin, corps in cibles))
        # Warm-up, not kept, as for the pages: each worker imports and compiles what the write needs at its first one.
        chauffe = charger_wrk(
            base, "/", "", CHAUFFE_CLIENTS, 1, "wrk_ecriture.lua", BENCH_CIBLES=fichier, BENCH_DEBUT=0
        )
        debut = chauffe.get("pris_par_fil_max", 0) * min(CHAUFFE_CLIENTS, 2)
        for c in concurrences:
            ligne["charge"][str(c)] = mesure = charger_wrk(
                base, "/", "", c, duree, "wrk_ecriture.lua", BENCH_CIBLES=fichier, BENCH_DEBUT=debut
            )
            mesure["premiere_cible"] = debut
            debut += mesure.get("pris_par_fil_max", 0) * min(c, 2)
            mesure["cibles_bouclees"] = debut > len(cibles)
            print(
                f"{scenario['libelle']:<40} c={c:<3} "
                + (f"{mesure['debit_rps']:>8.1f} req/s  p95 {mesure['p95_ms']:.1f} ms  statuts {mesure.get('statuts')}"
                   if "erreur" not in mesure else f"wrk : {mesure['erreur']}"),
                flush=True,
            )  # fmt: skip
        fichier.unlink()
    return resultats


def invariants(database_url: str) -> list[dict]:
    """After the writes: each invariant of bench/ecritures.py, with the rows that break it (none expected)."""
    with psycopg.connect(database_url) as connexion:
        return [
            {"invariant": libelle, "violations": [list(map(str, r)) for r in connexion.execute(sql).fetchall()]}
            for libelle, sql in INVARIANTS.items()
        ]


def workers(processus: subprocess.Popen) -> list[int]:
    chemin = Path(f"/proc/{processus.pid}/task/{processus.pid}/children")
    return [int(pid) for pid in chemin.read_text().split()] if chemin.exists() else []


def statut_memoire(pid: int, champ: str) -> int:
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith(champ + ":"):
            return int(ligne.split()[1])  # kB
    return 0


def remettre_pic(pid: int) -> int:
    """Reset the process's peak RSS (VmHWM) to its current RSS, through /proc/<pid>/clear_refs; the RSS in kB."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return statut_memoire(pid, "VmRSS")


def memoire_export(env: dict, port: int, base: str, urls: list[str], cookie: str) -> list[dict]:
    """Peak RSS growth of one fresh worker serving the same export at growing sizes.

    A worker that served other pages before has a heap already grown, which could hide an export's growth: so a
    new gunicorn with a single worker serves the smallest export once (imports, templates, connection: not kept),
    then each size in turn, the peak reset before each. Constant memory shows as the same small growth at every
    size.
    """
    serveur = demarrer_gunicorn(env, port, 1)
    try:
        (pid,) = workers(serveur)
        sonder(base, urls[0], cookie)
        mesures = []
        for url in urls:
            avant = remettre_pic(pid)
            sonde = sonder(base, url, cookie)
            if "erreur" in sonde:
                mesures.append({"url": url, "erreur": sonde["erreur"]})
                break  # the worker is gone
            pic = statut_memoire(pid, "VmHWM")
            mesures.append(
                {
                    "url": url,
                    "octets": sonde["octets"],
                    "duree_ms": sonde["duree_sonde_ms"],
                    "rss_avant_ko": avant,
                    "pic_ko": pic,
                    "croissance_ko": pic - avant,
                }
            )
        return mesures
    except OSError as erreur:
        return [{"url": urls[0], "erreur": f"/proc : {erreur}"}]
    finally:
        arreter(serveur)


def ms(valeur) -> str:
    if valeur is None:
        return "—"
    return (f"{valeur:,.1f}" if valeur >= 10 else f"{valeur:.2f}" if valeur >= 0.1 else f"{valeur:.3f}").replace(
        ",", " "
    )


def taille(octets) -> str:
    if octets is None:
        return "—"
    return f"{octets / 1024:,.1f} Ko".replace(",", " ") if octets >= 1024 else f"{octets} o"


def ratio(a, b) -> str:
    return "—" if not a or not b else f"{a / b:.2f}"


def pourcentage(a, b) -> str:
    return "—" if not a or not b else f"{100 * a / b:.2f} %"


def resume(resultat: dict) -> str:
    parametres = resultat["parametres"]
    concurrences = parametres["concurrences"]
    haute = str(max(concurrences))
    plancher = next(e for e in resultat["endpoints"] if e["nom"] == "plancher")
    lignes = [
        f"# Banc de mesure — {resultat['date']}",
        "",
        f"Commit `{resultat['commit']}`, données : {resultat['donnees']}, volumes : {resultat['volumes']}.",
        f"gunicorn {parametres['workers']} workers sync, DEBUG=0, PostgreSQL ; wrk {parametres['duree_s']} s "
        f"par mesure ; {parametres['cpu']} CPU. Voir bench/README.md pour lire ces tableaux.",
        "",
        *objectifs.section(resultat),
        f"## Synthèse à {haute} clients simultanés",
        "",
        "| Endpoint | Statut | Taille | SQL/req (en-tête) | SQL (flux compris) | req/s | p50 ms | p95 ms | p99 ms "
        "| % du débit plancher fw | SQL principale brute ms | p50 (1 client) / SQL principale "
        "| ORM / brut (SQL principale) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for e in resultat["endpoints"]:
        if e.get("url") is None:
            lignes.append(f"| {e['libelle']} | absent : {e.get('absent')} |" + " |" * 11)
            continue
        charge = e["charge"].get(haute, {})
        un = e["charge"].get(str(min(concurrences)), {})
        plancher_debit = plancher["charge"].get(haute, {}).get("debit_rps")
        sonde = e["sonde"]
        statut = sonde["statut"] if "erreur" not in sonde else f"échec : {sonde['erreur']}"
        lignes.append(
            f"| {e['libelle']} | {statut} | {taille(sonde.get('octets'))} "
            f"| {sonde['requetes_sql'] if sonde.get('requetes_sql') is not None else '—'} "
            f"| {e.get('requetes_client_test', '—')} "
            f"| {ms(charge.get('debit_rps'))} | {ms(charge.get('p50_ms'))} | {ms(charge.get('p95_ms'))} "
            f"| {ms(charge.get('p99_ms'))} | {pourcentage(charge.get('debit_rps'), plancher_debit)} "
            f"| {ms(e.get('plancher_bd_ms')) if e.get('plancher_bd_ms') is not None else '—'} "
            f"| {ratio(un.get('p50_ms'), e.get('plancher_bd_ms'))} "
            f"| {ratio(e.get('temps_orm_ms'), e.get('plancher_bd_ms'))} |"
        )
    lignes += [
        "",
        "## Détail par niveau de concurrence",
        "",
        "| Endpoint | Clients | req/s | p50 ms | p95 ms | p99 ms | max ms | non 2xx/3xx | erreurs |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in resultat["endpoints"]:
        for c, m in e.get("charge", {}).items():
            if "erreur" in m:
                lignes.append(f"| {e['libelle']} | {c} | wrk : {m['erreur'][:80]} |" + " |" * 6)
                continue
            lignes.append(
                f"| {e['libelle']} | {c} | {ms(m['debit_rps'])} | {ms(m['p50_ms'])} | {ms(m['p95_ms'])} "
                f"| {ms(m['p99_ms'])} | {ms(m['max_ms'])} | {m['non_2xx_3xx']} | {m['erreurs']} |"
            )
    if resultat.get("ecritures"):
        lignes += ["", "## Écritures sous charge, par niveau de concurrence", "",
                   "| Scénario | Clients | req/s | p50 ms | p95 ms | p99 ms | max ms | Réponses | Cibles à partir de "
                   "| erreurs |", "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for s in resultat["ecritures"]:
            for c, m in s.get("charge", {}).items():
                if "erreur" in m:
                    lignes.append(f"| {s['libelle']} | {c} | wrk : {m['erreur'][:80]} |" + " |" * 7)
                    continue
                statuts = ", ".join(f"{k} : {v}" for k, v in sorted(m.get("statuts", {}).items()))
                lignes.append(
                    f"| {s['libelle']} | {c} | {ms(m['debit_rps'])} | {ms(m['p50_ms'])} | {ms(m['p95_ms'])} "
                    f"| {ms(m['p99_ms'])} | {ms(m['max_ms'])} | {statuts} | {m['premiere_cible']} "
                    f"| {m['erreurs']} |"
                )
    for page in resultat.get("lighthouse", {}).get("pages", []):
        lignes += ["", f"## Feuilles de style et scripts chargés : `{page['url']}`", ""]
        if "erreur" in page:
            lignes.append(f"Lighthouse en échec : {page['erreur'][:300]}")
            continue
        lignes += ["| Ressource | Type | Octets transférés |", "|---|---|---|"]
        lignes += [f"| `{r['url']}` | {r['type']} | {taille(r['octets'])} |" for r in page["ressources"]]
    if resultat.get("memoire_exports"):
        lignes += ["", "## Mémoire des exports en flux (un worker gunicorn neuf, /proc)", "",
                   "| Export | URL | Taille | Durée | RSS avant | Pic | Croissance |",
                   "|---|---|---|---|---|---|---|"]  # fmt: skip
        for m in resultat["memoire_exports"]:
            if "erreur" in m:
                lignes.append(f"| {m['nom']} | {m.get('url', '')} | {m['erreur']} | | | | |")
                continue
            lignes.append(
                f"| {m['nom']} | `{m['url']}` | {taille(m['octets'])} | {ms(m.get('duree_ms'))} ms "
                f"| {m['rss_avant_ko'] / 1024:.1f} Mo "
                f"| {m['pic_ko'] / 1024:.1f} Mo | {m['croissance_ko'] / 1024:.1f} Mo |"
            )
    return "\n".join(lignes) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/ti_bench"
    )
    parser.add_argument("--facteur", default="1", help="passé à generate_scale_data --factor (défaut 1)")
    parser.add_argument("--concurrences", default="1,4,16,64", help="clients simultanés, séparés par des virgules")
    parser.add_argument("--duree", type=int, default=3, help="secondes de charge par endpoint et par concurrence")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--repetitions-sql", type=int, default=20, help="exécutions de chaque requête brute")
    parser.add_argument("--sans-chargement", action="store_true", help="la base est déjà prête : ne rien charger")
    parser.add_argument("--regenerer", action="store_true", help="refaire generate_scale_data même au même facteur")
    parser.add_argument("--seulement", default="", help="noms d’endpoints à mesurer, séparés par des virgules")
    # Enough targets that no level up to 16 clients meets an object an earlier level wrote (a filed dossier refused).
    parser.add_argument("--ecritures", type=int, default=1500, help="cibles par scénario d’écriture (0 : aucune)")
    parser.add_argument("--sans-lighthouse", action="store_true", help="ne pas lancer Lighthouse")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Le banc mesure sur PostgreSQL : BENCH_DATABASE_URL doit être une URL postgres://")
    if not shutil.which("wrk"):
        raise SystemExit("wrk est introuvable : `apt-get install wrk` (make bench l’installe).")
    concurrences = [int(c) for c in args.concurrences.split(",") if c.strip()]
    env = environnement(args.database_url)
    debut = datetime.now(UTC)

    etape(f"Base PostgreSQL {args.database_url}")
    creer_base(args.database_url)
    donnees = {"chargement": "ignore"} if args.sans_chargement else charger(env, args.facteur, args.regenerer)
    analyser_la_base(args.database_url)
    vider_cache(env)
    etape("Fichiers statiques")
    manage(env, "collectstatic", "--no-input", "-v", "0")

    etape("Scénarios : enregistrements choisis, session du compte de mesure, SQL de chaque page")
    fichier = RESULTATS / "scenarios.tmp"
    subprocess.run(
        [BIN / "python", "bench/scenarios.py", "--sortie", fichier, "--ecritures", str(args.ecritures)],
        cwd=RACINE,
        env=env,
        check=True,
    )
    scenarios = json.loads(fichier.read_text())
    fichier.unlink()
    endpoints = scenarios["endpoints"]
    if args.seulement:
        gardes = set(args.seulement.split(",")) | {"plancher"}
        endpoints = [e for e in endpoints if e["nom"] in gardes]
    cookies = scenarios["cookies"]

    etape(f"Plancher base de données : SQL principale de chaque page, {args.repetitions_sql} exécutions brutes")
    plancher_bd(args.database_url, endpoints, args.repetitions_sql)

    etape("Serveur : gunicorn, DEBUG=0, BENCH=1")
    gunicorn = demarrer_gunicorn(env, args.port, args.workers)
    base = f"http://{HOTE}:{args.port}"
    memoire, resultats_ecritures, pages_lighthouse = [], [], {"absent": "pas lancé", "pages": []}
    try:
        for e in endpoints:
            if e.get("url") is None:
                print(f"{e['libelle']} : non mesuré ({e.get('absent')}).")
                continue
            cookie_page = "" if e.get("anonyme") else cookies.get(e["profil"], "")
            e["sonde"] = sonder(base, e["url"], cookie_page)
            # Warm-up, not kept: every worker compiles this page's URL patterns and templates on its first request.
            charger_wrk(base, e["url"], cookie_page, args.workers, 1)
            e["charge"] = {}
            for c in concurrences:
                e["charge"][str(c)] = mesure = charger_wrk(base, e["url"], cookie_page, c, args.duree)
                print(
                    f"{e['libelle']:<40} c={c:<3} "
                    + (f"{mesure['debit_rps']:>8.1f} req/s  p50 {mesure['p50_ms']:.1f}  p95 {mesure['p95_ms']:.1f}  "
                       f"p99 {mesure['p99_ms']:.1f} ms  non-2xx {mesure['non_2xx_3xx']}"
                       if "erreur" not in mesure else f"wrk : {mesure['erreur']}"),
                    flush=True,
                )  # fmt: skip
        plancher = next((e for e in endpoints if e["nom"] == "plancher"), None)
        if plancher and plancher.get("charge"):
            # Measured again after the pages: a floor taken while the shared machine was busy would make every
            # page look closer to it. The higher throughput of the two is the one the pages are compared to.
            for c in concurrences:
                fin = charger_wrk(base, plancher["url"], "", c, args.duree)
                debut_ = plancher["charge"][str(c)]
                plancher.setdefault("charge_debut_et_fin", {})[str(c)] = [debut_, fin]
                if fin.get("debit_rps", 0) > debut_.get("debit_rps", 0):
                    plancher["charge"][str(c)] = fin
                print(f"Plancher du framework (de nouveau)        c={c:<3} {fin.get('debit_rps', 0):>8.1f} req/s")
        if args.sans_lighthouse:
            pages_lighthouse = {"absent": "--sans-lighthouse", "pages": []}
        else:
            etape("Lighthouse : accueil et page d’un territoire, mobile, 4G simulée")
            territoire = next((e["url"] for e in endpoints if e["nom"] == "territoire" and e.get("url")), None)
            pages_lighthouse = lighthouse.mesurer_pages(base, ["/", *([territoire] if territoire else [])])
            print(json.dumps(pages_lighthouse, ensure_ascii=False)[:2000], flush=True)
        etape("Écritures sous charge")
        resultats_ecritures = charger_ecritures(base, scenarios.get("ecritures", {}), concurrences, args.duree)
    finally:
        arreter(gunicorn)
    controles = invariants(args.database_url) if resultats_ecritures else []
    for controle in controles:
        print(f"{controle['invariant']} : {len(controle['violations'])} ligne(s) en défaut", flush=True)

    etape("Mémoire des exports en flux : pic RSS d’un worker neuf, à deux tailles")
    region = next(
        (e["url"].rsplit("/", 2)[1] for e in endpoints if e["nom"] == "chiffres_region" and e.get("url")), None
    )
    projets = "/api/v1/projets/export/projets-collectivites.csv"
    for nom, urls in (
        ("export_scdl", ["/api/v1/subventions.csv"]),
        ("export_projets", [f"{projets}?region={region}", projets] if region else [projets]),
    ):
        for mesure in memoire_export(env, args.port, base, urls, cookies.get("national", "")):
            memoire.append({"nom": nom} | mesure)
            print(memoire[-1], flush=True)

    for e in endpoints:
        e.pop("sql_toutes", None)  # kept out of the results: long, and in the scenario's SQL capture only
    resultat = {
        "date": debut.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=RACINE, capture_output=True, text=True
        ).stdout.strip(),
        "donnees": donnees,
        "volumes": volumes(args.database_url),
        "parametres": {
            "concurrences": concurrences,
            "duree_s": args.duree,
            "workers": args.workers,
            "repetitions_sql": args.repetitions_sql,
            "cpu": os.cpu_count(),
            "outil": "wrk",
        },  # fmt: skip
        "endpoints": endpoints,
        "ecritures": resultats_ecritures,
        "invariants": controles,
        "lighthouse": pages_lighthouse,
        "memoire_exports": memoire,
    }
    RESULTATS.mkdir(exist_ok=True)
    nom = debut.strftime("%Y-%m-%d-%H%M")
    (RESULTATS / f"{nom}.json").write_text(json.dumps(resultat, ensure_ascii=False, indent=2) + "\n")
    texte = resume(resultat)
    (RESULTATS / f"{nom}.md").write_text(texte)
    etape(f"Résultats : bench/results/{nom}.json et .md")
    print(texte)


if __name__ == "__main__":
    main()
