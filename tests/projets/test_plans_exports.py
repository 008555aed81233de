"""Downloads of a plan version: the Word annex (docxtpl) and the tables in CSV, XLSX and ODS (tablib)."""

import io
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from docx import Document

from tests.factories import LigneFinancementFactory, ProjetFactory
from ti.projets.actions import plans as actions
from ti.projets.models import ContratTerritoire, Signataire
from ti.projets.plans_annexe import MODELE_ANNEXE
from ti.projets.plans_tableaux import COLONNES

TYPE_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan(territoire_projets, projet_public, projet_prive, chef_projet):
    return actions.plan_courant(territoire=territoire_projets, par=chef_projet)


@pytest.fixture
def plan_valide(plan, chef_projet, binome):
    actions.soumettre_plan(plan=plan, par=chef_projet)
    return actions.valider_plan(plan=plan, par=binome)


@pytest.fixture
def contrat(territoire_projets, plan_valide):
    contrat = ContratTerritoire.objects.create(
        territoire=territoire_projets, intitule="Contrat de territoire d’industrie du Pays de Dreux", plan=plan_valide
    )
    Signataire.objects.create(
        contrat=contrat, type=Signataire.Type.ETAT, organisme="Préfecture d’Eure-et-Loir", representant="La préfète"
    )
    Signataire.objects.create(contrat=contrat, type=Signataire.Type.REGION, organisme="Région Centre-Val de Loire")
    return contrat


def url_docx(plan) -> str:
    return reverse("projets:plan_docx", args=[plan.territoire.identifiant, plan.numero])


def url_export(plan, format: str) -> str:
    return reverse("projets:plan_export", args=[plan.territoire.identifiant, plan.numero, format])


def texte_du_docx(contenu: bytes) -> str:
    document = Document(io.BytesIO(contenu))
    morceaux = [paragraphe.text for paragraphe in document.paragraphs]
    for table in document.tables:
        for ligne in table.rows:
            morceaux += [cellule.text for cellule in ligne.cells]
    return "\n".join(morceaux)


def lire(contenu: bytes, format: str) -> tablib.Dataset:
    if format == "csv":
        assert contenu.startswith("\ufeff".encode())  # the BOM French Excel needs to read UTF-8
        return tablib.Dataset().load(contenu.decode("utf-8-sig"), format="csv", delimiter=";")
    return tablib.Dataset().load(io.BytesIO(contenu), format=format)


# The Word annex.


def test_le_modele_de_l_annexe_est_dans_le_depot():
    assert MODELE_ANNEXE.exists()
    assert "{{ territoire }}" in texte_du_docx(MODELE_ANNEXE.read_bytes())


def test_l_annexe_d_une_version_validee(client, plan_valide, contrat, binome):
    client.force_login(binome)

    reponse = client.get(url_docx(plan_valide))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == TYPE_DOCX
    assert reponse["Content-Disposition"] == 'attachment; filename="plan-action-ti2-2405-v1.docx"'
    document = texte_du_docx(reponse.content)
    assert "Pays de Dreux" in document
    assert "Plateforme mutualisée de fabrication additive" in document
    assert "Reconversion de la friche Philips" in document
    assert "Version 1 — Validé" in document
    assert f"par {binome}" in document
    assert "Contrat de territoire d’industrie du Pays de Dreux" in document
    assert "Préfecture d’Eure-et-Loir" in document and "Région Centre-Val de Loire" in document
    assert "250\xa0000,00\xa0€" in document
    assert "Conseil régional Centre-Val de Loire (Aide à l’investissement) : 80\xa0000,00\xa0€ — acquis" in document
    assert "12 emplois créés" in document
    assert "VERSION DE TRAVAIL" not in document
    assert "{{" not in document and "{%" not in document


def test_l_annexe_d_un_brouillon_est_une_version_de_travail(client, plan, chef_projet):
    client.force_login(chef_projet)

    reponse = client.get(url_docx(plan))

    assert reponse["Content-Disposition"] == 'attachment; filename="plan-action-ti2-2405-v1-version-de-travail.docx"'
    document = texte_du_docx(reponse.content)
    assert "VERSION DE TRAVAIL" in document
    assert "Aucun contrat de territoire n’est encore enregistré" in document


def test_l_annexe_d_une_ancienne_version_reprend_son_instantane(client, plan_valide, projet_public, chef_projet):
    projet_public.titre = "Seconde tranche"
    projet_public.version += 1
    projet_public.save()
    actions.noter_changement(territoire=projet_public.territoire, par=chef_projet)
    client.force_login(chef_projet)

    document = texte_du_docx(client.get(url_docx(plan_valide)).content)

    assert "Plateforme mutualisée de fabrication additive" in document
    assert "Seconde tranche" not in document


def test_un_titre_avec_des_caracteres_speciaux_ne_casse_pas_le_document(client, territoire_projets, chef_projet):
    ProjetFactory(territoire=territoire_projets, titre="R&D <matériaux> « composites »")
    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)
    client.force_login(chef_projet)

    assert "R&D <matériaux> « composites »" in texte_du_docx(client.get(url_docx(plan)).content)


# The tables.


