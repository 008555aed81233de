"""The plan d'action pages: who sees what (scope → 404), who may act (role → 403), the steps through the page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import LigneFinancementFactory, ProjetFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.projets.actions import plans as actions
from ti.projets.models import PlanAction, StatutPlan


@pytest.fixture
def plan(territoire_projets, projet_public, projet_prive, chef_projet):
    return actions.plan_courant(territoire=territoire_projets, par=chef_projet)


@pytest.fixture
def plan_soumis(plan, chef_projet):
    return actions.soumettre_plan(plan=plan, par=chef_projet)


@pytest.fixture
def autre_binome(autre_territoire_projets):
    return utilisateur_avec(Role.BINOME, territoire=autre_territoire_projets)


def url_plan(plan) -> str:
    return reverse("projets:plan", args=[plan.territoire.identifiant, plan.numero])


def url_transition(plan) -> str:
    return reverse("projets:plan_transition", args=[plan.territoire.identifiant, plan.numero])


def etape(plan, action: str, motif: str = "") -> dict:
    return {"action": action, "motif": motif, "transitions_vues": plan.transitions.count()}


def texte(reponse) -> str:
    return reponse.content.decode()


# The current plan.


def test_le_plan_courant_mene_a_la_derniere_version(client, plan, chef_projet, territoire_projets):
    client.force_login(chef_projet)

    reponse = client.get(reverse("projets:plan_courant", args=[territoire_projets.identifiant]))

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("projets:plan", args=[territoire_projets.identifiant, 1])


def test_sans_plan_le_chef_de_projet_l_ouvre_par_un_envoi(client, chef_projet, territoire_projets, projet_public):
    client.force_login(chef_projet)
    url = reverse("projets:plan_courant", args=[territoire_projets.identifiant])

    page = client.get(url)

    assert page.status_code == 200
    assert "Ouvrir le plan d’action" in texte(page)
    assert not PlanAction.objects.exists()  # reading creates nothing
    reponse = client.post(url)
    assert reponse["Location"] == reverse("projets:plan", args=[territoire_projets.identifiant, 1])
    assert PlanAction.objects.get(territoire=territoire_projets).statut == StatutPlan.BROUILLON
    assert client.post(url)["Location"] == reponse["Location"]  # a second post opens nothing more
    assert PlanAction.objects.count() == 1


@pytest.mark.parametrize("qui", ["binome", "instructeur_region"])
def test_un_role_en_lecture_n_ouvre_pas_le_plan(client, request, qui, territoire_projets, projet_public):
    client.force_login(request.getfixturevalue(qui))
    url = reverse("projets:plan_courant", args=[territoire_projets.identifiant])

    page = client.get(url)

    assert page.status_code == 200
    assert "pas encore de plan d’action" in texte(page) and "Ouvrir le plan d’action" not in texte(page)
    assert client.post(url).status_code == 403
    assert not PlanAction.objects.exists()


def test_le_plan_courant_apres_validation_mene_a_la_version_suivante(
    client, plan_soumis, binome, projet_public, chef_projet
):
    actions.valider_plan(plan=plan_soumis, par=binome)
    projet_public.version += 1
    projet_public.save()
    actions.noter_changement(territoire=projet_public.territoire, par=chef_projet)
    client.force_login(binome)

    reponse = client.get(reverse("projets:plan_courant", args=[plan_soumis.territoire.identifiant]))

    assert reponse["Location"].endswith("/plan/2/")


# Scope: 404 outside it, for public visitors too.


@pytest.mark.parametrize("qui", [None, "autre_chef_projet", "autre_binome"])
def test_hors_du_perimetre_le_plan_est_introuvable(client, plan, request, qui):
    if qui:
        client.force_login(request.getfixturevalue(qui))

    assert client.get(url_plan(plan)).status_code == 404
    assert client.get(reverse("projets:plan_courant", args=[plan.territoire.identifiant])).status_code == 404
    assert client.post(url_transition(plan), etape(plan, "soumettre")).status_code == 404
    assert client.get(reverse("projets:plan_docx", args=[plan.territoire.identifiant, 1])).status_code == 404
    assert client.get(reverse("projets:plan_export", args=[plan.territoire.identifiant, 1, "csv"])).status_code == 404


def test_une_version_qui_n_existe_pas_est_introuvable(client, plan, chef_projet):
    client.force_login(chef_projet)

    assert client.get(reverse("projets:plan", args=[plan.territoire.identifiant, 7])).status_code == 404


@pytest.mark.parametrize("qui", ["chef_projet", "binome", "instructeur_region", "equipe_nationale"])
def test_l_equipe_dans_son_perimetre_lit_le_plan(client, plan, request, qui):
    client.force_login(request.getfixturevalue(qui))

    reponse = client.get(url_plan(plan))

    assert reponse.status_code == 200
    assert "Plateforme mutualisée de fabrication additive" in texte(reponse)
    assert "Reconversion de la friche Philips" in texte(reponse)


# The buttons each role sees.


def test_le_chef_de_projet_voit_le_bouton_soumettre(client, plan, chef_projet):
    client.force_login(chef_projet)

    page = texte(client.get(url_plan(plan)))

    assert 'value="soumettre"' in page
    assert 'value="valider"' not in page and 'value="renvoyer"' not in page


def test_le_binome_voit_valider_et_renvoyer_sur_un_plan_soumis(client, plan_soumis, binome):
    client.force_login(binome)

    page = texte(client.get(url_plan(plan_soumis)))

    assert 'value="valider"' in page and 'value="renvoyer"' in page
    assert 'value="soumettre"' not in page


@pytest.mark.parametrize("qui", ["binome", "instructeur_region"])
def test_un_brouillon_n_offre_aucun_bouton_a_qui_ne_soumet_pas(client, plan, request, qui):
    client.force_login(request.getfixturevalue(qui))

    assert 'name="action"' not in texte(client.get(url_plan(plan)))


def test_l_instructeur_de_la_region_ne_voit_aucun_bouton_sur_un_plan_soumis(client, plan_soumis, instructeur_region):
    client.force_login(instructeur_region)

    assert 'name="action"' not in texte(client.get(url_plan(plan_soumis)))


# The steps through the page.


def test_parcours_complet_soumettre_renvoyer_soumettre_valider(client, plan, chef_projet, binome):
    client.force_login(chef_projet)
    reponse = client.post(url_transition(plan), etape(plan, "soumettre", "Première version"), follow=True)
    assert "est soumise au binôme" in texte(reponse)

    client.force_login(binome)
    reponse = client.post(url_transition(plan), etape(plan, "renvoyer", "Ajouter le volet compétences"), follow=True)
    assert "renvoyée au chef de projet" in texte(reponse)
    assert "Ajouter le volet compétences" in texte(reponse)

    client.force_login(chef_projet)
    client.post(url_transition(plan), etape(plan, "soumettre"))
    client.force_login(binome)
    reponse = client.post(url_transition(plan), etape(plan, "valider"))

    assert reponse.status_code == 302 and reponse["Location"] == url_plan(plan)
    plan.refresh_from_db()
    assert plan.statut == StatutPlan.VALIDE
    assert [(t.de, t.vers) for t in plan.transitions.all()] == [
        ("brouillon", "soumis"),
        ("soumis", "brouillon"),
        ("brouillon", "soumis"),
        ("soumis", "valide"),
    ]
    page = texte(client.get(url_plan(plan)))
    assert "Ajouter le volet compétences" in page  # the timeline keeps every step and its reason
    assert "Validé" in page


def test_le_chef_de_projet_qui_tente_de_valider_recoit_un_403(client, plan_soumis, chef_projet):
    client.force_login(chef_projet)

    assert client.post(url_transition(plan_soumis), etape(plan_soumis, "valider")).status_code == 403
    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS


def test_le_binome_qui_tente_de_soumettre_recoit_un_403(client, plan, binome):
    client.force_login(binome)

    assert client.post(url_transition(plan), etape(plan, "soumettre")).status_code == 403


def test_l_instructeur_de_la_region_lit_mais_ne_peut_pas_agir(client, plan_soumis, instructeur_region):
    client.force_login(instructeur_region)

    assert client.get(url_plan(plan_soumis)).status_code == 200
    for action in ("valider", "renvoyer"):
        assert client.post(url_transition(plan_soumis), etape(plan_soumis, action, "motif")).status_code == 403
    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS


def test_valider_un_brouillon_affiche_le_refus_en_francais(client, plan, binome):
    client.force_login(binome)

    reponse = client.post(url_transition(plan), etape(plan, "valider"))

    assert reponse.status_code == 200
    assert "il doit être soumis au binôme avant d’être validé" in texte(reponse)
    assert 'role="alert"' in texte(reponse)
    plan.refresh_from_db()
    assert plan.statut == StatutPlan.BROUILLON


def test_renvoyer_sans_motif_affiche_pourquoi(client, plan_soumis, binome):
    client.force_login(binome)

    reponse = client.post(url_transition(plan_soumis), etape(plan_soumis, "renvoyer", "  "))

    assert "Indiquez le motif du renvoi" in texte(reponse)
    plan_soumis.refresh_from_db()
    assert plan_soumis.statut == StatutPlan.SOUMIS


def test_une_etape_inconnue_est_refusee(client, plan, chef_projet):
    client.force_login(chef_projet)

    reponse = client.post(url_transition(plan), etape(plan, "supprimer"))

    assert "Cette étape du plan d’action n’existe pas." in texte(reponse)


def test_la_transition_ne_se_fait_qu_en_post(client, plan, chef_projet):
    client.force_login(chef_projet)

    assert client.get(url_transition(plan)).status_code == 405


def test_une_page_perimee_est_refusee(client, plan_soumis, binome, chef_projet):
    vue = etape(plan_soumis, "valider")
    actions.renvoyer_plan(plan=plan_soumis, par=binome, motif="À revoir")
    actions.soumettre_plan(plan=plan_soumis, par=chef_projet)
    client.force_login(binome)

    reponse = client.post(url_transition(plan_soumis), vue)

    assert "a changé entre-temps" in texte(reponse)


# What the page shows of each state.


def test_un_plan_soumis_montre_l_instantane_et_signale_les_fiches_changees(client, plan_soumis, projet_public, binome):
    projet_public.titre = "Titre changé après la soumission"
    projet_public.version += 1
    projet_public.save()
    client.force_login(binome)

    page = texte(client.get(url_plan(plan_soumis)))

    assert "Des fiches ont changé depuis la soumission" in page
    assert "Plateforme mutualisée de fabrication additive" in page
    assert "Titre changé après la soumission" not in page


def test_une_ancienne_version_reste_lisible_et_renvoie_a_la_plus_recente(
    client, plan_soumis, binome, projet_public, chef_projet
):
    actions.valider_plan(plan=plan_soumis, par=binome)
    projet_public.titre = "Seconde tranche"
    projet_public.version += 1
    projet_public.save()
    actions.noter_changement(territoire=projet_public.territoire, par=chef_projet)
    client.force_login(chef_projet)

    ancienne = texte(client.get(url_plan(plan_soumis)))
    nouvelle = texte(client.get(reverse("projets:plan", args=[plan_soumis.territoire.identifiant, 2])))

    assert "Plateforme mutualisée de fabrication additive" in ancienne and "Seconde tranche" not in ancienne
    assert "voir la version 2" in ancienne
    assert "Seconde tranche" in nouvelle


def test_les_montants_s_affichent_a_la_francaise(client, plan, chef_projet):
    client.force_login(chef_projet)

    page = texte(client.get(url_plan(plan)))

    assert "250\xa0000,00 €" in page  # the budget of the published fiche
    assert "1\xa0450\xa0000,00 €" in page  # the total of both budgets


# Bounded queries, whatever the number of fiches.


@pytest.mark.parametrize("nombre", [3, 30])
@pytest.mark.parametrize("statut", ["brouillon", "soumis"])
def test_la_page_du_plan_en_requetes_bornees(
    client, territoire_projets, chef_projet, django_assert_max_num_queries, nombre, statut
):
    for projet in ProjetFactory.create_batch(nombre, territoire=territoire_projets):
        LigneFinancementFactory(projet=projet)
        LigneFinancementFactory(projet=projet, montant=Decimal("1000"))
    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)
    if statut == "soumis":
        actions.soumettre_plan(plan=plan, par=chef_projet)
    client.force_login(chef_projet)

    with django_assert_max_num_queries(10):
        reponse = client.get(url_plan(plan))

    assert reponse.status_code == 200
