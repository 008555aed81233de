"""The plan d'action workflow, action by action: brouillon → soumis au binôme → validé, versions and snapshots."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import LigneFinancementFactory, ProjetFactory, utilisateur_avec
from tests.rappels import du_domaine
from ti.comptes.models import Habilitation, Role
from ti.core.models import historique
from ti.projets.actions import plans as actions
from ti.projets.actions.fiches import modifier_projet
from ti.projets.models import PlanAction, Projet, StatutPlan, TransitionPlan


@pytest.fixture
def plan(territoire_projets, projet_public, projet_prive, chef_projet):
    """Version 1 in brouillon, holding the territory's two fiches."""
    return actions.plan_courant(territoire=territoire_projets, par=chef_projet)


@pytest.fixture
def plan_soumis(plan, chef_projet):
    return actions.soumettre_plan(plan=plan, par=chef_projet)


@pytest.fixture
def plan_valide(plan_soumis, binome):
    return actions.valider_plan(plan=plan_soumis, par=binome)


@pytest.fixture
def autre_binome(autre_territoire_projets):
    return utilisateur_avec(Role.BINOME, territoire=autre_territoire_projets)


def changer_fiche(projet: Projet, par, **champs) -> Projet:
    """What every fiche action does: write the change, bump the version, tell the plan."""
    for champ, valeur in champs.items():
        setattr(projet, champ, valeur)
    projet.version += 1
    projet.save()
    actions.noter_changement(territoire=projet.territoire, par=par)
    return projet


def titres(instantane: list[dict]) -> set[str]:
    return {fiche["titre"] for fiche in instantane}


# The current plan.


def test_le_plan_courant_ouvre_la_version_1_en_brouillon_avec_les_fiches_actives(
    territoire_projets, projet_public, projet_prive, chef_projet
):
    ProjetFactory(territoire=territoire_projets, archive=True, titre="Fiche archivée")

    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)

    assert (plan.numero, plan.statut) == (1, StatutPlan.BROUILLON)
    assert set(plan.projets.all()) == {projet_public, projet_prive}
    assert [entree.action for entree in historique(plan)] == ["plan_version_ouverte"]


def test_le_plan_courant_est_la_derniere_version_sans_en_ouvrir_d_autre(plan, territoire_projets, chef_projet):
    assert actions.plan_courant(territoire=territoire_projets, par=chef_projet) == plan
    assert PlanAction.objects.filter(territoire=territoire_projets).count() == 1


# Transition by transition.


def test_le_chef_de_projet_soumet_le_brouillon_et_les_fiches_sont_figees(plan, chef_projet, projet_public):
    plan = actions.soumettre_plan(plan=plan, par=chef_projet, motif="Première version")

    assert plan.statut == StatutPlan.SOUMIS
    assert plan.soumis_par == chef_projet and plan.soumis_le is not None
    fiche = next(f for f in plan.instantane if f["id"] == projet_public.pk)
    assert fiche["titre"] == "Plateforme mutualisée de fabrication additive"
    assert fiche["axe_libelle"] == "Innover"
    assert fiche["budget"] == "250000.00"
    assert fiche["emplois_crees"] == 12
    assert fiche["commune_nom"] == "Dreux"
    assert sorted(fiche["themes"]) == ["Innovation", "Réindustrialisation"]
    assert [(ligne["financeur"], ligne["montant"], ligne["statut"]) for ligne in fiche["financements"]] == [
        ("Conseil régional Centre-Val de Loire", "80000.00", "acquis"),
        ("État", "50000.00", "sollicite"),
    ]
    transition = TransitionPlan.objects.get(plan=plan)
    assert (transition.de, transition.vers, transition.par, transition.motif) == (
        "brouillon",
        "soumis",
        chef_projet,
        "Première version",
    )
    entree = historique(plan).first()
    assert (entree.action, entree.acteur, entree.details["statut"]) == (
        "plan_soumis",
        chef_projet,
        ["brouillon", "soumis"],
    )


def test_l_equipe_nationale_peut_soumettre(plan, equipe_nationale):
    assert actions.soumettre_plan(plan=plan, par=equipe_nationale).statut == StatutPlan.SOUMIS


def test_le_binome_valide_le_plan_soumis(plan_soumis, binome):
    plan = actions.valider_plan(plan=plan_soumis, par=binome, motif="Conforme aux échanges du comité")

    assert plan.statut == StatutPlan.VALIDE
    assert plan.valide_par == binome and plan.valide_le is not None
    assert [(t.de, t.vers) for t in plan.transitions.all()] == [("brouillon", "soumis"), ("soumis", "valide")]
    assert historique(plan).first().action == "plan_valide"
    assert PlanAction.objects.filter(territoire=plan.territoire).count() == 1


