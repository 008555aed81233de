"""PDF documents (récépissés, letters) rendered from a Django template: the one way the platform writes a PDF.

The template is an ordinary Django template, so every value it prints goes through Django's autoescape: that is the
escaping rule of generated HTML→PDF documents, as `documents_word.texte_docx` is that of Word documents. Never mark
a user's value `|safe` in these templates. WeasyPrint lays the HTML out (it needs Pango on the machine); it may not
fetch anything from the network or the disk: a template carries its style inline, so a value can never make the
server read a file or call an address. The document is tagged PDF/UA-1 (structure, language, title) for screen
readers. See docs/decisions/0057-documents-pdf.md.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string

from ti.core.exports import piece_jointe

TYPE_PDF = "application/pdf"


def rendre_pdf(template: str, contexte: dict) -> bytes:
    """The PDF of `template` (a complete HTML document with `<html lang="fr">` and a `<title>`) filled with
    `contexte`, values escaped by Django's autoescape."""
    from weasyprint import HTML  # imported on use: Pango is loaded only when a PDF is written
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, contexte)
    aucune_ressource = URLFetcher(allowed_protocols=())  # no protocol allowed: no file, no address is ever read
    return HTML(string=html, url_fetcher=aucune_ressource).write_pdf(pdf_variant="pdf/ua-1")


def reponse_pdf(template: str, contexte: dict, *, nom_fichier: str) -> HttpResponse:
    """The PDF as a download named `nom_fichier`."""
    return piece_jointe(rendre_pdf(template, contexte), TYPE_PDF, nom_fichier)
