"""The porteur's dossier form: the instruction's request on top with the thread and an answer, several files per
piece joined without losing a keystroke (with and without JavaScript), pieces withdrawn until the filing, the SIRET
and name prefilled from the habilitation, a confirmation before filing."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ti.comptes.models import Role
from ti.core.envois import DEJA_ENVOYE
from ti.core.models import Journal
from ti.financements.actions import instruction
from ti.financements.models import Message, PieceJointe, Statut

from ..factories import HabilitationFactory
from ..projets.test_envoi_unique import jeton_de
from ..projets.test_fiches_formulaire import messages_de
from . import test_depot_dossier as depot
from .conftest import SIRET_AUTRE_PORTEUR, SIRET_PORTEUR
from .test_depot_dossier import PDF, PLAN_EQUILIBRE, saisie

brouillon, complet = depot.brouillon, depot.complet  # the draft and the complete dossier of the filing tests

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture(autouse=True)
def _stockage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fichier(nom, contenu=PDF):
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def modifier(dossier):
    return reverse("financements:modifier", args=[dossier.reference])


@pytest.fixture
def incomplet(client, porteur, complet, instructeur_cvl):
    client.post(reverse("financements:deposer", args=[complet.reference]))
    complet.refresh_from_db()
    instruction.declarer_incomplet(
        dossier=complet, par=instructeur_cvl, version=complet.version, motif="Le devis signé manque."
    )
    Message.objects.create(dossier=complet, auteur=instructeur_cvl, texte="Merci de joindre le devis.")
    complet.refresh_from_db()
    return complet


def test_la_demande_de_l_instructeur_en_tete_du_formulaire_avec_le_fil(
    client, porteur, incomplet, instructeur_cvl, django_assert_max_num_queries
):
    for rang in range(10):
        Message.objects.create(dossier=incomplet, auteur=porteur, texte=f"Message {rang}")
    with django_assert_max_num_queries(17):
        reponse = client.get(modifier(incomplet))
    page = reponse.content.decode()
    banniere = page.index("L’instruction demande des compléments")
    assert banniere < page.index("Le porteur</legend>")  # on top of the form
    assert "Le devis signé manque." in page and instructeur_cvl.get_full_name() in page
    assert "Merci de joindre le devis." in page and "Message 9" in page
    assert "Votre réponse à l’instruction" in page


def test_un_brouillon_n_a_ni_bandeau_ni_fil(client, porteur, brouillon):
    client.force_login(porteur)
    page = client.get(modifier(brouillon)).content.decode()
    assert "L’instruction demande des compléments" not in page and "Votre réponse" not in page


def test_le_porteur_repond_et_son_brouillon_est_enregistre(
    client, porteur, incomplet, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        reponse = client.post(
            modifier(incomplet),
            saisie(
                incomplet,
                PLAN_EQUILIBRE[:0],
                description="Description revue",
                action="repondre",
                reponse="Le devis est joint.",
            ),  # fmt: skip
        )
    assert reponse.status_code == 302 and reponse["Location"].endswith("#echanges")
    assert Message.objects.filter(dossier=incomplet, auteur=porteur, texte="Le devis est joint.").exists()
    incomplet.refresh_from_db()
    assert incomplet.description == "Description revue"


def test_une_reponse_sur_un_brouillon_est_refusee_et_gardee(client, porteur, brouillon):
    client.force_login(porteur)
    reponse = client.post(modifier(brouillon), saisie(brouillon, reponse="Ma question à garder"))
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "Les échanges avec l’instruction s’ouvrent une fois le dossier déposé." in page
    assert not Message.objects.exists()


def test_joindre_deux_fichiers_enregistre_d_abord_le_brouillon(client, porteur, brouillon):
    client.force_login(porteur)
    donnees = saisie(brouillon, description="Saisie à ne pas perdre", action="joindre", type="devis")
    donnees["fichier"] = [fichier("devis-1.pdf"), fichier("devis-2.pdf")]
    reponse = client.post(modifier(brouillon), donnees)
    assert reponse.status_code == 302 and reponse["Location"].endswith("#pieces")
    brouillon.refresh_from_db()
    assert brouillon.description == "Saisie à ne pas perdre"
    assert sorted(brouillon.pieces.values_list("nom", "type")) == [("devis-1.pdf", "devis"), ("devis-2.pdf", "devis")]


def test_fichiers_joints_meme_si_le_brouillon_a_une_erreur_et_saisie_rendue(client, porteur, brouillon):
    client.force_login(porteur)
    donnees = saisie(brouillon, description="Ma saisie", aide_demandee="900 000", action="joindre", type="kbis")
    donnees["fichier"] = [fichier("kbis.pdf")]
    reponse = client.post(modifier(brouillon), donnees)
    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "L’aide demandée ne peut pas dépasser le coût éligible." in page
    assert "Ma saisie" in page and "900 000" in page  # what was typed comes back
    assert "1 fichier(s) joint(s) au dossier." in page and "kbis.pdf" in page
    assert brouillon.pieces.count() == 1


def test_joindre_sans_fichier_le_dit(client, porteur, brouillon):
    client.force_login(porteur)
    reponse = client.post(modifier(brouillon), saisie(brouillon, action="joindre", type="kbis"))
    assert reponse.status_code == 400
    assert "Choisissez le ou les fichiers à déposer." in reponse.content.decode()


def test_joindre_sans_recharger_rend_la_liste_des_pieces(client, porteur, brouillon):
    client.force_login(porteur)
    url = reverse("financements:deposer_piece", args=[brouillon.reference])
    reponse = client.post(url, {"type": "devis", "fichier": [fichier("a.pdf"), fichier("b.pdf")]}, **FETCH)
    assert reponse.status_code == 200
    fragment = reponse.content.decode()
    assert "<html" not in fragment and 'id="pieces-contenu"' in fragment
    assert "a.pdf" in fragment and "b.pdf" in fragment and "Pièces « a.pdf », « b.pdf » jointes au dossier." in fragment


def test_un_fichier_refuse_est_nomme_et_aucun_n_est_joint(client, porteur, brouillon):
    client.force_login(porteur)
    url = reverse("financements:deposer_piece", args=[brouillon.reference])
    envoi = {"type": "devis", "fichier": [fichier("bon.pdf"), fichier("faux.pdf", b"MZ\x90\x00 exe")]}
    reponse = client.post(url, envoi, **FETCH)
    assert reponse.status_code == 400
    assert "« faux.pdf »" in reponse.content.decode()
    assert not brouillon.pieces.exists()


def test_retirer_une_piece_sans_recharger(client, porteur, complet):
    piece = complet.pieces.get(type=PieceJointe.Type.KBIS)
    url = reverse("financements:retirer_piece", args=[complet.reference, piece.pk])
    reponse = client.post(url, **FETCH)
    assert reponse.status_code == 200 and piece.nom not in reponse.content.decode().split("retirée du dossier")[1]
    piece.refresh_from_db()
    assert piece.archive_le is not None  # archived, never deleted
    assert Journal.objects.filter(action="piece_retiree").count() == 1
    assert (
        "Joignez la pièce obligatoire : extrait kbis ou équivalent." in client.get(modifier(complet)).content.decode()
    )


def test_retirer_depuis_le_formulaire_sans_javascript_enregistre_aussi(client, porteur, complet):
    piece = complet.pieces.get(type=PieceJointe.Type.KBIS)
    reponse = client.post(modifier(complet), saisie(complet, description="Revue", retirer=str(piece.pk)))
    assert reponse.status_code == 302 and reponse["Location"].endswith("#pieces")
    complet.refresh_from_db()
    piece.refresh_from_db()
    assert complet.description == "Revue" and piece.archive_le is not None


def test_une_piece_ne_se_retire_plus_apres_le_depot_ni_par_un_autre(client, porteur, autre_porteur, complet):
    piece = complet.pieces.first()
    url = reverse("financements:retirer_piece", args=[complet.reference, piece.pk])
    client.force_login(autre_porteur)
    assert client.post(url).status_code == 404
    client.force_login(porteur)
    client.post(reverse("financements:deposer", args=[complet.reference]))
    assert client.post(url).status_code == 403
    piece.refresh_from_db()
    assert piece.archive_le is None


def test_verifier_et_deposer_mene_a_la_confirmation(client, porteur, complet):
    reponse = client.post(modifier(complet), saisie(complet, PLAN_EQUILIBRE[:0], action="deposer"))
    assert reponse["Location"] == reverse("financements:confirmer_depot", args=[complet.reference])
    page = client.get(reponse["Location"]).content.decode()
    assert "Confirmer le dépôt" in page and "etude.pdf" in page and "kbis.pdf" in page
    complet.refresh_from_db()
    assert complet.statut == Statut.BROUILLON  # nothing filed before the confirmation
    assert client.post(reverse("financements:deposer", args=[complet.reference])).status_code == 302
    complet.refresh_from_db()
    assert complet.statut == Statut.DEPOSE
    page = client.get(reverse("financements:mes_dossiers")).content.decode()
    assert reverse("financements:recepisse", args=[complet.reference]) in page


def test_la_confirmation_d_un_dossier_incomplet_dit_ce_qui_manque_sans_bouton(client, porteur, brouillon):
    client.force_login(porteur)
    page = client.get(reverse("financements:confirmer_depot", args=[brouillon.reference])).content.decode()
    assert "Le dossier ne peut pas encore être déposé" in page and "Confirmer le dépôt" not in page.split("</h1>")[1]


def test_siret_et_nom_preremplis_depuis_l_habilitation(client, porteur, dispositif):
    client.force_login(porteur)
    page = client.get(reverse("financements:eligibilite", args=[dispositif.code])).content.decode()
    assert f'value="{SIRET_PORTEUR}"' in page and 'value="Fonderie du Gâtinais"' in page


def test_avec_deux_structures_l_aide_les_liste_sans_choisir(client, porteur, dispositif):
    HabilitationFactory(utilisateur=porteur, role=Role.PORTEUR, siret=SIRET_AUTRE_PORTEUR, organisme="Seconde")
    client.force_login(porteur)
    page = client.get(reverse("financements:eligibilite", args=[dispositif.code])).content.decode()
    assert f'value="{SIRET_PORTEUR}"' not in page
    assert f"{SIRET_PORTEUR} (Fonderie du Gâtinais)" in page and f"{SIRET_AUTRE_PORTEUR} (Seconde)" in page


def test_mes_dossiers_signale_la_demande_de_complements(client, porteur, incomplet):
    assert "Compléments demandés" in client.get(reverse("financements:mes_dossiers")).content.decode()


def test_le_formulaire_envoye_deux_fois_ne_joint_et_ne_repond_qu_une_fois(client, porteur, incomplet):
    url = modifier(incomplet)
    jeton = jeton_de(client.get(url))
    for _ in range(2):
        donnees = saisie(incomplet, action="joindre", type="devis", reponse="Devis joint.", jeton_envoi=jeton)
        donnees["fichier"] = [fichier("devis.pdf")]
        derniere = client.post(url, donnees)
    assert incomplet.pieces.filter(nom="devis.pdf").count() == 1
    assert Message.objects.filter(texte="Devis joint.").count() == 1
    assert derniere.status_code == 302 and DEJA_ENVOYE in messages_de(derniere)


def test_l_accuse_de_depot_donne_le_lien_du_recepisse(
    client, porteur, complet, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("financements:deposer", args=[complet.reference]))
    executer_travaux()
    accuse = next(m for m in mail.outbox if porteur.email in m.to)
    assert f"/financements/dossiers/{complet.reference}/recepisse.pdf" in accuse.body
