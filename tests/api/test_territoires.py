"""GET /api/v1/territoires and /api/v1/territoires/{identifiant}."""

import pytest

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.territoires.filiation import recalculer_filiations
from ti.territoires.models import CommuneTerritoire, TerritoireQuerySet

LISTE = "/api/v1/territoires"


def noms(reponse) -> list[str]:
    return [t["nom"] for t in reponse.json()["resultats"]]


# --- Liste -----------------------------------------------------------------------------------------------------------


def test_la_liste_donne_chaque_territoire_avec_son_perimetre_resume(client, programme):
    reponse = client.get(LISTE)

    assert reponse.status_code == 200
    page = reponse.json()
    assert page["total"] == 4
    assert noms(reponse) == ["Lorient", "Pithiverais", "Berry industriel", "Est du Loiret"]  # phase, then name
    est_loiret = page["resultats"][3]
    assert est_loiret == {
        "identifiant": "ti2-2401",
        "code": "2401",
        "phase": 2,
        "nom": "Est du Loiret",
        "regions": [{"code": "24", "nom": "Centre-Val de Loire"}],
        "nb_epci": 1,
        "nb_communes": 2,
        "population": 27000,
        "chef_projet_statut": "en_poste",
        "chef_projet_statut_libelle": "En poste",
        "url": "http://testserver/territoires/ti2-2401/",
        "url_api": "http://testserver/api/v1/territoires/ti2-2401",
    }


def test_la_liste_peut_etre_mise_en_cache_par_tous(client, programme):
    reponse = client.get(LISTE)

    assert "public" in reponse["Cache-Control"]
    assert "max-age=300" in reponse["Cache-Control"]
    assert reponse["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"phase": 1}, ["Lorient", "Pithiverais"]),
        ({"phase": 2}, ["Berry industriel", "Est du Loiret"]),
        ({"region": "53"}, ["Lorient"]),
        ({"region": "24", "phase": 1}, ["Pithiverais"]),
        ({"departement": "36"}, ["Berry industriel"]),
        ({"chef_projet_statut": "recrutement"}, ["Berry industriel"]),
        ({"q": "chateauroux"}, ["Berry industriel"]),  # a commune's name, accents ignored
        ({"q": "CHÂLETTE sur loing"}, ["Est du Loiret"]),
        ({"q": "loiret"}, ["Est du Loiret"]),  # the territory's name
        ({"q": "Saint-Malo"}, []),
        ({"phase": "", "region": "", "q": " "}, ["Lorient", "Pithiverais", "Berry industriel", "Est du Loiret"]),
    ],
)
def test_les_filtres_de_la_liste(client, programme, parametres, attendus):
    reponse = client.get(LISTE, parametres)

    assert reponse.status_code == 200
    assert noms(reponse) == attendus
    assert reponse.json()["total"] == len(attendus)


def test_la_pagination_donne_le_total_et_les_liens_suivant_et_precedent(client, programme):
    premiere = client.get(LISTE, {"limit": 1}).json()
    assert (premiere["total"], premiere["limit"], premiere["offset"]) == (4, 1, 0)
    assert premiere["precedent"] is None
    assert premiere["suivant"] == "http://testserver/api/v1/territoires?limit=1&offset=1"

    troisieme = client.get(LISTE, {"limit": 1, "offset": 2}).json()
    assert troisieme["precedent"] == "http://testserver/api/v1/territoires?limit=1&offset=1"
    assert troisieme["suivant"] == "http://testserver/api/v1/territoires?limit=1&offset=3"

    derniere = client.get(LISTE, {"limit": 1, "offset": 3}).json()
    assert derniere["suivant"] is None
    assert [t["nom"] for t in derniere["resultats"]] == ["Est du Loiret"]


