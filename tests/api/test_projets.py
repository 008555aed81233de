"""GET /api/v1/projets and /api/v1/projets/{uuid}: public without a token, the holder's scope with one."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import LigneFinancementFactory, ProjetFactory, utilisateur_avec
from ti.comptes import jetons
from ti.comptes.models import JetonApi, Role, Utilisateur
from ti.projets.models import Axe, Competence, Levier, NoteSuivi, PhaseProjet, Projet, StatutPhase, Theme

LISTE = "/api/v1/projets"


def fiche_url(projet: Projet) -> str:
    return f"/api/v1/projets/{projet.uuid}"


def titres(reponse) -> list[str]:
    return [resultat["titre"] for resultat in reponse.json()["resultats"]]


def bearer(cle: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {cle}"}


@dataclass
class Fiches:
    publique: Projet
    privee: Projet
    privee_ailleurs: Projet
    publique_bretagne: Projet


@pytest.fixture
def fiches(programme) -> Fiches:
    publique = ProjetFactory(
        territoire=programme.est_loiret,
        titre="Décarbonation des fours de la fonderie",
        commune=programme.est_loiret.communes.get(code="45208"),
        axe=Axe.INNOVER,
        phase=PhaseProjet.ETUDE,
        budget=Decimal("250000.00"),
        referent_email="referente@fonderie.example",
        referent_telephone="02 38 00 00 09",
        partenaires="ADEME, Région Centre-Val de Loire",
        public=True,
    )
    publique.themes.set(Theme.objects.filter(code__in=["decarbonation", "reindustrialisation"]))
    publique.competences.set(Competence.objects.filter(code="90-632"))
    publique.leviers.set(Levier.objects.filter(libelle="Electricité renouvelable"))
    LigneFinancementFactory(projet=publique, financeur="ADEME", montant=Decimal("80000.00"))
    privee = ProjetFactory(
        territoire=programme.est_loiret,
        titre="Reconversion de la friche Hutchinson",
        axe=Axe.ATTIRER,
        phase=PhaseProjet.IDEE,
        public=False,
    )
    privee_ailleurs = ProjetFactory(territoire=programme.berry, titre="Friche de Bourges", public=False)
    publique_bretagne = ProjetFactory(
        territoire=programme.lorient,
        titre="Campus naval de Lorient",
        axe=Axe.RECRUTER,
        phase_statut=StatutPhase.EN_RETARD,
        public=True,
    )
    ProjetFactory(territoire=programme.lorient, titre="Fiche archivée", public=True, archive=True)
    return Fiches(publique, privee, privee_ailleurs, publique_bretagne)


@pytest.fixture
def chef_est_loiret(programme) -> Utilisateur:
    return utilisateur_avec(Role.CHEF_PROJET, territoire=programme.est_loiret)


@pytest.fixture
def cle_chef(chef_est_loiret) -> str:
    return jetons.creer_jeton(par=chef_est_loiret, nom="Tableau de bord")[1]


# --- Without a token -------------------------------------------------------------------------------------------------


def test_sans_jeton_la_liste_ne_donne_que_les_fiches_publiees(client, fiches):
    reponse = client.get(LISTE)

    assert reponse.status_code == 200
    assert set(titres(reponse)) == {"Décarbonation des fours de la fonderie", "Campus naval de Lorient"}
    assert reponse.json()["total"] == 2


def test_une_fiche_de_la_liste(client, fiches):
    resultat = next(r for r in client.get(LISTE).json()["resultats"] if r["uuid"] == str(fiches.publique.uuid))

    assert resultat == {
        "uuid": str(fiches.publique.uuid),
        "titre": "Décarbonation des fours de la fonderie",
        "territoire": {
            "identifiant": "ti2-2401",
            "nom": "Est du Loiret",
            "url_api": "http://testserver/api/v1/territoires/ti2-2401",
        },
        "regions": [{"code": "24", "nom": "Centre-Val de Loire"}],
        "commune": {"code": "45208", "nom": "Montargis"},
        "axe": "innover",
        "axe_libelle": "Innover",
        "themes": [
            {"code": "reindustrialisation", "libelle": "Réindustrialisation"},
            {"code": "decarbonation", "libelle": "Décarbonation"},
        ],
        "phase": "etude",
        "phase_libelle": "Étude",
        "phase_statut": "en_cours",
        "phase_statut_libelle": "En cours",
        "porteur_nom": "Forges du Gâtinais",
        "porteur_type": "entreprise",
        "budget": "250000.00",
        "date_debut": None,
        "date_fin": None,
        "public": True,
        "modifie_le": resultat["modifie_le"],
        "url": f"http://testserver/projets/{fiches.publique.pk}/",
        "url_api": f"http://testserver/api/v1/projets/{fiches.publique.uuid}",
    }


def test_la_reponse_publique_peut_etre_mise_en_cache_selon_l_en_tete_authorization(client, fiches):
    reponse = client.get(LISTE)

    assert "public" in reponse["Cache-Control"] and "max-age=300" in reponse["Cache-Control"]
    assert "Authorization" in reponse["Vary"]


def test_une_session_ouverte_ne_change_rien_sans_jeton(client, fiches, chef_est_loiret):
    client.force_login(chef_est_loiret)

    assert "Reconversion de la friche Hutchinson" not in titres(client.get(LISTE))
    assert client.get(fiche_url(fiches.privee)).status_code == 404


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"q": "decarbonation"}, ["Décarbonation des fours de la fonderie"]),
        ({"q": "FONDERIE"}, ["Décarbonation des fours de la fonderie"]),
        ({"region": "53"}, ["Campus naval de Lorient"]),
        ({"territoire": "TI2-2401"}, ["Décarbonation des fours de la fonderie"]),
        ({"axe": ["recruter", "attirer"]}, ["Campus naval de Lorient"]),
        ({"theme": "decarbonation"}, ["Décarbonation des fours de la fonderie"]),
        ({"statut": "en_retard"}, ["Campus naval de Lorient"]),
        ({"phase": "etude", "region": "24"}, ["Décarbonation des fours de la fonderie"]),
        ({"q": "friche"}, []),  # private fiches are not found without a token
        ({"q": " ", "axe": "", "phase": ""}, None),  # empty means no filter
    ],
)
def test_les_criteres_de_la_liste(client, fiches, parametres, attendus):
    reponse = client.get(LISTE, parametres)

    assert reponse.status_code == 200
    if attendus is None:
        assert reponse.json()["total"] == 2
    else:
        assert titres(reponse) == attendus


def test_la_pagination_comme_pour_les_territoires(client, programme):
    ProjetFactory.create_batch(5, territoire=programme.est_loiret, public=True)

    premiere = client.get(LISTE, {"limit": 2, "axe": "innover"}).json()
    derniere = client.get(LISTE, {"limit": 2, "offset": 4, "axe": "innover"}).json()

    assert (premiere["total"], len(premiere["resultats"]), premiere["precedent"]) == (5, 2, None)
    assert premiere["suivant"] == "http://testserver/api/v1/projets?limit=2&axe=innover&offset=2"
    assert (len(derniere["resultats"]), derniere["suivant"]) == (1, None)
    assert derniere["precedent"] == "http://testserver/api/v1/projets?limit=2&offset=2&axe=innover"


@pytest.mark.parametrize(
    ("parametres", "parametre", "message"),
    [
        ({"region": "99"}, "region", "Région inconnue : 99"),
        ({"territoire": "ti2-9999"}, "territoire", "Territoire inconnu : ti2-9999"),
        ({"axe": ["innover", "voler"]}, "axe", "Axe inconnu : voler"),
        ({"theme": "astrologie"}, "theme", "Thème inconnu : astrologie"),
        ({"phase": "finie"}, "phase", "Phase inconnue : finie"),
        ({"statut": "perdu"}, "statut", "Statut de phase inconnu : perdu"),
        ({"limit": 101}, "limit", "doit être inférieur ou égal à 100 (reçu « 101 »)"),
        ({"q": "x" * 201}, "q", f"ne doit pas dépasser 200 caractères (reçu « {'x' * 50} »)"),
    ],
)
def test_un_critere_invalide_est_une_erreur_400_en_francais(client, fiches, parametres, parametre, message):
    reponse = client.get(LISTE, parametres)

    assert reponse.status_code == 400
    assert reponse.json()["erreurs"] == [{"parametre": parametre, "message": message}]
    assert "Cache-Control" not in reponse or "public" not in reponse["Cache-Control"]


def test_sans_jeton_la_fiche_publiee_et_ce_qu_elle_donne(client, fiches):
    reponse = client.get(fiche_url(fiches.publique))

    assert reponse.status_code == 200
    fiche = reponse.json()
    assert fiche["titre"] == "Décarbonation des fours de la fonderie"
    assert fiche["organismes_partenaires"] == "ADEME, Région Centre-Val de Loire"
    assert fiche["financements"] == [
        {
            "financeur": "ADEME",
            "dispositif": "Aide à l’investissement",
            "montant": "80000.00",
            "statut": "acquis",
            "statut_libelle": "Acquis",
        }
    ]
    assert fiche["impact"]["emplois_crees"] == 12
    assert fiche["competences"] == [
        {"code": "90-632", "libelle": "Action économique / Actions sectorielles > Industrie, commerce et artisanat"}
    ]
    assert fiche["leviers"] == ["Electricité renouvelable"]


def test_la_fiche_ne_publie_ni_journal_ni_referent(client, fiches, chef_est_loiret, cle_chef):
    NoteSuivi.objects.create(projet=fiches.publique, auteur=chef_est_loiret, texte="Relancer l’ADEME mardi.")

    for entetes in [{}, bearer(cle_chef)]:
        contenu = client.get(fiche_url(fiches.publique), **entetes).content.decode()
        for prive in ["Relancer", "notes", "referente@fonderie.example", "02 38 00 00 09", "referent"]:
            assert prive not in contenu


def test_une_fiche_privee_est_introuvable_sans_jeton(client, fiches):
    reponse = client.get(fiche_url(fiches.privee))

    assert reponse.status_code == 404
    assert reponse.json() == {"detail": f"Fiche-action introuvable : {fiches.privee.uuid}"}


def test_un_identifiant_mal_forme_est_une_erreur_400(client, fiches):
    reponse = client.get("/api/v1/projets/42")

    assert reponse.status_code == 400
    assert reponse.json()["erreurs"][0]["parametre"] == "uuid"
    assert "UUID" in reponse.json()["detail"]
    assert client.get(f"/api/v1/projets/{uuid.uuid4()}").status_code == 404


# --- With a token ----------------------------------------------------------------------------------------------------


def test_avec_un_jeton_tout_le_perimetre_de_son_titulaire(client, fiches, cle_chef):
    reponse = client.get(LISTE, **bearer(cle_chef))

    assert reponse.status_code == 200
    assert set(titres(reponse)) == {
        "Décarbonation des fours de la fonderie",
        "Reconversion de la friche Hutchinson",  # private, their territory
        "Campus naval de Lorient",  # public, elsewhere
    }
    assert {r["titre"]: r["public"] for r in reponse.json()["resultats"]}[
        "Reconversion de la friche Hutchinson"
    ] is False
    assert "private" in reponse["Cache-Control"] and "no-store" in reponse["Cache-Control"]


def test_avec_un_jeton_la_fiche_privee_de_son_territoire_pas_celle_d_un_autre(client, fiches, cle_chef):
    reponse = client.get(fiche_url(fiches.privee), **bearer(cle_chef))
    assert reponse.status_code == 200
    assert reponse.json()["titre"] == fiches.privee.titre and reponse.json()["public"] is False
    assert client.get(fiche_url(fiches.privee_ailleurs), **bearer(cle_chef)).status_code == 404


def test_le_jeton_de_l_equipe_nationale_voit_toutes_les_fiches_actives(client, fiches):
    cle = jetons.creer_jeton(par=utilisateur_avec(Role.EQUIPE_NATIONALE), nom="Pilotage")[1]

    assert client.get(LISTE, **bearer(cle)).json()["total"] == 4  # the archived one excepted


def test_le_perimetre_du_jeton_suit_les_habilitations_du_moment(client, fiches, chef_est_loiret, cle_chef):
    chef_est_loiret.habilitations.update(revoquee_le=timezone.now())

    assert "Reconversion de la friche Hutchinson" not in titres(client.get(LISTE, **bearer(cle_chef)))


def test_l_utilisation_du_jeton_est_notee(client, fiches, chef_est_loiret, cle_chef):
    client.get(LISTE, **bearer(cle_chef))

    jeton = JetonApi.objects.get(utilisateur=chef_est_loiret)
    assert jeton.utilise_le is not None and timezone.now() - jeton.utilise_le < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("entete", "message"),
    [
        ("Bearer ti_inconnu", "Jeton d’API inconnu ou révoqué. Créez-en un dans « Mon espace » de la plateforme."),
        ("Bearer ", "En-tête Authorization mal formé : attendu « Bearer <clé du jeton> »."),
        ("Basic YWdlbnQ6c2VjcmV0", "En-tête Authorization mal formé : attendu « Bearer <clé du jeton> »."),
        ("Token abc", "En-tête Authorization mal formé : attendu « Bearer <clé du jeton> »."),
    ],
)
def test_un_jeton_inconnu_ou_un_en_tete_mal_forme_est_une_erreur_401(client, fiches, entete, message):
    for url in [LISTE, fiche_url(fiches.publique), "/api/v1/projets/export/projets-collectivites.csv"]:
        reponse = client.get(url, HTTP_AUTHORIZATION=entete)

        assert reponse.status_code == 401, url
        assert reponse.json() == {"detail": message}
        assert reponse["WWW-Authenticate"].startswith("Bearer")
        assert "no-store" in reponse["Cache-Control"]


def test_un_jeton_revoque_est_une_erreur_401(client, fiches, chef_est_loiret, cle_chef):
    jetons.revoquer_jeton(par=chef_est_loiret, jeton=JetonApi.objects.get(utilisateur=chef_est_loiret))

    reponse = client.get(LISTE, **bearer(cle_chef))

    assert reponse.status_code == 401
    assert reponse.json()["detail"].startswith("Jeton d’API inconnu ou révoqué")


def test_le_jeton_d_un_compte_desactive_est_une_erreur_401(client, fiches, chef_est_loiret, cle_chef):
    Utilisateur.objects.filter(pk=chef_est_loiret.pk).update(is_active=False)

    assert client.get(LISTE, **bearer(cle_chef)).status_code == 401


# --- Bounded queries -------------------------------------------------------------------------------------------------


@pytest.fixture(params=[3, 30])
def beaucoup(request, programme):
    for n in range(request.param):
        projet = ProjetFactory(territoire=programme.est_loiret, titre=f"Fonderie {n}", public=n % 2 == 0)
        projet.themes.set(Theme.objects.filter(code__in=["decarbonation", "innovation"]))
    return request.param


def test_la_liste_publique_en_requetes_bornees(client, beaucoup, django_assert_max_num_queries):
    criteres = {"q": "fonderie", "territoire": "ti2-2401", "limit": 100}
    # check the territory, count and ids of the page (the first time), the page's fiches, themes, régions
    with django_assert_max_num_queries(6):
        reponse = client.get(LISTE, criteres)
    assert reponse.json()["total"] == (beaucoup + 1) // 2

    with django_assert_max_num_queries(4):  # the same list again: count and ids of the page kept in the cache
        assert client.get(LISTE, criteres).json() == reponse.json()


def test_la_liste_avec_jeton_en_requetes_bornees(client, beaucoup, cle_chef, django_assert_max_num_queries):
    client.get(LISTE, **bearer(cle_chef))  # the first call notes the use of the token (a write, once a minute)

    # token, habilitations, count and ids of the page (the first time), the page's fiches, themes, régions
    with django_assert_max_num_queries(7):
        reponse = client.get(LISTE, {"q": "fonderie", "limit": 100}, **bearer(cle_chef))
    assert reponse.json()["total"] == beaucoup


def test_la_fiche_en_requetes_bornees(client, fiches, cle_chef, django_assert_max_num_queries):
    for n in range(20):
        LigneFinancementFactory(projet=fiches.publique, financeur=f"Financeur {n}")
    client.get(LISTE, **bearer(cle_chef))  # the first call notes the use of the token

    # token, habilitations, fiche, régions, themes, competences, leviers, financing lines
    with django_assert_max_num_queries(8):
        reponse = client.get(fiche_url(fiches.publique), **bearer(cle_chef))
    assert len(reponse.json()["financements"]) == 21
