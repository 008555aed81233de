"""The import pages: upload, preview with its per-row report, confirmation; the template; who may do it."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import SCEAU
from ti.core.limites import COLONNES_MAX
from ti.core.tableaux import lire_csv
from ti.projets.actions import imports as actions
from ti.projets.models import PlanAction, Projet
from ti.projets.views import imports as vues
from ti.territoires.models import CommuneTerritoire, Territoire

from .test_import import CAMPUS, FRICHE, etat_de_la_base, fichier_csv


@pytest.fixture(autouse=True)
def _stockage_temporaire(settings, tmp_path):
    """Uploaded files wait in the default storage between preview and confirmation: a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def url_import(territoire) -> str:
    return reverse("projets:import", args=[territoire.identifiant])


def deposer(client, territoire, contenu: bytes, nom="fiches.csv"):
    return client.post(url_import(territoire), {"fichier": SimpleUploadedFile(nom, contenu)})


def confirmer(client, territoire, reponse_apercu):
    return client.post(url_import(territoire), {"jeton": reponse_apercu.context["jeton"]})


def depots() -> list[str]:
    try:
        return default_storage.listdir(vues.DOSSIER_DEPOTS)[1]
    except FileNotFoundError:
        return []


def fiches(n: int) -> bytes:
    return fichier_csv(*[CAMPUS | {"Titre *": f"Fiche-action n° {i}"} for i in range(n)])


# Who may import --------------------------------------------------------------------------------------------------


def test_le_chef_de_projet_voit_le_formulaire_et_les_modeles(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    reponse = client.get(url_import(territoire_projets))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Importer les fiches-action du territoire Pays de Dreux" in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert f"/projets/import/modele.xlsx?territoire={territoire_projets.identifiant}" in html
    assert f"/projets/import/modele.csv?territoire={territoire_projets.identifiant}" in html


def test_un_visiteur_est_renvoye_a_la_connexion(client, territoire_projets):
    reponse = client.get(url_import(territoire_projets))

    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("comptes:connexion"))


def test_le_binome_lit_mais_n_importe_pas(client, territoire_projets, binome):
    client.force_login(binome)

    assert client.get(url_import(territoire_projets)).status_code == 403
    assert deposer(client, territoire_projets, fichier_csv(FRICHE)).status_code == 403
    assert not depots()


def test_l_instructeur_de_la_region_n_importe_pas(client, territoire_projets, instructeur_region):
    client.force_login(instructeur_region)

    assert client.get(url_import(territoire_projets)).status_code == 403


def test_le_chef_de_projet_d_un_autre_territoire_recoit_une_404(client, territoire_projets, autre_chef_projet):
    client.force_login(autre_chef_projet)

    assert client.get(url_import(territoire_projets)).status_code == 404
    assert deposer(client, territoire_projets, fichier_csv(FRICHE)).status_code == 404


def test_l_equipe_nationale_peut_importer(client, territoire_projets, equipe_nationale):
    client.force_login(equipe_nationale)
    apercu = deposer(client, territoire_projets, fichier_csv(FRICHE))

    assert confirmer(client, territoire_projets, apercu).status_code == 302
    assert Projet.objects.get().cree_par == equipe_nationale


# Upload, preview, confirmation -----------------------------------------------------------------------------------


