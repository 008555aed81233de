"""Content-Security-Policy: the header on every page, and templates that need nothing inline to work."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import UtilisateurFactory

RACINE = Path(settings.BASE_DIR)
# What a `script-src 'self'; style-src 'self'` policy blocks in a page.
INLINE = {
    "script sans src": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE),
    "gestionnaire d’événement": re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE),
    "attribut style": re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE),
    "élément style": re.compile(r"<style[\s>]", re.IGNORECASE),
    "lien javascript:": re.compile(r"href\s*=\s*\"\s*javascript:", re.IGNORECASE),
}


def directives(reponse) -> dict[str, set[str]]:
    entete = reponse["Content-Security-Policy"]
    return {nom: set(valeurs) for nom, *valeurs in (partie.split() for partie in entete.split(";") if partie.strip())}


def trouvailles(html: str) -> list[str]:
    return [f"{nom} : {m.group(0)[:80]}" for nom, motif in INLINE.items() for m in motif.finditer(html)]


@pytest.mark.parametrize("page", ["accueil", "territoires:liste", "territoires:commune", "comptes:connexion"])
def test_les_pages_envoient_la_politique_et_n_ont_rien_en_ligne(client, db, page):
    reponse = client.get(reverse(page))

    assert reponse.status_code == 200
    politique = directives(reponse)
    assert politique["script-src"] == {"'self'"}
    assert politique["style-src"] == {"'self'"}
    assert politique["default-src"] == {"'self'"}
    assert politique["object-src"] == {"'none'"} and politique["frame-ancestors"] == {"'none'"}
    assert trouvailles(reponse.content.decode()) == []


def test_une_page_connectee_aussi(client, db):
    client.force_login(UtilisateurFactory())

    reponse = client.get(reverse("comptes:mon_espace"))

    assert "script-src 'self'" in reponse["Content-Security-Policy"]
    assert trouvailles(reponse.content.decode()) == []


def test_aucun_gabarit_de_la_plateforme_n_a_de_script_ou_de_style_en_ligne():
    gabarits = [*RACINE.glob("templates/**/*.html"), *RACINE.glob("ti/**/templates/**/*.html")]
    # The PDF documents' templates are read by WeasyPrint on the server, never served to a browser: no CSP there,
    # and their style has to travel inside the document.
    gabarits = [g for g in gabarits if "pdf" not in g.relative_to(RACINE).parts]

    assert len(gabarits) > 20
    assert {
        str(g.relative_to(RACINE)): trouvailles(g.read_text()) for g in gabarits if trouvailles(g.read_text())
    } == {}


def test_la_detection_trouve_ce_qu_elle_cherche():
    html = '<script>alert(1)</script><a onclick="x()" style="color:red" href="javascript:x()"></a><style>p{}</style>'
    assert len(trouvailles(html)) == 5
    assert trouvailles('<script src="/static/a.js"></script><script type="application/json" id="x">{}</script>') == []
