"""The targets of issue 16 read off a bench result (bench/objectifs.py)."""

from bench import objectifs


def charge(**par_clients):
    return {"charge": dict(par_clients)}


PLANCHER = {"nom": "plancher", "libelle": "Plancher", "url": "/bench/plancher"} | charge(
    **{"16": {"debit_rps": 1000.0, "p95_ms": 5.0}, "64": {"p99_ms": 30.0}}
)


def test_page_publique_au_moins_la_moitie_du_plancher_et_p95_sous_50_ms():
    bonne = charge(**{"16": {"debit_rps": 600.0, "p95_ms": 40.0}})
    lente = charge(**{"16": {"debit_rps": 600.0, "p95_ms": 55.0}})
    faible = charge(**{"16": {"debit_rps": 400.0, "p95_ms": 10.0}})
    assert objectifs.public(bonne, PLANCHER) == {"part_du_plancher": 60.0, "p95_ms": 40.0, "atteint": True}
    assert objectifs.public(lente, PLANCHER)["atteint"] is False
    assert objectifs.public(faible, PLANCHER)["atteint"] is False
    assert objectifs.public(charge(**{"4": {"debit_rps": 1.0}}), PLANCHER)["atteint"] is None  # 16 not measured


def test_page_connectee_p95_et_requete_principale():
    page = charge(**{"16": {"p95_ms": 120.0}}) | {"temps_orm_ms": 4.0, "plancher_bd_ms": 1.0}
    r = objectifs.connecte(page)
    assert (r["p95_atteint"], r["orm_sur_brut"], r["orm_atteint"]) == (True, 4.0, False)


def test_ecriture_p95_a_chaque_niveau_aucun_5xx():
    scenario = charge(
        **{
            "1": {"p95_ms": 20.0, "statuts": {"302": 10}, "erreurs": 0},
            "16": {"p95_ms": 280.0, "statuts": {"302": 30, "200": 10}, "erreurs": 0, "cibles_bouclees": True},
        }
    )
    r = objectifs.ecriture(scenario)
    assert (r["p95_max_ms"], r["cinq_cents"], r["reussites"], r["bouclees"], r["atteint"]) == (
        280.0,
        0,
        0.8,
        True,
        True,
    )
    scenario["charge"]["4"] = {"p95_ms": 50.0, "statuts": {"500": 1}, "erreurs": 0}
    assert objectifs.ecriture(scenario)["atteint"] is False
    assert objectifs.ecriture(charge(**{"1": {"erreur": "wrk"}}))["atteint"] is None


def test_ecriture_jugee_jusqu_a_16_clients_et_64_laisse_au_detail():
    scenario = charge(
        **{
            "16": {"p95_ms": 290.0, "statuts": {"302": 30}, "erreurs": 0},
            "64": {"p95_ms": 1200.0, "statuts": {"302": 30}, "erreurs": 0},
        }
    )
    r = objectifs.ecriture(scenario)
    assert (r["p95_max_ms"], r["atteint"]) == (290.0, True)
    scenario["charge"]["16"]["p95_ms"] = 300.0
    assert objectifs.ecriture(scenario)["atteint"] is False


def test_lighthouse():
    assert objectifs.lighthouse({"lcp_ms": 2400, "score": 92})["atteint"] is True
    assert objectifs.lighthouse({"lcp_ms": 2600, "score": 95})["atteint"] is False
    assert objectifs.lighthouse({"erreur": "chromium"})["atteint"] is None


def test_la_section_a_une_ligne_par_objectif():
    accueil = {"nom": "accueil", "libelle": "Accueil", "url": "/", "groupe": "public"} | charge(
        **{"16": {"debit_rps": 700.0, "p95_ms": 20.0}, "64": {"p99_ms": 90.0}}
    )
    file = {"nom": "file", "libelle": "File", "url": "/f/", "groupe": "connecte", "profil": "instructeur"} | charge(
        **{"16": {"p95_ms": 200.0}}
    )
    resultat = {
        "endpoints": [PLANCHER, accueil, file],
        "ecritures": [{"libelle": "Dépôt", "cibles": 5} | charge(**{"1": {"p95_ms": 10.0, "statuts": {"302": 3}}})],
        "invariants": [{"invariant": "Places", "violations": [["1", "5", "6"]]}],
        "lighthouse": {"pages": [{"url": "http://x/", "lcp_ms": 1800.0, "score": 97, "octets_transferes": 90000}]},
    }
    texte = "\n".join(objectifs.section(resultat))
    assert "## Objectifs du ticket 16" in texte
    assert "| Accueil | `/` | 70.0 % | 20.0 | ✅ |" in texte
    assert "| File | instructeur | 200.0 | ❌ |" in texte
    assert "| Dépôt | 5 | 10.0 | 0 |" in texte
    assert "Invariant : Places | | | | | 1 ligne(s) en défaut | | | ❌ |" in texte
    assert "90.0 ms (Accueil)" in texte
    assert "| `http://x/` | 1 800 | 97 | 90 000 | ✅ |" in texte
