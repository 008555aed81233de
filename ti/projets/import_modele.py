"""The template of the fiches-action import, in CSV and XLSX, made from the columns the importer reads.

The CSV is what French Excel opens as is: UTF-8 with a BOM, semicolons. The XLSX has the same first sheet, with
drop-down lists on the columns of fixed values, text cells for SIRET and INSEE codes (leading zeros stay), and a
second sheet, « Mode d’emploi », that explains each column and lists its allowed values.
"""

import io
from datetime import date
from decimal import Decimal

import tablib

from ti.core.exports import exporter, neutraliser
from ti.core.formats import nombre
from ti.projets.import_colonnes import (
    COLONNES,
    FINANCEMENT,
    GROUPES_DU_MODELE,
    SEPARATEUR_THEMES,
    TITRE_EXEMPLE,
    Colonne,
    entete_financement,
    lettre_de_colonne,
)
from ti.projets.importer import LIGNES_MAX, TAILLE_MAX
from ti.projets.models import Theme
from ti.territoires.models import Territoire

FEUILLE_FICHES = "Fiches-action"
FEUILLE_AIDE = "Mode d’emploi"

# The example row; the commune is the territory's when the template is asked for one.
EXEMPLE = {
    "titre": TITRE_EXEMPLE,
    "description": "Des machines de fabrication additive partagées entre les PME du territoire.",
    "objectifs": "Dix entreprises utilisatrices la première année.",
    "porteur_nom": "Forges de l’Exemple",
    "porteur_siret": "73282932000074",
    "porteur_type": "Entreprise",
    "referent_prenom": "Camille",
    "referent_nom": "Martin",
    "referent_fonction": "Directrice générale",
    "referent_email": "camille.martin@exemple.fr",
    "referent_telephone": "02 37 00 00 00",
    "axe": "Innover",
    "themes": f"Innovation {SEPARATEUR_THEMES} Réindustrialisation",
    "phase": "Étude",
    "phase_statut": "En cours",
    "date_debut": date(2025, 3, 1),
    "date_fin": date(2026, 12, 31),
    "budget": Decimal("250000.00"),
    "emplois_crees": 12,
    "emplois_maintenus": 30,
    "investissement": Decimal("180000.00"),
    "tco2e_evitees": Decimal("15.5"),
    "partenaires": "CCI, Conseil régional",
    "public": "oui",
}
EXEMPLE_FINANCEMENTS = [
    ("Conseil régional", "Aide à l’investissement", Decimal("80000.00"), "Acquis"),
    ("État", "Fonds vert", Decimal("50000.00"), "Sollicité"),
]


def colonnes_du_modele() -> list[tuple[str, Colonne, int | None]]:
    """(header, column, financing line) in the template's order."""
    colonnes = [(c.intitule, c, None) for c in COLONNES]
    for groupe in range(1, GROUPES_DU_MODELE + 1):
        colonnes += [(entete_financement(c, groupe), c, groupe) for c in FINANCEMENT]
    return colonnes


def valeurs_exemple(territoire: Territoire | None = None) -> list:
    """The example row, typed (dates, Decimal) for XLSX; the CSV writes them the French way."""
    exemple = dict(EXEMPLE, commune=_commune_exemple(territoire))
    valeurs = []
    for _, colonne, groupe in colonnes_du_modele():
        if groupe is None:
            valeurs.append(exemple.get(colonne.cle, ""))
        elif groupe <= len(EXEMPLE_FINANCEMENTS):
            financeur, dispositif, montant, statut = EXEMPLE_FINANCEMENTS[groupe - 1]
            valeurs.append(
                {"financeur": financeur, "dispositif": dispositif, "montant": montant, "statut": statut}[colonne.cle]
            )
        else:
            valeurs.append("")
    return valeurs


def _commune_exemple(territoire: Territoire | None) -> str:
    if territoire is None:
        return ""
    commune = territoire.communes.order_by("-population", "code").first()
    return commune.code if commune else ""


def _en_texte(valeur) -> str:
    if isinstance(valeur, date):
        return f"{valeur:%d/%m/%Y}"
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}".replace(".", ",")
    return str(valeur)


def modele_csv(territoire: Territoire | None = None) -> bytes:
    donnees = tablib.Dataset(
        [_en_texte(v) for v in valeurs_exemple(territoire)], headers=[e for e, _, _ in colonnes_du_modele()]
    )
    return "\ufeff".encode() + exporter(donnees, "csv", delimiter=";").encode("utf-8")


def aide(themes: list[str]) -> list[tuple[str, str, str, str]]:
    """The help sheet's rows: column, required, what it holds, allowed values."""
    lignes = []
    for colonne in COLONNES:
        lignes.append(
            (colonne.intitule, "oui" if colonne.obligatoire else "non", colonne.aide, _valeurs(colonne, themes))
        )
    for colonne in FINANCEMENT:
        lignes.append(
            (
                entete_financement(colonne, 1).replace(" 1", " N"),
                "non",
                colonne.aide,
                _valeurs(colonne, themes),
            )
        )
    return lignes


