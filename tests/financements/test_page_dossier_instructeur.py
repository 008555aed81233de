"""The instructor's dossier page: sections as tabs (anchors without JavaScript), the steps that end a dossier confirmed,
every error listed at the top, several opinions requested in one step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ti.core.models import Journal
from ti.financements.actions import instruction as actions
from ti.financements.models import Avis, Dossier, Statut

from ..factories import DossierFactory
from .test_instruction_pages import page, poster

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


DANS_15_JOURS = (timezone.localdate() + timedelta(days=15)).isoformat()


def test_l_instructeur_a_les_cinq_sections_en_ancres(
    client, dossier_cvl, instructeur_cvl, django_assert_max_num_queries
):
    client.force_login(instructeur_cvl)
    with django_assert_max_num_queries(9):  # the empty lists (opinions, notes, messages) cost no query
        contenu = client.get(page(dossier_cvl)).content.decode()
    for ancre, onglet in [("dossier", "Dossier"), ("pieces", "Pièces"), ("avis", "Avis"), ("echanges", "Échanges"),
                          ("historique", "Historique")]:  # fmt: skip
        assert f'href="#{ancre}"' in contenu
        assert f'<section id="{ancre}" data-onglet="{onglet}"' in contenu
    assert "financements/dossier.js" in contenu


def test_le_porteur_n_a_ni_la_section_avis_ni_les_etapes(client, dossier_cvl, porteur):
    client.force_login(porteur)
    contenu = client.get(page(dossier_cvl)).content.decode()
    assert 'href="#avis"' not in contenu and 'id="avis"' not in contenu
    assert 'href="#echanges"' in contenu
    assert "data-confirmation" not in contenu


def test_irrecevable_est_destructif_et_confirme_dans_une_modale(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    contenu = client.get(page(dossier_cvl)).content.decode()
    assert 'data-confirmation="modale-irrecevable"' in contenu
    assert '<dialog aria-labelledby="modale-irrecevable-titre" id="modale-irrecevable" class="fr-modal">' in contenu
    assert "ti-btn--danger" in contenu
    # the step that opens the instruction is not destructive: no dialog for it
    assert "modale-ouvrir" not in contenu


def test_irrecevable_sans_confirmation_est_refuse_et_rien_n_est_perdu(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    reponse = poster(client, dossier_cvl, "irrecevable", motif="Hors du périmètre du dispositif.")
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Cochez la case pour confirmer cette décision." in contenu
    assert 'href="#id_irrecevable-confirmation"' in contenu  # the summary links to the box
    assert "Hors du périmètre du dispositif." in contenu  # what was typed stays
    assert Dossier.objects.get(pk=dossier_cvl.pk).statut == Statut.DEPOSE
    reponse = poster(client, dossier_cvl, "irrecevable", motif="Hors du périmètre du dispositif.", confirmation="on")
    assert reponse.status_code == 302
    assert Dossier.objects.get(pk=dossier_cvl.pk).statut == Statut.IRRECEVABLE


def test_un_refus_se_confirme_une_acceptation_non(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="1000")
    reponse = poster(client, dossier_cvl, "decider", statut="refuse", motif="Gain insuffisant.")
    assert reponse.status_code == 400
    assert "Un refus ou un classement sans suite se confirme" in reponse.content.decode()
    assert Dossier.objects.get(pk=dossier_cvl.pk).statut == Statut.PROPOSE
    assert poster(client, dossier_cvl, "decider", statut="accepte", montant="1000").status_code == 302


def test_le_resume_liste_toutes_les_erreurs_d_un_coup(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    for code, champs in [("ouvrir", {}), ("proposer", {"montant_propose": "1000"}),
                         ("decider", {"statut": "accepte", "montant": "1000"})]:  # fmt: skip
        assert poster(client, dossier_cvl, code, **champs).status_code == 302
    reponse = poster(client, dossier_cvl, "engager", convention_numero="", convention_date="", montant="-5")
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "3 erreurs à corriger" in contenu
    for champ in ("convention_numero", "convention_date", "montant"):
        assert f'href="#id_engager-{champ}"' in contenu
    assert "<title>Erreur — " in contenu


def test_deux_avis_demandes_en_une_etape(
    client, dossier_cvl, instructeur_cvl, django_capture_on_commit_callbacks, executer_travaux
):
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = poster(client, dossier_cvl, "avis", types=["ademe", "region"], echeance=DANS_15_JOURS)
    assert reponse.status_code == 302
    avis = Avis.objects.filter(dossier=dossier_cvl).order_by("type")
    assert [(a.type, a.echeance.isoformat()) for a in avis] == [("ademe", DANS_15_JOURS), ("region", DANS_15_JOURS)]
    assert Journal.objects.filter(action="avis_demande").count() == 2
    assert executer_travaux() >= 2  # one notification per body asked


def test_aucun_avis_coche_est_une_erreur_claire(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    reponse = poster(client, dossier_cvl, "avis", echeance=DANS_15_JOURS)
    assert reponse.status_code == 400
    assert "Cochez au moins un avis à demander." in reponse.content.decode()
    assert 'href="#id_avis-types"' in reponse.content.decode()
    assert not Avis.objects.exists()


def test_un_avis_deja_attendu_bloque_toute_la_demande(dossier_cvl, instructeur_cvl):
    dossier = actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    actions.demander_avis(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, type="ademe", echeance=timezone.localdate()
    )
    dossier.refresh_from_db()
    with pytest.raises(actions.Refus, match="déjà attendu"):
        actions.demander_des_avis(
            dossier=dossier, par=instructeur_cvl, version=dossier.version, types=["region", "ademe"],
            echeance=timezone.localdate(),
        )  # fmt: skip
    assert list(Avis.objects.values_list("type", flat=True)) == ["ademe"]
