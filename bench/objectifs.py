"""The targets of issue 16, read off a bench result: one line per target, its figure, met or not.

Pure functions on run.py's result dictionary (no Django, no server), tested in tests/bench/test_objectifs.py; the
invariants' SQL is here too, so that run.py can check them without Django.
"""

CLIENTS_CIBLE = "16"  # the targets are set at 16 clients
CLIENTS_QUEUE = "64"  # the tail (p99) is reported at 64
PART_DU_PLANCHER_MIN = 50.0  # % of the framework floor's throughput, public pages
P95_PUBLIC_MS = 50.0
P95_CONNECTE_MS = 150.0
ORM_SUR_BRUT_MAX = 3.0
P95_ECRITURE_MS = 300.0
CLIENTS_ECRITURE_MAX = 16  # the writes' objective: at 1, 4 and 16 clients
LCP_MAX_MS = 2500.0
SCORE_MIN = 90

# Checked on PostgreSQL after the writes: each query returns the rows that break the invariant (none expected).
INVARIANTS = {
    "Enveloppes jamais surengagées (somme des montants accordés ≤ montant de l’enveloppe)": """
        SELECT e.id, e.montant, sum(d.montant_accorde) AS accorde
        FROM financements_enveloppe e JOIN financements_dossier d ON d.enveloppe_id = e.id
        WHERE d.statut IN ('accepte', 'engage', 'solde') AND d.montant_accorde IS NOT NULL
        GROUP BY e.id, e.montant HAVING sum(d.montant_accorde) > e.montant""",
    "Places des événements jamais dépassées (inscrits ≤ capacité)": """
        SELECT ev.id, ev.capacite, count(*) AS inscrits
        FROM animation_evenement ev JOIN animation_inscription i ON i.evenement_id = ev.id
        WHERE i.statut = 'inscrit' GROUP BY ev.id, ev.capacite HAVING count(*) > ev.capacite""",
    "Aucune inscription en double (une par personne et par événement)": """
        SELECT evenement_id, participant_id, count(*) FROM animation_inscription
        GROUP BY evenement_id, participant_id HAVING count(*) > 1""",
    "Aucun dépôt en double (un passage brouillon → déposé par dossier)": """
        SELECT dossier_id, count(*) FROM financements_transition
        WHERE de = 'brouillon' AND vers = 'depose' GROUP BY dossier_id HAVING count(*) > 1""",
}


def _ok(atteint: bool | None) -> str:
    return "—" if atteint is None else "✅" if atteint else "❌"


def part_du_plancher(endpoint: dict, plancher: dict, clients: str) -> float | None:
    debit = endpoint.get("charge", {}).get(clients, {}).get("debit_rps")
    reference = plancher.get("charge", {}).get(clients, {}).get("debit_rps")
    return 100 * debit / reference if debit and reference else None


def public(endpoint: dict, plancher: dict) -> dict:
    """A public page or API: ≥ 50 % of the framework floor and p95 < 50 ms, at 16 clients."""
    part = part_du_plancher(endpoint, plancher, CLIENTS_CIBLE)
    p95 = endpoint.get("charge", {}).get(CLIENTS_CIBLE, {}).get("p95_ms")
    atteint = None if part is None or p95 is None else part >= PART_DU_PLANCHER_MIN and p95 < P95_PUBLIC_MS
    return {"part_du_plancher": part, "p95_ms": p95, "atteint": atteint}


def connecte(endpoint: dict) -> dict:
    """A signed-in page: p95 < 150 ms at 16 clients, and its main query's ORM time within 3× its raw SQL."""
    p95 = endpoint.get("charge", {}).get(CLIENTS_CIBLE, {}).get("p95_ms")
    orm, brut = endpoint.get("temps_orm_ms"), endpoint.get("plancher_bd_ms")
    rapport = orm / brut if orm and brut else None
    return {
        "p95_ms": p95,
        "p95_atteint": None if p95 is None else p95 < P95_CONNECTE_MS,
        "orm_sur_brut": rapport,
        "orm_atteint": None if rapport is None else rapport <= ORM_SUR_BRUT_MAX,
    }


def ecriture(scenario: dict) -> dict:
    """A write scenario: p95 < 300 ms at each level the issue names (1, 4 and 16 clients; 64 is in the detail), no
    5xx, and the share of answers that are the success redirect (302)."""
    mesures = [
        m
        for clients, m in scenario.get("charge", {}).items()
        if "erreur" not in m and int(clients) <= CLIENTS_ECRITURE_MAX
    ]
    if not mesures:
        return {"p95_max_ms": None, "cinq_cents": None, "reussites": None, "atteint": None}
    p95 = max(m["p95_ms"] for m in mesures)
    statuts: dict[str, int] = {}
    for m in mesures:
        for statut, n in m.get("statuts", {}).items():
            statuts[statut] = statuts.get(statut, 0) + n
    total = sum(statuts.values())
    cinq_cents = sum(n for statut, n in statuts.items() if statut.startswith("5"))
    erreurs = sum(m.get("erreurs", 0) for m in mesures)
    return {
        "p95_max_ms": p95,
        "cinq_cents": cinq_cents,
        "erreurs": erreurs,
        "statuts": statuts,
        "reussites": statuts.get("302", 0) / total if total else None,
        "bouclees": any(m.get("cibles_bouclees") for m in mesures),
        "atteint": p95 < P95_ECRITURE_MS and cinq_cents == 0 and erreurs == 0,
    }