def test_suivre_les_liens_suivant_parcourt_chaque_territoire_une_fois_en_gardant_les_filtres(client, programme):
    vus, lien = [], f"{LISTE}?phase=2&limit=1"
    while lien:
        page = client.get(lien).json()
        vus += [t["nom"] for t in page["resultats"]]
        lien = page["suivant"]
        assert lien is None or "phase=2" in lien

    assert vus == ["Berry industriel", "Est du Loiret"]


def test_par_defaut_vingt_territoires_par_page(client, db):
    TerritoireFactory.create_batch(21)

    page = client.get(LISTE).json()

    assert (page["total"], page["limit"], len(page["resultats"])) == (21, 20, 20)
    assert page["suivant"].endswith("offset=20")


def test_au_dela_de_la_fin_la_page_est_vide(client, programme):
    page = client.get(LISTE, {"offset": 50}).json()

    assert page["resultats"] == []
    assert page["total"] == 4
    assert page["suivant"] is None
    assert page["precedent"].endswith("offset=30")


@pytest.mark.parametrize(
    ("parametres", "parametre", "message"),
    [
        ({"phase": "abc"}, "phase", "doit valoir 1 ou 2 (reçu « abc »)"),
        ({"phase": "3"}, "phase", "doit valoir 1 ou 2 (reçu « 3 »)"),
        ({"limit": "1000"}, "limit", "doit être inférieur ou égal à 100 (reçu « 1000 »)"),
        ({"limit": "0"}, "limit", "doit être supérieur ou égal à 1 (reçu « 0 »)"),
        ({"limit": "dix"}, "limit", "doit être un nombre entier (reçu « dix »)"),
        ({"offset": "-1"}, "offset", "doit être supérieur ou égal à 0 (reçu « -1 »)"),
        ({"q": "x" * 101}, "q", "ne doit pas dépasser 100 caractères (reçu « " + "x" * 50 + " »)"),
        (
            {"chef_projet_statut": "vacant"},
            "chef_projet_statut",
            "doit valoir 'en_poste', 'recrutement', 'financement' ou 'aucun' (reçu « vacant »)",
        ),
    ],
)
def test_un_parametre_invalide_est_une_erreur_400_expliquee_en_francais(
    client, programme, parametres, parametre, message
):
    reponse = client.get(LISTE, parametres)

    assert reponse.status_code == 400
    assert reponse.json() == {
        "detail": f"Paramètre « {parametre} » invalide : {message}.",
        "erreurs": [{"parametre": parametre, "message": message}],
    }
    assert "public" not in reponse.get("Cache-Control", "")


def test_plusieurs_parametres_invalides_sont_tous_signales(client, programme):
    reponse = client.get(LISTE, {"phase": "3", "limit": "1000"})

    assert reponse.status_code == 400
    corps = reponse.json()
    assert corps["detail"].startswith("2 paramètres invalides : « phase » doit valoir 1 ou 2")
    assert [e["parametre"] for e in corps["erreurs"]] == ["phase", "limit"]


def test_une_region_inconnue_est_une_erreur_400(client, programme):
    reponse = client.get(LISTE, {"region": "99"})

    assert reponse.status_code == 400
    assert reponse.json() == {
        "detail": "Région inconnue : 99",
        "erreurs": [{"parametre": "region", "message": "Région inconnue : 99"}],
    }


def test_un_departement_inconnu_est_une_erreur_400(client, programme):
    reponse = client.get(LISTE, {"departement": "999"})

    assert reponse.status_code == 400
    assert reponse.json()["detail"] == "Département inconnu : 999"


def test_le_code_de_departement_corse_s_ecrit_en_minuscules_ou_majuscules(client, db):
    corse = RegionFactory(code="94", nom="Corse")
    corse_du_sud = DepartementFactory(code="2A", nom="Corse-du-Sud", region=corse)
    TerritoireFactory(nom="Ajaccio", communes=[CommuneFactory(code="2A004", nom="Ajaccio", departement=corse_du_sud)])

    assert noms(client.get(LISTE, {"departement": "2a"})) == ["Ajaccio"]


