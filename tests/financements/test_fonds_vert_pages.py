"""The public dashboards of the Fonds vert in Territoires d'industrie: exact figures, bounded queries, exports."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from ti.financements import selectors_fonds_vert
from ti.financements.import_fonds_vert import importer_fonds_vert
from ti.financements.models import AttributionFondsVert, LigneFondsVert
from ti.territoires.models import Phase

from ..factories import CommuneFactory, DepartementFactory, TerritoireFactory
from .test_import_fonds_vert import ecrire, ligne

URL = reverse("financements:fonds_vert")


@pytest.fixture
def jeu_connu(territoire_fv, montargis, loiret, bretagne, tmp_path):
    """2024: Montargis 1 000 (a phase 2 and a phase 1 territory), Vierzon 3 000 (no territory), Lorient 2 000
    (a phase 2 territory of Bretagne), an unknown commune 500 (département unknown too). 2023: Montargis 100."""
    TerritoireFactory(phase=Phase.TEMPS_1, code="2401", nom="Montargis (Temps I)", communes=[montargis])
    cher = DepartementFactory(code="18", nom="Cher", region=loiret.region)
    CommuneFactory(code="18279", nom="Vierzon", departement=cher)
    morbihan = DepartementFactory(code="56", nom="Morbihan", region=bretagne)
    lorient = CommuneFactory(code="56121", nom="Lorient", departement=morbihan)
    TerritoireFactory(nom="Lorient", code="5301", communes=[lorient])
    lignes = [
        ligne(numero_dossier_ds="1", code_commune="45208", montant_engage="1000"),
        ligne(numero_dossier_ds="2", code_commune="18279", code_departement="18", montant_engage="3000"),
        ligne(numero_dossier_ds="3", code_commune="56121", code_departement="56", montant_engage="2000"),
        ligne(numero_dossier_ds="4", code_commune="99999", code_departement="99", montant_engage="500"),
    ]
    assert importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2024.csv", lignes)).accepte
    autre = [ligne(numero_dossier_ds="5", code_commune="45208", montant_engage="100")]
    assert importer_fonds_vert(ecrire(tmp_path, "fonds-vert-2023.csv", autre)).accepte


def test_les_chiffres_par_annee_sont_exacts(jeu_connu):
    annee_2024, annee_2023 = selectors_fonds_vert.par_annee()
    assert annee_2024["annee"] == 2024 and annee_2024["nombre"] == 4
    assert annee_2024["montant"] == Decimal("6500")
    assert annee_2024["montant_ti"] == Decimal("3000")  # Montargis once, though in two territories, + Lorient
    assert annee_2024["nombre_ti"] == 2
    assert annee_2024["montant_phase_1"] == Decimal("1000") and annee_2024["montant_phase_2"] == Decimal("3000")
    assert annee_2024["non_placees"] == 1
    assert round(annee_2024["part_ti"], 2) == Decimal("46.15")
    assert (annee_2023["annee"], annee_2023["montant"], annee_2023["montant_ti"]) == (
        2023,
        Decimal("100"),
        Decimal("100"),
    )


def test_les_chiffres_par_region_et_par_territoire_sont_exacts(jeu_connu):
    regions = {ligne["region__code"]: ligne for ligne in selectors_fonds_vert.par_region(2024)}
    assert set(regions) == {"24", "53", None}
    assert (regions["24"]["montant"], regions["24"]["montant_ti"]) == (Decimal("4000"), Decimal("1000"))
    assert regions["24"]["part_ti"] == Decimal("25")
    assert (regions["53"]["montant"], regions["53"]["montant_ti"]) == (Decimal("2000"), Decimal("2000"))
    assert (regions[None]["montant"], regions[None]["non_placees"]) == (Decimal("500"), 1)
    assert selectors_fonds_vert.par_region(2024)[-1]["region__code"] is None  # the unknown région last

    territoires = selectors_fonds_vert.par_territoire(2024, Decimal("6500"))
    assert [(t["territoire__nom"], t["montant"], t["nombre"]) for t in territoires] == [
        ("Lorient", Decimal("2000"), 1),
        ("Montargis (Temps I)", Decimal("1000"), 1),
        ("Montargis-Gâtinais", Decimal("1000"), 1),
    ]
    assert round(territoires[0]["part"], 2) == Decimal("30.77")


def test_la_page_montre_les_chiffres_et_leur_provenance(client, jeu_connu, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        reponse = client.get(URL)  # public: no login
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Fichier « fonds-vert-2024.csv », importé le" in page
    assert "4 lignes pour l’année 2024" in page
    assert "1 ligne d’attribution n’a pas pu être placée sur une commune" in page
    assert "6\xa0500&nbsp;€" in page and "3\xa0000&nbsp;€" in page and "46,2&nbsp;%" in page
    assert "Région inconnue" in page and "Lorient" in page
    assert reverse("territoires:detail", args=["ti2-5301"]) in page


def test_une_autre_annee_se_choisit(client, jeu_connu):
    reponse = client.get(URL, {"annee": 2023})
    assert reponse.status_code == 200 and "fonds-vert-2023.csv" in reponse.content.decode()
    assert "Toutes les attributions ont été placées" in reponse.content.decode()
    assert client.get(URL, {"annee": 2019}).status_code == 404
    assert client.get(URL, {"annee": "deux-mille"}).status_code == 404


def test_sans_attribution_la_page_le_dit(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        reponse = client.get(URL)
    assert reponse.status_code == 200
    assert "Aucune attribution du Fonds vert n’a encore été importée." in reponse.content.decode()


def _attributions(nombre: int, territoire, commune):
    """`nombre` dossiers of two lines each (the same commune), in the territory."""
    AttributionFondsVert.objects.bulk_create(
        AttributionFondsVert(
            annee=2024,
            axe="3",
            numero_demarche="90001",
            nom_demarche="Démarche",
            numero_dossier=str(i),
            nom_projet=f"Projet {i}",
            montant_engage=Decimal("200"),
            nombre_lignes=2,
        )
        for i in range(nombre)
    )
    LigneFondsVert.objects.bulk_create(
        LigneFondsVert(
            attribution=attribution,
            rang=rang,
            ligne_fichier=2 * i + rang,
            nom_region="Centre-Val de Loire",
            code_departement="45",
            code_commune=commune.code,
            nom_commune=commune.nom,
            beneficiaire="EXEMPLE",
            siren="999000011",
            montant_engage=Decimal("100"),
            commune=commune,
            region=commune.region,
        )
        for i, attribution in enumerate(AttributionFondsVert.objects.all())
        for rang in (1, 2)
    )
    Lien = LigneFondsVert.territoires.through
    Lien.objects.bulk_create(Lien(lignefondsvert=x, territoire=territoire) for x in LigneFondsVert.objects.all())


@pytest.mark.parametrize("nombre", [3, 30])
def test_les_requetes_ne_dependent_pas_du_nombre_d_attributions(
    client, territoire_fv, montargis, nombre, django_assert_max_num_queries
):
    _attributions(nombre, territoire_fv, montargis)
    for format_ in (None, "csv"):
        with django_assert_max_num_queries(5):
            reponse = client.get(URL, {"format": format_, "tableau": "territoires"} if format_ else {})
        assert reponse.status_code == 200
    # each dossier counts once, with the sum of its two lines
    assert f"Montargis-Gâtinais;ti2-2499;2;{nombre};{nombre * 200},00;100,00" in reponse.content.decode("utf-8-sig")


def test_les_tableaux_se_telechargent(client, jeu_connu, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        reponse = client.get(URL, {"annee": 2024, "tableau": "regions", "format": "csv"})
    assert reponse["Content-Disposition"] == 'attachment; filename="fonds-vert-2024-regions.csv"'
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeffRégion;Code;Attributions")
    assert "Centre-Val de Loire;24;2;4000,00;1000,00;25,00;0" in texte

    reponse = client.get(URL, {"annee": 2024, "tableau": "territoires", "format": "xlsx"})
    feuille = openpyxl.load_workbook(io.BytesIO(reponse.content)).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0][0] == "Territoire" and lignes[1][:2] == ("Lorient", "ti2-5301") and len(lignes) == 4

    reponse = client.get(URL, {"tableau": "annees", "format": "ods"})
    assert reponse.status_code == 200 and reponse.content.startswith(b"PK")
    assert reponse["Content-Disposition"] == 'attachment; filename="fonds-vert-annees.ods"'

    assert client.get(URL, {"tableau": "regions", "format": "pdf"}).status_code == 404
    assert client.get(URL, {"tableau": "inconnu", "format": "csv"}).status_code == 404
