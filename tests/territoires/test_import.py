"""Import of the ANCT territory files, on small files written for each case, against the real COG 2026."""

import codecs

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from ti.core.models import Journal
from ti.referentiel.models import Commune, CommuneRattachee, Departement, Epci, Millesime, Region
from ti.territoires.importer import importer_territoires
from ti.territoires.models import CommuneTerritoire, Mission, Partenaire, Phase, StatutChefProjet, Territoire

ENTETE = "insee_com,lib_com,id_ti,lib_ti\n"
# Montargis (CA Montargoise, AME), Gien (CC Giennoises), Bourges (CA Bourges Plus), Amboise (CC du Val d'Amboise).
COMMUNES = (
    ENTETE + "45208,Montargis,9901,Est du Loiret\n"
    "45155,Gien,9901 ; 9902,Est du Loiret ; Giennois\n"
    "18033,Bourges,9903,Berry\n"
)
AME, GIENNOISES, BOURGES_PLUS, VAL_D_AMBOISE = "244500203", "244500211", "241800507", "200043065"


@pytest.fixture(scope="module")
def cog(django_db_setup, django_db_blocker):
    """The real référentiel, loaded once for the module (an import is only meaningful against it), then removed."""
    with django_db_blocker.unblock():
        call_command("import_cog", "data/cog-2026", verbosity=0)
    yield
    with django_db_blocker.unblock():
        vider_la_base()


def vider_la_base():
    Journal.objects.filter(objet_type=ContentType.objects.get_for_model(Territoire)).delete()
    Territoire.objects.all().delete()
    for modele in (CommuneRattachee, Commune, Epci, Departement, Region, Millesime):
        modele.objects.all().delete()


pytestmark = pytest.mark.usefixtures("cog")


def fichier(tmp_path, contenu: str | bytes, nom="communes.csv", encodage="utf-8"):
    chemin = tmp_path / nom
    chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode(encodage))
    return chemin


def importer(tmp_path, contenu, phase=Phase.TEMPS_1, groupements=None, **options):
    groupements = fichier(tmp_path, groupements, nom="groupements.csv") if groupements is not None else None
    return importer_territoires(phase=phase, fichier=fichier(tmp_path, contenu, **options), groupements=groupements)


def etat_de_la_base():
    """Everything an import may write, to check that a refused import wrote nothing."""
    return {
        "territoires": list(
            Territoire.objects.order_by("pk").values_list("identifiant", "nom", "population", "modifie_le")
        ),
        "perimetres": list(
            CommuneTerritoire.objects.order_by("pk").values_list("territoire", "commune", "code_source")
        ),
        "epcis": list(Territoire.epcis.through.objects.order_by("pk").values_list("territoire", "epci")),
        "departements": Territoire.departements.through.objects.count(),
        "regions": Territoire.regions.through.objects.count(),
        "journal": Journal.objects.count(),
    }


def epcis(identifiant):
    return set(Territoire.objects.get(identifiant=identifiant).epcis.values_list("siren", flat=True))


# What an import creates ----------------------------------------------------------------------------------------


def test_cree_les_territoires_avec_leur_perimetre_et_ce_qui_en_decoule(db, tmp_path):
    rapport = importer(tmp_path, COMMUNES)

    assert rapport.accepte, rapport.erreurs
    assert rapport.crees == ["ti1-9901", "ti1-9902", "ti1-9903"]
    est = Territoire.objects.get(identifiant="ti1-9901")
    assert (est.code, est.phase, est.nom) == ("9901", 1, "Est du Loiret")
    assert set(est.communes.values_list("code", flat=True)) == {"45208", "45155"}
    assert epcis("ti1-9901") == {AME, GIENNOISES}  # derived from the référentiel
    assert set(est.departements.values_list("code", flat=True)) == {"45"}
    assert set(est.regions.values_list("code", flat=True)) == {"24"}
    populations = Commune.objects.filter(code__in=["45208", "45155"]).values_list("population", flat=True)
    assert est.population == sum(populations)


def test_une_commune_peut_appartenir_a_plusieurs_territoires(db, tmp_path):
    importer(tmp_path, COMMUNES)

    gien = Commune.objects.get(code="45155")
    assert set(gien.territoires.values_list("identifiant", flat=True)) == {"ti1-9901", "ti1-9902"}
    assert Territoire.objects.get(identifiant="ti1-9902").nom == "Giennois"