def test_un_utilisateur_connecte_voit_la_meme_liste(client, programme):
    client.force_login(utilisateur_avec(Role.CHEF_PROJET, territoire=programme.berry))

    assert client.get(LISTE).json()["total"] == 4


def test_la_liste_passe_par_la_couche_de_permission(client, programme, monkeypatch):
    monkeypatch.setattr(TerritoireQuerySet, "visible_to", lambda self, user: self.none())

    page = client.get(LISTE).json()

    assert (page["total"], page["resultats"]) == (0, [])


def _creer_territoires(nombre: int) -> None:
    """`nombre` territories of 3 communes each, over 2 régions and 2 départements."""
    regions = [RegionFactory(code="24", nom="Centre-Val de Loire"), RegionFactory(code="53", nom="Bretagne")]
    departements = [
        DepartementFactory(code="36", nom="Indre", region=regions[0]),
        DepartementFactory(code="56", nom="Morbihan", region=regions[1]),
    ]
    for i in range(nombre):
        departement = departements[i % 2]
        communes = [
            CommuneFactory(code=f"{departement.code}{3 * i + j:03d}", nom=f"Ville {i}-{j}", departement=departement)
            for j in range(3)
        ]
        TerritoireFactory(phase=1 + i % 2, nom=f"Territoire {i:02d}", communes=communes)


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_liste_filtree_fait_un_nombre_borne_de_requetes(client, db, django_assert_max_num_queries, nombre):
    _creer_territoires(nombre)

    # région checked, département checked, count, page, régions of the page
    with django_assert_max_num_queries(5):
        reponse = client.get(LISTE, {"region": "24", "departement": "36", "q": "ville", "limit": 100})

    assert reponse.json()["total"] == (nombre + 1) // 2


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_liste_d_un_utilisateur_connecte_fait_un_nombre_borne_de_requetes(
    client, db, django_assert_max_num_queries, nombre
):
    _creer_territoires(nombre)
    client.force_login(utilisateur_avec(Role.EQUIPE_NATIONALE))

    with django_assert_max_num_queries(5 + 2):  # + the session and the user
        reponse = client.get(LISTE, {"limit": 100})

    assert reponse.json()["total"] == nombre


# --- Fiche -----------------------------------------------------------------------------------------------------------


def test_la_fiche_donne_le_perimetre_la_gouvernance_et_les_missions(client, programme):
    reponse = client.get("/api/v1/territoires/ti2-2401")

    assert reponse.status_code == 200
    assert "public" in reponse["Cache-Control"]
    fiche = reponse.json()
    assert fiche["nom"] == "Est du Loiret"
    assert (fiche["nb_epci"], fiche["nb_communes"], fiche["population"]) == (1, 2, 27000)
    assert fiche["epcis"] == [
        {
            "siren": "200067759",
            "nom": "CA Montargoise et Rives du Loing",
            "nature": "CA",
            "nature_libelle": "Communauté d’agglomération",
            "population": 61000,
        }
    ]
    assert fiche["communes"] == [
        {
            "code": "45068",
            "nom": "Châlette-sur-Loing",
            "population": 13000,
            "code_source": "45068",
            "via_chef_lieu": False,
        },
        {"code": "45208", "nom": "Montargis", "population": 14000, "code_source": "45208", "via_chef_lieu": False},
    ]
    assert fiche["departements"] == [{"code": "45", "nom": "Loiret", "region": "24"}]
    assert fiche["regions"] == [{"code": "24", "nom": "Centre-Val de Loire"}]
    assert fiche["gouvernance"] == {
        "binome_elu": "Benoît Digeon",
        "binome_elu_mandat": "Président de l’agglomération montargoise",
        "binome_industriel": "Claire Martin",
        "binome_industriel_entreprise": "Hutchinson",
        "chef_projet_statut": "en_poste",
        "chef_projet_statut_libelle": "En poste",
    }
    assert fiche["missions"] == [
        {"type": "fabrique_prospective", "libelle": "Fabrique prospective", "annee": 2024, "description": ""}
    ]


