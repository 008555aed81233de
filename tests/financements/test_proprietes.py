"""Guarantee 12 of issue 9: the dossier's state machine driven by random sequences of actions from random personas
(Hypothesis), its invariants checked after every step:
- the envelope is never over-committed, and its counters are the sums of what its dossiers keep and were paid;
- on every dossier, requested ≥ granted ≥ committed ≥ paid;
- no action succeeds for a persona whose roles on THIS dossier do not allow it (a porteur who is also an instructor
  or expert of the région is only a porteur there; a withdrawn porteur can do nothing);
- a refused action changes nothing; a successful one is journalled by its actor, and every change of state has its
  transition row (the timeline chains from state to state and ends on the current one).
The profile « ti » (tests/conftest.py) makes the run deterministic and bounded.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from ti.comptes import actions as actions_comptes
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import Journal
from ti.financements.actions import depot
from ti.financements.actions import instruction as actions
from ti.financements.models import (
    Avis,
    Dossier,
    Enveloppe,
    LigneFinancementDossier,
    PieceJointe,
    Statut,
    Transition,
)

from ..factories import (
    CommuneFactory,
    DepartementFactory,
    DispositifFactory,
    DossierFactory,
    EnveloppeFactory,
    HabilitationFactory,
    RegionFactory,
    TerritoireFactory,
    utilisateur_avec,
)
from .conftest import SIRET_AUTRE_PORTEUR, SIRET_PORTEUR

M = Decimal
MONTANTS = [M(m) for m in ("1", "100000", "250000", "300000", "400000", "800000", "1000001")]
INSTRUCTION = {"ouvrir", "incomplet", "irrecevable", "proposer", "accepter", "refuser", "classer", "rouvrir",
               "engager", "verser", "demander_avis"}  # fmt: skip
PORTEURS = {"porteur", "porteur_instructeur", "porteur_expert"}  # habilitated on SIRET_PORTEUR, the dossiers'
PERSONAS = {"instructeur", "instructeur_bretagne", "expert", "binome", "national", "autre_porteur", *PORTEURS}
DOSSIERS = range(2)
SUIVANTE = {  # state → who takes the usual next step, and which
    Statut.DEPOSE: ("instructeur", "ouvrir"),
    Statut.INCOMPLET: ("porteur", "deposer"),
    Statut.EN_INSTRUCTION: ("instructeur", "proposer"),
    Statut.PROPOSE: ("instructeur", "accepter"),
    Statut.ACCEPTE: ("instructeur", "engager"),
    Statut.ENGAGE: ("instructeur", "verser"),
}
ETATS_ATTEINTS = set()  # the states the random walks reached: the test checks that they went far
AUTORISES = {
    **dict.fromkeys(INSTRUCTION, {"instructeur"}),
    "avis_ademe": {"expert"},
    "avis_gouvernance": {"binome"},
    "enregistrer": PORTEURS,
    "deposer": PORTEURS,
    "message": PORTEURS | {"instructeur"},
}
REFUS = (actions.Refus, PermissionDenied, depot.DossierIncomplet, depot.VersionPerimee)


class Rien(Exception):
    """The step had nothing to act on (no opinion awaited): it is not an attempt."""


def _creer_personas(cvl, bretagne, territoire) -> dict[str, Utilisateur]:
    personas = {
        "instructeur": utilisateur_avec(Role.INSTRUCTEUR, region=cvl),
        "instructeur_bretagne": utilisateur_avec(Role.INSTRUCTEUR, region=bretagne),
        "expert": utilisateur_avec(Role.EXPERT_ADEME, region=cvl),
        "binome": utilisateur_avec(Role.BINOME, territoire=territoire),
        "national": utilisateur_avec(Role.EQUIPE_NATIONALE),
        "autre_porteur": HabilitationFactory(role=Role.PORTEUR, siret=SIRET_AUTRE_PORTEUR).utilisateur,
    }
    for nom in PORTEURS:
        personas[nom] = HabilitationFactory(role=Role.PORTEUR, siret=SIRET_PORTEUR).utilisateur
    HabilitationFactory(utilisateur=personas["porteur_instructeur"], role=Role.INSTRUCTEUR, region=cvl)
    HabilitationFactory(utilisateur=personas["porteur_expert"], role=Role.EXPERT_ADEME, region=cvl)
    return personas


def _dossier_complet(enveloppe, territoire, commune, deposant) -> Dossier:
    """A filed dossier whose financing plan balances and whose documents are there, so that it can be re-filed."""
    dossier = DossierFactory(enveloppe=enveloppe, territoire=territoire, commune=commune, deposant=deposant)
    LigneFinancementDossier.objects.create(dossier=dossier, financeur="Fonds vert", montant=dossier.aide_demandee)
    LigneFinancementDossier.objects.create(
        dossier=dossier, financeur="Autofinancement", montant=dossier.cout_total - dossier.aide_demandee
    )
    for type_piece in (PieceJointe.Type.ETUDE_FAISABILITE, PieceJointe.Type.KBIS):
        PieceJointe.objects.create(
            dossier=dossier, type=type_piece, fichier="dossiers/p.pdf", nom="p.pdf", type_mime="application/pdf",
            taille=10, depose_par=deposant,
        )  # fmt: skip
    return dossier


def _retenu(dossier: Dossier) -> Decimal:
    """What the dossier keeps on its envelope (docs/decisions/0027)."""
    return {
        Statut.ACCEPTE: dossier.montant_accorde,
        Statut.ENGAGE: dossier.montant_engage,
        Statut.SOLDE: dossier.montant_verse,
    }.get(dossier.statut) or M(0)


class Instruction(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example runs in its own savepoint, rolled back at teardown: examples never see each other's rows.
        self._atomique = transaction.atomic()
        self._atomique.__enter__()
        cvl = RegionFactory(code="24", nom="Centre-Val de Loire")
        bretagne = RegionFactory(code="53", nom="Bretagne")
        commune = CommuneFactory(departement=DepartementFactory(code="45", region=cvl))
        territoire = TerritoireFactory(communes=[commune])
        self.enveloppe = EnveloppeFactory(dispositif=DispositifFactory(), region=cvl, montant=M("1000000"), annee=2024)
        self.personas = _creer_personas(cvl, bretagne, territoire)
        self.revoque = False
        self.dossiers = [
            _dossier_complet(self.enveloppe, territoire, commune, self.personas["porteur"]).pk for _ in DOSSIERS
        ]

    def teardown(self):
        transaction.set_rollback(True)
        self._atomique.__exit__(None, None, None)

    # The actions, each as the page would send it (the version the user saw, a motive where one is asked).

    def _faire(self, quoi, d: Dossier, par, montant, jours, type_versement):
        v, jour = d.version, timezone.localdate() + timedelta(days=jours)
        match quoi:
            case "ouvrir":
                actions.ouvrir_instruction(dossier=d, par=par, version=v)
            case "incomplet":
                actions.declarer_incomplet(dossier=d, par=par, version=v, motif="Pièce manquante.")
            case "irrecevable":
                actions.declarer_irrecevable(dossier=d, par=par, version=v, motif="Hors dispositif.")
            case "proposer":
                actions.proposer(dossier=d, par=par, version=v, montant_propose=montant)
            case "accepter":
                motif = "Motivé." if jours % 2 else ""  # with or without a motive: above the proposal, one is needed
                actions.decider(dossier=d, par=par, version=v, statut=Statut.ACCEPTE, montant=montant, motif=motif)
            case "refuser":
                actions.decider(dossier=d, par=par, version=v, statut=Statut.REFUSE, motif="Non éligible.")
            case "classer":
                actions.classer_sans_suite(dossier=d, par=par, version=v, motif="Abandon.")
            case "rouvrir":
                actions.rouvrir(dossier=d, par=par, version=v, motif="Erreur matérielle.")
            case "engager":
                actions.engager(
                    dossier=d, par=par, version=v, convention_numero="C-1", convention_date=jour, montant=montant
                )
            case "verser":
                actions.enregistrer_versement(
                    dossier=d, par=par, version=v, type=type_versement, montant=montant, date=jour
                )
            case "demander_avis":
                type_avis = Avis.Type.ADEME if jours % 2 else Avis.Type.GOUVERNANCE
                actions.demander_avis(dossier=d, par=par, version=v, type=type_avis, echeance=jour)
            case "avis_ademe" | "avis_gouvernance":
                avis = d.avis.filter(type=quoi.removeprefix("avis_"), rendu_le__isnull=True).first()
                if avis is None:
                    raise Rien()
                actions.rendre_avis(avis=avis, par=par, sens=Avis.Sens.FAVORABLE, texte="Vu.")
            case "enregistrer":
                aide = min(montant, d.cout_eligible)  # what the form lets through; the plan follows the aid
                lignes = [
                    {"ligne": ligne, "supprimer": False, "acquis": False, "financeur": ligne.financeur,
                     "montant": aide if ligne.financeur == "Fonds vert" else d.cout_total - aide}
                    for ligne in d.financements.all()
                ]  # fmt: skip
                depot.enregistrer(dossier=d, par=par, version=v, donnees={"aide_demandee": aide}, lignes=lignes)
            case "deposer":
                depot.deposer(dossier=d, par=par)
            case "message":
                actions.envoyer_message(dossier=d, par=par, texte="Bonjour.")

    def _tenter(self, qui, quoi, n, montant=MONTANTS[0], jours=0, type_versement="acompte"):
        dossier = Dossier.objects.get(pk=self.dossiers[n])
        par = Utilisateur.objects.get(pk=self.personas[qui].pk)  # a new request: rights read afresh
        avant = Dossier.objects.values().get(pk=dossier.pk)
        journal = Journal.objects.filter(
            objet_type=ContentType.objects.get_for_model(Dossier), objet_id=str(dossier.pk)
        )
        journal_avant = journal.filter(acteur=par).count()
        transitions_avant = Transition.objects.filter(dossier=dossier).count()
        try:
            self._faire(quoi, dossier, par, montant, jours, type_versement)
        except Rien:
            return
        except REFUS:
            assert Dossier.objects.values().get(pk=dossier.pk) == avant, f"« {quoi} » refusé a changé le dossier"
            return
        autorises = AUTORISES[quoi] - ({"porteur"} if self.revoque else set())
        assert qui in autorises, f"{qui} a pu « {quoi} »"
        apres = Dossier.objects.get(pk=dossier.pk)
        ETATS_ATTEINTS.add(apres.statut)
        if quoi != "message":  # the message is its own record
            assert journal.filter(acteur=par).count() > journal_avant, f"« {quoi} » sans ligne de journal"
        if apres.statut != avant["statut"]:
            derniere = list(Transition.objects.filter(dossier=dossier).order_by("pk")[transitions_avant:])[-1]
            assert (derniere.de, derniere.vers, derniere.par_id) == (avant["statut"], apres.statut, par.pk)

    # The instructor walks the dossiers through the instruction (with amounts and dates right or wrong)…
    @rule(
        quoi=st.sampled_from(sorted(INSTRUCTION)),
        n=st.integers(0, len(DOSSIERS) - 1),
        montant=st.sampled_from(MONTANTS),
        jours=st.sampled_from([-40, -1, 0, 15, 31, 32, 400]),
        type_versement=st.sampled_from(["avance", "acompte", "solde"]),
    )
    def instruire(self, quoi, n, montant, jours, type_versement):
        self._tenter("instructeur", quoi, n, montant, jours, type_versement)

    # … more often, the step that comes next in the state the dossier is in (so that walks go to the solde)…
    @rule(
        n=st.integers(0, len(DOSSIERS) - 1),
        part=st.sampled_from([M("0.5"), M("1")]),
        jours=st.sampled_from([0, 15, 32]),
        type_versement=st.sampled_from(["acompte", "solde"]),
    )
    def avancer(self, n, part, jours, type_versement):
        d = Dossier.objects.get(pk=self.dossiers[n])
        qui, quoi = SUIVANTE.get(d.statut, ("instructeur", "rouvrir"))
        if quoi == "accepter" and jours == 32:  # a third of the decisions are refusals
            quoi = "refuser"
        plafond = {  # the amount the step is about, of which it takes a part
            "proposer": d.aide_demandee,
            "accepter": d.montant_propose,
            "engager": d.montant_accorde,
            "verser": (d.montant_engage or 0) - d.montant_verse,
        }.get(quoi) or M(0)
        self._tenter(qui, quoi, n, (plafond * part).quantize(M("0.01")), jours, type_versement)

    # … the porteurs, the expert and the binôme take their own steps…
    @rule(
        qui=st.sampled_from(sorted(PORTEURS | {"expert", "binome"})),
        quoi=st.sampled_from(["enregistrer", "deposer", "message", "avis_ademe", "avis_gouvernance"]),
        n=st.integers(0, len(DOSSIERS) - 1),
        montant=st.sampled_from(MONTANTS),
    )
    def contribuer(self, qui, quoi, n, montant):
        self._tenter(qui, quoi, n, montant)

    # … and anyone tries anything.
    @rule(
        qui=st.sampled_from(sorted(PERSONAS)),
        quoi=st.sampled_from(sorted(AUTORISES)),
        n=st.integers(0, len(DOSSIERS) - 1),
        montant=st.sampled_from(MONTANTS),
        jours=st.sampled_from([-1, 0, 15]),
    )
    def tenter_n_importe_quoi(self, qui, quoi, n, montant, jours):
        self._tenter(qui, quoi, n, montant, jours)

    @precondition(lambda self: not self.revoque)
    @rule()
    def retirer_l_habilitation_du_porteur(self):
        habilitation = Habilitation.objects.get(utilisateur=self.personas["porteur"], role=Role.PORTEUR)
        actions_comptes.revoquer_habilitation(
            par=self.personas["national"], habilitation=habilitation, motif="A quitté la structure."
        )
        self.revoque = True

    @invariant()
    def l_enveloppe_n_est_jamais_depassee(self):
        enveloppe = Enveloppe.objects.get(pk=self.enveloppe.pk)
        dossiers = list(Dossier.objects.filter(pk__in=self.dossiers))
        assert M(0) <= enveloppe.montant_verse <= enveloppe.montant_accorde <= enveloppe.montant
        assert enveloppe.montant_accorde == sum((_retenu(d) for d in dossiers), M(0))
        assert enveloppe.montant_verse == sum((d.montant_verse for d in dossiers), M(0))

    @invariant()
    def les_montants_sont_ordonnes(self):
        for d in Dossier.objects.filter(pk__in=self.dossiers):
            accorde, engage = d.montant_accorde or M(0), d.montant_engage or M(0)
            assert d.aide_demandee >= accorde >= engage >= d.montant_verse >= 0, d.reference
            if d.statut in (Statut.ENGAGE, Statut.SOLDE):
                assert d.montant_accorde is not None and d.montant_engage is not None

    @invariant()
    def la_frise_mene_a_l_etat_courant(self):
        for d in Dossier.objects.filter(pk__in=self.dossiers):
            etats = [Statut.DEPOSE]
            for t in Transition.objects.filter(dossier=d).order_by("pk"):
                assert t.de == etats[-1]
                etats.append(t.vers)
            assert etats[-1] == d.statut


@pytest.mark.django_db
def test_la_machine_a_etats_du_dossier_garde_ses_invariants():
    ETATS_ATTEINTS.clear()
    run_state_machine_as_test(Instruction, settings=settings(stateful_step_count=25))
    # The walks went through the whole machine, not only its refusals.
    assert {Statut.INCOMPLET, Statut.ACCEPTE, Statut.REFUSE, Statut.ENGAGE, Statut.SOLDE} <= ETATS_ATTEINTS
