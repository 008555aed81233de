"""A territory asks for support on its fiches-action; the région then the national team triage, every step
journalled, notified and visible to the territory; role by role, who sees (404) and who acts (403)."""

import pytest
from django.urls import reverse

from tests.factories import ProjetFactory, utilisateur_avec
from ti.comptes.models import Role
from ti.core.etats import Refus
from ti.core.models import Journal
from ti.ingenierie import actions
from ti.ingenierie.models import Budget, Demande, Mission, StatutDemande
from ti.notifications.models import Notification, Type

FORMULAIRE = {
    "besoin": "Étudier la reconversion de la friche et les financements mobilisables.",
    "livrables_attendus": "Diagnostic, étude d’impact, plan de financement.",
    "calendrier": "De mars à juin 2026",
}


@pytest.fixture
def brouillon(chef_projet_cvl, fiche_cvl, offre_anct):
    return actions.creer_demande(
        territoire=fiche_cvl.territoire, par=chef_projet_cvl, projets=[fiche_cvl], offre=offre_anct, **FORMULAIRE
    )


@pytest.fixture
def en_examen(brouillon, chef_projet_cvl, referent_region_cvl):
    actions.changer_statut_demande(demande=brouillon, par=chef_projet_cvl, statut="soumise")
    return actions.changer_statut_demande(demande=brouillon, par=referent_region_cvl, statut="en_examen")


def etape(client, demande, **donnees):
    return client.post(reverse("ingenierie:demande", args=[demande.pk]), donnees)


def test_le_chef_de_projet_demande_un_accompagnement_en_quelques_minutes(
    client, chef_projet_cvl, fiche_cvl, offre_anct
):
    client.force_login(chef_projet_cvl)
    url = reverse("ingenierie:nouvelle_demande", args=[fiche_cvl.territoire.identifiant])
    formulaire = client.get(url, {"offre": offre_anct.pk})
    assert fiche_cvl.titre in formulaire.content.decode() and 'name="jeton_envoi"' in formulaire.content.decode()

    donnees = {**FORMULAIRE, "offre": offre_anct.pk, "projets": [fiche_cvl.pk], "jeton_envoi": "a" * 32}
    reponse = client.post(url, donnees)
    client.post(url, donnees)  # a double click: one request only

    demande = Demande.objects.get()
    assert reponse["Location"] == demande.get_absolute_url()
    assert demande.statut == StatutDemande.BROUILLON and demande.cree_par == chef_projet_cvl
    assert list(demande.projets.all()) == [fiche_cvl]
    assert Journal.objects.filter(action="ingenierie.demande_creee", objet_id=str(demande.pk)).count() == 1


def test_une_demande_sans_fiche_action_est_refusee_et_rien_n_est_perdu(client, chef_projet_cvl, fiche_cvl):
    client.force_login(chef_projet_cvl)
    url = reverse("ingenierie:nouvelle_demande", args=[fiche_cvl.territoire.identifiant])
    reponse = client.post(url, {**FORMULAIRE, "projets": []})

    assert reponse.status_code == 400 and not Demande.objects.exists()
    assert reponse.context["form"].errors["projets"]
    assert FORMULAIRE["besoin"] in reponse.content.decode()  # what was typed comes back


def test_une_fiche_d_un_autre_territoire_est_refusee(chef_projet_cvl, fiche_cvl, territoire_bretagne):
    ailleurs = ProjetFactory(territoire=territoire_bretagne)
    with pytest.raises(Refus, match="n’appartient pas à ce territoire"):
        actions.creer_demande(territoire=fiche_cvl.territoire, par=chef_projet_cvl, projets=[ailleurs], **FORMULAIRE)
    assert not Demande.objects.exists()


def test_parcours_soumise_en_examen_acceptee_journalise_et_notifie(
    client,
    brouillon,
    chef_projet_cvl,
    binome_cvl,
    referent_region_cvl,
    equipe_nationale,
    executer_travaux,
    django_capture_on_commit_callbacks,
):
    def etape_envoyee(**donnees):
        with django_capture_on_commit_callbacks(execute=True):
            assert etape(client, brouillon, **donnees).status_code == 302
        executer_travaux()

    client.force_login(chef_projet_cvl)
    etape_envoyee(statut="soumise")
    avertis = set(Notification.objects.filter(type=Type.DEMANDE_INGENIERIE).values_list("destinataire", flat=True))
    assert avertis == {chef_projet_cvl.pk, binome_cvl.pk, referent_region_cvl.pk}

    client.force_login(referent_region_cvl)
    etape_envoyee(statut="en_examen")
    client.force_login(equipe_nationale)
    etape_envoyee(statut="acceptee", motif="Marché ANCT, lot 2")

    brouillon.refresh_from_db()
    assert brouillon.statut == StatutDemande.ACCEPTEE
    pas = Journal.objects.filter(action="ingenierie.statut_demande", objet_id=str(brouillon.pk)).order_by("quand")
    assert [(j.acteur, j.details["vers"]) for j in pas] == [
        (chef_projet_cvl, "soumise"),
        (referent_region_cvl, "en_examen"),
        (equipe_nationale, "acceptee"),
    ]
    assert Notification.objects.filter(destinataire=chef_projet_cvl).count() == 3
    assert Notification.objects.filter(destinataire=equipe_nationale).count() == 1  # told when it awaited it
    client.force_login(chef_projet_cvl)
    page = client.get(brouillon.get_absolute_url()).content.decode()
    assert "Acceptée" in page and "Marché ANCT, lot 2" in page