def test_le_binome_renvoie_le_plan_avec_un_motif_et_il_redevient_brouillon(plan_soumis, binome, chef_projet):
    plan = actions.renvoyer_plan(plan=plan_soumis, par=binome, motif="Il manque le volet compétences.")

    assert plan.statut == StatutPlan.BROUILLON
    assert plan.instantane == [] and plan.soumis_le is None
    derniere = plan.transitions.last()
    assert (derniere.de, derniere.vers, derniere.motif) == ("soumis", "brouillon", "Il manque le volet compétences.")
    assert historique(plan).first().action == "plan_renvoye"
    # Sent back, it may be submitted again.
    assert actions.soumettre_plan(plan=plan, par=chef_projet).statut == StatutPlan.SOUMIS


# Forbidden: wrong role (403) and impossible transitions (Refus, in French).


def test_le_chef_de_projet_ne_peut_pas_valider(plan_soumis, chef_projet):
    with pytest.raises(PermissionDenied):
        actions.valider_plan(plan=plan_soumis, par=chef_projet)
    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS


def test_le_chef_de_projet_ne_peut_pas_renvoyer(plan_soumis, chef_projet):
    with pytest.raises(PermissionDenied):
        actions.renvoyer_plan(plan=plan_soumis, par=chef_projet, motif="Je reprends")


def test_le_binome_ne_peut_pas_soumettre(plan, binome):
    with pytest.raises(PermissionDenied):
        actions.soumettre_plan(plan=plan, par=binome)
    plan.refresh_from_db()
    assert plan.statut == StatutPlan.BROUILLON


@pytest.mark.parametrize("qui", ["instructeur_region", "autre_binome", "autre_chef_projet", "equipe_nationale"])
def test_seul_le_binome_du_territoire_valide(plan_soumis, request, qui):
    with pytest.raises(PermissionDenied):
        actions.valider_plan(plan=plan_soumis, par=request.getfixturevalue(qui))


def test_l_instructeur_de_la_region_ne_peut_pas_soumettre(plan, instructeur_region):
    with pytest.raises(PermissionDenied):
        actions.soumettre_plan(plan=plan, par=instructeur_region)


def test_valider_un_brouillon_est_refuse(plan, binome):
    with pytest.raises(actions.Refus, match="brouillon : il doit être soumis au binôme avant d’être validé"):
        actions.valider_plan(plan=plan, par=binome)
    assert not TransitionPlan.objects.exists()


def test_renvoyer_un_brouillon_est_refuse(plan, binome):
    with pytest.raises(actions.Refus, match="n’est pas soumis au binôme"):
        actions.renvoyer_plan(plan=plan, par=binome, motif="Motif")


def test_soumettre_deux_fois_est_refuse(plan_soumis, chef_projet):
    with pytest.raises(actions.Refus, match="déjà soumis"):
        actions.soumettre_plan(plan=plan_soumis, par=chef_projet)


def test_une_version_validee_ne_change_plus(plan_valide, binome, chef_projet):
    with pytest.raises(actions.Refus, match="La version 1 est validée"):
        actions.valider_plan(plan=plan_valide, par=binome)
    with pytest.raises(actions.Refus, match="La version 1 est validée"):
        actions.soumettre_plan(plan=plan_valide, par=chef_projet)


@pytest.mark.parametrize("motif", ["", "   "])
def test_renvoyer_sans_motif_est_refuse(plan_soumis, binome, motif):
    with pytest.raises(actions.Refus, match="Indiquez le motif du renvoi"):
        actions.renvoyer_plan(plan=plan_soumis, par=binome, motif=motif)
    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS


def test_soumettre_un_plan_sans_fiche_est_refuse(territoire_projets, chef_projet):
    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)

    with pytest.raises(actions.Refus, match="aucune fiche-action"):
        actions.soumettre_plan(plan=plan, par=chef_projet)


def test_une_page_perimee_ne_fait_pas_agir_sur_un_autre_etat(plan_soumis, binome, chef_projet):
    """The binôme's page was built on the first submission; the plan was sent back and submitted again since."""
    vues = plan_soumis.transitions.count()
    actions.renvoyer_plan(plan=plan_soumis, par=binome, motif="À revoir")
    actions.soumettre_plan(plan=plan_soumis, par=chef_projet)

    with pytest.raises(actions.Refus, match="a changé entre-temps"):
        actions.valider_plan(plan=plan_soumis, par=binome, transitions_vues=vues)


