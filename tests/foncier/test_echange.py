"""Import and export in the CNIG standard: the valid examples, bad files, all-or-nothing, idempotence."""

import csv
import io
from decimal import Decimal

import frictionless
import pytest
from django.core.exceptions import PermissionDenied
from frictionless.formats import CsvControl

from ti.core.models import Journal
from ti.foncier import cnig, echange
from ti.foncier.models import Site, Terrain

EXEMPLE_SITES = (cnig.DOSSIER / "site-eco.exemple-valide.csv").read_bytes()
EXEMPLE_TERRAINS = (cnig.DOSSIER / "terrain-eco.exemple-valide.csv").read_bytes()


def lignes(texte: str) -> list[dict]:
    """The rows of a CSV of the standard, values stripped as the import reads them (the example's « DDT de la
    Somme » ends with a space)."""
    return [
        {cle: valeur.strip() for cle, valeur in ligne.items()}
        for ligne in csv.DictReader(io.StringIO(texte), delimiter=";")
    ]


def remplacer(contenu: bytes, avant: str, apres: str) -> bytes:
    assert avant.encode() in contenu
    return contenu.replace(avant.encode(), apres.encode())


def test_les_exemples_du_cnig_sont_importes(somme, equipe_nationale):
    rapport = echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES, terrains=EXEMPLE_TERRAINS)

    assert rapport.erreurs == []
    assert (rapport.crees, rapport.mis_a_jour) == (2, 0)
    site = Site.objects.get(identifiant="80024_SITE-ECO_00001")
    assert (site.commune, site.epci_id, site.nom) == (somme, "200071223", "ZAC Les Bornes du Temps")
    assert (site.surface_brute, site.surface_utile, site.longitude, site.latitude) == (
        Decimal("37.2"),
        Decimal("35.3"),
        3.9815,
        49.2527,
    )
    assert site.embranchement_fer is False and site.tres_haut_debit is True
    terrain = Terrain.objects.get()
    assert (terrain.site, terrain.cle_en_main, terrain.stade_amenagement) == (site, True, "viabilisé et aménagé")
    assert Journal.objects.filter(action__startswith="foncier.import").count() == 2


def test_les_exemples_reexportes_sont_identiques_en_contenu(somme, equipe_nationale):
    echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES, terrains=EXEMPLE_TERRAINS)

    sites = echange.exporter_sites(Site.objects.all())
    terrains = echange.exporter_terrains(Terrain.objects.all())

    assert lignes(sites) == lignes(EXEMPLE_SITES.decode())
    assert lignes(terrains) == lignes(EXEMPLE_TERRAINS.decode())
    assert sites.splitlines()[0] == EXEMPLE_SITES.decode().splitlines()[0]  # the standard's columns, in its order


def valider(classe: str, contenu: bytes) -> frictionless.Report:
    schema = frictionless.Schema.from_descriptor(cnig.schema(classe))
    dialecte = frictionless.Dialect(controls=[CsvControl(delimiter=";")])
    ressource = frictionless.Resource(contenu, format="csv", encoding="utf-8", schema=schema, dialect=dialecte)
    return frictionless.validate(ressource)


@pytest.mark.parametrize("classe", cnig.CLASSES)
def test_l_export_est_valide_selon_le_schema_du_standard(somme, equipe_nationale, classe):
    echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES, terrains=EXEMPLE_TERRAINS)
    if classe == "site-eco":
        texte = echange.exporter_sites(Site.objects.all())
    else:
        texte = echange.exporter_terrains(Terrain.objects.all())

    rapport = valider(classe, texte.encode())

    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert rapport.tasks[0].stats["rows"] == 1


def test_la_validation_des_exports_est_reelle():
    """The same check refuses a file that breaks the schema: the test above can fail."""
    rapport = valider("site-eco", remplacer(EXEMPLE_SITES, ";37.2;35.3;", ";douze;35.3;"))

    assert rapport.flatten(["rowNumber", "fieldName", "type"]) == [[2, "site_surf_brute", "type-error"]]


def test_un_second_import_ne_change_rien(somme, equipe_nationale):
    echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES, terrains=EXEMPLE_TERRAINS)
    journal = Journal.objects.count()

    rapport = echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES, terrains=EXEMPLE_TERRAINS)

    assert (rapport.crees, rapport.mis_a_jour, rapport.inchanges) == (0, 0, 2)
    assert (Site.objects.count(), Terrain.objects.count(), Journal.objects.count()) == (1, 1, journal)


def test_un_site_connu_est_mis_a_jour_par_son_identifiant(somme, equipe_nationale):
    echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES)

    rapport = echange.importer(par=equipe_nationale, sites=remplacer(EXEMPLE_SITES, ";37.2;35.3;", ";40;35.3;"))

    assert rapport.mis_a_jour == 1
    assert Site.objects.get().surface_brute == 40


def test_colonnes_fausses_le_fichier_est_refuse(somme, equipe_nationale):
    fichier = remplacer(EXEMPLE_SITES, "site_nom;", "nom_du_site;")

    rapport = echange.importer(par=equipe_nationale, sites=fichier)

    assert rapport.erreurs == [
        "Fichier site-eco : ce n’est pas un fichier site-eco du standard CNIG (colonnes manquantes : site_nom ; "
        "colonnes inconnues du standard : nom_du_site)."
    ]
    assert not Site.objects.exists()