def test_les_identifiants_portent_la_phase(db, tmp_path):
    importer(tmp_path, COMMUNES, phase=Phase.TEMPS_1)
    importer(tmp_path, COMMUNES, phase=Phase.TEMPS_2)

    assert Territoire.objects.filter(code="9901").count() == 2
    assert Territoire.objects.get(identifiant="ti2-9901").phase == Phase.TEMPS_2


def test_une_commune_deleguee_est_rattachee_a_son_chef_lieu(db, tmp_path):
    rapport = importer(tmp_path, ENTETE + "26219,Mureils,9901,Galaure\n26002,Albon,9901,Galaure\n")

    ligne = CommuneTerritoire.objects.get(territoire__identifiant="ti1-9901", code_source="26219")
    assert (ligne.commune_id, ligne.via_chef_lieu) == ("26216", True)
    [rattache] = rapport.codes_rattaches
    assert (rattache.ligne, rattache.code, rattache.lib_com, rattache.chef_lieu) == (2, "26219", "Mureils", "26216")
    assert "ligne 2 : 26219 « Mureils » → 26216 Saint-Jean-de-Galaure" in str(rapport)


def test_une_deleguee_et_son_chef_lieu_dans_le_meme_territoire_font_une_commune(db, tmp_path):
    rapport = importer(tmp_path, ENTETE + "26219,Mureils,9901,Galaure\n26216,Saint-Jean-de-Galaure,9901,Galaure\n")

    [ligne] = CommuneTerritoire.objects.filter(territoire__identifiant="ti1-9901")
    assert (ligne.commune_id, ligne.code_source, ligne.via_chef_lieu) == ("26216", "26216", False)
    assert rapport.doublons == 1
    assert rapport.communes == 1


def test_un_code_inconnu_est_signale_et_ignore(db, tmp_path):
    rapport = importer(tmp_path, COMMUNES + "42072,Ancienne commune,9903,Berry\n")

    assert rapport.accepte
    [inconnu] = rapport.codes_inconnus
    assert (inconnu.ligne, inconnu.code, inconnu.lib_com) == (5, "42072", "Ancienne commune")
    assert "ligne 5 : 42072 « Ancienne commune »" in str(rapport)
    assert not CommuneTerritoire.objects.filter(code_source="42072").exists()
    assert Territoire.objects.get(identifiant="ti1-9903").communes.count() == 1


def test_fichier_latin1_de_excel_separe_par_des_points_virgules(db, tmp_path):
    contenu = "insee_com;lib_com;id_ti;lib_ti\r\n36044;Châteauroux;9904;Cœur de Berry – Indre\r\n"
    rapport = importer(tmp_path, contenu, encodage="cp1252")

    assert rapport.accepte, rapport.erreurs
    assert Territoire.objects.get(identifiant="ti1-9904").nom == "Cœur de Berry – Indre"


def test_fichier_latin1_strict(db, tmp_path):
    rapport = importer(
        tmp_path, "insee_com;lib_com;id_ti;lib_ti\n36044;Châteauroux;9904;Châteauroux\n", encodage="latin-1"
    )

    assert rapport.accepte, rapport.erreurs
    assert Territoire.objects.get(identifiant="ti1-9904").nom == "Châteauroux"


def test_fichier_utf8_avec_bom(db, tmp_path):
    rapport = importer(tmp_path, codecs.BOM_UTF8 + COMMUNES.encode())

    assert rapport.accepte, rapport.erreurs
    assert rapport.territoires == 3


def test_fichier_utf16_de_excel(db, tmp_path):
    rapport = importer(tmp_path, COMMUNES.replace(",", "\t"), encodage="utf-16")

    assert rapport.accepte, rapport.erreurs
    assert Territoire.objects.get(identifiant="ti1-9902").nom == "Giennois"


def test_colonnes_en_plus_et_dans_le_desordre_acceptees(db, tmp_path):
    contenu = "id_ti,lib_ti,dep,insee_com,lib_com\n9901,Est du Loiret,45,45208,Montargis\n"
    rapport = importer(tmp_path, contenu)

    assert rapport.accepte, rapport.erreurs
    assert Territoire.objects.get(identifiant="ti1-9901").communes.get().code == "45208"


def test_lignes_vides_ignorees(db, tmp_path):
    rapport = importer(tmp_path, ENTETE + "\n45208,Montargis,9901,Est du Loiret\n,,,\n")

    assert rapport.accepte, rapport.erreurs
    assert rapport.lignes == 1


