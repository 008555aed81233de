"""The dossier page, the step forms, the decision letter: who sees what, who may do what, in bounded queries."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from ti.financements.actions import instruction as actions
from ti.financements.models import Avis, Dossier, Enveloppe, LigneFinancementDossier, Message, Statut

from ..factories import DossierFactory

pytestmark = pytest.mark.django_db
AUJOURD_HUI = timezone.localdate().isoformat()  # a convention and its payments follow the decision, taken today


@pytest.fixture
def dossier_cvl(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


def page(dossier):
    return reverse("financements:dossier", args=[dossier.reference])


def etape(dossier):
    return reverse("financements:etape", args=[dossier.reference])


def poster(client, dossier, code, **champs):
    dossier.refresh_from_db()
    donnees = {"etape": code, f"{code}-version": dossier.version}
    donnees.update({f"{code}-{cle}": valeur for cle, valeur in champs.items()})
    return client.post(etape(dossier), donnees)


def test_l_instructeur_d_une_autre_region_ne_voit_pas_le_dossier(client, dossier_cvl, instructeur_bretagne):
    client.force_login(instructeur_bretagne)
    assert client.get(page(dossier_cvl)).status_code == 404
    assert poster(client, dossier_cvl, "ouvrir").status_code == 404
    assert client.get(reverse("financements:lettre_decision", args=[dossier_cvl.reference])).status_code == 404


def test_un_expert_voit_le_dossier_mais_ne_l_instruit_pas(client, dossier_cvl, expert_ademe_cvl):
    client.force_login(expert_ademe_cvl)
    assert client.get(page(dossier_cvl)).status_code == 200
    assert poster(client, dossier_cvl, "ouvrir").status_code == 403
    assert Dossier.objects.get(pk=dossier_cvl.pk).statut == Statut.DEPOSE


def test_le_porteur_ne_peut_pas_poster_une_etape(client, dossier_cvl, porteur):
    client.force_login(porteur)
    assert poster(client, dossier_cvl, "ouvrir").status_code == 403


def test_une_etape_inconnue_est_404(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert poster(client, dossier_cvl, "payer").status_code == 404


def test_le_parcours_par_les_pages_jusqu_au_solde(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    assert poster(client, dossier_cvl, "ouvrir").status_code == 302
    assert poster(client, dossier_cvl, "proposer", montant_propose="200000").status_code == 302
    assert poster(client, dossier_cvl, "decider", statut="accepte", montant="200000").status_code == 302
    assert (
        poster(
            client, dossier_cvl, "engager", convention_numero="CVL-24-7", convention_date=AUJOURD_HUI, montant="200000"
        ).status_code
        == 302
    )
    assert poster(client, dossier_cvl, "versement", type="solde", montant="200000", date=AUJOURD_HUI).status_code == 302
    dossier = Dossier.objects.get(pk=dossier_cvl.pk)
    assert (dossier.statut, dossier.montant_verse) == (Statut.SOLDE, Decimal("200000"))
    etats = list(dossier.transitions.values_list("vers", flat=True))
    assert etats == ["en_instruction", "propose", "accepte", "engage", "solde"]


def test_une_transition_interdite_est_expliquee_dans_le_formulaire(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    reponse = poster(client, dossier_cvl, "decider", statut="accepte", montant="1000")
    assert reponse.status_code == 400
    assert "ne peut pas passer" in reponse.content.decode()


def test_la_decision_au_dela_de_l_enveloppe_affiche_le_reste(client, dossier_cvl, instructeur_cvl):
    Enveloppe.objects.filter(pk=dossier_cvl.enveloppe_id).update(montant=Decimal("150000"))
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="200000")
    reponse = poster(client, dossier_cvl, "decider", statut="accepte", montant="200000")
    assert reponse.status_code == 400
    assert "Il ne reste que 150\xa0000,00\xa0€" in reponse.content.decode()


def test_le_porteur_voit_son_etat_et_pas_les_avis(
    client, dossier_cvl, porteur, instructeur_cvl, expert_ademe_cvl, django_assert_max_num_queries
):
    dossier = actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    avis = actions.demander_avis(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, type="ademe", echeance=timezone.localdate()
    )
    actions.rendre_avis(avis=avis, par=expert_ademe_cvl, sens="defavorable", texte="Texte interne de l’expert.")
    client.force_login(porteur)
    with django_assert_max_num_queries(7):  # no opinion, no note for him; no message yet: none read
        reponse = client.get(page(dossier_cvl))
    contenu = reponse.content.decode()
    assert "En instruction" in contenu
    assert "Texte interne de l’expert." not in contenu
    assert 'name="etape"' not in contenu
    client.force_login(instructeur_cvl)
    assert "Texte interne de l’expert." in client.get(page(dossier_cvl)).content.decode()


def test_le_porteur_voit_le_montant_la_convention_et_les_versements(client, dossier_cvl, porteur, instructeur_cvl):
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="120000")
    poster(client, dossier_cvl, "decider", statut="accepte", montant="120000")
    poster(client, dossier_cvl, "engager", convention_numero="CVL-24-9", convention_date=AUJOURD_HUI, montant="120000")
    poster(client, dossier_cvl, "versement", type="avance", montant="36000", date=AUJOURD_HUI)
    client.force_login(porteur)
    contenu = client.get(page(dossier_cvl)).content.decode()
    assert "120\xa0000,00&nbsp;€" in contenu
    assert "CVL-24-9" in contenu
    assert "36\xa0000,00&nbsp;€" in contenu


def test_un_avis_en_retard_est_signale(client, dossier_cvl, instructeur_cvl):
    dossier = actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    avis = actions.demander_avis(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, type="region", echeance=timezone.localdate()
    )
    Avis.objects.filter(pk=avis.pk).update(echeance=timezone.localdate() - timedelta(days=2))
    client.force_login(instructeur_cvl)
    assert "1 avis en retard" in client.get(page(dossier_cvl)).content.decode()


def test_la_page_de_l_instructeur_en_requetes_bornees(
    client, dossier_cvl, instructeur_cvl, porteur, django_assert_max_num_queries
):
    dossier = actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    for type in ("ademe", "region", "gouvernance"):
        dossier = Dossier.objects.get(pk=dossier.pk)
        actions.demander_avis(
            dossier=dossier, par=instructeur_cvl, version=dossier.version, type=type, echeance=timezone.localdate()
        )
    for rang in range(10):
        LigneFinancementDossier.objects.create(dossier=dossier, financeur=f"Financeur {rang}", montant=Decimal(1000))
        Message.objects.create(
            dossier=dossier, auteur=porteur if rang % 2 else instructeur_cvl, texte=f"Message {rang}"
        )
    client.force_login(instructeur_cvl)
    # Every list has rows but the annotations (asked in the dossier's query: no query of their own); the région's
    # envelopes read on the first request only, then kept in the cache.
    with django_assert_max_num_queries(11):
        reponse = client.get(page(dossier_cvl))
    assert reponse.status_code == 200
    with django_assert_max_num_queries(10):
        client.get(page(dossier_cvl))


def test_la_lettre_de_decision(client, dossier_cvl, instructeur_cvl, porteur):
    client.force_login(instructeur_cvl)
    url = reverse("financements:lettre_decision", args=[dossier_cvl.reference])
    assert client.get(url).status_code == 404  # not decided yet
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="180000.50")
    poster(client, dossier_cvl, "decider", statut="accepte", montant="180000.50", motif="Projet exemplaire.")
    client.force_login(porteur)
    reponse = client.get(url)
    assert reponse.status_code == 200
    texte = "\n".join(p.text for p in Document(BytesIO(reponse.content)).paragraphs)
    assert "Fonderie du Gâtinais (fictive)" in texte
    assert "180\xa0000,50\xa0€" in texte
    assert "Projet exemplaire." in texte
    assert "préfet de la région Centre-Val de Loire" in texte
    assert "{{" not in texte


def test_la_lettre_montre_le_titre_et_le_nom_du_porteur_tels_quels(client, dossier_cvl, instructeur_cvl):
    dossier_cvl.intitule = "</w:t></w:r></w:p><w:p><w:r><w:t>Paragraphe injecté"
    dossier_cvl.porteur_nom = "Dupont & Fils <SAS>"
    dossier_cvl.save()
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="1000")
    poster(
        client, dossier_cvl, "decider", statut="refuse", motif="Gain environnemental insuffisant.", confirmation="on"
    )

    reponse = client.get(reverse("financements:lettre_decision", args=[dossier_cvl.reference]))

    paragraphes = [p.text for p in Document(BytesIO(reponse.content)).paragraphs]
    assert f"Dossier {dossier_cvl.reference} — « {dossier_cvl.intitule} »" in paragraphes
    assert "Paragraphe injecté" not in paragraphes
    assert any(p.startswith("Dupont & Fils <SAS>\nSIRET") for p in paragraphes)


def test_la_lettre_d_un_refus(client, dossier_cvl, instructeur_cvl):
    client.force_login(instructeur_cvl)
    poster(client, dossier_cvl, "ouvrir")
    poster(client, dossier_cvl, "proposer", montant_propose="1000")
    poster(
        client, dossier_cvl, "decider", statut="refuse", motif="Gain environnemental insuffisant.", confirmation="on"
    )
    reponse = client.get(reverse("financements:lettre_decision", args=[dossier_cvl.reference]))
    texte = "\n".join(p.text for p in Document(BytesIO(reponse.content)).paragraphs)
    assert "n’est pas retenue" in texte and "Gain environnemental insuffisant." in texte
    assert "Montant de l’aide accordée" not in texte


def test_les_dates_des_formulaires_sont_au_format_du_navigateur(client, dossier_cvl, instructeur_cvl):
    actions.ouvrir_instruction(dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version)
    client.force_login(instructeur_cvl)
    echeance = (timezone.localdate() + timedelta(days=15)).isoformat()
    assert f'name="avis-echeance" value="{echeance}"' in client.get(page(dossier_cvl)).content.decode()


def test_la_frise_dit_qui_quand_de_quoi_vers_quoi_et_pourquoi(client, dossier_cvl, instructeur_cvl, porteur):
    actions.declarer_incomplet(
        dossier=dossier_cvl, par=instructeur_cvl, version=dossier_cvl.version, motif="Le devis n’est pas signé."
    )
    client.force_login(porteur)
    contenu = client.get(page(dossier_cvl)).content.decode()
    assert "Déposé → Incomplet" in contenu
    assert "Le devis n’est pas signé." in contenu
    assert instructeur_cvl.get_full_name() in contenu
