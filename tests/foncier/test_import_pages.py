"""The import of CNIG files from the national team's page and from the command line."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ti.foncier import cnig
from ti.foncier.models import Site, Terrain

IMPORTER = reverse("foncier:importer")
SITES = cnig.DOSSIER / "site-eco.exemple-valide.csv"
TERRAINS = cnig.DOSSIER / "terrain-eco.exemple-valide.csv"


def fichier(chemin, contenu=None):
    return SimpleUploadedFile(chemin.name, contenu or chemin.read_bytes(), content_type="text/csv")


def test_l_equipe_nationale_importe_les_deux_fichiers(client, somme, equipe_nationale):
    client.force_login(equipe_nationale)

    reponse = client.post(IMPORTER, {"sites": fichier(SITES), "terrains": fichier(TERRAINS)})

    assert "2 créés, 0 mis à jour, 0 inchangé." in reponse.content.decode()
    assert (Site.objects.count(), Terrain.objects.count()) == (1, 1)


def test_le_rapport_liste_les_lignes_fautives(client, somme, equipe_nationale):
    client.force_login(equipe_nationale)
    faux = SITES.read_bytes().replace(b";80024;EPCI;", b";99999;EPCI;")

    contenu = client.post(IMPORTER, {"sites": fichier(SITES, faux)}).content.decode()

    assert "Rien n’a été importé : 1 problème" in contenu
    assert "ligne 2, colonne site_comm_insee : commune « 99999 » inconnue du COG." in contenu
    assert not Site.objects.exists()


def test_sans_fichier(client, equipe_nationale):
    client.force_login(equipe_nationale)
    assert "Choisissez au moins un fichier." in client.post(IMPORTER, {}).content.decode()


@pytest.mark.parametrize("personne", ["chef_projet_cvl", "referent_region_cvl"])
def test_les_autres_roles_n_importent_pas(client, request, personne):
    client.force_login(request.getfixturevalue(personne))
    assert client.get(IMPORTER).status_code == 403


def test_la_commande_importe_puis_ne_change_rien(somme, capsys):
    call_command("import_sites_eco", "--sites", str(SITES), "--terrains", str(TERRAINS))
    call_command("import_sites_eco", "--sites", str(SITES), "--terrains", str(TERRAINS))

    assert capsys.readouterr().out.splitlines()[-1] == "0 créé(s), 0 mis à jour, 2 inchangé(s)."
    assert Site.objects.count() == 1


def test_la_commande_refuse_un_fichier_fautif(somme, tmp_path):
    faux = tmp_path / "site-eco.csv"
    faux.write_bytes(SITES.read_bytes().replace(b"80024_SITE-ECO_00001", b"SITE-1"))

    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_sites_eco", "--sites", str(faux))
    assert not Site.objects.exists()