def test_une_habilitation_revoquee_ne_permet_plus_de_valider(plan_soumis, binome):
    Habilitation.objects.filter(utilisateur=binome).update(revoquee_le="2025-01-01T00:00:00Z")
    binome = type(binome).objects.get(pk=binome.pk)  # a fresh request: habilitations read again

    with pytest.raises(PermissionDenied):
        actions.valider_plan(plan=plan_soumis, par=binome)


# Fiches that change: versions and snapshots.


def test_un_changement_apres_validation_ouvre_la_version_suivante_et_la_precedente_reste_figee(
    plan_valide, projet_public, chef_projet
):
    avant = plan_valide.instantane

    changer_fiche(projet_public, chef_projet, titre="Fabrication additive : seconde tranche", budget=Decimal("400000"))

    versions = list(PlanAction.objects.filter(territoire=plan_valide.territoire).order_by("numero"))
    assert [(v.numero, v.statut) for v in versions] == [(1, "valide"), (2, "brouillon")]
    plan_valide.refresh_from_db()
    assert plan_valide.instantane == avant
    assert "Plateforme mutualisée de fabrication additive" in titres(plan_valide.instantane)
    assert set(versions[1].projets.all()) == set(plan_valide.projets.all())
    assert historique(versions[1]).first().action == "plan_version_ouverte"


def test_un_second_changement_reste_dans_la_meme_nouvelle_version(
    plan_valide, projet_public, projet_prive, chef_projet
):
    changer_fiche(projet_public, chef_projet, titre="Changement 1")
    changer_fiche(projet_prive, chef_projet, titre="Changement 2")

    assert PlanAction.objects.filter(territoire=plan_valide.territoire).count() == 2


def test_une_fiche_archivee_ou_ajoutee_met_le_brouillon_a_jour(plan, territoire_projets, projet_prive, chef_projet):
    nouvelle = ProjetFactory(territoire=territoire_projets, titre="Campus des métiers")
    actions.noter_changement(territoire=territoire_projets, par=chef_projet)
    changer_fiche(projet_prive, chef_projet, archive_le="2025-03-01T00:00:00Z")

    plan.refresh_from_db()
    assert nouvelle in plan.projets.all()
    assert projet_prive not in plan.projets.all()
    assert PlanAction.objects.filter(territoire=territoire_projets).count() == 1


