"""Writes the Word template of the decision letter: `lettre_decision.docx`, next to this script.

The template is committed; run this again only to change its layout:

    .venv/bin/python ti/financements/modeles/fabriquer_lettre.py

Its docxtpl (Jinja) tags are filled by `ti.financements.lettre.lettre_decision`. Each tag is one run, so that
Word's run splitting never cuts it.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

SORTIE = Path(__file__).resolve().parent / "lettre_decision.docx"
BLEU_FRANCE = RGBColor(0x00, 0x00, 0x91)


def main() -> None:
    document = Document()
    document.styles["Normal"].font.name = "Marianne"
    document.styles["Normal"].font.size = Pt(11)
    entete = document.add_paragraph()
    marque = entete.add_run("RÉPUBLIQUE FRANÇAISE")
    marque.bold = True
    marque.font.color.rgb = BLEU_FRANCE
    document.add_paragraph("Préfecture de la région {{ region }}")
    date = document.add_paragraph("Le {{ date }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("{{ porteur }}\nSIRET {{ siret }}\n{{ adresse }}")
    document.add_heading("Objet : décision sur votre demande d’aide au titre du {{ dispositif }}", level=2)
    document.add_paragraph("Dossier {{ reference }} — « {{ intitule }} »")
    document.add_paragraph("Vu :\n{{ references }}")
    document.add_paragraph("Madame, Monsieur,")
    document.add_paragraph(
        "Vous avez sollicité une aide de {{ aide_demandee }} pour un coût éligible de {{ cout_eligible }}."
    )
    document.add_paragraph("{{ phrase_decision }}")
    document.add_paragraph("{% if montant %}Montant de l’aide accordée : {{ montant }}.{% endif %}")
    document.add_paragraph("{% if motif %}Motifs : {{ motif }}{% endif %}")
    document.add_paragraph(
        "Cette décision peut faire l’objet d’un recours gracieux auprès du préfet de région ou d’un recours "
        "contentieux devant le tribunal administratif dans un délai de deux mois à compter de sa notification."
    )
    signature = document.add_paragraph("{{ signataire }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(SORTIE)


if __name__ == "__main__":
    main()
