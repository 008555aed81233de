"""A self-registered applicant's claimed SIRET lets him file Fonds vert dossiers at once; withdrawn, his dossiers are
404; he sees only the dossiers he filed; nothing else of the platform opens to him (decision 0053)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ti.comptes import actions as actions_comptes
from ti.comptes import inscription
from ti.financements.models import Dossier, Statut

from ..factories import DossierFactory, UtilisateurFactory
from .conftest import SIRET_PORTEUR
from .test_depot_eligibilite import donnees

pytestmark = pytest.mark.django_db


@pytest.fixture
def demandeur(db):
    personne = UtilisateurFactory(
        email="claire.durand@fonderie-exemple.fr", inscription_autonome=True, adresse_confirmee_le=timezone.now()
    )
    inscription.revendiquer_siret(par=personne, siret=SIRET_PORTEUR, organisme="Fonderie du Gâtinais")
    return personne


def eligibilite(client, dispositif, **autres):
    return client.post(reverse("financements:eligibilite", args=[dispositif.code]), donnees(**autres))


def test_la_revendication_permet_de_deposer_aussitot(client, demandeur, dispositif, enveloppe_cvl, territoire_fv):
    client.force_login(demandeur)
    reponse = eligibilite(client, dispositif)
    dossier = Dossier.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reverse(
        "financements:modifier", args=[dossier.reference]
    )
    assert (dossier.porteur_siret, dossier.deposant, dossier.statut) == (SIRET_PORTEUR, demandeur, Statut.BROUILLON)
    assert client.get(reverse("financements:mes_dossiers")).status_code == 200


def test_sans_revendication_le_siret_est_refuse_avec_le_chemin(client, dispositif, enveloppe_cvl, territoire_fv):
    personne = UtilisateurFactory(inscription_autonome=True, adresse_confirmee_le=timezone.now())
    inscription.revendiquer_siret(par=personne, siret="35600000000048")
    client.force_login(personne)
    reponse = eligibilite(client, dispositif)
    assert reponse.status_code == 200 and not Dossier.objects.exists()
    assert "Ajoutez-la dans « Mes entreprises »" in " ".join(reponse.context["form"].errors["siret"])


def test_revendication_retiree_les_dossiers_deviennent_introuvables(
    client, demandeur, equipe_nationale, enveloppe_cvl, territoire_fv, montargis
):
    dossier = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=demandeur)
    client.force_login(demandeur)
    assert client.get(dossier.get_absolute_url()).status_code == 200

    actions_comptes.revoquer_habilitation(
        par=equipe_nationale, habilitation=demandeur.habilitations.get(), motif="Déclaration infondée."
    )
    for url in (dossier.get_absolute_url(), reverse("financements:modifier", args=[dossier.reference])):
        assert client.get(url).status_code == 404
    assert client.get(reverse("financements:mes_dossiers")).status_code == 403


def test_une_revendication_ne_montre_pas_les_dossiers_des_autres(
    client, demandeur, porteur, enveloppe_cvl, territoire_fv, montargis
):
    """The company's dossiers filed by a porteur the national team habilitated stay out of a mere claim's reach."""
    le_sien = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=demandeur)
    l_autre = DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur, statut=Statut.BROUILLON
    )
    assert set(Dossier.objects.visible_to(demandeur)) == {le_sien}
    assert set(Dossier.objects.visible_to(porteur)) == {le_sien, l_autre}  # habilitated by the national team
    client.force_login(demandeur)
    assert client.get(l_autre.get_absolute_url()).status_code == 404
    assert client.get(reverse("financements:modifier", args=[l_autre.reference])).status_code == 404


def test_rien_d_autre_ne_s_ouvre(client, demandeur, territoire_fv, enveloppe_cvl):
    """No territory workspace, no instruction, no dispositifs' management, no admin, no account management."""
    client.force_login(demandeur)
    interdites = [
        reverse("financements:file"),
        reverse("financements:dispositifs"),
        reverse("financements:dispositif", args=[enveloppe_cvl.dispositif.code]),
        reverse("financements:enveloppe", args=[enveloppe_cvl.pk]),
        reverse("territoires:modifier", args=[territoire_fv.identifiant]),
        reverse("projets:creer", args=[territoire_fv.identifiant]),
        reverse("projets:plan_courant", args=[territoire_fv.identifiant]),
        reverse("comptes:habilitations"),
        reverse("comptes:revendications"),
    ]
    for url in interdites:
        assert client.get(url).status_code in (403, 404), url
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
