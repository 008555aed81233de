"""Every importer reads through the same bounds (ti/core/limites.py): the fiches-action import, the territoires
import, the Fonds vert list and the COG files. Hostile files are small on disk."""

import gzip
import io

import pytest

from ti.financements import import_fonds_vert
from ti.referentiel import cog
from ti.territoires import import_lecture
from ti.territoires.importer import importer_territoires


def test_l_import_des_territoires_refuse_un_fichier_trop_lourd(db, monkeypatch):
    monkeypatch.setattr(import_lecture, "TAILLE_TABLEAU_MAX", 10)

    rapport = importer_territoires(phase=1, fichier=io.BytesIO(b"code;nom\n" * 5))

    assert rapport.erreurs[0].message.startswith("le fichier pèse plus de")


def test_la_liste_du_fonds_vert_trop_lourde_est_refusee_sans_etre_lue(db, monkeypatch, tmp_path):
    monkeypatch.setattr(import_fonds_vert, "TAILLE_TABLEAU_MAX", 10)
    chemin = tmp_path / "fonds-vert-2024.csv"
    chemin.write_bytes(b"nom_region;code_departement\n" * 5)

    rapport = import_fonds_vert.importer_fonds_vert(chemin)

    assert not rapport.accepte
    assert "Le fichier pèse plus de" in rapport.erreurs[0][1]


def test_une_bombe_gzip_dans_le_cog_est_arretee_a_la_borne(tmp_path, monkeypatch):
    monkeypatch.setattr(cog, "JSON_REFERENTIEL_MAX", 1024 * 1024)
    for nom in cog.FICHIERS:
        (tmp_path / f"{nom}.json").write_text("[]")
    (tmp_path / "communes.json").unlink()
    bombe = tmp_path / "communes.json.gz"
    bombe.write_bytes(gzip.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]"))
    assert bombe.stat().st_size < 100_000

    with pytest.raises(cog.FichiersInvalides) as refus:
        cog.lire(tmp_path)

    assert any(
        probleme.startswith("communes.json.gz : le fichier pèse plus de 1,0 Mo") for probleme in refus.value.problemes
    )
