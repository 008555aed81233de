"""The admin of imported territories: governance, partners and missions editable; identity and perimeter read-only."""

import pytest
from django.urls import reverse

from tests.factories import CommuneFactory, TerritoireFactory, UtilisateurFactory
from ti.territoires.models import Mission, Partenaire, Phase, StatutChefProjet


@pytest.fixture
def administrateur(db):
    return UtilisateurFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def territoire(db):
    territoire = TerritoireFactory(
        phase=Phase.TEMPS_2,
        code="2401",
        nom="Est du Loiret",
        communes=[CommuneFactory(nom=f"Commune {n}") for n in range(30)],
    )
    Partenaire.objects.create(territoire=territoire, organisme=Partenaire.Organisme.REGION, nom="Conseil régional")
    Mission.objects.create(territoire=territoire, type=Mission.Type.CHOC_INDUSTRIEL, annee=2022)
    return territoire


def test_liste_filtrable_par_phase_et_region(client, administrateur, territoire, django_assert_max_num_queries):
    TerritoireFactory.create_batch(20, phase=Phase.TEMPS_1)
    client.force_login(administrateur)

    with django_assert_max_num_queries(12):
        reponse = client.get(reverse("admin:territoires_territoire_changelist"), {"phase__exact": "2", "regions": "24"})

    assert reponse.status_code == 200
    assert list(reponse.context["cl"].result_list) == [territoire]
    assert reponse.context["cl"].result_list[0].nb_communes == 30


def test_recherche_sans_accents(client, administrateur, territoire):
    client.force_login(administrateur)

    reponse = client.get(reverse("admin:territoires_territoire_changelist"), {"q": "loiret"})

    assert list(reponse.context["cl"].result_list) == [territoire]


def test_fiche_avec_partenaires_missions_et_perimetre_en_lecture_seule(
    client, administrateur, territoire, django_assert_max_num_queries
):
    client.force_login(administrateur)

    with django_assert_max_num_queries(25):
        reponse = client.get(reverse("admin:territoires_territoire_change", args=[territoire.pk]))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Conseil régional" in html
    assert "Commune 29" in html
    formulaire = reponse.context["adminform"].form
    assert "nom" not in formulaire.fields  # identity and perimeter come from the import
    assert "chef_projet_statut" not in formulaire.fields  # changed on the site, with its history
    perimetre = next(
        f for f in reponse.context["inline_admin_formsets"] if f.opts.model.__name__ == "CommuneTerritoire"
    )
    assert not perimetre.has_add_permission and not perimetre.has_delete_permission


def test_la_gouvernance_se_modifie_dans_l_admin(client, administrateur, territoire):
    client.force_login(administrateur)
    url = reverse("admin:territoires_territoire_change", args=[territoire.pk])
    donnees = {
        "description": "",
        "binome_elu": "Élue référente",
        "chef_projet_statut": StatutChefProjet.EN_POSTE,  # read-only: ignored
        "partenaires-TOTAL_FORMS": "1",
        "partenaires-INITIAL_FORMS": "1",
        "partenaires-0-id": str(territoire.partenaires.get().pk),
        "partenaires-0-territoire": str(territoire.pk),
        "partenaires-0-organisme": Partenaire.Organisme.REGION,
        "partenaires-0-nom": "Conseil régional",
        "missions-TOTAL_FORMS": "1",
        "missions-INITIAL_FORMS": "1",
        "missions-0-id": str(territoire.missions.get().pk),
        "missions-0-territoire": str(territoire.pk),
        "missions-0-type": Mission.Type.CHOC_INDUSTRIEL,
        "missions-0-annee": "2022",
        "perimetre-TOTAL_FORMS": "30",
        "perimetre-INITIAL_FORMS": "30",
    }
    donnees |= {f"perimetre-{i}-id": str(pk) for i, pk in enumerate(territoire.perimetre.values_list("pk", flat=True))}

    reponse = client.post(url, donnees)

    assert reponse.status_code == 302, reponse.context["errors"] if reponse.context else reponse
    territoire.refresh_from_db()
    # The status is changed on the site, where its history is kept.
    assert (territoire.binome_elu, territoire.chef_projet_statut) == ("Élue référente", StatutChefProjet.AUCUN)
    assert territoire.perimetre.count() == 30


def test_pas_de_creation_ni_de_suppression_dans_l_admin(client, administrateur, territoire):
    client.force_login(administrateur)

    assert client.get(reverse("admin:territoires_territoire_add")).status_code == 403
    assert client.get(reverse("admin:territoires_territoire_delete", args=[territoire.pk])).status_code == 403