def test_une_ligne_de_journal_par_territoire_cree_par_le_systeme(db, tmp_path):
    importer(tmp_path, COMMUNES)

    entrees = Journal.objects.filter(action="territoire_cree_par_import")
    assert entrees.count() == 3
    assert {e.acteur for e in entrees} == {None}
    assert entrees.get(objet_libelle="Est du Loiret").details["fichier"] == "communes.csv"


# Groupements ---------------------------------------------------------------------------------------------------

GROUPEMENTS = (
    "id_ti,siren_groupement,lib_groupement\n"
    f"9901,{AME},CA Montargoise\n"
    f"9901,{VAL_D_AMBOISE},CC du Val d'Amboise\n"
    f"9902,{GIENNOISES},CC Giennoises\n"
    f"9903,{BOURGES_PLUS},CA Bourges Plus\n"
)


def test_avec_le_fichier_des_groupements_les_epci_sont_ceux_listes(db, tmp_path):
    rapport = importer(tmp_path, COMMUNES, groupements=GROUPEMENTS)

    assert rapport.accepte, rapport.erreurs
    assert epcis("ti1-9901") == {AME, VAL_D_AMBOISE}  # not the CC Giennoises of Gien: the file says so
    assert epcis("ti1-9902") == {GIENNOISES}
    assert "fichier des groupements" in str(rapport)


def test_groupements_separes_par_des_points_virgules(db, tmp_path):
    rapport = importer(tmp_path, COMMUNES, groupements=GROUPEMENTS.replace(",", ";"))

    assert rapport.accepte, rapport.erreurs
    assert epcis("ti1-9903") == {BOURGES_PLUS}


# Refused files: nothing changes --------------------------------------------------------------------------------


@pytest.fixture
def deja_importe(db, tmp_path):
    """A database holding territories already, so that « nothing changed » means something."""
    importer(tmp_path, COMMUNES)
    return etat_de_la_base()


FICHIERS_REFUSES = {
    "colonnes": (
        b"code,nom,territoire\n45208,Montargis,9901\n",
        "ligne 1 : colonnes attendues : insee_com, lib_com, lib_ti (facultative : id_ti) ; colonnes trouvées : code, "
        "nom, territoire ; il manque : insee_com, lib_com, lib_ti.",
    ),
    "colonne manquante": (
        b"insee_com;lib_com;id_ti\n45208;Montargis;9901\n",
        "colonnes trouvées : insee_com, lib_com, id_ti ; il manque : lib_ti.",
    ),
    "vide": (b"", "le fichier est vide."),
    "blanc": (codecs.BOM_UTF8 + b"\r\n  \r\n", "le fichier est vide."),
    "en-tête seule": (ENTETE.encode(), "le fichier ne contient que sa ligne d’en-tête, aucune donnée."),
    "octets illisibles": (
        (ENTETE + "45208,Montargis,9901,Est\n").encode() + b"45155,Gien\x81,9901,Est\n",
        "ligne 3 : fichier illisible : ni UTF-8 ni Windows-1252 (Latin-1), octet 0x81 inattendu.",
    ),
    "classeur Excel": (b"PK\x03\x04\x14\x00\x06\x00insee_com", "ligne 1 : fichier illisible : caractère de contrôle"),
    "code à 4 chiffres": (
        (ENTETE + "45208,Montargis,9901,Est\n7010,Annonay,9901,Est\n").encode(),
        "ligne 3 : code commune « 7010 » invalide : 5 caractères attendus (chiffres, ou 2A / 2B pour la Corse). "
        "Le zéro initial a-t-il été supprimé par un tableur ?",
    ),
    "code non numérique": ((ENTETE + "2C004,Ajaccio,9901,Est\n").encode(), "ligne 2 : code commune « 2C004 » invalide"),
    "id_ti vide": ((ENTETE + "45208,Montargis,,Est\n").encode(), "ligne 2 : id_ti est vide"),
    "id_ti mal formé": (
        (ENTETE + "45208,Montargis,99/01,Est\n").encode(),
        "ligne 2 : identifiant de territoire « 99/01 » invalide",
    ),
    "lib_ti vide": (
        (ENTETE + "45208,Montargis,9901,\n").encode(),
        "ligne 2 : lib_ti est vide pour le territoire 9901.",
    ),
    "deux noms": (
        (ENTETE + "45208,Montargis,9901,Est du Loiret\n45155,Gien,9901,Giennois\n").encode(),
        "ligne 3 : le territoire 9901 porte deux noms : « Est du Loiret » (ligne 2) et « Giennois ».",
    ),
    "autant d'identifiants que de noms": (
        (ENTETE + "45155,Gien,9901 ; 9902,Est du Loiret\n").encode(),
        "ligne 2 : id_ti compte 2 identifiant(s) (9901 ; 9902) mais lib_ti 1 nom(s)",
    ),
    "identifiant vide dans une liste": (
        (ENTETE + "45155,Gien,9901 ; ,Est ; Giennois\n").encode(),
        "ligne 2 : id_ti « 9901 ; » contient un identifiant vide.",
    ),
    "que des codes inconnus": (
        (ENTETE + "42072,,9901,Est\n25134,,9902,Doubs\n").encode(),
        "aucun code commune du fichier n’est connu du référentiel",
    ),
    "territoire sans commune connue": (
        (ENTETE + "45208,Montargis,9901,Est\n42072,,9902,Disparu\n").encode(),
        "ligne 3 : aucune commune du territoire 9902 « Disparu » n’est connue du référentiel.",
    ),
}


