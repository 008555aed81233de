"""The public API of engineering: the catalogue and the missions, without personal data, documented."""

from decimal import Decimal

import pytest

from tests.factories import LigneFinancementFactory, ProjetFactory
from tests.ingenierie.conftest import MissionFactory
from ti.ingenierie.models import StatutMission, TypeMission

pytestmark = pytest.mark.django_db


def test_le_catalogue_des_offres_filtre_et_pagine(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        reponse = client.get("/api/v1/ingenierie/offres", {"theme": "foncier", "limit": 1})
    donnees = reponse.json()
    assert donnees["total"] == 2 and len(donnees["resultats"]) == 1 and donnees["suivant"]
    assert reponse["Cache-Control"] == "public, max-age=300"

    cerema = client.get("/api/v1/ingenierie/offres", {"q": "friches"}).json()["resultats"]
    assert [o["organisme"] for o in cerema] == ["Cerema"]


def test_un_theme_inconnu_est_une_erreur_400(client):
    reponse = client.get("/api/v1/ingenierie/offres", {"theme": "astrologie"})
    assert reponse.status_code == 400 and reponse.json()["erreurs"][0]["parametre"] == "theme"


def test_les_missions_sans_donnee_personnelle(
    client, mission_cvl, mission_bretagne, consultant, cvl, django_assert_max_num_queries
):
    MissionFactory(territoire=mission_cvl.territoire, statut=StatutMission.ANNULEE)
    fiche = ProjetFactory(territoire=mission_cvl.territoire)
    LigneFinancementFactory(projet=fiche, montant=Decimal("120000"))
    mission_cvl.projets.set([fiche])
    with django_assert_max_num_queries(2):
        reponse = client.get("/api/v1/ingenierie/missions", {"region": cvl.code})
    donnees = reponse.json()
    assert donnees["total"] == 1
    mission = donnees["resultats"][0]
    assert mission["territoire"] == mission_cvl.territoire.identifiant and mission["montant_ht"] == "30000.00"
    assert "consultants" not in mission and consultant.email not in reponse.content.decode()
    assert mission["financements_obtenus"] == "120000.00"

    choc = client.get("/api/v1/ingenierie/missions", {"type": TypeMission.CHOC}).json()
    assert choc["total"] == 0


def test_les_routes_et_les_champs_des_missions_sont_documentes(client):
    document = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/ingenierie/offres", "/api/v1/ingenierie/missions"} <= document["paths"].keys()
    champs = document["components"]["schemas"]["MissionSchema"]["properties"]
    assert {"territoire", "type", "intitule", "annee", "cabinet", "montant_ht", "statut", "financements_obtenus"} <= (
        champs.keys()
    )
    assert "Fonds vert" in champs["financements_obtenus"]["description"]
