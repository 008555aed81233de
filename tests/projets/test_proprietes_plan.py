"""Guarantee 12 of issue 9: the plan d'action's state machine driven by random sequences of actions from random
personas (Hypothesis). After every step: at most one version in progress per territory, numbered without gaps; a
validated version never changes again; the timeline of every version chains up to its current state, and each of its
rows has its journal row; no action succeeds for a persona whose role on the territory does not allow it; a refused
action changes nothing. The profile « ti » (tests/conftest.py) makes the run deterministic and bounded.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, TerritoireFactory, utilisateur_avec
from ti.comptes.models import Role, Utilisateur
from ti.core.models import Journal
from ti.projets.actions import fiches, plans
from ti.projets.models import PlanAction, StatutPlan, TransitionPlan

AUTORISES = {
    "ecrire_fiche": {"chef", "national"},
    "soumettre": {"chef", "national"},
    "valider": {"binome"},
    "renvoyer": {"binome"},
}
PERSONAS = ["chef", "binome", "national", "chef_ailleurs", "binome_ailleurs", "instructeur", "porteur"]
ACTIONS_DE_TRANSITION = {"plan_soumis", "plan_valide", "plan_renvoye"}
ETATS_ATTEINTS = set()


class PlanDAction(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomique = transaction.atomic()  # each example in its own savepoint, rolled back at teardown
        self._atomique.__enter__()
        region = RegionFactory(code="24", nom="Centre-Val de Loire")
        departement = DepartementFactory(code="45", region=region)
        self.territoire = TerritoireFactory(communes=[CommuneFactory(departement=departement)])
        ailleurs = TerritoireFactory(communes=[CommuneFactory(departement=departement)])
        self.personas = {
            "chef": utilisateur_avec(Role.CHEF_PROJET, territoire=self.territoire),
            "binome": utilisateur_avec(Role.BINOME, territoire=self.territoire),
            "national": utilisateur_avec(Role.EQUIPE_NATIONALE),
            "chef_ailleurs": utilisateur_avec(Role.CHEF_PROJET, territoire=ailleurs),
            "binome_ailleurs": utilisateur_avec(Role.BINOME, territoire=ailleurs),
            "instructeur": utilisateur_avec(Role.INSTRUCTEUR, region=region),
            "porteur": utilisateur_avec(Role.PORTEUR, siret="73282932000074"),
        }
        self.instantanes_valides = {}  # pk of a validated version → its snapshot, which must never change
        self.fiches = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomique.__exit__(None, None, None)

    def _faire(self, quoi: str, par):
        if quoi == "ecrire_fiche":
            self.fiches += 1
            fiches.creer_projet(
                territoire=self.territoire, par=par, donnees={"titre": f"Fiche {self.fiches}", "axe": "innover"}
            )
            return
        plan = plans.plan_courant(territoire=self.territoire, par=par)
        if quoi == "soumettre":
            plans.soumettre_plan(plan=plan, par=par)
        elif quoi == "valider":
            plans.valider_plan(plan=plan, par=par)
        else:
            plans.renvoyer_plan(plan=plan, par=par, motif="À compléter.")

    @rule(renvoi=st.booleans())
    def avancer(self, renvoi):
        """The usual next step: write a fiche, submit, validate (or send back)."""
        plan = PlanAction.objects.filter(territoire=self.territoire).order_by("-numero").first()
        if plan is None or plan.statut == StatutPlan.VALIDE or (plan.statut == StatutPlan.BROUILLON and renvoi):
            self.agir("chef", "ecrire_fiche")
        elif plan.statut == StatutPlan.BROUILLON:
            self.agir("chef", "soumettre")
        else:
            self.agir("binome", "renvoyer" if renvoi else "valider")

    @rule(qui=st.sampled_from(PERSONAS), quoi=st.sampled_from(sorted(AUTORISES)))
    def tenter(self, qui, quoi):
        self.agir(qui, quoi)

    def agir(self, qui, quoi):
        par = Utilisateur.objects.get(pk=self.personas[qui].pk)  # a new request: rights read afresh
        avant = list(PlanAction.objects.filter(territoire=self.territoire).values("pk", "statut", "numero"))
        try:
            with transaction.atomic():
                self._faire(quoi, par)
        except (plans.Refus, fiches.Refus, PermissionDenied):
            apres = list(PlanAction.objects.filter(territoire=self.territoire).values("pk", "statut", "numero"))
            assert apres == avant, f"« {quoi} » refusé a changé les plans"
            return
        assert qui in AUTORISES[quoi], f"{qui} a pu « {quoi} »"
        ETATS_ATTEINTS.update(PlanAction.objects.filter(territoire=self.territoire).values_list("statut", flat=True))

    @invariant()
    def une_seule_version_en_cours_et_numerotees_sans_trou(self):
        versions = list(PlanAction.objects.filter(territoire=self.territoire).order_by("numero"))
        assert [v.numero for v in versions] == list(range(1, len(versions) + 1))
        assert sum(v.statut != StatutPlan.VALIDE for v in versions) <= 1

    @invariant()
    def une_version_validee_ne_change_plus(self):
        for plan in PlanAction.objects.filter(territoire=self.territoire, statut=StatutPlan.VALIDE):
            assert self.instantanes_valides.setdefault(plan.pk, plan.instantane) == plan.instantane

    @invariant()
    def chaque_changement_d_etat_a_sa_frise_et_son_journal(self):
        type_plan = ContentType.objects.get_for_model(PlanAction)
        for plan in PlanAction.objects.filter(territoire=self.territoire):
            transitions = list(TransitionPlan.objects.filter(plan=plan).order_by("pk"))
            etat = StatutPlan.BROUILLON
            for t in transitions:
                assert t.de == etat
                etat = t.vers
            assert etat == plan.statut
            journal = Journal.objects.filter(
                objet_type=type_plan, objet_id=str(plan.pk), action__in=ACTIONS_DE_TRANSITION
            )
            assert sorted(journal.values_list("acteur_id", flat=True)) == sorted(t.par_id for t in transitions)


@pytest.mark.django_db
def test_la_machine_a_etats_du_plan_garde_ses_invariants():
    ETATS_ATTEINTS.clear()
    run_state_machine_as_test(PlanDAction, settings=settings(stateful_step_count=20))
    assert {StatutPlan.BROUILLON, StatutPlan.SOUMIS, StatutPlan.VALIDE} <= ETATS_ATTEINTS
