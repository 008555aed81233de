"""Figures of ready land, computed by the database from the records."""

from decimal import Decimal

from django.urls import reverse

from tests.factories import TerritoireFactory
from ti.foncier import selectors
from ti.foncier.models import StatutSite, Vague
from ti.territoires.models import Phase

from .conftest import SiteFactory


def test_la_phrase_des_laureats_vient_des_enregistrements(montargis):
    for surface in (Decimal("1500"), Decimal("1842.4")):
        SiteFactory(commune=montargis, surface_brute=surface, surface_utile=surface, vague=Vague.FRANCE_2030)
    SiteFactory(commune=montargis, vague=Vague.PACK_REBOND)

    assert selectors.phrase_laureats() == "2 lauréats France 2030, 3\xa0342 ha"
    assert selectors.phrase_laureats(Vague.PACK_REBOND) == "1 lauréat Pack Rebond, 25 ha"


def test_chiffres_par_label_statut_region_et_territoire(site_cvl, montargis, territoire_cvl, territoire_bretagne):
    temps1 = TerritoireFactory(phase=Phase.TEMPS_1, code="2401", nom="Montargis I", communes=[montargis])
    SiteFactory(commune=montargis, vague=Vague.PACK_REBOND, statut=StatutSite.OCCUPE, surface_utile=10)
    SiteFactory(commune=territoire_bretagne.communes.get(), vague=Vague.PACK_REBOND)

    chiffres = selectors.chiffres()

    assert chiffres["total"] == {"n": 3, "ha": Decimal("60")}
    assert [(ligne["vague"], ligne["n"], ligne["ha"]) for ligne in chiffres["vagues"]] == [
        ("france_2030", 1, 25),
        ("pack_rebond", 2, 35),
    ]
    assert [(ligne["libelle"], ligne["n"]) for ligne in chiffres["statuts"]] == [("Labellisé", 2), ("Occupé", 1)]
    assert [(ligne["libelle"], ligne["n"], ligne["ha"]) for ligne in chiffres["regions"]] == [
        ("Bretagne", 1, 25),
        ("Centre-Val de Loire", 2, 35),
    ]
    assert [(ligne["territoire__identifiant"], ligne["n"], ligne["ha"]) for ligne in chiffres["territoires"]] == [
        (temps1.identifiant, 2, 35),
        (territoire_cvl.identifiant, 2, 35),  # « Est du Loiret » before « Lorient »
        (territoire_bretagne.identifiant, 1, 25),
    ]


def test_page_des_chiffres_en_requetes_bornees(client, site_cvl, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("foncier:chiffres"))
    contenu = reponse.content.decode()
    assert "1 lauréat France 2030, 25 ha" in contenu
    assert "Centre-Val de Loire" in contenu
