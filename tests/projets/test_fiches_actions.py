"""The actions on fiches-action called directly (as an import or a script would), and the follow-up journal."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import ProjetFactory
from ti.core.models import Journal
from ti.projets.actions import fiches as actions
from ti.projets.models import Competence, Levier, NoteSuivi, Projet, Theme

pytestmark = pytest.mark.django_db


def test_creer_projet_refuse_le_binome(binome, territoire_projets):
    with pytest.raises(PermissionDenied):
        actions.creer_projet(territoire=territoire_projets, par=binome, donnees={"titre": "X", "axe": "innover"})
    assert not Projet.objects.exists()


def test_creer_projet_refuse_une_commune_hors_du_perimetre(chef_projet, territoire_projets, commune_hors_territoire):
    with pytest.raises(actions.Refus) as refus:
        actions.creer_projet(
            territoire=territoire_projets,
            par=chef_projet,
            donnees={"titre": "X", "axe": "innover", "commune": commune_hors_territoire},
        )
    assert str(refus.value) == (
        "La commune Chartres (28085) n’est pas dans le périmètre du territoire Pays de Dreux : "
        "choisissez une commune du territoire."
    )
    assert not Projet.objects.exists() and not Journal.objects.exists()


def test_creer_projet_refuse_un_siret_faux(chef_projet, territoire_projets):
    with pytest.raises(actions.Refus, match="SIRET du porteur : La clé de contrôle de ce SIRET est fausse."):
        actions.creer_projet(
            territoire=territoire_projets,
            par=chef_projet,
            donnees={"titre": "X", "axe": "innover", "porteur_siret": "73282932000075"},
        )


def test_creer_projet_refuse_des_dates_inversees(chef_projet, territoire_projets):
    with pytest.raises(actions.Refus, match="La date de fin précède la date de début."):
        actions.creer_projet(
            territoire=territoire_projets,
            par=chef_projet,
            donnees={"titre": "X", "axe": "innover", "date_debut": date(2026, 5, 1), "date_fin": date(2026, 4, 1)},
        )


def test_creer_projet_refuse_un_champ_inconnu(chef_projet, territoire_projets):
    with pytest.raises(ValueError, match="Champs inconnus : version"):
        actions.creer_projet(territoire=territoire_projets, par=chef_projet, donnees={"titre": "X", "version": 7})


def test_modifier_projet_journalise_les_competences_et_les_leviers(chef_projet, projet_prive):
    competence = Competence.objects.get(code="90-11")
    levier = Levier.objects.order_by("libelle").first()
    changements = actions.modifier_projet(
        projet=projet_prive,
        par=chef_projet,
        donnees={"competences": [competence], "leviers": [levier], "public": True},
        version=1,
    )
    assert changements == {
        "competences": [[], ["90-11 Police, sécurité, justice"]],
        "leviers": [[], [levier.libelle]],
        "public": [False, True],
    }
    projet = Projet.objects.get(pk=projet_prive.pk)
    assert projet.version == 2 and projet.public
    assert Journal.objects.get(action="projet_modifie").details == changements


def test_modifier_projet_sans_changement_ne_cree_ni_version_ni_journal(chef_projet, projet_public):
    themes = list(projet_public.themes.all())
    assert (
        actions.modifier_projet(
            projet=projet_public, par=chef_projet, donnees={"titre": projet_public.titre, "themes": themes}, version=1
        )
        == {}
    )
    assert Projet.objects.get(pk=projet_public.pk).version == 1
    assert not Journal.objects.exists()


def test_une_version_perimee_nomme_l_auteur_de_la_derniere_modification(chef_projet, equipe_nationale, projet_public):
    actions.modifier_projet(projet=projet_public, par=equipe_nationale, donnees={"budget": Decimal("1")}, version=1)
    with pytest.raises(actions.Refus) as refus:
        actions.modifier_projet(projet=projet_public, par=chef_projet, donnees={"titre": "Autre"}, version=1)
    assert str(refus.value) == f"Cette fiche a été modifiée entre-temps par {equipe_nationale} ; rechargez la page."
    assert Projet.objects.get(pk=projet_public.pk).titre == "Plateforme mutualisée de fabrication additive"


def test_une_version_perimee_sans_auteur_connu_le_dit_aussi(chef_projet, territoire_projets):
    projet = ProjetFactory(territoire=territoire_projets, version=3)  # changed by an import, say
    with pytest.raises(actions.Refus, match="modifiée entre-temps par une autre personne ; rechargez la page."):
        actions.modifier_projet(projet=projet, par=chef_projet, donnees={"titre": "Autre"}, version=2)


def test_une_ligne_d_une_autre_fiche_ne_se_modifie_pas(chef_projet, projet_public, projet_prive):
    ligne = projet_public.financements.first()
    with pytest.raises(actions.Refus, match="n’appartient pas à cette fiche"):
        actions.modifier_projet(
            projet=projet_prive,
            par=chef_projet,
            donnees={},
            financements=[{"id": ligne.pk, "supprimer": True}],
            version=1,
        )
    assert projet_public.financements.count() == 2


def test_une_fiche_archivee_ne_se_modifie_ni_ne_s_archive_plus(chef_projet, projet_public):
    actions.archiver_projet(projet=projet_public, par=chef_projet, motif="Doublon")
    with pytest.raises(actions.Refus, match="Cette fiche est archivée"):
        actions.modifier_projet(projet=projet_public, par=chef_projet, donnees={"titre": "X"}, version=2)
    with pytest.raises(actions.Refus, match="Cette fiche est déjà archivée."):
        actions.archiver_projet(projet=projet_public, par=chef_projet, motif="Encore")


def test_une_fiche_archivee_reste_dans_l_historique(chef_projet, projet_public):
    actions.archiver_projet(projet=projet_public, par=chef_projet, motif="Doublon de la fiche 12")
    entree = Journal.objects.get(action="projet_archive")
    assert entree.objet_id == str(projet_public.pk) and entree.motif == "Doublon de la fiche 12"
    assert list(entree.details) == ["archive_le"]
    assert Projet.objects.filter(pk=projet_public.pk).exists()
    assert not Projet.objects.visible_to(chef_projet).filter(pk=projet_public.pk).exists()


def test_l_equipe_nationale_modifie_les_themes_d_une_fiche_de_n_importe_quel_territoire(equipe_nationale, projet_prive):
    actions.modifier_projet(
        projet=projet_prive, par=equipe_nationale, donnees={"themes": [Theme.objects.get(code="foncier")]}, version=1
    )
    assert list(projet_prive.themes.values_list("code", flat=True)) == ["foncier"]


# The follow-up journal: whoever may read it may write in it.


@pytest.mark.parametrize("personne", ["chef_projet", "binome", "instructeur_region", "equipe_nationale"])
def test_l_equipe_du_territoire_ecrit_dans_le_journal_de_suivi(request, projet_prive, personne):
    auteur = request.getfixturevalue(personne)
    note = actions.ajouter_note(projet=projet_prive, par=auteur, texte="  Point d’étape avec le porteur.  ")
    assert note.texte == "Point d’étape avec le porteur." and note.auteur == auteur
    assert Journal.objects.get(action="note_ajoutee").details == {"note": [None, "Point d’étape avec le porteur."]}
    assert Projet.objects.get(pk=projet_prive.pk).version == 1  # a note is not a change of the fiche


@pytest.mark.parametrize("personne", ["autre_chef_projet", "anonyme"])
def test_hors_de_l_equipe_on_n_ecrit_pas_dans_le_journal_de_suivi(request, projet_public, personne):
    auteur = AnonymousUser() if personne == "anonyme" else request.getfixturevalue(personne)
    with pytest.raises(PermissionDenied):
        actions.ajouter_note(projet=projet_public, par=auteur, texte="Intrusion")
    assert not NoteSuivi.objects.exists()


def test_une_note_vide_est_refusee(chef_projet, projet_public):
    with pytest.raises(actions.Refus, match="La note est vide."):
        actions.ajouter_note(projet=projet_public, par=chef_projet, texte="   ")


def test_le_binome_ecrit_une_note_depuis_la_fiche(client, binome, projet_prive):
    client.force_login(binome)
    reponse = client.post(reverse("projets:ajouter_note", args=[projet_prive.pk]), {"texte": "Vu en comité."})
    assert reponse.status_code == 302 and reponse.url.endswith("#suivi")
    assert NoteSuivi.objects.get().auteur == binome
    assert "Vu en comité." in client.get(projet_prive.get_absolute_url()).content.decode()


def test_une_note_vide_depuis_la_fiche_est_refusee_en_francais(client, chef_projet, projet_prive):
    client.force_login(chef_projet)
    reponse = client.post(reverse("projets:ajouter_note", args=[projet_prive.pk]), {"texte": ""})
    assert reponse.status_code == 400
    assert "Écrivez la note avant de l’enregistrer." in reponse.content.decode()


def test_le_chef_de_projet_d_un_autre_territoire_n_ecrit_pas_de_note_meme_sur_une_fiche_publiee(
    client, autre_chef_projet, projet_public
):
    client.force_login(autre_chef_projet)
    reponse = client.post(reverse("projets:ajouter_note", args=[projet_public.pk]), {"texte": "Intrusion"})
    assert reponse.status_code == 404
    assert not NoteSuivi.objects.exists()


def test_un_visiteur_n_ecrit_pas_de_note(client, projet_public):
    reponse = client.post(reverse("projets:ajouter_note", args=[projet_public.pk]), {"texte": "Intrusion"})
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("comptes:connexion"))
    assert not NoteSuivi.objects.exists()