def test_l_apercu_montre_les_fiches_sans_rien_ecrire(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    avant = etat_de_la_base()

    reponse = deposer(client, territoire_projets, fichier_csv(CAMPUS, FRICHE))

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Le fichier est valide : 2 fiches-action prêtes à être créées" in html
    assert "Campus des métiers de l’industrie" in html and "Reconversion de la friche Béghin" in html
    assert "Dreux (28134)" in html and "Vernouillet (28404)" in html
    assert "Recruter" in html and "Attirer" in html
    assert "1\u00a0250\u00a0000,50&nbsp;€" in html  # the budget
    assert "650\u00a0000,50&nbsp;€" in html  # the financing total
    assert 'name="jeton"' in html and "Importer 2 fiches-action" in html
    assert etat_de_la_base() == avant
    assert len(depots()) == 1


def test_la_confirmation_cree_les_fiches_et_retire_le_fichier_depose(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fichier_csv(CAMPUS, FRICHE), nom="plan d'action.csv")

    reponse = confirmer(client, territoire_projets, apercu)

    assert reponse.status_code == 302
    assert reponse.url == reverse("projets:territoire", args=[territoire_projets.identifiant])
    assert set(Projet.objects.values_list("titre", flat=True)) == {
        "Campus des métiers de l’industrie",
        "Reconversion de la friche Béghin",
    }
    message = str(list(client.get(reponse.url).context["messages"])[0])
    assert message == "2 fiches-action importées depuis « plan d'action.csv »."
    assert not depots()


def test_un_fichier_avec_des_erreurs_ne_peut_pas_etre_confirme(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    avant = etat_de_la_base()
    contenu = fichier_csv(CAMPUS, FRICHE | {"Axe *": "Produire"}, CAMPUS | {"Commune": "99999", "Budget (€)": "-3"})

    reponse = deposer(client, territoire_projets, contenu)

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "3 erreurs : rien ne sera importé" in html
    assert "2 lignes sur 3 sont à corriger" in html
    assert "Axe inconnu : « Produire »" in html
    assert "Code commune « 99999 » inconnu du référentiel géographique (COG)." in html
    assert "Montant négatif (-3) : il doit être positif ou nul." in html
    assert 'name="jeton"' not in html and reponse.context["jeton"] == ""
    assert "Déposer le fichier corrigé" in html
    assert etat_de_la_base() == avant
    assert not depots()


def test_les_avertissements_s_affichent_sans_bloquer(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    contenu = fichier_csv(FRICHE | {"Priorité": "haute"}, entetes=["Titre *", "Axe *", "Commune", "Priorité"])

    html = deposer(client, territoire_projets, contenu).content.decode()

    assert "1 point d’attention" in html
    assert "Ligne 1, colonne D « Priorité » : Colonne « Priorité » inconnue : elle est ignorée." in html
    assert 'name="jeton"' in html


@pytest.mark.parametrize(
    "nom,contenu,message",
    [
        ("fiches.pdf", b"%PDF-1.7", "« fiches.pdf » n’est ni un fichier CSV ni un classeur XLSX"),
        ("fiches.csv", b"", "Le fichier déposé est vide."),
    ],
)
def test_un_depot_hors_format_est_refuse_par_le_formulaire(
    client, territoire_projets, chef_projet, nom, contenu, message
):
    client.force_login(chef_projet)

    reponse = deposer(client, territoire_projets, contenu, nom=nom)

    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert reponse.templates[0].name == "projets/import.html"


def test_sans_fichier_le_formulaire_le_demande(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)

    reponse = client.post(url_import(territoire_projets), {})

    assert "Choisissez le fichier à importer." in reponse.content.decode()


def test_un_fichier_trop_lourd_est_refuse_avant_lecture(client, territoire_projets, chef_projet, monkeypatch):
    monkeypatch.setattr(vues.ImportForm, "taille_max", 100)
    client.force_login(chef_projet)

    reponse = deposer(client, territoire_projets, fichier_csv(CAMPUS, FRICHE))

    assert "Mo au plus. Découpez-le en plusieurs." in reponse.content.decode()
    assert not depots()


def test_deux_clics_sur_importer_n_importent_qu_une_fois(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fichier_csv(CAMPUS, FRICHE))
    confirmer(client, territoire_projets, apercu)

    reponse = confirmer(client, territoire_projets, apercu)

    assert reponse.status_code == 302
    assert Projet.objects.count() == 2
    message = str(list(client.get(reponse.url).context["messages"])[-1])
    assert message == "Le fichier « fiches.csv » a déjà été importé."


def test_le_fichier_est_verifie_de_nouveau_a_la_confirmation(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fichier_csv(CAMPUS, FRICHE))
    CommuneTerritoire.objects.filter(territoire=territoire_projets, commune_id="28404").delete()  # meanwhile
    avant = etat_de_la_base()

    reponse = confirmer(client, territoire_projets, apercu)

    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "La commune Vernouillet (28404) n’est pas dans le périmètre du territoire Pays de Dreux." in html
    assert 'name="jeton"' not in html
    assert etat_de_la_base() == avant


@pytest.mark.parametrize(
    "jeton,message",
    [
        ("n'importe quoi", "Le formulaire de confirmation est invalide : déposez de nouveau le fichier."),
        (
            signing.dumps({"depot": "x", "territoire": 0, "utilisateur": 0, "nom": "x", "empreinte": ""}, salt="autre"),
            "Le formulaire de confirmation est invalide : déposez de nouveau le fichier.",
        ),
    ],
)
def test_un_jeton_falsifie_est_refuse(client, territoire_projets, chef_projet, jeton, message):
    client.force_login(chef_projet)

    reponse = client.post(url_import(territoire_projets), {"jeton": jeton})

    assert reponse.status_code == 302 and reponse.url == url_import(territoire_projets)
    assert str(list(client.get(reponse.url).context["messages"])[0]) == message
    assert not Projet.objects.exists()


def test_un_apercu_trop_ancien_ne_se_confirme_plus(client, territoire_projets, chef_projet, monkeypatch):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fichier_csv(FRICHE))
    monkeypatch.setattr(vues, "DUREE_DEPOT", timedelta(seconds=-1))

    reponse = confirmer(client, territoire_projets, apercu)

    assert str(list(client.get(reponse.url).context["messages"])[0]) == (
        "L’aperçu a expiré : déposez de nouveau le fichier."
    )
    assert not Projet.objects.exists()


def test_le_depot_d_un_autre_ne_se_confirme_pas(client, territoire_projets, chef_projet, equipe_nationale):
    client.force_login(equipe_nationale)
    apercu = deposer(client, territoire_projets, fichier_csv(FRICHE))
    client.force_login(chef_projet)

    reponse = confirmer(client, territoire_projets, apercu)

    assert str(list(client.get(reponse.url).context["messages"])[0]) == (
        "Ce dépôt ne correspond pas à ce territoire : déposez de nouveau le fichier."
    )
    assert not Projet.objects.exists()


def test_un_fichier_depose_modifie_entre_temps_est_refuse(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fichier_csv(FRICHE))
    [nom] = depots()
    default_storage.delete(f"{vues.DOSSIER_DEPOTS}/{nom}")
    default_storage.save(f"{vues.DOSSIER_DEPOTS}/{nom}", io.BytesIO(fichier_csv(CAMPUS)))

    reponse = confirmer(client, territoire_projets, apercu)

    assert str(list(client.get(reponse.url).context["messages"])[0]) == (
        "Le fichier déposé a changé : déposez-le de nouveau."
    )
    assert not Projet.objects.exists()


def test_les_depots_jamais_confirmes_sont_retires(client, territoire_projets, chef_projet, monkeypatch):
    client.force_login(chef_projet)
    deposer(client, territoire_projets, fichier_csv(FRICHE))
    assert len(depots()) == 1
    monkeypatch.setattr(vues, "DUREE_DEPOT", timedelta(seconds=-1))

    deposer(client, territoire_projets, fichier_csv(CAMPUS))

    assert len(depots()) == 1  # the old one removed, the new one kept


# The template, and the round trip ------------------------------------------------------------------------------


def test_le_modele_csv_s_ouvre_dans_excel(client, territoire_projets):
    reponse = client.get(
        reverse("projets:import_modele", args=["csv"]) + f"?territoire={territoire_projets.identifiant}"
    )

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == 'attachment; filename="modele-import-fiches-action.csv"'
    assert reponse.content.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    tableau = lire_csv(reponse.content)
    assert tableau.separateur == ";"
    assert tableau.entete[:3] == ["Titre *", "Description", "Objectifs"]
    assert "Financeur 3" in tableau.entete and "Statut du financement 3" in tableau.entete
    [(_, exemple)] = tableau.lignes
    valeurs = dict(zip(tableau.entete, exemple, strict=True))
    assert valeurs["Axe *"] == "Innover"
    assert valeurs["Commune"] == "28134"  # the territory's most populated commune
    assert valeurs["Budget (€)"] == "250000,00"
    assert valeurs["Date de début"] == "01/03/2025"


def test_le_modele_xlsx_a_une_feuille_d_explications(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        reponse = client.get(reverse("projets:import_modele", args=["xlsx"]))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    classeur = openpyxl.load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == ["Fiches-action", "Mode d’emploi"]
    fiches = classeur["Fiches-action"]
    assert [c.value for c in fiches[1]][:2] == ["Titre *", "Description"]
    assert fiches["C2"].value == "Dix entreprises utilisatrices la première année."
    listes = {str(v.sqref): v.formula1 for v in fiches.data_validations.dataValidation}
    assert listes["L2:L5001"] == '"Recruter,Innover,Attirer,Simplifier"'
    aide = "\n".join(" | ".join(str(c.value or "") for c in ligne) for ligne in classeur["Mode d’emploi"].iter_rows())
    for attendu in [
        "Axe * | oui | Un des quatre axes du programme. | Recruter ; Innover ; Attirer ; Simplifier",
        "Phase | non | Vide : Idée. | Idée ; Étude ; Opération",
        "Statut de la phase | non | Vide : En cours. | En cours ; En retard ; En pause ; Bloqué ; Abandonné ; Terminé",
        "Organisme de formation ; Chambre consulaire",
        "Réindustrialisation ; Décarbonation ; Sobriété foncière",
        "Statut du financement N | non | Vide : Sollicité. | Sollicité ; Acquis ; Refusé",
        "séparés par « ; »",
        "Financeur 4",
    ]:
        assert attendu in aide


@pytest.mark.parametrize("format", ["ods", "xls", "pdf"])
def test_le_modele_n_existe_qu_en_csv_et_xlsx(db, client, format):
    assert client.get(reverse("projets:import_modele", args=[format])).status_code == 404


def test_le_modele_csv_rempli_se_reimporte(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    modele = client.get(
        reverse("projets:import_modele", args=["csv"]) + f"?territoire={territoire_projets.identifiant}"
    ).content
    pole = {
        "Titre *": "Pôle d’écologie industrielle",
        "Axe *": "Attirer",
        "Thèmes": "Écologie industrielle et territoriale",
        "Phase": "Opération",
        "Statut de la phase": "Terminé",
        "Commune": "Anet",
        "Budget (€)": "12 500",
        "Public": "non",
        "Financeur 1": "Ademe",
        "Dispositif 1": "Fonds chaleur",
        "Montant 1 (€)": "5 000",
        "Statut du financement 1": "Acquis",
    }
    rempli = modele + ";".join(pole.get(entete, "") for entete in lire_csv(modele).entete).encode() + b"\r\n"

    apercu = deposer(client, territoire_projets, rempli, nom="modele-rempli.csv")
    assert apercu.context["analyse"].valide, [str(e) for e in apercu.context["analyse"].erreurs]
    confirmer(client, territoire_projets, apercu)

    exemple = Projet.objects.get(titre__startswith="Exemple")
    assert (exemple.axe, exemple.commune_id, exemple.budget) == ("innover", "28134", Decimal("250000.00"))
    assert exemple.financements.count() == 2 and exemple.themes.count() == 2
    pole = Projet.objects.get(titre="Pôle d’écologie industrielle")
    assert (pole.phase, pole.phase_statut, pole.commune_id, pole.budget) == (
        "operation",
        "termine",
        "28007",
        Decimal("12500"),
    )
    assert list(pole.financements.values_list("financeur", "dispositif", "montant", "statut")) == [
        ("Ademe", "Fonds chaleur", Decimal("5000.00"), "acquis")
    ]


def test_le_modele_xlsx_rempli_se_reimporte(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    modele = client.get(
        reverse("projets:import_modele", args=["xlsx"]) + f"?territoire={territoire_projets.identifiant}"
    ).content
    classeur = openpyxl.load_workbook(io.BytesIO(modele))
    feuille = classeur["Fiches-action"]
    entetes = [c.value for c in feuille[1]]
    feuille.append(
        [{"Titre *": "Hôtel d’entreprises", "Axe *": "Simplifier", "Commune": "Vernouillet"}.get(e) for e in entetes]
    )
    sortie = io.BytesIO()
    classeur.save(sortie)

    apercu = deposer(client, territoire_projets, sortie.getvalue(), nom="modele-rempli.xlsx")
    assert apercu.context["analyse"].valide, [str(e) for e in apercu.context["analyse"].erreurs]
    confirmer(client, territoire_projets, apercu)

    exemple = Projet.objects.get(titre__startswith="Exemple")
    assert (exemple.date_debut.isoformat(), exemple.budget, exemple.tco2e_evitees) == (
        "2025-03-01",
        Decimal("250000.00"),
        Decimal("15.50"),
    )
    assert Projet.objects.get(titre="Hôtel d’entreprises").commune_id == "28404"


# Bounded queries -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lignes", [5, 50])
def test_l_apercu_en_requetes_bornees(client, territoire_projets, chef_projet, lignes, django_assert_max_num_queries):
    client.force_login(chef_projet)

    with django_assert_max_num_queries(9):
        reponse = deposer(client, territoire_projets, fiches(lignes))

    assert reponse.context["analyse"].valide


@pytest.mark.parametrize("lignes", [5, 50])
def test_la_confirmation_en_requetes_bornees(
    client, territoire_projets, chef_projet, lignes, django_assert_max_num_queries
):
    client.force_login(chef_projet)
    apercu = deposer(client, territoire_projets, fiches(lignes))
    # The journal's content types are cached per process, warm or cold depending on the tests run before: warm.
    ContentType.objects.get_for_models(Territoire, Projet, PlanAction)

    with django_assert_max_num_queries(28 + 3 * SCEAU):  # three journal rows, each sealed on PostgreSQL
        reponse = confirmer(client, territoire_projets, apercu)

    assert reponse.status_code == 302
    assert Projet.objects.count() == lignes
    assert actions.deja_importe(
        territoire_projets, depot=signing.loads(apercu.context["jeton"], salt=vues.SEL)["depot"]
    )


def test_l_import_des_fiches_refuse_un_en_tete_tres_large(client, territoire_projets, chef_projet):
    client.force_login(chef_projet)
    contenu = ";".join(f"c{i}" for i in range(50_000)).encode() + b"\n"

    reponse = deposer(client, territoire_projets, contenu)

    assert reponse.status_code == 200
    assert f"L’en-tête compte 50\xa0000 colonnes, {COLONNES_MAX} au plus" in reponse.content.decode()
    assert reponse.context["jeton"] == ""
    assert not Projet.objects.exists() and not depots()
