"""Who may do what on a dossier: the CURRENT habilitation on its SIRET (defect 2 of issue 9) and only the roles that
apply to this dossier, never those held elsewhere, with conflicts of interest refused (defect 4)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ti.comptes import actions as actions_comptes
from ti.comptes.models import Habilitation, Role
from ti.financements.actions import instruction as instruction
from ti.financements.models import Avis, Dossier, Message, PieceJointe, Statut

from ..factories import DossierFactory, EnveloppeFactory, HabilitationFactory, utilisateur_avec
from .conftest import SIRET_AUTRE_PORTEUR, SIRET_PORTEUR

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AVIS_CONFIDENTIEL = "Le procédé de récupération est surdimensionné (confidentiel)."
MESSAGE_PRIVE = "Merci de joindre le devis signé du chaudiériste."


@pytest.fixture(autouse=True)
def _stockage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier_depose(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur, statut=Statut.DEPOSE
    )


@pytest.fixture
def brouillon(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(
        enveloppe=enveloppe_cvl,
        territoire=territoire_fv,
        commune=montargis,
        deposant=porteur,
        statut=Statut.BROUILLON,
        depose_le=None,
    )


def _habilitation_porteur(utilisateur, siret=SIRET_PORTEUR) -> Habilitation:
    return Habilitation.objects.get(utilisateur=utilisateur, role=Role.PORTEUR, siret=siret, revoquee_le__isnull=True)


def _revoquer(equipe_nationale, habilitation):
    actions_comptes.revoquer_habilitation(par=equipe_nationale, habilitation=habilitation, motif="A quitté la société.")


def _url(nom, dossier, *args):
    return reverse(f"financements:{nom}", args=[dossier.reference, *args])


def _piece(client, dossier):
    fichier = SimpleUploadedFile("kbis.pdf", PDF, content_type="application/pdf")
    return client.post(_url("deposer_piece", dossier), {"type": PieceJointe.Type.KBIS, "fichier": fichier})


# Defect 2 — a revoked porteur keeps nothing, from the next request of the same session.


def test_le_porteur_revoque_perd_son_brouillon_des_la_requete_suivante(client, brouillon, porteur, equipe_nationale):
    client.force_login(porteur)
    assert client.get(_url("modifier", brouillon)).status_code == 200
    assert _piece(client, brouillon).status_code == 302

    _revoquer(equipe_nationale, _habilitation_porteur(porteur))

    assert client.get(_url("modifier", brouillon)).status_code == 404
    assert client.post(_url("modifier", brouillon), {"version": brouillon.version}).status_code == 404
    assert _piece(client, brouillon).status_code == 404
    assert client.post(_url("deposer", brouillon)).status_code == 404
    assert client.get(_url("dossier", brouillon)).status_code == 404
    piece = brouillon.pieces.get()
    assert client.get(_url("piece", brouillon, piece.pk)).status_code == 404
    assert client.get(reverse("financements:mes_dossiers")).status_code == 403  # no porteur role left
    assert brouillon.pieces.count() == 1
    brouillon.refresh_from_db()
    assert brouillon.statut == Statut.BROUILLON


def test_le_porteur_revoque_ne_lit_plus_ni_n_ecrit_sur_son_dossier_depose(
    client, dossier_depose, porteur, equipe_nationale
):
    client.force_login(porteur)
    assert client.get(_url("dossier", dossier_depose)).status_code == 200
    assert client.post(_url("message", dossier_depose), {"texte": "Bonjour"}).status_code == 302

    _revoquer(equipe_nationale, _habilitation_porteur(porteur))

    assert client.get(_url("dossier", dossier_depose)).status_code == 404
    assert client.post(_url("message", dossier_depose), {"texte": "Encore moi"}).status_code == 404
    assert Message.objects.filter(dossier=dossier_depose).count() == 1


def test_le_retrait_d_un_siret_laisse_les_dossiers_des_autres_siret(
    client, dossier_depose, porteur, equipe_nationale, enveloppe_cvl, territoire_fv, montargis
):
    HabilitationFactory(utilisateur=porteur, role=Role.PORTEUR, siret=SIRET_AUTRE_PORTEUR)
    autre = DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, porteur_siret=SIRET_AUTRE_PORTEUR
    )
    client.force_login(porteur)

    _revoquer(equipe_nationale, _habilitation_porteur(porteur))

    assert client.get(_url("dossier", dossier_depose)).status_code == 404
    assert client.get(_url("dossier", autre)).status_code == 200
    mes_dossiers = client.get(reverse("financements:mes_dossiers"))
    assert autre.reference in mes_dossiers.text
    assert dossier_depose.reference not in mes_dossiers.text


def test_le_brouillon_reste_aux_porteurs_du_siret(client, brouillon, porteur, equipe_nationale):
    """The draft belongs to the structure: a colleague habilitated on the same SIRET takes it over."""
    collegue = HabilitationFactory(role=Role.PORTEUR, siret=SIRET_PORTEUR).utilisateur
    _revoquer(equipe_nationale, _habilitation_porteur(porteur))
    client.force_login(collegue)
    page = client.get(_url("modifier", brouillon))
    assert page.status_code == 200
    assert brouillon.reference in page.text and brouillon.intitule in page.text  # the draft itself, to go on with


def test_un_porteur_habilite_de_nouveau_retrouve_le_dossier(client, dossier_depose, porteur, equipe_nationale):
    _revoquer(equipe_nationale, _habilitation_porteur(porteur))
    actions_comptes.accorder_habilitation(
        par=equipe_nationale, utilisateur=porteur, role=Role.PORTEUR, siret=SIRET_PORTEUR, organisme="Fonderie"
    )
    client.force_login(porteur)
    assert client.get(_url("dossier", dossier_depose)).status_code == 200


# Defect 4 — only the roles that apply to this dossier count.


@pytest.fixture
def avis_ademe_rendu(dossier_depose, instructeur_cvl, expert_ademe_cvl):
    dossier_depose.statut = Statut.EN_INSTRUCTION
    dossier_depose.save()
    avis = Avis.objects.create(
        dossier=dossier_depose,
        type=Avis.Type.ADEME,
        demande_par=instructeur_cvl,
        echeance=timezone.localdate() + timedelta(days=10),
    )
    return instruction.rendre_avis(avis=avis, par=expert_ademe_cvl, sens=Avis.Sens.RESERVE, texte=AVIS_CONFIDENTIEL)


def test_le_porteur_expert_ademe_ailleurs_ne_lit_pas_les_avis_de_son_dossier(
    client, avis_ademe_rendu, porteur, bretagne
):
    HabilitationFactory(utilisateur=porteur, role=Role.EXPERT_ADEME, region=bretagne)
    client.force_login(porteur)
    reponse = client.get(_url("dossier", avis_ademe_rendu.dossier))
    assert reponse.status_code == 200
    assert AVIS_CONFIDENTIEL not in reponse.text


def test_le_porteur_expert_ademe_de_la_region_ne_juge_pas_son_propre_dossier(
    client, dossier_depose, porteur, cvl, instructeur_cvl
):
    HabilitationFactory(utilisateur=porteur, role=Role.EXPERT_ADEME, region=cvl)
    dossier_depose.statut = Statut.EN_INSTRUCTION
    dossier_depose.save()
    avis = Avis.objects.create(
        dossier=dossier_depose, type=Avis.Type.ADEME, demande_par=instructeur_cvl, echeance=timezone.localdate()
    )
    client.force_login(porteur)
    reponse = client.post(_url("rendre_avis", dossier_depose, avis.pk), {"sens": "favorable", "texte": "Parfait."})
    assert reponse.status_code == 403
    avis.refresh_from_db()
    assert avis.rendu_le is None


def test_l_expert_ademe_de_la_region_lit_les_avis(client, avis_ademe_rendu, expert_ademe_cvl):
    client.force_login(expert_ademe_cvl)
    assert AVIS_CONFIDENTIEL in client.get(_url("dossier", avis_ademe_rendu.dossier)).text


def test_le_binome_instructeur_ailleurs_ne_lit_pas_les_echanges_prives(
    client, dossier_depose, porteur, binome_territoire, bretagne
):
    instruction.envoyer_message(dossier=dossier_depose, par=porteur, texte=MESSAGE_PRIVE)
    HabilitationFactory(utilisateur=binome_territoire, role=Role.INSTRUCTEUR, region=bretagne)
    client.force_login(binome_territoire)
    reponse = client.get(_url("dossier", dossier_depose))
    assert reponse.status_code == 200
    assert MESSAGE_PRIVE not in reponse.text
    assert client.post(_url("message", dossier_depose), {"texte": "Je m’en mêle"}).status_code == 403


def test_l_instructeur_de_la_region_lit_les_echanges(client, dossier_depose, porteur, instructeur_cvl):
    instruction.envoyer_message(dossier=dossier_depose, par=porteur, texte=MESSAGE_PRIVE)
    client.force_login(instructeur_cvl)
    assert MESSAGE_PRIVE in client.get(_url("dossier", dossier_depose)).text


def test_le_binome_porteur_ne_donne_pas_l_accord_de_la_gouvernance_sur_son_dossier(
    client, dossier_depose, binome_territoire, instructeur_cvl
):
    HabilitationFactory(utilisateur=binome_territoire, role=Role.PORTEUR, siret=SIRET_PORTEUR)
    dossier_depose.statut = Statut.EN_INSTRUCTION
    dossier_depose.save()
    avis = Avis.objects.create(
        dossier=dossier_depose, type=Avis.Type.GOUVERNANCE, demande_par=instructeur_cvl, echeance=timezone.localdate()
    )
    client.force_login(binome_territoire)
    reponse = client.post(_url("rendre_avis", dossier_depose, avis.pk), {"sens": "favorable", "texte": "Bien sûr."})
    assert reponse.status_code == 403
    avis.refresh_from_db()
    assert avis.rendu_le is None


def test_l_instructeur_porteur_n_instruit_pas_son_dossier_et_ne_le_voit_pas_dans_la_file(
    client, dossier_depose, instructeur_cvl
):
    HabilitationFactory(utilisateur=instructeur_cvl, role=Role.PORTEUR, siret=SIRET_PORTEUR)
    autre = DossierFactory(
        enveloppe=dossier_depose.enveloppe,
        territoire=dossier_depose.territoire,
        commune=dossier_depose.commune,
        porteur_siret=SIRET_AUTRE_PORTEUR,
    )
    client.force_login(instructeur_cvl)
    reponse = client.post(_url("etape", dossier_depose), {"etape": "ouvrir", "ouvrir-version": dossier_depose.version})
    assert reponse.status_code == 403
    dossier_depose.refresh_from_db()
    assert dossier_depose.statut == Statut.DEPOSE
    file = client.get(reverse("financements:file")).text
    assert autre.reference in file
    assert dossier_depose.reference not in file


def test_l_equipe_nationale_porteuse_ne_lit_pas_les_avis_de_son_dossier(client, avis_ademe_rendu, equipe_nationale):
    HabilitationFactory(utilisateur=equipe_nationale, role=Role.PORTEUR, siret=SIRET_PORTEUR)
    client.force_login(equipe_nationale)
    assert AVIS_CONFIDENTIEL not in client.get(_url("dossier", avis_ademe_rendu.dossier)).text


def test_un_chef_de_projet_d_un_autre_territoire_ne_voit_pas_le_dossier(client, dossier_depose, territoire_bretagne):
    client.force_login(utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne))
    assert client.get(_url("dossier", dossier_depose)).status_code == 404


# --- A claimed SIRET gives the dossiers one filed; a granted one, all of them (decision 0053) ----------------------


def test_siret_revendique_ses_dossiers_siret_accorde_tous(enveloppe_cvl, territoire_fv, montargis):
    revendique = "44306184100013"
    porteur = utilisateur_avec(Role.PORTEUR, siret=SIRET_AUTRE_PORTEUR)
    HabilitationFactory(utilisateur=porteur, role=Role.PORTEUR, siret=revendique, revendiquee=True)
    collegue = utilisateur_avec(Role.PORTEUR, siret=revendique)

    def dossier(siret, deposant):
        return DossierFactory(
            enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, porteur_siret=siret, deposant=deposant
        )

    accorde_par_un_autre = dossier(SIRET_AUTRE_PORTEUR, collegue)
    le_sien = dossier(revendique, porteur)
    dossier(revendique, collegue)  # the colleague's, on the claimed SIRET: not his
    dossier(SIRET_PORTEUR, porteur)  # filed by him for a SIRET he no longer represents
    visibles = set(Dossier.objects.visible_to(porteur).values_list("pk", flat=True))
    assert visibles == {accorde_par_un_autre.pk, le_sien.pk}


def test_un_role_regional_et_un_role_territorial_s_additionnent(
    enveloppe_cvl, territoire_fv, montargis, territoire_bretagne, bretagne
):
    agent = utilisateur_avec(Role.INSTRUCTEUR, region=enveloppe_cvl.region)
    HabilitationFactory(utilisateur=agent, role=Role.CHEF_PROJET, territoire=territoire_bretagne)
    en_cvl = DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, statut=Statut.DEPOSE)
    en_bretagne = DossierFactory(
        enveloppe=EnveloppeFactory(dispositif=enveloppe_cvl.dispositif, region=bretagne),
        territoire=territoire_bretagne,
        commune=territoire_bretagne.communes.get(),
        statut=Statut.DEPOSE,
    )
    assert set(Dossier.objects.visible_to(agent).values_list("pk", flat=True)) == {en_cvl.pk, en_bretagne.pk}
