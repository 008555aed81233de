"""The shared PDF block: a Django template rendered to a tagged PDF, values escaped, nothing fetched."""

from io import BytesIO

from PIL import Image
from pypdf import PdfReader

from ti.core import pdf
from ti.core.pdf import TYPE_PDF, rendre_pdf, reponse_pdf

GABARIT = "financements/pdf/lettre_decision.html"


def contexte(**autres):
    return {
        "region": "Centre-Val de Loire",
        "date": "1er mars 2024",
        "porteur": "Dupont & Fils <SAS>",
        "siret": "732 829 320 00074",
        "adresse": "12 rue des Forges\n45200 Montargis",
        "dispositif": "Fonds vert",
        "references_liste": ["Loi n° 2023-973 du 23 octobre 2023 relative à l’industrie verte"],
        "reference": "FV2024-24-00001",
        "intitule": "<b>Four</b> électrique",
        "aide_demandee": "300 000,00 €",
        "cout_eligible": "800 000,00 €",
        "phrase_decision": "Votre demande est acceptée.",
        "montant": "",
        "motif": "",
        "signataire_qualite": "Le préfet de la région Centre-Val de Loire",
        "signataire_nom": "",
        **autres,
    }


def texte(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_un_gabarit_devient_un_pdf_balise_avec_son_titre():
    pdf = rendre_pdf(GABARIT, contexte())
    lecteur = PdfReader(BytesIO(pdf))
    assert pdf.startswith(b"%PDF-")
    assert lecteur.metadata.title == "Décision sur le dossier FV2024-24-00001"
    assert "/StructTreeRoot" in lecteur.trailer["/Root"]  # tagged: PDF/UA
    assert lecteur.trailer["/Root"]["/Lang"] == "fr"


def test_les_valeurs_sont_echappees_et_imprimees_telles_quelles():
    contenu = texte(rendre_pdf(GABARIT, contexte()))
    assert "Dupont & Fils <SAS>" in contenu
    assert "<b>Four</b> électrique" in contenu  # shown as typed, never read as markup


def test_aucune_ressource_externe_n_est_lue(tmp_path, monkeypatch):
    """Even a template that names a local file or an address gets nothing: the image stays out of the PDF."""
    image = tmp_path / "image.png"
    Image.new("RGB", (40, 40), "red").save(image)
    html = (
        '<html lang="fr"><head><title>T</title></head><body>'
        f'<img src="file://{image}" alt="image"><img src="http://127.0.0.1:9/x.png" alt="distante"></body></html>'
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda gabarit, contexte: html)
    lecteur = PdfReader(BytesIO(pdf.rendre_pdf("sans-importance.html", {})))
    ressources = lecteur.pages[0].get("/Resources", {})
    assert "/XObject" not in ressources or not any(
        objet.get_object().get("/Subtype") == "/Image" for objet in ressources["/XObject"].values()
    )


def test_la_reponse_est_un_telechargement_pdf():
    reponse = reponse_pdf(GABARIT, contexte(), nom_fichier="decision.pdf")
    assert reponse["Content-Type"] == TYPE_PDF
    assert reponse["Content-Disposition"] == 'attachment; filename="decision.pdf"'
    assert reponse.content.startswith(b"%PDF-")