def test_identifiant_invalide_signale_a_sa_ligne(somme, equipe_nationale):
    fichier = remplacer(EXEMPLE_SITES, "80024_SITE-ECO_00001;", "SITE-1;")

    rapport = echange.importer(par=equipe_nationale, sites=fichier)

    assert rapport.erreurs == [
        "Fichier site-eco, ligne 2, colonne site_id : « SITE-1 » n’est pas un identifiant du standard "
        "(par exemple 80024_SITE-ECO_00001)."
    ]


def test_commune_inconnue_signalee(somme, equipe_nationale):
    fichier = remplacer(EXEMPLE_SITES, ";Argoeuves;80024;", ";Nullepart;99999;")

    rapport = echange.importer(par=equipe_nationale, sites=fichier)

    assert rapport.erreurs == [
        "Fichier site-eco, ligne 2, colonne site_comm_insee : commune « 99999 » inconnue du COG."
    ]


def test_tout_ou_rien_une_ligne_fausse_et_rien_n_est_ecrit(somme, equipe_nationale):
    entete, ligne = EXEMPLE_SITES.decode().strip().split("\n")
    deuxieme = ligne.replace("80024_SITE-ECO_00001", "80024_SITE-ECO_00002").replace(";37.2;35.3;", ";douze;35.3;")
    fichier = f"{entete}\n{ligne}\n{deuxieme}\n".encode()

    rapport = echange.importer(par=equipe_nationale, sites=fichier, terrains=EXEMPLE_TERRAINS)

    assert rapport.erreurs == [
        "Fichier site-eco, ligne 3, colonne site_surf_brute : « douze » n’est pas un nombre (séparateur décimal : "
        "le point)."
    ]
    assert not Site.objects.exists() and not Terrain.objects.exists()


def test_valeurs_hors_liste_et_obligatoires_manquantes(somme, equipe_nationale):
    fichier = remplacer(remplacer(EXEMPLE_SITES, ";oui;non;oui;oui;", ";peut-être;non;oui;oui;"), ";2016-03-26;", ";;")

    rapport = echange.importer(par=equipe_nationale, sites=fichier)

    assert rapport.erreurs == [
        "Fichier site-eco, ligne 2, colonne site_identif_date : valeur obligatoire manquante.",
        "Fichier site-eco, ligne 2, colonne site_voca_industrielle : « peut-être » : valeurs admises oui, non.",
    ]


def test_terrain_d_un_site_inconnu(somme, equipe_nationale):
    rapport = echange.importer(par=equipe_nationale, terrains=EXEMPLE_TERRAINS)

    assert rapport.erreurs == ["Fichier terrain-eco, ligne 2, colonne site_id : site « 80024_SITE-ECO_00001 » inconnu."]


def test_un_fichier_en_windows_1252_est_lu(somme, equipe_nationale):
    rapport = echange.importer(par=equipe_nationale, sites=EXEMPLE_SITES.decode().encode("cp1252", errors="replace"))

    assert rapport.valide
    assert Site.objects.get().type_site == "zone d'activité économique"


def test_un_fichier_qui_n_est_pas_un_tableau_est_refuse(somme, equipe_nationale):
    rapport = echange.importer(par=equipe_nationale, sites=b"\x00\x01\x02 binaire")

    assert rapport.erreurs == [
        "Fichier site-eco : fichier illisible : caractère de contrôle U+0000 ; est-ce bien un fichier CSV (et non "
        "un classeur Excel) ? (ligne 1)"
    ]


def test_separateur_virgule_lu_et_dit(somme, equipe_nationale):
    ecrit = io.StringIO()
    csv.writer(ecrit, lineterminator="\n").writerows(csv.reader(io.StringIO(EXEMPLE_SITES.decode()), delimiter=";"))

    rapport = echange.importer(par=equipe_nationale, sites=ecrit.getvalue().encode())

    assert rapport.valide and rapport.crees == 1
    assert rapport.remarques == ["Fichier site-eco : séparateur « , » lu à la place du point-virgule."]


def test_seule_l_equipe_nationale_importe(somme, chef_projet_cvl):
    with pytest.raises(PermissionDenied):
        echange.importer(par=chef_projet_cvl, sites=EXEMPLE_SITES)
    assert not Site.objects.exists()


def test_un_reseau_non_renseigne_est_lu_non_et_le_rapport_le_dit(somme, equipe_nationale):
    fichier = remplacer(EXEMPLE_SITES, ";oui;non;non;oui;D378;", ";oui;;non;oui;D378;")

    rapport = echange.importer(par=equipe_nationale, sites=fichier)

    assert rapport.remarques == ["Fichier site-eco, ligne 2 : reseau_fret_ferroviaire vide(s), lu(s) « non »."]
    assert Site.objects.get().embranchement_fer is False


def test_un_classeur_xlsx_est_lu_et_dit(somme, equipe_nationale):
    import openpyxl

    classeur = openpyxl.Workbook()
    for ligne in csv.reader(io.StringIO(EXEMPLE_SITES.decode()), delimiter=";"):
        classeur.active.append(ligne)
    contenu = io.BytesIO()
    classeur.save(contenu)

    rapport = echange.importer(par=equipe_nationale, sites=contenu.getvalue())

    assert rapport.valide and rapport.crees == 1
    assert rapport.remarques == ["Fichier site-eco : classeur XLSX lu (première feuille) à la place d’un CSV."]