def test_modifier_une_fiche_ne_relit_pas_la_composition_du_brouillon(plan, projet_public, chef_projet):
    """An edit keeps the same active fiches: the brouillon holds them already, and its hundreds of links are neither
    read nor written again under the territory's lock."""
    avant = set(plan.projets.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as requetes:
        modifier_projet(projet=projet_public, par=chef_projet, donnees={"titre": "Titre retouché"}, version=1)

    assert not [q for q in requetes.captured_queries if "projets_planaction_projets" in q["sql"]]
    assert set(plan.projets.values_list("pk", flat=True)) == avant
    assert Projet.objects.get(pk=projet_public.pk).titre == "Titre retouché"


def test_le_premier_changement_d_un_territoire_sans_plan_ouvre_la_version_1(territoire_projets, chef_projet):
    projet = ProjetFactory(territoire=territoire_projets)

    plan = actions.noter_changement(territoire=territoire_projets, par=chef_projet)

    assert (plan.numero, plan.statut, list(plan.projets.all())) == (1, "brouillon", [projet])


def test_un_changement_pendant_l_examen_laisse_l_instantane_soumis(plan_soumis, projet_public, chef_projet):
    avant = plan_soumis.instantane
    assert not actions.fiches_changees_depuis_la_soumission(plan_soumis)

    changer_fiche(projet_public, chef_projet, titre="Titre changé pendant l’examen")

    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS
    assert plan_soumis.instantane == avant
    assert actions.fiches_changees_depuis_la_soumission(plan_soumis)
    assert PlanAction.objects.filter(territoire=plan_soumis.territoire).count() == 1


def test_valider_apres_un_changement_pendant_l_examen_ouvre_la_version_suivante(
    plan_soumis, projet_public, chef_projet, binome
):
    changer_fiche(projet_public, chef_projet, titre="Titre changé pendant l’examen")

    actions.valider_plan(plan=plan_soumis, par=binome)

    plan_soumis.refresh_from_db()
    assert "Plateforme mutualisée de fabrication additive" in titres(plan_soumis.instantane)
    suivante = PlanAction.objects.get(territoire=plan_soumis.territoire, numero=2)
    assert suivante.statut == StatutPlan.BROUILLON
    assert projet_public in suivante.projets.all()


def test_le_changement_d_une_fiche_par_son_action_ouvre_la_version_suivante(plan_valide, projet_public, chef_projet):
    """The real path: `ti.projets.actions.fiches.modifier_projet` calls `noter_changement`."""
    from ti.projets.actions import fiches

    fiches.modifier_projet(
        projet=projet_public, par=chef_projet, donnees={"titre": "Nouveau titre"}, version=projet_public.version
    )

    assert PlanAction.objects.get(territoire=plan_valide.territoire, numero=2).statut == StatutPlan.BROUILLON


def test_le_financement_modifie_apres_soumission_ne_change_pas_l_instantane(plan_soumis, projet_public):
    LigneFinancementFactory(projet=projet_public, financeur="Bpifrance", montant=Decimal("1000"))

    plan_soumis.refresh_from_db()
    fiche = next(f for f in plan_soumis.instantane if f["id"] == projet_public.pk)
    assert "Bpifrance" not in {ligne["financeur"] for ligne in fiche["financements"]}


# E-mails, after commit.


@pytest.fixture
def equipe(territoire_projets, chef_projet, binome):
    """A second binôme member, and a binôme whose habilitation was revoked (not told anymore)."""
    second = utilisateur_avec(Role.BINOME, territoire=territoire_projets)
    ancien = utilisateur_avec(Role.BINOME, territoire=territoire_projets)
    Habilitation.objects.filter(utilisateur=ancien).update(revoquee_le="2025-01-01T00:00:00Z")
    return {"chef_projet": chef_projet, "binome": binome, "second": second, "ancien": ancien}


def destinataires() -> set[str]:
    return {adresse for message in mail.outbox for adresse in message.to}


def test_la_soumission_previent_le_binome_apres_commit(
    plan, equipe, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        actions.soumettre_plan(plan=plan, par=equipe["chef_projet"], motif="Pour le comité du 12 mars")
        assert mail.outbox == []  # nothing before the commit

    executer_travaux()
    assert len(du_domaine(rappels)) == 1
    assert destinataires() == {equipe["binome"].email, equipe["second"].email}
    assert all(len(message.to) == 1 for message in mail.outbox)
    message = mail.outbox[0]
    assert "Pays de Dreux" in message.subject and "version 1" in message.subject
    assert "Pour le comité du 12 mars" in message.body
    assert "/projets/territoire/ti2-2405/plan/1/" in message.body


def test_la_validation_previent_le_chef_de_projet_et_l_autre_membre_du_binome(
    plan_soumis, equipe, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.valider_plan(plan=plan_soumis, par=equipe["binome"])

    executer_travaux()
    assert destinataires() == {equipe["chef_projet"].email, equipe["second"].email}
    assert "validé" in mail.outbox[0].subject


def test_le_renvoi_previent_le_chef_de_projet_avec_le_motif(
    plan_soumis, equipe, django_capture_on_commit_callbacks, executer_travaux
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.renvoyer_plan(plan=plan_soumis, par=equipe["binome"], motif="Chiffrer le volet foncier.")

    executer_travaux()
    assert destinataires() == {equipe["chef_projet"].email}
    assert "Chiffrer le volet foncier." in mail.outbox[0].body


def test_une_etape_refusee_n_envoie_rien(plan, equipe, django_capture_on_commit_callbacks, executer_travaux):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.Refus):
        actions.valider_plan(plan=plan, par=equipe["binome"])

    assert executer_travaux() == 0  # nothing queued
    assert mail.outbox == []


def test_la_soumission_notifie_le_binome_sur_la_plateforme(
    plan, equipe, django_capture_on_commit_callbacks, executer_travaux
):
    from ti.notifications.models import Notification, Type

    with django_capture_on_commit_callbacks(execute=True):
        actions.soumettre_plan(plan=plan, par=equipe["chef_projet"])
    executer_travaux()

    notifications = Notification.objects.order_by("destinataire_id")
    assert [n.destinataire for n in notifications] == sorted([equipe["binome"], equipe["second"]], key=lambda u: u.pk)
    assert {(n.type, n.lien) for n in notifications} == {(Type.PLAN_SOUMIS, plan.get_absolute_url())}
    assert "soumis à votre validation" in notifications[0].texte
    equipe["binome"].refresh_from_db()
    assert equipe["binome"].notifications_non_lues == 1
