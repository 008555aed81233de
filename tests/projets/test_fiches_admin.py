"""Fiches-action in the admin: read only (every change goes through the actions), searchable, bounded queries."""

import pytest
from django.urls import reverse

from tests.factories import LigneFinancementFactory, ProjetFactory
from ti.comptes.models import Utilisateur
from ti.projets.actions import fiches as actions
from ti.projets.models import Projet

from .test_fiches_documents import PDF, fichier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_technique(db):
    return Utilisateur.objects.create_superuser("admin@exemple.gouv.fr", "Admin-Technique-2026")


@pytest.fixture
def connecte(client, admin_technique):
    client.force_login(admin_technique)
    return client


@pytest.mark.parametrize("n", [3, 30])
def test_listes_et_fiches_en_requetes_bornees(
    connecte, chef_projet, projet_public, territoire_projets, n, django_assert_max_num_queries
):
    ProjetFactory.create_batch(n, territoire=territoire_projets)
    LigneFinancementFactory.create_batch(n, projet=projet_public)
    document = actions.deposer_document(projet=projet_public, par=chef_projet, fichier=fichier("etude.pdf", PDF))
    note = actions.ajouter_note(projet=projet_public, par=chef_projet, texte="Point d’étape")
    for url in (
        reverse("admin:projets_projet_changelist"),
        reverse("admin:projets_projet_change", args=[projet_public.pk]),
        reverse("admin:projets_theme_changelist"),
        reverse("admin:projets_competence_changelist"),
        reverse("admin:projets_levier_changelist"),
        reverse("admin:projets_document_changelist"),
        reverse("admin:projets_document_change", args=[document.pk]),
        reverse("admin:projets_notesuivi_changelist"),
        reverse("admin:projets_notesuivi_change", args=[note.pk]),
    ):
        with django_assert_max_num_queries(25):
            assert connecte.get(url).status_code == 200, url


def test_une_fiche_ne_se_modifie_ni_ne_s_ajoute_ni_ne_s_efface_dans_l_admin(connecte, projet_public):
    assert connecte.get(reverse("admin:projets_projet_add")).status_code == 403
    reponse = connecte.post(reverse("admin:projets_projet_change", args=[projet_public.pk]), {"titre": "Autre"})
    assert reponse.status_code == 403
    assert (
        connecte.post(reverse("admin:projets_projet_delete", args=[projet_public.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Projet.objects.get(pk=projet_public.pk).titre == "Plateforme mutualisée de fabrication additive"


def test_les_referentiels_sont_en_lecture_seule(connecte):
    assert connecte.get(reverse("admin:projets_theme_add")).status_code == 403
    assert connecte.get(reverse("admin:projets_competence_add")).status_code == 403


def test_la_recherche_ignore_les_accents(connecte, projet_public, projet_prive):
    page = connecte.get(reverse("admin:projets_projet_changelist"), {"q": "fabrication additive"})
    assert projet_public.titre in page.content.decode()
    page = connecte.get(reverse("admin:projets_projet_changelist"), {"q": "mutualisee"})
    assert projet_public.titre in page.content.decode() and projet_prive.titre not in page.content.decode()