def test_la_fiche_ne_publie_aucune_coordonnee_personnelle(client, programme):
    corps = client.get("/api/v1/territoires/ti2-2401").content.decode()

    for secret in ["camille.durand@", "02 38 00 00 01", "Camille Durand", "Dominique Préfet", "loiret.gouv", "02 38"]:
        assert secret not in corps
    assert "@" not in corps


def test_la_fiche_dit_quelle_commune_vient_d_un_code_rattache_a_son_chef_lieu(client, programme):
    CommuneTerritoire.objects.filter(territoire=programme.pithiverais).update(code_source="45109", via_chef_lieu=True)

    communes = client.get("/api/v1/territoires/ti1-2404").json()["communes"]

    assert communes == [
        {"code": "45191", "nom": "Le Malesherbois", "population": 8500, "code_source": "45109", "via_chef_lieu": True}
    ]


def test_un_territoire_inconnu_est_une_erreur_404_en_francais(client, programme):
    reponse = client.get("/api/v1/territoires/ti2-9999")

    assert reponse.status_code == 404
    assert reponse.json() == {"detail": "Territoire introuvable : ti2-9999"}
    assert "public" not in reponse.get("Cache-Control", "")


def test_un_territoire_hors_de_la_couche_de_permission_est_introuvable(client, programme, monkeypatch):
    monkeypatch.setattr(TerritoireQuerySet, "visible_to", lambda self, user: self.none())

    assert client.get("/api/v1/territoires/ti2-2401").status_code == 404


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_fiche_fait_un_nombre_borne_de_requetes(client, db, django_assert_max_num_queries, nombre):
    indre = DepartementFactory(code="36", nom="Indre", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    communes = [CommuneFactory(code=f"36{i:03d}", departement=indre) for i in range(nombre)]
    TerritoireFactory(phase=2, code="2410", communes=communes)
    for rang in range(nombre // 3):  # as many Temps I territories it continues
        TerritoireFactory(phase=1, code=f"9{rang:03d}", communes=communes[3 * rang : 3 * rang + 3])
    recalculer_filiations()

    # territory, EPCI, départements, communes, missions, régions, Temps I origins, Temps II continuations
    with django_assert_max_num_queries(8):
        reponse = client.get("/api/v1/territoires/ti2-2410")

    assert len(reponse.json()["communes"]) == nombre
    assert len(reponse.json()["origines_temps1"]) == nombre // 3


def test_la_fiche_donne_la_filiation_entre_les_deux_phases(client, db):
    loiret = DepartementFactory(code="45", nom="Loiret", region=RegionFactory(code="24", nom="Centre-Val de Loire"))
    a, b, c = (
        CommuneFactory(code=f"45{i:03d}", departement=loiret, population=p) for i, p in enumerate([600, 300, 100])
    )
    TerritoireFactory(phase=1, code="2404", nom="Montargois", communes=[a, b])
    TerritoireFactory(phase=2, code="2401", nom="Est du Loiret", communes=[a, c])
    recalculer_filiations()

    temps2 = client.get("/api/v1/territoires/ti2-2401").json()
    temps1 = client.get("/api/v1/territoires/ti1-2404").json()

    assert temps2["origines_temps1"] == [
        {
            "identifiant": "ti1-2404",
            "nom": "Montargois",
            "url_api": "http://testserver/api/v1/territoires/ti1-2404",
            "communes": 1,
            "population": 600,
            "part_population": round(600 / 700, 4),
        }
    ]
    assert temps2["suites_temps2"] == []
    assert [(s["identifiant"], s["part_population"]) for s in temps1["suites_temps2"]] == [
        ("ti2-2401", round(600 / 900, 4))
    ]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["TerritoireDetail"]["properties"]
    assert {"origines_temps1", "suites_temps2"} <= schema.keys()
