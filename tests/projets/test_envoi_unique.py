"""A creation form sent twice (double click, resend) creates once (ti/core/envois.py), on the fiche-action, its
documents and notes, and the contract; the token is rendered in each of these forms."""

import re

from django.urls import reverse

from ti.core.envois import DEJA_ENVOYE
from ti.core.models import EnvoiTraite
from ti.projets.models import ContratTerritoire, Document, NoteSuivi, Projet, Signataire

from .saisie_fiche import saisie_nouvelle
from .test_fiches_documents import PDF, fichier
from .test_fiches_formulaire import messages_de, url_creer

JETON = re.compile(r'<input type="hidden" name="jeton_envoi" value="([A-Za-z0-9_-]+)">')


def jeton_de(reponse) -> str:
    jetons = JETON.findall(reponse.content.decode())
    assert jetons, "le formulaire ne porte pas de jeton d’envoi"
    return jetons[0]


def test_une_fiche_envoyee_deux_fois_est_creee_une_fois(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    jeton = jeton_de(client.get(url_creer(territoire_projets)))
    donnees = {**saisie_nouvelle(), "jeton_envoi": jeton}

    premier = client.post(url_creer(territoire_projets), donnees)
    second = client.post(url_creer(territoire_projets), donnees)

    projet = Projet.objects.get()
    assert premier.status_code == second.status_code == 302
    assert second["Location"] == premier["Location"] == projet.get_absolute_url()
    assert DEJA_ENVOYE in messages_de(second)


def test_un_formulaire_refuse_garde_son_jeton_pour_l_envoi_corrige(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    jeton = jeton_de(client.get(url_creer(territoire_projets)))

    refuse = client.post(url_creer(territoire_projets), {**saisie_nouvelle(porteur_siret="1234"), "jeton_envoi": jeton})
    corrige = client.post(url_creer(territoire_projets), {**saisie_nouvelle(), "jeton_envoi": jeton})

    assert refuse.status_code == 200 and not EnvoiTraite.objects.filter(url="").exists()
    assert corrige.status_code == 302
    assert Projet.objects.count() == 1


def test_deux_formulaires_distincts_creent_deux_fiches(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    for _ in range(2):
        jeton = jeton_de(client.get(url_creer(territoire_projets)))
        client.post(url_creer(territoire_projets), {**saisie_nouvelle(), "jeton_envoi": jeton})

    assert Projet.objects.count() == 2


def test_la_note_de_suivi_envoyee_deux_fois(client, chef_projet, projet_prive):
    client.force_login(chef_projet)
    jeton = jeton_de(client.get(projet_prive.get_absolute_url()))
    url = reverse("projets:ajouter_note", args=[projet_prive.pk])

    for _ in range(2):
        assert client.post(url, {"texte": "Réunion avec le porteur.", "jeton_envoi": jeton}).status_code == 302

    assert NoteSuivi.objects.filter(projet=projet_prive).count() == 1


def test_le_contrat_et_son_signataire_envoyes_deux_fois(client, chef_projet, territoire_projets):
    client.force_login(chef_projet)
    url = reverse("projets:contrat", args=[territoire_projets.identifiant])
    donnees = {
        "jeton_envoi": jeton_de(client.get(url)),
        "intitule": "Contrat de territoire d’industrie du Pays de Dreux",
        "date_signature": "",
        "plan": "",
        "motif": "",
        "signataires-TOTAL_FORMS": "1",
        "signataires-INITIAL_FORMS": "0",
        "signataires-0-type": Signataire.Type.ETAT,
        "signataires-0-organisme": "Préfecture d’Eure-et-Loir",
        "signataires-0-representant": "",
        "signataires-0-qualite": "",
        "signataires-0-date_signature": "",
    }

    assert client.post(url, donnees).status_code == 302
    assert client.post(url, donnees).status_code == 302

    assert ContratTerritoire.objects.count() == 1
    assert Signataire.objects.count() == 1


def test_le_document_depose_deux_fois(client, chef_projet, projet_prive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(chef_projet)
    page = client.get(projet_prive.get_absolute_url()).content.decode()
    assert len(JETON.findall(page)) == 2  # the documents' form and the follow-up note's, each its own token
    jeton = JETON.findall(page)[0]
    url = reverse("projets:deposer_document", args=[projet_prive.pk])

    for _ in range(2):
        envoi = {"fichier": fichier("etude.pdf", PDF), "jeton_envoi": jeton}
        assert client.post(url, envoi).status_code == 302

    assert Document.objects.filter(projet=projet_prive).count() == 1
