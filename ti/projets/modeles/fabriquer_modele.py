"""Writes the Word template of the plan d'action annex: `annexe_plan_action.docx`, next to this script.

The template is committed; run this again only to change its layout:

    .venv/bin/python ti/projets/modeles/fabriquer_modele.py

It holds docxtpl (Jinja) tags, filled by `ti.projets.plans_annexe.annexe_docx` with `contexte_annexe`:
territory, version, validation date and validator, the contract and its signatories, the fiches-action.
A tag is written as one run (one `add_run`/`cell.text`), so that Word's run splitting never cuts it.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

SORTIE = Path(__file__).resolve().parent / "annexe_plan_action.docx"
BLEU_FRANCE = RGBColor(0x00, 0x00, 0x91)


def en_tete_repete(ligne) -> None:
    """The header row is repeated at the top of every page the table runs over."""
    proprietes = ligne._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    proprietes.append(element)


def tableau(document, entetes: list[str], cellules: list[str], debut: str, fin: str, largeurs: list[float]):
    """A table whose middle row is repeated by docxtpl: header, `{%tr for %}`, the row, `{%tr endfor %}`."""
    table = document.add_table(rows=4, cols=len(entetes))
    table.style = "Table Grid"
    for rang, (entete, cellule, largeur) in enumerate(zip(entetes, cellules, largeurs, strict=True)):
        for ligne in table.rows:
            ligne.cells[rang].width = Cm(largeur)
        case = table.rows[0].cells[rang]
        case.text = ""
        gras = case.paragraphs[0].add_run(entete)
        gras.bold = True
        table.rows[2].cells[rang].text = cellule
    table.rows[1].cells[0].text = debut
    table.rows[3].cells[0].text = fin
    en_tete_repete(table.rows[0])
    return table


def fabriquer() -> Path:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for marge in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, marge, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.name = "Marianne"
    normal.font.size = Pt(10)

    titre = document.add_heading(level=0)
    titre.add_run("Annexe au contrat de territoire").font.color.rgb = BLEU_FRANCE
    document.add_heading("Plan d’action du territoire d’industrie {{ territoire }}", level=1)
    document.add_paragraph("Version {{ version }} — {{ statut }}")
    document.add_paragraph("{%p if version_de_travail %}")
    avertissement = document.add_paragraph().add_run(
        "VERSION DE TRAVAIL : cette version n’est pas validée par le binôme du territoire ; "
        "elle ne peut pas être annexée au contrat."
    )
    avertissement.bold = True
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Validée le {{ valide_le }} par {{ valide_par }}, binôme élu – industriel du territoire.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Identifiant du territoire : {{ identifiant }}. Document édité le {{ edite_le }}.")

    document.add_heading("Contrat de territoire", level=2)
    document.add_paragraph("{%p if contrat %}")
    document.add_paragraph("{{ contrat }}{% if contrat_signe_le %}, signé le {{ contrat_signe_le }}{% endif %}.")
    document.add_paragraph("{%p if signataires %}")
    tableau(
        document,
        ["Signataire", "Organisme", "Représenté par", "Qualité", "Date de signature"],
        ["{{ s.type }}", "{{ s.organisme }}", "{{ s.representant }}", "{{ s.qualite }}", "{{ s.date }}"],
        "{%tr for s in signataires %}",
        "{%tr endfor %}",
        [3.0, 7.0, 6.0, 6.0, 4.0],
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Les signataires du contrat ne sont pas encore renseignés.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("Aucun contrat de territoire n’est encore enregistré sur la plateforme.")
    document.add_paragraph("{%p endif %}")

    document.add_heading("Fiches-action ({{ nombre_de_fiches }})", level=2)
    document.add_paragraph(
        "Budget total : {{ total_budget }} · financements acquis : {{ total_acquis }} · "
        "financements sollicités : {{ total_sollicite }}."
    )
    tableau(
        document,
        ["N°", "Fiche-action", "Axe", "Phase", "Porteur", "Budget", "Plan de financement", "Impact attendu"],
        [
            "{{ f.numero }}",
            "{{ f.titre }}",
            "{{ f.axe }}",
            "{{ f.phase }}",
            "{{ f.porteur }}",
            "{{ f.budget }}",
            "{{ f.financements }}",
            "{{ f.impact }}",
        ],
        "{%tr for f in fiches %}",
        "{%tr endfor %}",
        [1.0, 5.5, 2.0, 3.0, 4.0, 2.7, 4.8, 3.7],
    )

    document.add_heading("Détail des fiches-action", level=2)
    document.add_paragraph("{%p for f in fiches %}")
    document.add_heading("{{ f.numero }}. {{ f.titre }}", level=3)
    document.add_paragraph("Axe : {{ f.axe }}{% if f.themes %} · thèmes : {{ f.themes }}{% endif %}")
    document.add_paragraph("{%p if f.description %}")
    document.add_paragraph("{{ f.description }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if f.objectifs %}")
    document.add_paragraph("Objectifs : {{ f.objectifs }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if f.partenaires %}")
    document.add_paragraph("Partenaires : {{ f.partenaires }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")

    document.core_properties.title = "Plan d’action — annexe au contrat de territoire"
    document.core_properties.author = "Territoires d’industrie"
    document.save(SORTIE)
    return SORTIE


if __name__ == "__main__":
    print(f"Modèle écrit : {fabriquer()}")