def test_un_refus_doit_etre_motive(client, en_examen, equipe_nationale):
    client.force_login(equipe_nationale)
    reponse = etape(client, en_examen, statut="refusee", motif=" ")

    assert reponse.status_code == 400 and "Un refus doit être motivé" in reponse.content.decode()
    en_examen.refresh_from_db()
    assert en_examen.statut == StatutDemande.EN_EXAMEN

    etape(client, en_examen, statut="refusee", motif="Besoin couvert par le Fonds vert")
    en_examen.refresh_from_db()
    assert en_examen.statut == StatutDemande.REFUSEE
    assert Journal.objects.get(action="ingenierie.statut_demande", details__vers="refusee").motif == (
        "Besoin couvert par le Fonds vert"
    )


def test_une_reorientation_nomme_une_autre_offre(client, en_examen, equipe_nationale, offre_anct, offre_cerema):
    client.force_login(equipe_nationale)
    assert etape(client, en_examen, statut="reorientee").status_code == 400
    assert etape(client, en_examen, statut="reorientee", offre=offre_anct.pk).status_code == 400  # the same one

    assert etape(client, en_examen, statut="reorientee", offre=offre_cerema.pk).status_code == 302
    en_examen.refresh_from_db()
    assert en_examen.statut == StatutDemande.REORIENTEE and en_examen.offre_proposee == offre_cerema


def test_une_etape_hors_du_parcours_est_refusee(client, brouillon, equipe_nationale):
    client.force_login(equipe_nationale)
    assert etape(client, brouillon, statut="acceptee").status_code == 404  # a draft is the territory's own
    brouillon.statut = StatutDemande.SOUMISE
    brouillon.save()

    reponse = etape(client, brouillon, statut="acceptee")
    assert reponse.status_code == 400 and "ne peut pas passer à « acceptée »" in reponse.content.decode()


@pytest.mark.parametrize(
    ("role", "brouillon_visible", "soumise_visible"),
    [
        ("chef_projet_cvl", 200, 200),
        ("binome_cvl", 200, 200),
        ("referent_region_cvl", 404, 200),
        ("instructeur_cvl", 404, 200),
        ("equipe_nationale", 404, 200),
        ("instructeur_bretagne", 404, 404),
        ("consultant", 404, 404),
    ],
)
def test_qui_voit_une_demande(client, request, brouillon, chef_projet_cvl, role, brouillon_visible, soumise_visible):
    client.force_login(request.getfixturevalue(role))
    assert client.get(brouillon.get_absolute_url()).status_code == brouillon_visible
    actions.changer_statut_demande(demande=brouillon, par=chef_projet_cvl, statut="soumise")
    assert client.get(brouillon.get_absolute_url()).status_code == soumise_visible


@pytest.mark.parametrize(
    ("role", "statut", "attendu"),
    [
        ("chef_projet_cvl", "en_examen", 403),  # the territory does not review its own request
        ("referent_region_cvl", "acceptee", 403),  # the région reviews, the national team decides
        ("instructeur_cvl", "en_examen", 302),
        ("equipe_nationale", "en_examen", 302),
    ],
)
def test_qui_trie_une_demande(client, request, brouillon, chef_projet_cvl, role, statut, attendu):
    actions.changer_statut_demande(demande=brouillon, par=chef_projet_cvl, statut="soumise")
    if statut == "acceptee":
        brouillon.statut = StatutDemande.EN_EXAMEN
        brouillon.save()
    client.force_login(request.getfixturevalue(role))
    assert etape(client, brouillon, statut=statut).status_code == attendu


def test_un_territoire_ne_demande_pas_pour_un_autre(client, fiche_cvl, territoire_bretagne, referent_region_cvl):
    chef_bretagne = utilisateur_avec(Role.CHEF_PROJET, territoire=territoire_bretagne)
    client.force_login(chef_bretagne)
    url = reverse("ingenierie:nouvelle_demande", args=[fiche_cvl.territoire.identifiant])
    assert client.get(url).status_code == 404
    client.force_login(referent_region_cvl)  # sees the territory, does not ask in its name
    assert client.get(url).status_code == 403


