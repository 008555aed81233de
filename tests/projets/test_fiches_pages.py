"""The territory's list of fiches-action and a fiche's page: who sees what, role by role."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import LigneFinancementFactory, ProjetFactory
from tests.html import lire
from ti.projets.actions import fiches as actions
from ti.projets.models import StatutFinancement

pytestmark = pytest.mark.django_db


def url_liste(territoire):
    return reverse("projets:territoire", args=[territoire.identifiant])


# The territory's list.


def test_un_visiteur_ne_voit_dans_la_liste_que_les_fiches_publiees(client, projet_public, projet_prive):
    page = client.get(url_liste(projet_public.territoire))
    assert page.status_code == 200
    contenu = page.content.decode()
    assert projet_public.titre in contenu
    assert projet_prive.titre not in contenu
    assert "Nouvelle fiche-action" not in contenu
    assert "Privée" not in contenu


def test_le_chef_de_projet_voit_toutes_les_fiches_avec_leur_visibilite_et_le_bouton_de_creation(
    client, chef_projet, projet_public, projet_prive
):
    client.force_login(chef_projet)
    contenu = client.get(url_liste(projet_public.territoire)).content.decode()
    assert projet_public.titre in contenu and projet_prive.titre in contenu
    assert "Publique" in contenu and "Privée" in contenu
    assert reverse("projets:creer", args=[projet_public.territoire.identifiant]) in contenu
    assert reverse("projets:import", args=[projet_public.territoire.identifiant]) in contenu
    assert reverse("projets:plan_courant", args=[projet_public.territoire.identifiant]) in contenu
    assert reverse("projets:chiffres_territoire", args=[projet_public.territoire.identifiant]) in contenu


def test_la_liste_montre_axe_phase_statut_budget_et_porteur(client, projet_public):
    contenu = client.get(url_liste(projet_public.territoire)).content.decode()
    for texte in ("Innover", "Étude", "En cours", "250\xa0000,00&nbsp;€", "Forges du Drouais", "Dreux"):
        assert texte in contenu


def test_le_binome_voit_les_fiches_privees_sans_bouton_de_creation(client, binome, projet_prive):
    client.force_login(binome)
    contenu = client.get(url_liste(projet_prive.territoire)).content.decode()
    assert projet_prive.titre in contenu
    assert "Nouvelle fiche-action" not in contenu
    assert reverse("projets:import", args=[projet_prive.territoire.identifiant]) not in contenu


def test_le_chef_de_projet_d_un_autre_territoire_ne_voit_que_les_fiches_publiees(
    client, autre_chef_projet, projet_public, projet_prive
):
    client.force_login(autre_chef_projet)
    contenu = client.get(url_liste(projet_public.territoire)).content.decode()
    assert projet_public.titre in contenu
    assert projet_prive.titre not in contenu
    assert "Nouvelle fiche-action" not in contenu


def test_l_equipe_nationale_a_le_bouton_de_creation_partout(client, equipe_nationale, territoire_projets):
    client.force_login(equipe_nationale)
    contenu = client.get(url_liste(territoire_projets)).content.decode()
    assert "Nouvelle fiche-action" in contenu
    assert "Le territoire n’a encore aucune fiche-action." in contenu


def test_une_fiche_archivee_disparait_de_la_liste(client, chef_projet, projet_prive):
    client.force_login(chef_projet)
    assert lire(client.get(url_liste(projet_prive.territoire))).lien(projet_prive.titre).href == (
        projet_prive.get_absolute_url()
    )

    actions.archiver_projet(projet=projet_prive, par=chef_projet, motif="Doublon")

    assert projet_prive.titre not in client.get(url_liste(projet_prive.territoire)).content.decode()


def test_un_territoire_inconnu_est_une_page_introuvable(client, db):
    assert client.get(reverse("projets:territoire", args=["ti2-9999"])).status_code == 404


def test_la_liste_est_paginee(client, chef_projet, territoire_projets):
    ProjetFactory.create_batch(51, territoire=territoire_projets)
    client.force_login(chef_projet)
    page = client.get(url_liste(territoire_projets))
    assert "51 fiches-action, page 1 sur 2" in page.content.decode()
    assert len(page.context["page_obj"]) == 50
    assert len(client.get(url_liste(territoire_projets) + "?page=2").context["page_obj"]) == 1


# A fiche's page.


def test_un_visiteur_lit_une_fiche_publiee_sans_le_suivi_ni_l_historique_ni_le_referent(client, projet_public):
    projet_public.referent_email = "referent@forges-drouais.example"
    projet_public.save()
    page = client.get(projet_public.get_absolute_url())
    assert page.status_code == 200
    contenu = page.content.decode()
    assert projet_public.titre in contenu
    assert "Conseil régional Centre-Val de Loire" in contenu
    assert "Journal de suivi" not in contenu
    assert "Historique des modifications" not in contenu
    assert "referent@forges-drouais.example" not in contenu
    assert "Modifier" not in contenu


def test_un_visiteur_ne_trouve_pas_une_fiche_privee(client, projet_prive):
    assert client.get(projet_prive.get_absolute_url()).status_code == 404


def test_le_chef_de_projet_d_un_autre_territoire_ne_trouve_pas_une_fiche_privee(
    client, autre_chef_projet, projet_prive
):
    client.force_login(autre_chef_projet)
    assert client.get(projet_prive.get_absolute_url()).status_code == 404


def test_le_chef_de_projet_d_un_autre_territoire_lit_une_fiche_publiee_sans_son_suivi(
    client, autre_chef_projet, chef_projet, projet_public
):
    actions.ajouter_note(projet=projet_public, par=chef_projet, texte="Relancer le porteur sur le devis.")
    client.force_login(autre_chef_projet)
    contenu = client.get(projet_public.get_absolute_url()).content.decode()
    assert "Journal de suivi" not in contenu
    assert "Relancer le porteur" not in contenu
    client.force_login(chef_projet)  # the same page for its own team: the follow-up is there
    assert "Relancer le porteur" in lire(client.get(projet_public.get_absolute_url())).texte


def test_l_instructeur_de_la_region_lit_une_fiche_privee_sans_pouvoir_la_modifier(
    client, instructeur_region, projet_prive
):
    client.force_login(instructeur_region)
    page = client.get(projet_prive.get_absolute_url())
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "Journal de suivi" in contenu
    assert reverse("projets:modifier", args=[projet_prive.pk]) not in contenu
    assert reverse("projets:archiver", args=[projet_prive.pk]) not in contenu


def test_le_binome_lit_la_fiche_son_suivi_et_son_historique_sans_bouton_de_modification(
    client, binome, chef_projet, projet_prive
):
    actions.ajouter_note(projet=projet_prive, par=chef_projet, texte="Réunion avec l’ADEME le 12.")
    client.force_login(binome)
    contenu = client.get(projet_prive.get_absolute_url()).content.decode()
    assert "Réunion avec l’ADEME le 12." in contenu
    assert "Historique des modifications" in contenu
    assert reverse("projets:modifier", args=[projet_prive.pk]) not in contenu
    assert "Déposer le document" not in contenu


def test_le_chef_de_projet_a_les_boutons_de_modification_d_archivage_et_de_depot(client, chef_projet, projet_prive):
    client.force_login(chef_projet)
    contenu = client.get(projet_prive.get_absolute_url()).content.decode()
    assert reverse("projets:modifier", args=[projet_prive.pk]) in contenu
    assert reverse("projets:archiver", args=[projet_prive.pk]) in contenu
    assert "Déposer le document" in contenu


def test_une_fiche_archivee_est_introuvable_meme_pour_son_equipe(client, chef_projet, projet_public):
    actions.archiver_projet(projet=projet_public, par=chef_projet, motif="Abandonné par le porteur")
    client.force_login(chef_projet)
    assert client.get(projet_public.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(projet_public.get_absolute_url()).status_code == 404


def test_la_fiche_montre_le_plan_de_financement_face_au_budget(client, projet_public):
    LigneFinancementFactory(
        projet=projet_public, financeur="Bpifrance", montant=Decimal("30000"), statut=StatutFinancement.REFUSE
    )
    page = client.get(projet_public.get_absolute_url())
    totaux = page.context["totaux"]
    assert totaux.budget == Decimal("250000.00")
    assert totaux.sollicite_et_acquis == Decimal("130000")  # 80 000 acquis + 50 000 sollicités; the refusal counts not
    assert totaux.acquis == Decimal("80000")
    assert totaux.reste_a_financer == Decimal("120000")
    contenu = page.content.decode()
    assert "130\xa0000,00&nbsp;€" in contenu and "120\xa0000,00&nbsp;€" in contenu
    assert "dépasse le budget" not in contenu


def test_un_plan_de_financement_au_dela_du_budget_est_signale_sans_etre_refuse(client, projet_public):
    LigneFinancementFactory(projet=projet_public, financeur="Banque des Territoires", montant=Decimal("200000"))
    contenu = client.get(projet_public.get_absolute_url()).content.decode()
    assert (
        "Le plan de financement (330\xa0000,00\xa0€ sollicités ou acquis) dépasse le budget de la fiche "
        "(250\xa0000,00\xa0€) de 80\xa0000,00\xa0€." in contenu
    )


def test_l_historique_dit_qui_a_change_quoi(client, chef_projet, projet_prive):
    actions.modifier_projet(
        projet=projet_prive,
        par=chef_projet,
        donnees={"titre": "Reconversion de la friche Philips (tranche 1)", "budget": Decimal("900000")},
        version=projet_prive.version,
        motif="Découpage en tranches",
    )
    client.force_login(chef_projet)
    contenu = client.get(projet_prive.get_absolute_url()).content.decode()
    assert "Fiche modifiée" in contenu
    assert str(chef_projet) in contenu
    assert "Motif : Découpage en tranches" in contenu
    assert (
        "Titre : « Reconversion de la friche Philips » devient « Reconversion de la friche Philips (tranche 1) »"
        in contenu
    )
    assert "Budget (€) : « 1\xa0200\xa0000,00\xa0€ » devient « 900\xa0000,00\xa0€ »" in contenu
