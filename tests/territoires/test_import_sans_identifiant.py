"""The Temps II layout, `insee_com,lib_com,lib_ti` without id_ti: codes given by docs/decisions/0033, on small files."""

import pytest

from tests.factories import TerritoireFactory
from ti.referentiel.models import Commune
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase, Territoire

from .test_import import cog, etat_de_la_base, fichier  # noqa: F401 (cog is a fixture)

pytestmark = pytest.mark.usefixtures("cog")

ENTETE = "insee_com,lib_com,lib_ti\n"
LISTE = (
    ENTETE + "45208,Montargis,Est du Loiret\n"
    "45155,Gien,Est du Loiret\n"
    "18033,Bourges,Berry\n"
    "97209,Fort-de-France,Martinique Centre\n"
    "99999,Nulle part,Berry\n"
)


def importer(tmp_path, contenu, **options):
    return importer_territoires(phase=Phase.TEMPS_2, fichier=fichier(tmp_path, contenu), **options)


def codes():
    return dict(Territoire.objects.filter(phase=Phase.TEMPS_2).values_list("nom", "identifiant"))


def test_les_codes_sont_la_region_et_le_rang_du_nom(db, tmp_path):
    rapport = importer(tmp_path, LISTE)

    assert rapport.accepte, rapport.erreurs
    assert codes() == {"Berry": "ti2-2401", "Est du Loiret": "ti2-2402", "Martinique Centre": "ti2-0201"}
    assert [(c.ligne, c.code) for c in rapport.codes_inconnus] == [(6, "99999")]
    assert "ligne 6 : 99999 « Nulle part »" in str(rapport)


def test_l_ordre_des_lignes_ne_change_pas_les_codes(db, tmp_path):
    entete, *lignes = LISTE.splitlines(keepends=True)
    importer(tmp_path, entete + "".join(reversed(lignes)))

    assert codes() == {"Berry": "ti2-2401", "Est du Loiret": "ti2-2402", "Martinique Centre": "ti2-0201"}


def test_un_code_deja_pris_est_saute(db, tmp_path):
    TerritoireFactory(code="2401", nom="Autre", communes=[Commune.objects.get(code="41194")])

    rapport = importer(tmp_path, LISTE)

    assert codes()["Berry"] == "ti2-2402" and codes()["Est du Loiret"] == "ti2-2403"
    assert rapport.absents == ["ti2-2401"]  # kept, reported


def test_un_perimetre_qui_recouvre_moins_de_la_moitie_ne_reprend_pas_le_territoire(db, tmp_path):
    ancien = TerritoireFactory(
        code="2450", nom="Ancien nom", communes=list(Commune.objects.filter(code__in=["45208", "45004", "45068"]))
    )

    rapport = importer(tmp_path, LISTE)

    # 1 of its 3 communes in Est du Loiret: not the same territory.
    assert codes()["Est du Loiret"] == "ti2-2402" and rapport.absents == ["ti2-2450"]
    assert Territoire.objects.get(pk=ancien.pk).nom == "Ancien nom"


def test_la_meme_liste_une_seconde_fois_ne_change_rien(db, tmp_path):
    importer(tmp_path, LISTE)
    avant = etat_de_la_base()

    rapport = importer(tmp_path, LISTE)

    assert rapport.change_rien and etat_de_la_base() == avant


@pytest.mark.parametrize(
    "contenu, message",
    [
        (
            ENTETE + "45208,Montargis,Est du Loiret\n45155,Gien,Est-du-Loiret\n",
            "ligne 3 : le territoire « Est-du-Loiret » est écrit « Est du Loiret » ligne 2",
        ),
        (ENTETE + "45208,Montargis,Est du Loiret\n45155,Gien,\n", "ligne 3 : lib_ti est vide"),
        (ENTETE + "4520,Montargis,Est du Loiret\n", "Le zéro initial a-t-il été supprimé par un tableur ?"),
    ],
)
def test_une_liste_fautive_est_refusee_sans_rien_ecrire(db, tmp_path, contenu, message):
    avant = etat_de_la_base()

    rapport = importer(tmp_path, contenu)

    assert not rapport.accepte and message in str(rapport)
    assert etat_de_la_base() == avant


def test_pas_de_fichier_des_groupements_sans_id_ti(db, tmp_path):
    groupements = fichier(tmp_path, "id_ti,siren_groupement,lib_groupement\n2401,244500203,AME\n", nom="g.csv")

    rapport = importer(tmp_path, LISTE, groupements=groupements)

    assert not rapport.accepte and "doit alors avoir la colonne id_ti" in str(rapport)
    assert not Territoire.objects.exists()


def test_la_mise_en_page_de_l_anct_reste_acceptee_en_phase_2(db, tmp_path):
    anct = "insee_com,lib_com,id_ti,lib_ti\n45208,Montargis,2401 ; 2402,Est du Loiret ; Gâtinais\n"

    rapport = importer(tmp_path, anct)

    assert rapport.accepte and codes() == {"Est du Loiret": "ti2-2401", "Gâtinais": "ti2-2402"}