def lighthouse(page: dict) -> dict:
    lcp, score = page.get("lcp_ms"), page.get("score")
    return {"atteint": None if lcp is None or score is None else lcp < LCP_MAX_MS and score >= SCORE_MIN}


def chiffre(valeur, unite: str = "", decimales: int = 1) -> str:
    return "—" if valeur is None else f"{valeur:,.{decimales}f}{unite}".replace(",", " ")


def section(resultat: dict) -> list[str]:
    """The « Objectifs du ticket 16 » section of the results' .md: one line per target, its figure, ✅ or ❌."""
    endpoints = resultat.get("endpoints", [])
    plancher = next((e for e in endpoints if e["nom"] == "plancher"), {})
    mesures = [e for e in endpoints if e.get("url") and e["nom"] != "plancher"]
    lignes = [
        "## Objectifs du ticket 16",
        "",
        f"À {CLIENTS_CIBLE} clients sauf mention ; « — » : non mesuré dans cette exécution. "
        "Voir bench/README.md pour chaque colonne.",
        "",
        f"### 1. Pages publiques et API publique (anonyme) : ≥ {PART_DU_PLANCHER_MIN:.0f} % du plancher, "
        f"p95 < {P95_PUBLIC_MS:.0f} ms",
        "",
        "| Page | URL | % du plancher | p95 ms | Atteint |",
        "|---|---|---|---|---|",
    ]
    for e in (e for e in mesures if e.get("groupe") == "public"):
        r = public(e, plancher)
        lignes.append(
            f"| {e['libelle']} | `{e['url']}` | {chiffre(r['part_du_plancher'], ' %')} | {chiffre(r['p95_ms'])} "
            f"| {_ok(r['atteint'])} |"
        )
    lignes += [
        "",
        f"### 2. Pages connectées : p95 < {P95_CONNECTE_MS:.0f} ms, requête principale ORM ≤ "
        f"{ORM_SUR_BRUT_MAX:.0f} × SQL brute",
        "",
        "| Page | Rôle | p95 ms | Atteint | ORM / brut | Atteint |",
        "|---|---|---|---|---|---|",
    ]
    for e in (e for e in mesures if e.get("groupe") == "connecte"):
        r = connecte(e)
        lignes.append(
            f"| {e['libelle']} | {e.get('profil') or '—'} | {chiffre(r['p95_ms'])} | {_ok(r['p95_atteint'])} "
            f"| {chiffre(r['orm_sur_brut'], decimales=2)} | {_ok(r['orm_atteint'])} |"
        )
    lignes += [
        "",
        f"### 3. Écritures sous charge (PostgreSQL) : p95 < {P95_ECRITURE_MS:.0f} ms jusqu’à {CLIENTS_ECRITURE_MAX} "
        "clients, aucun 5xx, invariants",
        "",
        "| Scénario | Cibles | p95 max ms | 5xx | Erreurs wrk | Réponses | Part de 302 | Cibles réutilisées "
        "| Atteint |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in resultat.get("ecritures", []):
        r = ecriture(s)
        statuts = ", ".join(f"{k} : {v}" for k, v in sorted(r.get("statuts", {}).items())) or "—"
        lignes.append(
            f"| {s['libelle']} | {s['cibles']} | {chiffre(r['p95_max_ms'])} | {chiffre(r['cinq_cents'], decimales=0)} "
            f"| {chiffre(r.get('erreurs'), decimales=0)} | {statuts} "
            f"| {chiffre(None if r['reussites'] is None else 100 * r['reussites'], ' %')} "
            f"| {'oui' if r.get('bouclees') else 'non'} | {_ok(r['atteint'])} |"
        )
    for inv in resultat.get("invariants", []):
        n = len(inv["violations"])
        lignes.append(f"| Invariant : {inv['invariant']} | | | | | {n} ligne(s) en défaut | | | {_ok(n == 0)} |")
    queue = [
        (e, e.get("charge", {}).get(CLIENTS_QUEUE, {}).get("p99_ms")) for e in mesures + [plancher] if e.get("charge")
    ]
    queue = [(e, p99) for e, p99 in queue if p99 is not None]
    pire = max(queue, key=lambda x: x[1], default=None)
    lignes += [
        "",
        f"### 4. p99 à {CLIENTS_QUEUE} clients",
        "",
        "| Mesuré | Pire p99 | Atteint |",
        "|---|---|---|",
        f"| {len(queue)} endpoints sur {len(mesures) + 1} | "
        + (f"{chiffre(pire[1])} ms ({pire[0]['libelle']})" if pire else "—")
        + f" | {_ok(True if queue else None)} |",
        "",
        f"### 5. Lighthouse (mobile, 4G simulée) : LCP < {LCP_MAX_MS / 1000:.1f} s, score ≥ {SCORE_MIN}",
        "",
        "| Page | LCP ms | Score | Octets transférés | Atteint |",
        "|---|---|---|---|---|",
    ]
    pages = resultat.get("lighthouse", {}).get("pages", [])
    if not pages:
        lignes.append(f"| non mesuré : {resultat.get('lighthouse', {}).get('absent', 'pas lancé')} | | | | — |")
    for page in pages:
        lignes.append(
            f"| `{page['url']}` | {chiffre(page.get('lcp_ms'), decimales=0)} "
            f"| {chiffre(page.get('score'), decimales=0)} "
            f"| {chiffre(page.get('octets_transferes'), decimales=0)} | {_ok(lighthouse(page)['atteint'])} |"
        )
    return lignes + [""]
