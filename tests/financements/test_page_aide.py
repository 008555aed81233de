"""The public aid page of a dispositif, its eligibility check before sign-up, and the links that lead to it."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from ti.financements import demo
from ti.financements.models import Dispositif, Dossier, Statut
from ti.projets.models import TypePorteur

from ..factories import DossierFactory, EnveloppeFactory, RegionFactory
from .conftest import SIRET_PORTEUR
from .test_depot_eligibilite import donnees

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(dispositif):
    dispositif.regles_eligibilite = "Projets situés dans un territoire d’industrie de la phase 2."
    dispositif.taux_et_plafonds = demo.TAUX_ET_PLAFONDS
    dispositif.calendrier = demo.CALENDRIER
    dispositif.contacts = demo.CONTACTS
    dispositif.save()
    return reverse("financements:aide", args=[dispositif.code])


def texte(reponse) -> str:
    return " ".join(reponse.content.decode().split())


def test_page_lisible_sans_compte(client, page, dispositif, enveloppe_cvl):
    contenu = texte(client.get(page))
    for attendu in (
        "Qui peut en bénéficier",
        "Projets situés dans un territoire d’industrie de la phase 2.",
        "Volet 1 — investissements industriels",
        "Étude de faisabilité, Extrait Kbis ou équivalent",  # volet 1's compulsory pieces
        "Taux et plafonds",
        "ne dépassent jamais son enveloppe régionale",
        f"Dépôt des demandes du 1er janvier 2024 au 31 décembre {dispositif.cloture.year} inclus.",
        "les préfectures et les sous-préfectures",
        "Centre-Val de Loire",
        "Créer mon compte et déposer",
    ):
        assert attendu in contenu, attendu


def test_enveloppes_montant_et_reste_d_apres_les_decisions(client, page, enveloppe_cvl, territoire_fv, montargis):
    DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        statut=Statut.ACCEPTE,
        montant_accorde=Decimal("250000.00"),
    )
    DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, statut=Statut.DEPOSE)
    enveloppes = client.get(page).context["enveloppes"]
    assert [(e.region.nom, e.jauge.montant, e.jauge.accorde, e.jauge.reste) for e in enveloppes] == [
        ("Centre-Val de Loire", Decimal("5600000.00"), Decimal("250000.00"), Decimal("5350000.00"))
    ]
    assert "5 350 000,00&nbsp;€" in texte(client.get(page))


def test_page_en_requetes_bornees_quel_que_soit_le_nombre_de_regions(
    client, page, dispositif, enveloppe_cvl, django_assert_max_num_queries
):
    for code in ("11", "27", "28", "32", "44"):
        EnveloppeFactory(dispositif=dispositif, region=RegionFactory(code=code), annee=dispositif.annee)
    with django_assert_max_num_queries(3):
        assert client.get(page).status_code == 200


def test_dispositif_inconnu_introuvable(client, db):
    assert client.get(reverse("financements:aide", args=["inconnu"])).status_code == 404


def test_liste_des_aides_et_liens_depuis_l_accueil_et_le_territoire(client, page, territoire_fv, dispositif):
    liste = client.get(reverse("financements:aides"))
    assert liste.status_code == 200 and page in liste.content.decode()
    lien = reverse("financements:aides")
    assert lien in client.get(reverse("accueil")).content.decode()
    assert lien in client.get(reverse("territoires:detail", args=[territoire_fv.identifiant])).content.decode()


@pytest.fixture
def verifier(client, dispositif, territoire_fv, enveloppe_cvl, django_assert_max_num_queries):
    url = reverse("financements:verifier_eligibilite", args=[dispositif.code])

    def _verifier(**autres):
        with django_assert_max_num_queries(10):
            return client.post(url, donnees(**autres))

    return _verifier


def test_eligibilite_sans_compte_rien_de_cree(client, verifier, dispositif, territoire_fv):
    reponse = verifier()
    assert reponse.status_code == 200
    contenu = texte(reponse)
    assert "Votre projet est éligible" in contenu and territoire_fv.nom in contenu
    assert "dispose encore de 5 600 000,00&nbsp;€" in contenu
    assert reponse.context["resultat"]["suite"]["url"] == (
        reverse("comptes:inscription") + f"?siret={SIRET_PORTEUR}&organisme=Fonderie+du+G%C3%A2tinais"
    )
    assert not Dossier.objects.exists()
    assert client.session[f"eligibilite:{dispositif.code}"]["commune"] == "Montargis (45208)"


def test_le_siret_est_facultatif_avant_le_compte(verifier):
    reponse = verifier(siret="")
    assert reponse.status_code == 200 and reponse.context["resultat"]


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"siret": "73282932000075"}, "La clé de contrôle de ce SIRET est fausse."),
        ({"porteur_type": TypePorteur.ORGANISME_FORMATION}, "est réservé aux porteurs de type entreprise"),
        ({"commune": "99999"}, "Aucune commune ne porte le code INSEE 99999."),
        ({"investissement_non_demarre": ""}, "ne finance pas un investissement déjà commencé"),
    ],
)
def test_refus_d_eligibilite_en_francais(verifier, champs, message):
    reponse = verifier(**champs)
    assert reponse.status_code == 400 and reponse.context["resultat"] is None
    assert message in texte(reponse)
    assert reponse.context["form"]["intitule"].value() == "Récupération de chaleur fatale sur le four n°2"


def test_les_reponses_sont_reprises_au_depot(client, verifier, dispositif, porteur):
    verifier()
    client.force_login(porteur)  # the session's answers survive the login
    form = client.get(reverse("financements:eligibilite", args=[dispositif.code])).context["form"]
    assert form["intitule"].value() == "Récupération de chaleur fatale sur le four n°2"
    assert form["commune"].value() == "Montargis (45208)"
    assert form["siret"].value() == SIRET_PORTEUR


def test_migration_ecrit_les_textes_sans_ecraser(dispositif):
    dispositif.contacts = "Écrit par l’équipe nationale."
    dispositif.save()
    migration = importlib.import_module("ti.financements.migrations.0010_textes_de_la_page_d_aide_fonds_vert")
    migration.ecrire_les_textes(apps, None)
    dispositif = Dispositif.objects.get(pk=dispositif.pk)
    assert dispositif.calendrier == demo.CALENDRIER and dispositif.taux_et_plafonds == demo.TAUX_ET_PLAFONDS
    assert dispositif.contacts == "Écrit par l’équipe nationale."
