"""The queue: filing date and age, the porteur's unanswered message, search by reference, company or SIRET, the
export of the filtered queue, and « Avis attendus de moi » role by role."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DossierFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.financements.models import Avis, Dossier, Message

pytestmark = pytest.mark.django_db

FILE = reverse("financements:file")
AVIS = reverse("financements:avis_attendus")


@pytest.fixture
def dossiers(enveloppe_cvl, territoire_fv, montargis, porteur):
    fonderie = DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        deposant=porteur,
        reference="FV2024-24-00001",
        porteur_nom="Fonderie du Gâtinais",
        porteur_siret="73282932000074",
    )
    scierie = DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis,
        reference="FV2024-24-00002", porteur_nom="Scierie de l’Ouanne", porteur_siret="35600000000048",
    )  # fmt: skip
    Dossier.objects.filter(pk=fonderie.pk).update(depose_le=timezone.now() - timedelta(days=12))
    return fonderie, scierie


def references(reponse) -> list[str]:
    return sorted(dossier.reference for dossier in reponse.context["page_obj"])


@pytest.mark.parametrize(
    ("recherche", "attendues"),
    [
        ("FV2024-24-00002", ["FV2024-24-00002"]),
        ("fv2024-24-00001", ["FV2024-24-00001"]),
        ("fonderie", ["FV2024-24-00001"]),
        ("356 000 000", ["FV2024-24-00002"]),
        ("73282932000074", ["FV2024-24-00001"]),
        ("Boulangerie", []),
    ],
)
def test_la_recherche_par_reference_entreprise_ou_siret(client, instructeur_cvl, dossiers, recherche, attendues):
    client.force_login(instructeur_cvl)
    assert references(client.get(FILE, {"recherche": recherche})) == attendues


def test_la_recherche_reste_dans_le_perimetre(client, instructeur_bretagne, dossiers):
    client.force_login(instructeur_bretagne)
    assert references(client.get(FILE, {"recherche": "fonderie"})) == []


def test_la_file_montre_la_date_de_depot_l_age_et_le_message_du_porteur(client, instructeur_cvl, dossiers, porteur):
    fonderie, scierie = dossiers
    Message.objects.create(dossier=scierie, auteur=instructeur_cvl, texte="Pièce manquante ?")
    Message.objects.create(dossier=fonderie, auteur=instructeur_cvl, texte="Pièce manquante ?")
    Message.objects.create(dossier=fonderie, auteur=porteur, texte="La voici.")
    client.force_login(instructeur_cvl)
    reponse = client.get(FILE, {"tri": "reference"})
    premier, second = reponse.context["page_obj"]
    assert (premier.age, premier.message_du_porteur) == (12, True)
    assert (second.age, second.message_du_porteur) == (0, False)
    contenu = reponse.content.decode()
    assert contenu.count("Message du porteur</p>") == 1
    assert "12&nbsp;j" in contenu


@pytest.mark.parametrize("format_", ["csv", "xlsx", "ods"])
def test_l_export_suit_les_filtres(client, instructeur_cvl, dossiers, format_):
    client.force_login(instructeur_cvl)
    reponse = client.get(FILE, {"recherche": "scierie", "export": format_})
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == f'attachment; filename="file-d-instruction.{format_}"'
    if format_ == "csv":
        lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
        assert [ligne[0] for ligne in lignes] == ["Référence", "FV2024-24-00002"]
        assert lignes[1][3] == "35600000000048"


def test_un_format_d_export_inconnu_est_404(client, instructeur_cvl, dossiers):
    client.force_login(instructeur_cvl)
    assert client.get(FILE, {"export": "pdf"}).status_code == 404


@pytest.mark.parametrize("nombre", [2, 20])
def test_l_export_en_requetes_bornees(
    client, instructeur_cvl, enveloppe_cvl, territoire_fv, montargis, nombre, django_assert_max_num_queries
):
    for _ in range(nombre):
        DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis)
    client.force_login(instructeur_cvl)
    with django_assert_max_num_queries(6):
        reponse = client.get(FILE, {"export": "csv"})
    assert reponse.content.decode("utf-8-sig").count("\n") == nombre + 1


def _avis(dossier, type_, jours, par):
    return Avis.objects.create(
        dossier=dossier, type=type_, demande_par=par, echeance=timezone.localdate() + timedelta(days=jours)
    )


def test_l_expert_ademe_voit_ses_avis_attendus_en_retard_d_abord(
    client, expert_ademe_cvl, instructeur_cvl, dossiers, django_assert_max_num_queries
):
    fonderie, scierie = dossiers
    _avis(fonderie, Avis.Type.ADEME, 10, instructeur_cvl)
    _avis(scierie, Avis.Type.ADEME, -2, instructeur_cvl)
    _avis(scierie, Avis.Type.REGION, 1, instructeur_cvl)  # not his
    rendu = _avis(fonderie, Avis.Type.GOUVERNANCE, 1, instructeur_cvl)
    Avis.objects.filter(pk=rendu.pk).update(rendu_le=timezone.now())
    client.force_login(expert_ademe_cvl)
    with django_assert_max_num_queries(8):
        reponse = client.get(AVIS)
    assert [(a.dossier.reference, a.type) for a in reponse.context["page_obj"]] == [
        ("FV2024-24-00002", "ademe"),
        ("FV2024-24-00001", "ademe"),
    ]
    assert "En retard de 2&nbsp;j" in reponse.content.decode()
    assert "Avis attendus de moi (2)" in client.get(FILE).content.decode()


def test_le_referent_region_voit_les_avis_de_la_region(client, referent_region_cvl, instructeur_cvl, dossiers):
    _avis(dossiers[1], Avis.Type.REGION, 3, instructeur_cvl)
    _avis(dossiers[1], Avis.Type.ADEME, 3, instructeur_cvl)
    client.force_login(referent_region_cvl)
    assert [a.type for a in client.get(AVIS).context["page_obj"]] == ["region"]


def test_l_expert_d_une_autre_region_ne_voit_rien(client, bretagne, instructeur_cvl, dossiers):
    _avis(dossiers[0], Avis.Type.ADEME, 3, instructeur_cvl)
    client.force_login(utilisateur_avec(Role.EXPERT_ADEME, region=bretagne))
    reponse = client.get(AVIS)
    assert reponse.status_code == 200
    assert list(reponse.context["page_obj"]) == []
    assert "Aucun avis ne vous est demandé" in reponse.content.decode()


@pytest.mark.parametrize("fixture", ["instructeur_cvl", "porteur"])
def test_sans_avis_a_rendre_la_liste_est_refusee(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(AVIS).status_code == 403
