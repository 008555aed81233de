"""The chefs de projet network: the sentence, région and national pages, status history, funding of the post."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import CommuneFactory, DepartementFactory, TerritoireFactory
from tests.html import lire
from ti.core.models import Journal
from ti.territoires import actions
from ti.territoires.models import ChangementChefProjet, FinancementPoste, Phase, StatutChefProjet
from ti.territoires.reseau import phrase

EN_POSTE, RECRUTEMENT, FINANCEMENT, AUCUN = (
    StatutChefProjet.EN_POSTE,
    StatutChefProjet.RECRUTEMENT,
    StatutChefProjet.FINANCEMENT,
    StatutChefProjet.AUCUN,
)


@pytest.mark.parametrize(
    "comptes, attendue",
    [
        (
            {EN_POSTE: 5, RECRUTEMENT: 4, FINANCEMENT: 3},
            "5 territoires disposent d’un chef de projet, 4 sont en cours de recrutement et 3 doivent solliciter "
            "leur financement.",
        ),
        (
            {EN_POSTE: 1, RECRUTEMENT: 1, FINANCEMENT: 1, AUCUN: 1},
            "1 territoire dispose d’un chef de projet, 1 est en cours de recrutement, 1 doit solliciter son "
            "financement et 1 n’a pas de chef de projet.",
        ),
        ({RECRUTEMENT: 2, FINANCEMENT: 0}, "2 territoires sont en cours de recrutement."),
        ({}, "Aucun territoire du Temps II."),
    ],
)
def test_la_phrase_du_reseau(comptes, attendue):
    assert phrase(comptes) == attendue


@pytest.fixture
def reseau_cvl(cvl, bretagne):
    """12 Temps II territories in Centre-Val de Loire as in the announcement, one in Bretagne, one Temps I."""
    loiret = DepartementFactory(code="45", nom="Loiret", region=cvl)
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)
    statuts = [EN_POSTE] * 5 + [RECRUTEMENT] * 4 + [FINANCEMENT] * 3
    territoires = [
        TerritoireFactory(
            nom=f"Territoire {rang:02d}",
            chef_projet_statut=statut,
            communes=[CommuneFactory(code=f"45{rang:03d}", departement=loiret)],
        )
        for rang, statut in enumerate(statuts)
    ]
    TerritoireFactory(nom="Lorient", communes=[CommuneFactory(code="56121", departement=morbihan)])
    TerritoireFactory(phase=Phase.TEMPS_1, code="2499", nom="Ancien", chef_projet_statut=EN_POSTE, communes=[])
    return territoires


def test_la_page_de_region_calcule_la_phrase_et_nomme_les_territoires(client, reseau_cvl, cvl):
    html = client.get(reverse("territoires:region", args=[cvl.code])).content.decode()

    assert (
        "5 territoires disposent d’un chef de projet, 4 sont en cours de recrutement et 3 doivent solliciter leur "
        "financement." in html
    )
    assert f'<a href="{reseau_cvl[11].get_absolute_url()}">Territoire 11</a>' in html
    assert "Lorient" not in html.split("Les chefs de projet du Temps II")[1].split("<h2")[0]


def test_la_page_nationale_et_son_tableau_par_region(client, reseau_cvl, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        reponse = client.get(reverse("territoires:chefs_de_projet"))

    lignes = {ligne.region.code: (ligne.comptes, ligne.total) for ligne in reponse.context["par_region"]}
    assert lignes == {
        "24": ({EN_POSTE: 5, RECRUTEMENT: 4, FINANCEMENT: 3, AUCUN: 0}, 12),
        "53": ({EN_POSTE: 0, RECRUTEMENT: 0, FINANCEMENT: 0, AUCUN: 1}, 1),
    }
    html = reponse.content.decode()
    assert "5 territoires disposent d’un chef de projet" in html and "1 n’a pas de chef de projet" in html
    assert "Ancien" not in html  # Temps I is not the network


def test_la_page_de_region_et_l_accueil_en_requetes_bornees(client, reseau_cvl, cvl, django_assert_max_num_queries):
    TerritoireFactory.create_batch(20, chef_projet_statut=FINANCEMENT, communes=[])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("territoires:region", args=[cvl.code])).status_code == 200
    with django_assert_max_num_queries(8):
        html = client.get("/").content.decode()
    assert "23 doivent solliciter leur financement" in html


def test_changer_le_statut_ecrit_son_historique(chef_projet_cvl, territoire_cvl):
    actions.modifier_territoire(
        territoire=territoire_cvl,
        par=chef_projet_cvl,
        donnees={"chef_projet_statut": RECRUTEMENT},
        motif="Fiche de poste publiée",
    )
    actions.modifier_territoire(territoire=territoire_cvl, par=chef_projet_cvl, donnees={"description": "Texte"})

    changement = ChangementChefProjet.objects.get()
    assert (changement.avant, changement.apres, changement.par, changement.motif) == (
        AUCUN,
        RECRUTEMENT,
        chef_projet_cvl,
        "Fiche de poste publiée",
    )
    assert Journal.objects.filter(action="territoire_modifie").count() == 2


def test_financer_le_poste_par_le_site(client, chef_projet_cvl, territoire_cvl):
    client.force_login(chef_projet_cvl)
    url = reverse("territoires:financer_poste", args=[territoire_cvl.identifiant])

    reponse = client.post(
        url,
        {"financeur": "Banque des Territoires", "montant": "40000,50", "debut": "2024-03-01", "motif": "Convention"},
    )

    assert reponse.status_code == 302
    financement = FinancementPoste.objects.get()
    assert (financement.montant, financement.debut, financement.fin) == (Decimal("40000.50"), date(2024, 3, 1), None)
    entree = Journal.objects.get(action="financement_poste_ajoute")
    assert (entree.acteur, entree.motif, entree.details["financeur"]) == (
        chef_projet_cvl,
        "Convention",
        "Banque des Territoires",
    )
    page = client.get(territoire_cvl.get_absolute_url()).content.decode()
    assert "Banque des Territoires : 40" in page and "1er mars 2024" in page


@pytest.mark.parametrize(
    "donnees, champ, message",
    [
        ({"montant": "-5"}, "montant", "Le montant doit être supérieur à zéro."),
        ({"fin": "2024-01-01"}, "fin", "La fin du financement ne peut pas précéder son début."),
        ({"financeur": ""}, "financeur", "Ce champ est obligatoire."),
    ],
)
def test_un_financement_invalide_est_refuse_en_francais(
    client, chef_projet_cvl, territoire_cvl, donnees, champ, message
):
    client.force_login(chef_projet_cvl)
    valides = {"financeur": "Région", "montant": "1000", "debut": "2024-03-01"}

    reponse = client.post(reverse("territoires:financer_poste", args=[territoire_cvl.identifiant]), valides | donnees)

    assert reponse.status_code == 200
    assert message in reponse.context["form"].errors[champ]
    assert not FinancementPoste.objects.exists() and not Journal.objects.exists()


def test_qui_peut_financer_le_poste(client, territoire_cvl, binome_cvl, instructeur_bretagne, equipe_nationale):
    url = reverse("territoires:financer_poste", args=[territoire_cvl.identifiant])
    client.force_login(binome_cvl)
    assert client.get(url).status_code == 403
    client.force_login(instructeur_bretagne)
    assert client.get(url).status_code == 404
    client.force_login(equipe_nationale)
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert lire(reponse).h1() == f"Financement du poste de chef de projet — {territoire_cvl.nom}"
    assert {"financeur", "montant", "debut"} <= set(reponse.context["form"].fields)
    with pytest.raises(PermissionDenied):
        actions.financer_poste(
            territoire=territoire_cvl,
            par=binome_cvl,
            financeur="X",
            montant=Decimal(1),
            debut=date(2024, 1, 1),
            fin=None,
        )


def test_historique_et_financement_reserves_aux_personnes_habilitees(
    client, territoire_cvl, instructeur_bretagne, binome_cvl
):
    FinancementPoste.objects.create(territoire=territoire_cvl, financeur="Région", montant=1000, debut=date(2024, 1, 1))

    assert "Financement du poste" not in client.get(territoire_cvl.get_absolute_url()).content.decode()
    client.force_login(instructeur_bretagne)
    assert "Financement du poste" not in client.get(territoire_cvl.get_absolute_url()).content.decode()
    client.force_login(binome_cvl)
    page = lire(client.get(territoire_cvl.get_absolute_url()))
    assert ("h3", "Financement du poste") in page.titres
    assert "Région" in page.texte
