"""The real Temps II list (no id_ti) against COG 2026, after the real Temps I file: codes, figures, lineage, carry-over.

Figures checked here are those of the closing note of issue 11.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Sum

from tests.factories import TerritoireFactory
from ti.referentiel.models import Commune
from ti.territoires.filiation import continuite
from ti.territoires.importer import importer_territoires
from ti.territoires.models import CommuneTerritoire, Filiation, Mission, Phase, StatutChefProjet, Territoire

from .test_import import vider_la_base

TEMPS1 = "data/territoires-industrie/temps1-communes-2020.csv"
TEMPS2 = "data/territoires-industrie/temps2-communes-2026.csv"


@pytest.fixture(scope="module")
def rapport(django_db_setup, django_db_blocker):
    """COG 2026, the Temps I file and the Temps II list, imported once for the module, then removed."""
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
        importer_territoires(phase=Phase.TEMPS_1, fichier=TEMPS1)
        rapport = importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)
    yield rapport
    with django_db_blocker.unblock():
        vider_la_base()


def temps2():
    return Territoire.objects.filter(phase=Phase.TEMPS_2)


def identites():
    return dict(temps2().values_list("identifiant", "pk"))


def test_les_chiffres_de_la_liste_reelle(db, rapport):
    assert rapport.accepte, rapport.erreurs
    assert rapport.lignes == 18_730
    assert rapport.territoires == len(rapport.crees) == temps2().count() == 183
    assert rapport.codes_inconnus == [] and rapport.codes_rattaches == []  # every code is a COG 2026 commune
    assert rapport.communes == CommuneTerritoire.objects.filter(territoire__phase=Phase.TEMPS_2).count() == 18_730
    epcis = Territoire.epcis.through.objects.filter(territoire__phase=Phase.TEMPS_2)
    assert epcis.values("epci").distinct().count() == 632
    assert temps2().aggregate(p=Sum("population"))["p"] == 41_029_691
    regions = set(
        Territoire.regions.through.objects.filter(territoire__phase=Phase.TEMPS_2).values_list("region", flat=True)
    )
    assert len(regions) == 18 and {"01", "02", "03", "04", "06"} <= regions  # the five overseas régions


@pytest.mark.parametrize(
    "code, territoire",
    [
        ("28134", "Pays de Dreux – Portes Euréliennes d’Île-de-France"),  # Dreux
        ("36044", "Châteauroux – Buzançais – Argenton"),
        ("45208", "Est du Loiret"),  # Montargis
        ("97209", "Martinique Centre"),  # Fort-de-France
    ],
)
def test_des_communes_connues(db, rapport, code, territoire):
    assert list(
        Commune.objects.get(code=code).territoires.filter(phase=Phase.TEMPS_2).values_list("nom", flat=True)
    ) == [territoire]


def test_le_code_est_la_region_de_reference_et_le_rang_du_nom(db, rapport):
    codes = dict(temps2().values_list("nom", "identifiant"))
    assert codes["Berry Sologne"] == "ti2-2401"  # first name of Centre-Val de Loire
    assert codes["Basse-Terre"] == "ti2-0101" and codes["Martinique Centre"] == "ti2-0201"
    # Most of its population is in Centre-Val de Loire, though it reaches into Normandie.
    dreux = Territoire.objects.get(identifiant=codes["Pays de Dreux – Portes Euréliennes d’Île-de-France"])
    assert dreux.code.startswith("24") and set(dreux.regions.values_list("code", flat=True)) == {"24", "28"}


def test_reimporter_la_meme_liste_garde_identifiants_et_cles(db, rapport):
    avant = identites()

    second = importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)

    assert second.change_rien and len(second.inchanges) == 183
    assert identites() == avant


def test_un_territoire_renomme_garde_son_identifiant(db, rapport, tmp_path):
    avant = identites()
    issoudun = Territoire.objects.get(phase=Phase.TEMPS_2, nom="Issoudun")
    Mission.objects.create(territoire=issoudun, type=Mission.Type.CHOC_INDUSTRIEL, annee=2022)
    renomme = tmp_path / "temps2.csv"
    texte = Path(TEMPS2).read_text(encoding="utf-8")
    renomme.write_text(texte.replace(",Issoudun\n", ",Pays d’Issoudun et de Champagne berrichonne\n"), encoding="utf-8")

    rapport = importer_territoires(phase=Phase.TEMPS_2, fichier=renomme)

    assert rapport.accepte and rapport.crees == [] and rapport.absents == []
    assert identites() == avant
    issoudun.refresh_from_db()
    assert issoudun.nom == "Pays d’Issoudun et de Champagne berrichonne" and issoudun.missions.count() == 1
    assert "anciennement « Issoudun »" in str(rapport)


def test_les_territoires_de_demonstration_d_une_base_existante_sont_repris(db, rapport, tmp_path):
    """A base of before: 3 of the hand-made territories (codes, names of the announcement, EPCI of the cited towns)."""
    Territoire.objects.filter(phase=Phase.TEMPS_2).delete()
    anciens = {
        "2404": ("Grand-Est Touraine", ["37003"]),  # Amboise
        "2408": ("Vallée de l’Eure-Portes Euréliennes d’Ile de France", ["28134"]),  # Dreux
        "2412": ("Berry-Sologne", ["18033", "18279"]),  # Bourges, Vierzon
    }
    pks = {}
    for code, (nom, villes) in anciens.items():
        epcis = Commune.objects.filter(code__in=villes).values("epci")
        territoire = TerritoireFactory(
            code=code,
            nom=nom,
            communes=list(Commune.objects.filter(epci__in=epcis)),
            chef_projet_statut=StatutChefProjet.RECRUTEMENT,
            description=f"Saisi sur {nom}",
        )
        Mission.objects.create(territoire=territoire, type=Mission.Type.REBOND_INDUSTRIEL, annee=2023)
        pks[f"ti2-{code}"] = territoire.pk

    rapport = importer_territoires(phase=Phase.TEMPS_2, fichier=TEMPS2)

    assert rapport.accepte and len(rapport.crees) == 180 and sorted(rapport.modifies) == sorted(pks)
    repris = {t.identifiant: t for t in temps2().filter(identifiant__in=pks)}
    assert {i: t.pk for i, t in repris.items()} == pks
    assert {i: t.nom for i, t in repris.items()} == {
        "ti2-2404": "Grand Est Touraine",
        "ti2-2408": "Pays de Dreux – Portes Euréliennes d’Île-de-France",  # recognised by its perimeter
        "ti2-2412": "Berry Sologne",
    }
    for territoire in repris.values():
        assert territoire.description.startswith("Saisi sur") and territoire.missions.count() == 1
        assert territoire.chef_projet_statut == StatutChefProjet.RECRUTEMENT
    dreux = repris["ti2-2408"]
    lignes = [
        ligne for ligne in Path(TEMPS2).read_text(encoding="utf-8").splitlines() if ligne.rstrip().endswith(dreux.nom)
    ]
    assert dreux.perimetre.count() == len(lignes)
    # New territories of the région take the free ranks.
    assert not temps2().filter(identifiant__in=["ti2-2413", "ti2-2415"]).exists()
    assert temps2().filter(code__startswith="24").count() == 12


def test_la_filiation_temps_1_temps_2(db, rapport):
    assert Filiation.objects.count() == 165
    assert continuite() == continuite().__class__(
        temps2=183, temps2_heritiers=151, temps2_nouveaux=32, temps1=148, temps1_poursuivis=141, temps1_non_poursuivis=7
    )
    berry = Filiation.objects.get(temps1__identifiant="ti1-2401")  # Berry Sologne goes on, whole, in Temps II
    assert berry.temps2.nom == "Berry Sologne" and berry.part_du_temps1 == 1.0
    est = Territoire.objects.get(phase=Phase.TEMPS_2, nom="Est du Loiret")
    origines = {f.temps1.nom: (f.communes, round(f.part_du_temps2, 2)) for f in est.origines.all()}
    assert origines == {"Montargois-en-Gâtinais - Giennois": (106, 0.79), "Pithiviers": (1, 0.0)}


def test_la_filiation_suit_les_perimetres(db, rapport, tmp_path):
    liste = tmp_path / "temps2.csv"
    liste.write_text("insee_com,lib_com,lib_ti\n45208,Montargis,Est du Loiret\n", encoding="utf-8")

    importer_territoires(phase=Phase.TEMPS_2, fichier=liste)

    est = Territoire.objects.get(phase=Phase.TEMPS_2, nom="Est du Loiret")
    assert [(f.temps1.nom, f.communes) for f in est.origines.all()] == [("Montargois-en-Gâtinais - Giennois", 1)]
    assert est.origines.get().part_du_temps2 == 1.0
