"""Word documents generated from a docxtpl template: the one escaping rule every generated document follows.

docxtpl renders a template into the document's raw XML. A value put there as it is can close the run and the
paragraph and open new ones (`</w:t></w:r></w:p><w:p>…`), or be lost (`&`, `<`). So every value a template shows
goes through `texte_docx`, which makes it plain text of the document:

- XML's special characters are escaped, so `Dupont & Fils <SAS>` reads exactly so;
- line breaks (`\\n`, `\\r\\n`, `\\r`, and the Unicode line and paragraph separators) stay line breaks: docxtpl turns
  a `\\n` inside a text into `<w:br/>`; the other control characters, which docxtpl would turn into new paragraphs
  or page breaks (`\\a`, `\\f`) or which XML forbids, are dropped;
- `{_{`, `{_%` and their closings, which docxtpl turns back into `{{` after rendering, are written with an XML
  character reference so that they stay as typed. A value's `{{ }}` or `{% %}` is never rendered: Jinja reads
  the template, not the values it prints.
"""

import re
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from docxtpl import DocxTemplate
from jinja2 import Environment

_FINS_DE_LIGNE = re.compile(r"\r\n|[\r\v\f\u2028\u2029]")
# What XML 1.0 forbids, and the controls docxtpl gives a meaning to (\a: new paragraph); \t and \n stay.
_INTERDITS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_MARQUES_DOCXTPL = re.compile(r"(?<=\{)_(?=[{%])|(?<=[}%])_(?=\})")


def texte_docx(valeur) -> str:
    """A value as the XML text of a Word run: escaped, line breaks kept, nothing else interpreted."""
    if valeur is None:
        return ""
    texte = _FINS_DE_LIGNE.sub("\n", str(valeur))
    texte = escape(_INTERDITS.sub("", texte), {'"': "&quot;"})
    return _MARQUES_DOCXTPL.sub("&#95;", texte)


def _environnement() -> Environment:
    # `finalize` receives every value a `{{ }}` prints (loops included); what the template itself says is untouched.
    return Environment(autoescape=False, finalize=texte_docx)


def remplir_modele(modele: Path, contexte: dict) -> bytes:
    """The .docx of `modele` (a docxtpl template) filled with `contexte`, every value through `texte_docx`."""
    document = DocxTemplate(modele)
    document.render(contexte, jinja_env=_environnement())
    sortie = BytesIO()
    document.save(sortie)
    return sortie.getvalue()