@pytest.mark.parametrize("contenu,message", FICHIERS_REFUSES.values(), ids=FICHIERS_REFUSES.keys())
def test_fichier_refuse_sans_rien_changer(deja_importe, tmp_path, contenu, message):
    rapport = importer(tmp_path, contenu, nom="nouveau.csv")

    assert not rapport.accepte
    assert any(message in str(erreur) for erreur in rapport.erreurs), [str(e) for e in rapport.erreurs]
    assert str(rapport.erreurs[0]).startswith("nouveau.csv")
    assert etat_de_la_base() == deja_importe


def test_toutes_les_erreurs_sont_rapportees_avec_leur_ligne(deja_importe, tmp_path):
    contenu = ENTETE + "4520,A,9901,Est\n45208,Montargis,,Est\n45155,Gien,9901,Autre nom\n"

    rapport = importer(tmp_path, contenu)

    assert [e.ligne for e in rapport.erreurs] == [2, 3, 4]
    assert etat_de_la_base() == deja_importe


GROUPEMENTS_REFUSES = {
    "SIREN inconnu": (
        GROUPEMENTS + "9903,123456782,EPCI imaginaire\n",
        "groupements.csv, ligne 6 : EPCI inconnu du référentiel : SIREN 123456782 « EPCI imaginaire ».",
    ),
    "SIREN mal formé": (
        GROUPEMENTS + "9903,12345,Court\n",
        "ligne 6 : SIREN « 12345 » invalide : Le SIREN doit compter 9 chiffres.",
    ),
    "clé du SIREN fausse": (
        GROUPEMENTS + "9903,123456789,Faux\n",
        "ligne 6 : SIREN « 123456789 » invalide : La clé de contrôle de ce SIREN est fausse.",
    ),
    "territoire hors du fichier des communes": (
        GROUPEMENTS + f"9999,{AME},CA Montargoise\n",
        "ligne 6 : le territoire 9999 n’est pas dans le fichier des communes.",
    ),
    "territoire sans groupement": (
        "\n".join(GROUPEMENTS.splitlines()[:-1]) + "\n",
        "le territoire 9903 « Berry » n’a aucun groupement dans ce fichier.",
    ),
    "colonnes": ("id_ti,siren\n9901,244500203\n", "il manque : siren_groupement, lib_groupement."),
}


@pytest.mark.parametrize("groupements,message", GROUPEMENTS_REFUSES.values(), ids=GROUPEMENTS_REFUSES.keys())
def test_groupements_refuses_sans_rien_changer(deja_importe, tmp_path, groupements, message):
    rapport = importer(tmp_path, COMMUNES, groupements=groupements)

    assert not rapport.accepte
    assert any(message in str(erreur) for erreur in rapport.erreurs), [str(e) for e in rapport.erreurs]
    assert etat_de_la_base() == deja_importe


# Re-import -----------------------------------------------------------------------------------------------------


def test_un_second_import_identique_ne_change_rien(deja_importe, tmp_path):
    rapport = importer(tmp_path, COMMUNES)

    assert rapport.change_rien
    assert rapport.inchanges == ["ti1-9901", "ti1-9902", "ti1-9903"]
    assert "Aucun changement : la base était déjà à jour." in str(rapport)
    assert etat_de_la_base() == deja_importe  # not even modifie_le, nor a journal row