@pytest.mark.parametrize(
    ("format", "type_de_contenu"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_les_tableaux_se_relisent_avec_les_bonnes_lignes(
    client, plan_valide, projet_public, projet_prive, binome, format, type_de_contenu
):
    client.force_login(binome)

    reponse = client.get(url_export(plan_valide, format))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == type_de_contenu
    assert reponse["Content-Disposition"] == f'attachment; filename="plan-action-ti2-2405-v1.{format}"'
    donnees = lire(reponse.content, format)
    assert donnees.headers == list(COLONNES)
    lignes = {ligne["Titre"]: ligne for ligne in donnees.dict}
    assert set(lignes) == {"Plateforme mutualisée de fabrication additive", "Reconversion de la friche Philips"}
    fabrication = lignes["Plateforme mutualisée de fabrication additive"]
    assert fabrication["Axe"] == "Innover"
    assert fabrication["Porteur"] == "Forges du Drouais"
    assert fabrication["Commune"] == "Dreux" and fabrication["Code INSEE"] == "28134"
    assert "État (Fonds vert) : 50\xa0000,00\xa0€ — sollicité" in fabrication["Plan de financement"]
    if format == "csv":  # numbers the way French Excel reads them
        assert fabrication["Budget (€)"] == "250000,00"
        assert fabrication["Financements acquis (€)"] == "80000,00"
        assert fabrication["Emplois créés"] == "12"
        assert lignes["Reconversion de la friche Philips"]["Hectares recyclés ou économisés"] == "6,50"
    else:  # real numbers in the spreadsheets
        assert Decimal(str(fabrication["Budget (€)"])) == Decimal("250000")
        assert Decimal(str(fabrication["Financements acquis (€)"])) == Decimal("80000")
        assert Decimal(str(fabrication["Financements sollicités (€)"])) == Decimal("50000")
        assert int(fabrication["Emplois créés"]) == 12


def test_le_csv_est_separe_par_des_points_virgules(client, plan, chef_projet):
    client.force_login(chef_projet)

    contenu = client.get(url_export(plan, "csv")).content.decode("utf-8-sig")

    assert contenu.splitlines()[0].startswith("Identifiant;Titre;Axe;Thèmes;")


def test_un_texte_qui_ressemble_a_une_formule_est_neutralise(client, territoire_projets, chef_projet):
    ProjetFactory(
        territoire=territoire_projets,
        titre='=HYPERLINK("http://exemple.invalid";"clic")',
        porteur_nom="  @SUM(A1)",
        partenaires="\t+cmd",
    )
    plan = actions.plan_courant(territoire=territoire_projets, par=chef_projet)
    client.force_login(chef_projet)

    for format in ("csv", "xlsx", "ods"):
        fiche = lire(client.get(url_export(plan, format)).content, format).dict[0]
        assert fiche["Titre"] == '\'=HYPERLINK("http://exemple.invalid";"clic")'
        assert fiche["Porteur"] == "'  @SUM(A1)"
        assert fiche["Partenaires"] == "'\t+cmd"


def test_un_brouillon_s_exporte_comme_version_de_travail(client, plan, chef_projet):
    client.force_login(chef_projet)

    reponse = client.get(url_export(plan, "xlsx"))

    assert reponse["Content-Disposition"] == 'attachment; filename="plan-action-ti2-2405-v1-version-de-travail.xlsx"'


@pytest.mark.parametrize("format", ["pdf", "json", "CSV", "xls"])
def test_un_format_inconnu_est_introuvable(client, plan, chef_projet, format):
    client.force_login(chef_projet)

    assert client.get(url_export(plan, format)).status_code == 404


# Bounded queries, whatever the number of fiches.


def plan_de(territoire, par, nombre: int, *, valide_par=None):
    for projet in ProjetFactory.create_batch(nombre, territoire=territoire):
        LigneFinancementFactory(projet=projet)
    plan = actions.plan_courant(territoire=territoire, par=par)
    if valide_par is not None:
        actions.soumettre_plan(plan=plan, par=par)
        actions.valider_plan(plan=plan, par=valide_par)
    return plan


@pytest.mark.parametrize("nombre", [3, 30])
@pytest.mark.parametrize("format", ["csv", "xlsx", "ods", "docx"])
def test_les_telechargements_en_requetes_bornees(
    client, territoire_projets, chef_projet, binome, django_assert_max_num_queries, nombre, format
):
    plan = plan_de(territoire_projets, chef_projet, nombre, valide_par=binome)
    client.force_login(chef_projet)
    url = url_docx(plan) if format == "docx" else url_export(plan, format)

    with django_assert_max_num_queries(5):
        reponse = client.get(url)

    assert reponse.status_code == 200


@pytest.mark.parametrize("nombre", [3, 30])
def test_l_export_d_un_brouillon_en_requetes_bornees(
    client, territoire_projets, chef_projet, django_assert_max_num_queries, nombre
):
    plan = plan_de(territoire_projets, chef_projet, nombre)
    client.force_login(chef_projet)

    with django_assert_max_num_queries(7):
        reponse = client.get(url_export(plan, "csv"))

    assert len(lire(reponse.content, "csv")) == nombre