def _valeurs(colonne: Colonne, themes: list[str]) -> str:
    if colonne.choix is not None:
        return " ; ".join(colonne.choix.labels)
    if colonne.nature == "themes":
        return " ; ".join(themes)
    if colonne.nature == "booleen":
        return "oui ; non"
    return ""


_LIGNES_MAX = nombre(LIGNES_MAX)
CONSIGNES = [
    "Une ligne par fiche-action. Les colonnes marquées d’un astérisque (*) sont obligatoires ; les autres peuvent "
    "rester vides ou être supprimées.",
    "Plan de financement : chaque groupe de colonnes « Financeur N », « Dispositif N », « Montant N (€) », "
    "« Statut du financement N » décrit une ligne. Le modèle en propose trois ; ajoutez « Financeur 4 », "
    "« Montant 4 (€) »… s’il en faut plus.",
    "Les libellés (axe, phase, statut, type de porteur, thèmes) sont reconnus sans tenir compte des majuscules ni "
    "des accents : « Innover », « innover » et « INNOVER » se valent.",
    "Montants en euros : « 1 250 000,50 », « 1250000.5 » ou « 1 250 000 € ». Dates : JJ/MM/AAAA ou AAAA-MM-JJ.",
    "La commune doit appartenir au périmètre du territoire : préférez son code INSEE (5 caractères) à son nom.",
    "Fichier CSV (UTF-8, ou le « CSV (séparateur : point-virgule) » d’Excel) ou classeur XLSX (première feuille "
    f"lue) ; {TAILLE_MAX // 1024 // 1024} Mo et {_LIGNES_MAX} lignes au plus.",
    "L’import est tout ou rien : l’aperçu liste chaque erreur avec sa ligne et sa colonne, et rien n’est enregistré "
    "tant qu’il en reste une. Supprimez la ligne d’exemple avant d’importer.",
]


def modele_xlsx(territoire: Territoire | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    themes = list(Theme.objects.values_list("libelle", flat=True))
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = FEUILLE_FICHES
    colonnes = colonnes_du_modele()
    feuille.append([entete for entete, _, _ in colonnes])
    feuille.append([neutraliser(valeur) for valeur in valeurs_exemple(territoire)])
    gras, fond = Font(bold=True), PatternFill("solid", fgColor="E3E3FD")
    for cellule in feuille[1]:
        cellule.font, cellule.fill = gras, fond
        cellule.alignment = Alignment(wrap_text=True, vertical="top")
    feuille.freeze_panes = "B2"
    derniere = LIGNES_MAX + 1
    for rang, (entete, colonne, _) in enumerate(colonnes):
        lettre = lettre_de_colonne(rang)
        feuille.column_dimensions[lettre].width = max(14, min(40, len(entete) + 4))
        exemple = feuille.cell(row=2, column=rang + 1)
        if colonne.nature == "date":
            exemple.number_format = "DD/MM/YYYY"
        elif colonne.nature == "montant":
            exemple.number_format = '#,##0.00\\ "€"'
        elif colonne.nature in ("siret", "commune"):
            exemple.number_format = "@"  # text: a leading zero stays
        if colonne.choix is not None or colonne.nature == "booleen":
            valeurs = colonne.choix.labels if colonne.choix is not None else ["oui", "non"]
            liste = DataValidation(
                type="list",
                formula1='"' + ",".join(valeurs) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle="Valeur inattendue",
                error="Choisissez une valeur de la liste (voir la feuille « Mode d’emploi »).",
            )
            liste.add(f"{lettre}2:{lettre}{derniere}")
            feuille.add_data_validation(liste)

    mode_emploi = classeur.create_sheet(FEUILLE_AIDE)
    mode_emploi.append(["Import des fiches-action d’un territoire d’industrie"])
    mode_emploi["A1"].font = Font(bold=True, size=14)
    for consigne in CONSIGNES:
        mode_emploi.append([consigne])
    mode_emploi.append([])
    mode_emploi.append(["Colonne", "Obligatoire", "Ce qu’elle contient", "Valeurs possibles"])
    for cellule in mode_emploi[mode_emploi.max_row]:
        cellule.font, cellule.fill = gras, fond
    for ligne in aide(themes):
        mode_emploi.append(list(ligne))
    for lettre, largeur in zip("ABCD", (28, 12, 70, 70), strict=True):
        mode_emploi.column_dimensions[lettre].width = largeur
    for ligne in mode_emploi.iter_rows(min_row=len(CONSIGNES) + 3):
        for cellule in ligne:
            cellule.alignment = Alignment(wrap_text=True, vertical="top")

    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()
