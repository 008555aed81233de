"""Rules at their edges: each test fails when the rule is loosened or tightened by one step (who, which state,
which amount, which date), with its positive twin beside it so that neither can pass by refusing everything."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ti.financements.actions import instruction as actions
from ti.financements.models import Avis, Dossier, Enveloppe, Statut

from ..factories import DossierFactory

pytestmark = pytest.mark.django_db

REGIONAUX = ["instructeur_cvl", "expert_ademe_cvl", "referent_region_cvl"]


@pytest.fixture
def depose(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur)


@pytest.fixture
def brouillon(enveloppe_cvl, territoire_fv, montargis, porteur):
    return DossierFactory(
        enveloppe=enveloppe_cvl, territoire=territoire_fv, commune=montargis, deposant=porteur, statut=Statut.BROUILLON
    )


def _frais(dossier):
    return Dossier.objects.get(pk=dossier.pk)


def _instruit(dossier, par):
    return actions.ouvrir_instruction(dossier=dossier, par=par, version=dossier.version)


def _demander(dossier, par, type, echeance):
    dossier = _frais(dossier)
    return actions.demander_avis(dossier=dossier, par=par, version=dossier.version, type=type, echeance=echeance)


# --- A région's drafts stay the porteur's own ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*REGIONAUX, "equipe_nationale", "binome_territoire"])
def test_les_roles_de_la_region_voient_le_depose_et_jamais_le_brouillon(request, persona, depose, brouillon):
    visibles = set(Dossier.objects.visible_to(request.getfixturevalue(persona)).values_list("pk", flat=True))
    assert visibles == {depose.pk}


def test_le_porteur_voit_son_brouillon_et_son_depose(porteur, depose, brouillon):
    assert set(Dossier.objects.visible_to(porteur).values_list("pk", flat=True)) == {depose.pk, brouillon.pk}


def test_la_file_de_l_instructeur_liste_le_depose_sans_le_brouillon(client, instructeur_cvl, depose, brouillon):
    client.force_login(instructeur_cvl)
    page = client.get(reverse("financements:file")).content.decode()
    assert depose.reference in page
    assert brouillon.reference not in page


@pytest.mark.parametrize("persona", REGIONAUX)
def test_le_brouillon_d_un_dossier_de_la_region_est_introuvable(client, request, persona, brouillon):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(brouillon.get_absolute_url()).status_code == 404


# --- The national team steers; it neither instructs, decides nor gives opinions ---------------------------------


def test_l_equipe_nationale_n_ouvre_pas_l_instruction(depose, equipe_nationale, instructeur_cvl):
    with pytest.raises(PermissionDenied):
        _instruit(_frais(depose), equipe_nationale)
    assert _frais(depose).statut == Statut.DEPOSE
    assert _instruit(_frais(depose), instructeur_cvl).statut == Statut.EN_INSTRUCTION


def test_l_equipe_nationale_ne_decide_pas(depose, equipe_nationale, instructeur_cvl):
    dossier = _instruit(depose, instructeur_cvl)
    dossier = actions.proposer(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, montant_propose=Decimal("250000")
    )
    with pytest.raises(PermissionDenied):
        actions.decider(
            dossier=dossier, par=equipe_nationale, version=dossier.version, statut=Statut.ACCEPTE, montant=Decimal(1)
        )
    assert _frais(dossier).statut == Statut.PROPOSE


@pytest.mark.parametrize(
    ("type", "persona"), [(Avis.Type.ADEME, "expert_ademe_cvl"), (Avis.Type.REGION, "referent_region_cvl")]
)
def test_l_equipe_nationale_ne_rend_ni_l_avis_ademe_ni_celui_de_la_region(
    request, depose, instructeur_cvl, equipe_nationale, type, persona
):
    _instruit(depose, instructeur_cvl)
    avis = _demander(depose, instructeur_cvl, type, timezone.localdate())
    with pytest.raises(PermissionDenied):
        actions.rendre_avis(avis=avis, par=equipe_nationale, sens="favorable", texte="Vu de Paris.")
    assert Avis.objects.get(pk=avis.pk).rendu_le is None
    actions.rendre_avis(avis=avis, par=request.getfixturevalue(persona), sens="favorable", texte="Solide.")
    assert Avis.objects.get(pk=avis.pk).rendu_par == request.getfixturevalue(persona)


# --- A draft is filed before it is instructed ---------------------------------------------------------------------


def test_un_brouillon_ne_passe_pas_directement_en_instruction(brouillon, porteur):
    with pytest.raises(actions.Refus, match="ne peut pas passer à « en instruction »"):
        _frais(brouillon).passer(Statut.EN_INSTRUCTION, par=porteur)
    assert _frais(brouillon).statut == Statut.BROUILLON
    assert _frais(brouillon).transitions.count() == 0


def test_un_brouillon_ne_s_instruit_pas_meme_par_son_instructeur(brouillon, instructeur_cvl):
    with pytest.raises(PermissionDenied):
        _instruit(_frais(brouillon), instructeur_cvl)
    assert _frais(brouillon).statut == Statut.BROUILLON


# --- The envelope's last euro can be granted ---------------------------------------------------------------------


def _propose(dossier, par, montant):
    dossier = _instruit(dossier, par)
    return actions.proposer(dossier=dossier, par=par, version=dossier.version, montant_propose=montant)


@pytest.mark.parametrize(("reste", "accepte"), [(Decimal("250000"), True), (Decimal("249999.99"), False)])
def test_accepter_exactement_ce_qui_reste_dans_l_enveloppe(depose, instructeur_cvl, reste, accepte):
    enveloppe = Enveloppe.objects.get(pk=depose.enveloppe_id)
    Enveloppe.objects.filter(pk=enveloppe.pk).update(montant_accorde=enveloppe.montant - reste)
    dossier = _propose(depose, instructeur_cvl, Decimal("250000"))

    def decider():
        return actions.decider(
            dossier=dossier,
            par=instructeur_cvl,
            version=dossier.version,
            statut=Statut.ACCEPTE,
            montant=Decimal(250_000),
        )

    if accepte:
        assert decider().statut == Statut.ACCEPTE
        assert Enveloppe.objects.get(pk=enveloppe.pk).montant_accorde == enveloppe.montant
    else:
        with pytest.raises(actions.Refus, match="Il ne reste que 249\xa0999,99\xa0€"):
            decider()
        assert _frais(dossier).statut == Statut.PROPOSE


# --- An opinion is due today or later ---------------------------------------------------------------------------


def test_un_avis_ne_se_demande_pas_avec_une_echeance_passee(depose, instructeur_cvl):
    _instruit(depose, instructeur_cvl)
    hier = timezone.localdate() - timedelta(days=1)
    with pytest.raises(actions.Refus, match="ne peut pas être passée"):
        _demander(depose, instructeur_cvl, Avis.Type.ADEME, hier)
    assert not Avis.objects.filter(dossier=depose).exists()


def test_un_avis_se_demande_pour_aujourd_hui(depose, instructeur_cvl):
    _instruit(depose, instructeur_cvl)
    avis = _demander(depose, instructeur_cvl, Avis.Type.ADEME, timezone.localdate())
    assert avis.echeance == timezone.localdate()


# --- Amounts from the first cent to the requested aid; every step bumps the version by one and keeps its reason ------
# (found by the mutation run, decision 0067)


def _accepte(dossier, par, montant):
    dossier = _propose(dossier, par, montant)
    return actions.decider(dossier=dossier, par=par, version=dossier.version, statut=Statut.ACCEPTE, montant=montant)


def _engage(dossier, par, montant, accorde=Decimal("1000")):
    dossier = _accepte(dossier, par, accorde)
    return actions.engager(
        dossier=dossier,
        par=par,
        version=dossier.version,
        convention_numero="CVL-1",
        convention_date=timezone.localdate(),
        montant=montant,
    )


def _verse(dossier, par, montant, type="acompte", commentaire=""):
    dossier = _frais(dossier)
    return actions.enregistrer_versement(
        dossier=dossier,
        par=par,
        version=dossier.version,
        type=type,
        montant=montant,
        date=timezone.localdate(),
        commentaire=commentaire,
    )


ETAPES = {
    "proposer": lambda dossier, par, montant: _propose(dossier, par, montant),
    "accorder": lambda dossier, par, montant: _accepte(dossier, par, montant),
    "engager": lambda dossier, par, montant: _engage(dossier, par, montant),
    "verser": lambda dossier, par, montant: _verse(_engage(dossier, par, Decimal("1000")), par, montant),
}


@pytest.mark.parametrize("etape", ETAPES)
def test_un_montant_nul_est_refuse_un_centime_admis(depose, instructeur_cvl, etape):
    with pytest.raises(actions.Refus, match="^Indiquez le montant"), transaction.atomic():
        ETAPES[etape](depose, instructeur_cvl, Decimal("0"))
    assert ETAPES[etape](_frais(depose), instructeur_cvl, Decimal("0.01"))


def test_proposer_et_accorder_exactement_l_aide_demandee(depose, instructeur_cvl):
    assert _accepte(depose, instructeur_cvl, depose.aide_demandee).montant_accorde == Decimal("300000.00")


def test_engager_cinquante_centimes_de_moins_les_rend_a_l_enveloppe(depose, instructeur_cvl):
    _engage(depose, instructeur_cvl, Decimal("999.50"))
    assert Enveloppe.objects.get(pk=depose.enveloppe_id).montant_accorde == Decimal("999.50")


def test_une_convention_sans_numero_est_refusee(depose, instructeur_cvl):
    dossier = _accepte(depose, instructeur_cvl, Decimal("1000"))
    with pytest.raises(actions.Refus, match="numéro de la convention"):
        actions.engager(
            dossier=dossier,
            par=instructeur_cvl,
            version=dossier.version,
            convention_numero="",
            convention_date=timezone.localdate(),
            montant=Decimal("1000"),
        )


def test_une_convention_entre_la_decision_et_aujourd_hui_est_admise(depose, instructeur_cvl):
    dossier = _accepte(depose, instructeur_cvl, Decimal("1000"))
    Dossier.objects.filter(pk=dossier.pk).update(decide_le=timezone.now() - timedelta(days=5))
    dossier = _frais(dossier)
    engage = actions.engager(
        dossier=dossier,
        par=instructeur_cvl,
        version=dossier.version,
        convention_numero="CVL-1",
        convention_date=timezone.localdate() - timedelta(days=2),
        montant=Decimal("1000"),
    )
    assert engage.statut == Statut.ENGAGE


def test_chaque_etape_avance_la_version_d_un_et_garde_son_motif(depose, instructeur_cvl):
    version = depose.version
    dossier = actions.ouvrir_instruction(dossier=depose, par=instructeur_cvl, version=version)
    dossier = actions.proposer(
        dossier=dossier, par=instructeur_cvl, version=dossier.version, montant_propose=Decimal("1000"), motif="Devis"
    )
    dossier = actions.decider(
        dossier=dossier,
        par=instructeur_cvl,
        version=dossier.version,
        statut=Statut.ACCEPTE,
        montant=Decimal("1000"),
        motif="Conforme",
    )
    dossier = actions.engager(
        dossier=dossier,
        par=instructeur_cvl,
        version=dossier.version,
        convention_numero="CVL-7",
        convention_date=timezone.localdate(),
        montant=Decimal("1000"),
    )
    assert _frais(dossier).version == version + 4
    versement = _verse(dossier, instructeur_cvl, Decimal("400"), commentaire="Premier acompte")
    assert (versement.type, versement.commentaire) == ("acompte", "Premier acompte")
    assert _frais(dossier).version == version + 5
    assert _verse(dossier, instructeur_cvl, Decimal("600"), type="solde").type == "solde"
    motifs = list(_frais(dossier).transitions.order_by("id").values_list("vers", "motif"))
    assert motifs == [
        ("en_instruction", ""),
        ("propose", "Devis"),
        ("accepte", "Conforme"),
        ("engage", "Convention n° CVL-7"),
        ("solde", "Solde de 600,00\xa0€ versé"),
    ]


@pytest.mark.parametrize("montant", [None, Decimal("0")])
def test_accorder_rien_sur_une_proposition_est_refuse(depose, instructeur_cvl, montant):
    dossier = _propose(depose, instructeur_cvl, Decimal("1000"))
    with pytest.raises(actions.Refus, match="^Indiquez le montant accordé"):
        actions.decider(
            dossier=dossier, par=instructeur_cvl, version=dossier.version, statut=Statut.ACCEPTE, montant=montant
        )
    assert _frais(dossier).statut == Statut.PROPOSE
