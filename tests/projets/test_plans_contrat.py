"""The contrat de territoire: read by the team in scope, kept by the chef de projet and the national team, logged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import utilisateur_avec
from ti.comptes.models import Role
from ti.core.models import historique
from ti.projets.actions import plans as actions
from ti.projets.models import ContratTerritoire, Signataire
from ti.projets.views.plans import lignes_du_journal


@pytest.fixture
def plan_valide(territoire_projets, projet_public, chef_projet, binome):
    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)
    actions.soumettre_plan(plan=plan, par=chef_projet)
    return actions.valider_plan(plan=plan, par=binome)


@pytest.fixture
def contrat(territoire_projets, plan_valide):
    contrat = ContratTerritoire.objects.create(
        territoire=territoire_projets,
        intitule="Contrat de territoire d’industrie du Pays de Dreux",
        date_signature=datetime.date(2024, 6, 14),
        plan=plan_valide,
    )
    Signataire.objects.create(
        contrat=contrat, type=Signataire.Type.ETAT, organisme="Préfecture d’Eure-et-Loir", qualite="Préfète"
    )
    return contrat


@pytest.fixture
def autre_binome(autre_territoire_projets):
    return utilisateur_avec(Role.BINOME, territoire=autre_territoire_projets)


def url_de(territoire) -> str:
    return reverse("projets:contrat", args=[territoire.identifiant])


def formulaire(contrat: ContratTerritoire | None, nouveau: dict | None = None, **changements) -> dict:
    """The POST data of the contract page as a browser sends it unchanged, plus a new signatory and `changements`."""
    signataires = list(contrat.signataires.order_by("type", "organisme")) if contrat else []
    donnees = {
        "intitule": contrat.intitule if contrat else "",
        "date_signature": contrat.date_signature.isoformat() if contrat and contrat.date_signature else "",
        "plan": contrat.plan_id if contrat and contrat.plan_id else "",
        "motif": "",
        "signataires-TOTAL_FORMS": len(signataires) + 1,
        "signataires-INITIAL_FORMS": len(signataires),
        "signataires-MIN_NUM_FORMS": 0,
        "signataires-MAX_NUM_FORMS": 1000,
    }
    for rang, signataire in enumerate(signataires):
        donnees[f"signataires-{rang}-id"] = signataire.pk
        for champ in actions.CHAMPS_SIGNATAIRE:
            valeur = getattr(signataire, champ)
            if valeur is None:
                valeur = ""
            donnees[f"signataires-{rang}-{champ}"] = valeur.isoformat() if hasattr(valeur, "isoformat") else valeur
    for champ, valeur in (nouveau or {}).items():
        donnees[f"signataires-{len(signataires)}-{champ}"] = valeur
    donnees.update(changements)
    return donnees


# Who reads, who edits.


@pytest.mark.parametrize("qui", ["chef_projet", "binome", "instructeur_region", "equipe_nationale"])
def test_l_equipe_dans_son_perimetre_lit_le_contrat(client, contrat, request, qui):
    client.force_login(request.getfixturevalue(qui))

    reponse = client.get(url_de(contrat.territoire))

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Contrat de territoire d’industrie du Pays de Dreux" in page
    assert "Préfecture d’Eure-et-Loir" in page
    assert "14 juin 2024" in page


@pytest.mark.parametrize("qui", [None, "autre_chef_projet", "autre_binome"])
def test_hors_du_perimetre_le_contrat_est_introuvable(client, contrat, request, qui):
    if qui:
        client.force_login(request.getfixturevalue(qui))

    assert client.get(url_de(contrat.territoire)).status_code == 404
    assert client.post(url_de(contrat.territoire), formulaire(contrat, intitule="Intrus")).status_code == 404


@pytest.mark.parametrize("qui", ["chef_projet", "equipe_nationale"])
def test_le_chef_de_projet_et_l_equipe_nationale_voient_le_formulaire(client, contrat, request, qui):
    client.force_login(request.getfixturevalue(qui))

    assert 'name="intitule"' in client.get(url_de(contrat.territoire)).content.decode()


@pytest.mark.parametrize("qui", ["binome", "instructeur_region"])
def test_le_binome_et_l_instructeur_lisent_sans_modifier(client, contrat, request, qui):
    client.force_login(request.getfixturevalue(qui))

    assert 'name="intitule"' not in client.get(url_de(contrat.territoire)).content.decode()
    reponse = client.post(url_de(contrat.territoire), formulaire(contrat, intitule="Modifié sans droit"))

    assert reponse.status_code == 403
    contrat.refresh_from_db()
    assert contrat.intitule == "Contrat de territoire d’industrie du Pays de Dreux"


def test_l_action_refuse_qui_n_a_pas_le_droit(territoire_projets, binome):
    with pytest.raises(PermissionDenied):
        actions.enregistrer_contrat(
            territoire=territoire_projets,
            par=binome,
            contrat=None,
            donnees={"intitule": "X", "date_signature": None, "plan": None},
            signataires=[],
        )


# Writing it.


def test_le_chef_de_projet_enregistre_le_contrat_et_ses_signataires(
    client, territoire_projets, plan_valide, chef_projet
):
    client.force_login(chef_projet)
    donnees = formulaire(
        None,
        nouveau={"type": "region", "organisme": "Région Centre-Val de Loire", "representant": "Le président"},
        intitule="Contrat de territoire du Pays de Dreux 2023-2027",
        date_signature="2024-06-14",
        plan=plan_valide.pk,
    )

    reponse = client.post(url_de(territoire_projets), donnees)

    assert reponse.status_code == 302
    contrat = ContratTerritoire.objects.get(territoire=territoire_projets)
    assert (contrat.intitule, contrat.date_signature, contrat.plan) == (
        "Contrat de territoire du Pays de Dreux 2023-2027",
        datetime.date(2024, 6, 14),
        plan_valide,
    )
    assert [(s.type, s.organisme, s.representant) for s in contrat.signataires.all()] == [
        ("region", "Région Centre-Val de Loire", "Le président")
    ]
    entree = historique(contrat).get()
    assert (entree.action, entree.acteur) == ("contrat_cree", chef_projet)
    assert entree.details["intitule"] == [None, "Contrat de territoire du Pays de Dreux 2023-2027"]
    assert entree.details["plan"] == [None, 1]


def test_les_modifications_sont_journalisees_champ_par_champ(client, contrat, chef_projet):
    client.force_login(chef_projet)
    prefecture = contrat.signataires.get()
    donnees = formulaire(
        contrat,
        nouveau={"type": "operateur", "organisme": "Bpifrance", "date_signature": "2024-07-01"},
        date_signature="2024-06-20",
        motif="Date corrigée d’après l’exemplaire signé",
    )
    donnees["signataires-0-qualite"] = "Préfète d’Eure-et-Loir"

    client.post(url_de(contrat.territoire), donnees)

    entree = historique(contrat).first()
    assert entree.action == "contrat_modifie"
    assert entree.motif == "Date corrigée d’après l’exemplaire signé"
    assert entree.details["date_signature"] == ["2024-06-14", "2024-06-20"]
    assert entree.details[f"signataire.{prefecture.pk}"][1]["qualite"] == "Préfète d’Eure-et-Loir"
    assert sorted(s.organisme for s in contrat.signataires.all()) == ["Bpifrance", "Préfecture d’Eure-et-Loir"]
    assert "Date de signature : « 14/06/2024 » devient « 20/06/2024 »" in lignes_du_journal(entree.details)
    assert "Signataire ajouté : Bpifrance (Opérateur)" in lignes_du_journal(entree.details)


def test_un_signataire_retire_reste_dans_le_journal(client, contrat, chef_projet):
    client.force_login(chef_projet)
    prefecture = contrat.signataires.get()

    client.post(url_de(contrat.territoire), formulaire(contrat, **{"signataires-0-DELETE": "on"}))

    assert not contrat.signataires.exists()
    details = historique(contrat).first().details
    assert details[f"signataire.{prefecture.pk}"] == [
        {
            "type": "etat",
            "organisme": "Préfecture d’Eure-et-Loir",
            "representant": "",
            "qualite": "Préfète",
            "date_signature": None,
        },
        None,
    ]


def test_rien_de_change_rien_d_ecrit(client, contrat, chef_projet):
    client.force_login(chef_projet)

    reponse = client.post(url_de(contrat.territoire), formulaire(contrat), follow=True)

    assert "Aucune modification" in reponse.content.decode()
    assert not historique(contrat).exists()


def test_seule_une_version_validee_peut_etre_annexee(client, contrat, chef_projet, projet_public):
    projet_public.version += 1
    projet_public.save()
    brouillon = actions.noter_changement(territoire=projet_public.territoire, par=chef_projet)
    client.force_login(chef_projet)

    reponse = client.post(url_de(contrat.territoire), formulaire(contrat, plan=brouillon.pk))

    assert reponse.status_code == 200
    assert "Choisissez une version validée du plan d’action de ce territoire." in reponse.content.decode()
    contrat.refresh_from_db()
    assert contrat.plan.numero == 1


def test_l_action_refuse_le_plan_d_un_autre_territoire(contrat, chef_projet, autre_territoire_projets):
    autre = actions.plan_courant(territoire=autre_territoire_projets, par=None)

    with pytest.raises(actions.Refus, match="Seule une version validée"):
        actions.enregistrer_contrat(
            territoire=contrat.territoire,
            par=chef_projet,
            contrat=contrat,
            donnees={"intitule": contrat.intitule, "date_signature": None, "plan": autre},
            signataires=[],
        )


def test_un_signataire_d_un_autre_contrat_est_refuse(client, contrat, chef_projet, autre_territoire_projets):
    etranger = Signataire.objects.create(
        contrat=ContratTerritoire.objects.create(territoire=autre_territoire_projets, intitule="Autre"),
        type=Signataire.Type.EPCI,
        organisme="CC Vierzon-Sologne-Berry",
    )
    client.force_login(chef_projet)
    donnees = formulaire(contrat, **{"signataires-0-id": etranger.pk, "signataires-0-organisme": "Détourné"})

    reponse = client.post(url_de(contrat.territoire), donnees)

    assert "ne fait pas partie de ce contrat" in reponse.content.decode()
    etranger.refresh_from_db()
    assert etranger.organisme == "CC Vierzon-Sologne-Berry"


def test_l_intitule_est_obligatoire(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    reponse = client.post(url_de(territoire_projets), formulaire(None))

    assert 'role="alert"' in reponse.content.decode()
    assert not ContratTerritoire.objects.exists()


def test_sans_contrat_la_page_le_dit(client, territoire_projets, binome):
    client.force_login(binome)

    assert (
        "Aucun contrat de territoire n’est encore enregistré" in client.get(url_de(territoire_projets)).content.decode()
    )


# Bounded queries.


@pytest.mark.parametrize("nombre", [3, 30])
def test_la_page_du_contrat_en_requetes_bornees(client, contrat, chef_projet, django_assert_max_num_queries, nombre):
    for rang in range(nombre):
        Signataire.objects.create(contrat=contrat, type=Signataire.Type.EPCI, organisme=f"Communauté {rang}")
    client.force_login(chef_projet)

    with django_assert_max_num_queries(11):
        reponse = client.get(url_de(contrat.territoire))

    assert reponse.status_code == 200