def test_le_tableau_des_demandes_en_peu_de_requetes(
    client, chef_projet_cvl, fiche_cvl, offre_anct, django_assert_max_num_queries
):
    for _ in range(5):
        actions.creer_demande(
            territoire=fiche_cvl.territoire, par=chef_projet_cvl, projets=[fiche_cvl], offre=offre_anct, **FORMULAIRE
        )
    client.force_login(chef_projet_cvl)
    with django_assert_max_num_queries(12):
        reponse = client.get(reverse("ingenierie:tableau"))
    assert len(reponse.context["demandes"]) == 5


def test_la_page_d_une_demande_en_peu_de_requetes(client, en_examen, equipe_nationale, django_assert_max_num_queries):
    client.force_login(equipe_nationale)
    with django_assert_max_num_queries(14):
        reponse = client.get(en_examen.get_absolute_url())
    assert [e.value for e in reponse.context["etapes"]] == ["acceptee", "reorientee", "refusee"]


COMMANDE = {
    "type": "sur_mesure",
    "intitule": "Reconversion de la friche Hutchinson",
    "annee": "2026",
    "cabinet": "Cabinet Exemple Conseil",
    "numero_commande": "ANCT-2026-007",
    "date_commande": "2026-03-02",
    "montant_ht": "30000",
    "montant_ttc": "36000",
    "jours_prevus": "25",
}


@pytest.fixture
def budget_2026(db):
    return Budget.objects.create(annee=2026, montant_ht=1_000_000)


def test_une_demande_acceptee_donne_sa_mission_au_consultant_nomme(
    client, en_examen, equipe_nationale, consultant, budget_2026
):
    actions.changer_statut_demande(demande=en_examen, par=equipe_nationale, statut="acceptee")
    url = reverse("ingenierie:commander_mission", args=[en_examen.pk])
    client.force_login(equipe_nationale)
    assert url in client.get(en_examen.get_absolute_url()).content.decode()

    reponse = client.post(url, {**COMMANDE, "consultants": [consultant.pk], "jeton_envoi": "b" * 32})
    client.post(url, {**COMMANDE, "consultants": [consultant.pk], "jeton_envoi": "b" * 32})  # sent twice

    mission = Mission.objects.get()
    assert reponse["Location"] == mission.get_absolute_url()
    assert (mission.demande, mission.territoire, mission.montant_ttc) == (en_examen, en_examen.territoire, 36000)
    assert list(mission.consultants.all()) == [consultant]
    assert Journal.objects.get(action="ingenierie.mission_commandee").details["commande"] == "ANCT-2026-007"
    client.force_login(consultant)
    assert client.get(mission.get_absolute_url()).status_code == 200


def test_pas_de_mission_sans_demande_acceptee_ni_deux_fois(en_examen, equipe_nationale, budget_2026):
    champs = {**COMMANDE, "montant_ht": 30000, "montant_ttc": 36000, "jours_prevus": 25, "annee": 2026}
    del champs["date_commande"]
    with pytest.raises(Refus, match="Seule une demande acceptée"):
        actions.commander_mission(demande=en_examen, par=equipe_nationale, **champs)
    actions.changer_statut_demande(demande=en_examen, par=equipe_nationale, statut="acceptee")
    with pytest.raises(Refus, match="TTC ne peut pas être inférieur"):
        actions.commander_mission(demande=en_examen, par=equipe_nationale, **{**champs, "montant_ttc": 100})
    actions.commander_mission(demande=en_examen, par=equipe_nationale, **champs)
    with pytest.raises(Refus, match="déjà sa mission"):
        actions.commander_mission(demande=en_examen, par=equipe_nationale, **champs)
    assert Mission.objects.count() == 1


def test_un_montant_ttc_inferieur_est_signale_dans_le_formulaire(client, en_examen, equipe_nationale):
    actions.changer_statut_demande(demande=en_examen, par=equipe_nationale, statut="acceptee")
    client.force_login(equipe_nationale)
    reponse = client.post(
        reverse("ingenierie:commander_mission", args=[en_examen.pk]), {**COMMANDE, "montant_ttc": "100"}
    )
    assert reponse.status_code == 400 and not Mission.objects.exists()
    assert "TTC ne peut pas être inférieur" in reponse.content.decode()


@pytest.mark.parametrize(
    ("role", "attendu"), [("referent_region_cvl", 403), ("chef_projet_cvl", 403), ("consultant", 404)]
)
def test_seule_l_equipe_nationale_commande(client, request, en_examen, equipe_nationale, role, attendu):
    actions.changer_statut_demande(demande=en_examen, par=equipe_nationale, statut="acceptee")
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("ingenierie:commander_mission", args=[en_examen.pk])).status_code == attendu