def test_reimport_met_a_jour_le_perimetre_sans_toucher_a_la_gouvernance(deja_importe, tmp_path):
    est = Territoire.objects.get(identifiant="ti1-9901")
    est.description = "Écrit par le chef de projet."
    est.binome_elu, est.chef_projet_statut, est.chef_projet_nom = "Élue référente", StatutChefProjet.EN_POSTE, "Camille"
    est.save()
    Partenaire.objects.create(territoire=est, organisme=Partenaire.Organisme.PREFECTURE, nom="Sous-préfecture")
    Mission.objects.create(territoire=est, type=Mission.Type.CHOC_INDUSTRIEL, annee=2022)
    nouveau = (
        ENTETE + "45208,Montargis,9901,Est du Loiret (nouveau nom)\n37003,Amboise,9901,Est du Loiret (nouveau nom)\n"
    )

    rapport = importer(tmp_path, nouveau + "45155,Gien,9902,Giennois\n18033,Bourges,9903,Berry\n")

    assert list(rapport.modifies) == ["ti1-9901"]
    assert rapport.modifies["ti1-9901"][0] == "nom « Est du Loiret » → « Est du Loiret (nouveau nom) »"
    assert "périmètre (+1 −1 communes)" in rapport.modifies["ti1-9901"]
    est.refresh_from_db()
    assert est.nom == "Est du Loiret (nouveau nom)"
    assert set(est.communes.values_list("code", flat=True)) == {"45208", "37003"}
    assert epcis("ti1-9901") == {AME, VAL_D_AMBOISE}
    assert set(est.departements.values_list("code", flat=True)) == {"45", "37"}
    assert (est.description, est.binome_elu, est.chef_projet_statut, est.chef_projet_nom) == (
        "Écrit par le chef de projet.",
        "Élue référente",
        StatutChefProjet.EN_POSTE,
        "Camille",
    )
    assert est.partenaires.count() == 1
    assert est.missions.count() == 1
    entree = Journal.objects.get(action="territoire_mis_a_jour_par_import")
    assert entree.objet_id == str(est.pk)
    assert entree.acteur is None


def test_un_territoire_absent_du_fichier_est_signale_et_garde(deja_importe, tmp_path):
    rapport = importer(
        tmp_path, ENTETE + "45208,Montargis,9901,Est du Loiret\n45155,Gien,9901 ; 9902,Est du Loiret ; Giennois\n"
    )

    assert rapport.absents == ["ti1-9903"]
    assert "1 territoires de la phase 1 absents du fichier, conservés tels quels : ti1-9903" in str(rapport)
    berry = Territoire.objects.get(identifiant="ti1-9903")
    assert berry.communes.count() == 1


def test_import_d_une_phase_ne_touche_pas_l_autre(deja_importe, tmp_path):
    rapport = importer(tmp_path, ENTETE + "36044,Châteauroux,9901,Autre territoire\n", phase=Phase.TEMPS_2)

    assert rapport.crees == ["ti2-9901"]
    assert rapport.absents == []
    assert etat_de_la_base()["territoires"][:3] == deja_importe["territoires"]


# The command ---------------------------------------------------------------------------------------------------


def test_la_commande_affiche_le_rapport(db, tmp_path, capsys):
    call_command("import_territoires", "--phase", "1", str(fichier(tmp_path, COMMUNES)))

    sortie = capsys.readouterr().out
    assert "3 lignes lues, référentiel COG 2026." in sortie
    assert "3 territoires : 3 créés, 0 mis à jour, 0 inchangés." in sortie
    assert "Durée : " in sortie


def test_la_commande_avec_groupements(db, tmp_path):
    call_command(
        "import_territoires",
        "--phase=2",
        str(fichier(tmp_path, COMMUNES)),
        "--groupements",
        str(fichier(tmp_path, GROUPEMENTS, nom="groupements.csv")),
        verbosity=0,
    )

    assert epcis("ti2-9901") == {AME, VAL_D_AMBOISE}


def test_la_commande_echoue_sur_un_fichier_refuse(deja_importe, tmp_path, capsys):
    with pytest.raises(CommandError, match="Import refusé \\(1 erreur\\(s\\)\\) : la base n’a pas été modifiée."):
        call_command("import_territoires", "--phase", "1", str(fichier(tmp_path, b"")))

    assert "communes.csv : le fichier est vide." in capsys.readouterr().err
    assert etat_de_la_base() == deja_importe


def test_la_commande_signale_un_fichier_introuvable(db, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_territoires", "--phase", "1", str(tmp_path / "absent.csv"))

    assert "absent.csv : impossible de lire le fichier : No such file or directory." in capsys.readouterr().err
