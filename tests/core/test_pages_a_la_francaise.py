"""Every page a person reads writes dates and numbers the French way: no ISO date (2024-06-03) nor dot decimal
(250000.50) in the visible text of the demo's main pages, for a visitor and for the national team.

The demo of `make run` (real COG, Temps II territories, `charger_demo`) is loaded in the test's transaction;
from a few list pages the crawl follows the links of the content. URLs, attributes, scripts and <code> are not text
a person reads, and machine formats (CSV, JSON, iCalendar) are not crawled.
"""

import re
from urllib.parse import urlsplit

from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tests.html import _Lecteur
from ti.comptes.models import Utilisateur
from ti.territoires.importer import importer_territoires
from ti.territoires.models import Phase

DATE_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DECIMALE_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")  # « 12.5 »; not « v2.1.1 » nor an address
URL = re.compile(r"\b(?:https?://|www\.)\S+")
# Not numbers but names: a licence's or a standard's version, a value quoted as an example of a wrong writing.
NOMS = re.compile(r"(?:Licence Ouverte|CC BY(?:-SA)?|SCDL(?: Subventions)?|version|RGAA) \d+(?:\.\d+)+|« [^»]* »")
PAGES_MAX = 70
# The instructor's dossier page and queue are redesigned elsewhere (ticket 12, deliverable 6): crawled by their
# own tests once done.
HORS_CRAWL = ("/financements/dossiers/", "/financements/file", "/api/", "/admin/", "/deconnexion")
DEPARTS = [
    ("core:accueil", []),
    ("territoires:liste", []),
    ("territoires:region", ["24"]),
    ("territoires:chefs_de_projet", []),
    ("projets:annuaire", []),
    ("financements:aides", []),
    ("financements:dispositifs", []),
    ("financements:subventions", []),
    ("financements:fonds_vert", []),
    ("foncier:catalogue", []),
    ("ingenierie:catalogue", []),
    ("ingenierie:tableau", []),
    ("animation:programme", []),
    ("pilotage:donnees_ouvertes", []),
]


class _LecteurSansCode(_Lecteur):
    MUETS = {"script", "style", "code", "pre"}


def texte_visible(html: str) -> str:
    lecteur = _LecteurSansCode()
    lecteur.feed(html)
    lecteur.close()
    return NOMS.sub(" ", URL.sub(" ", " ".join("".join(lecteur._texte).split())))


def fautes(texte: str) -> list[str]:
    return [texte[max(0, m.start() - 40) : m.end() + 20] for m in (*DATE_ISO.finditer(texte),
                                                                   *DECIMALE_POINT.finditer(texte))]  # fmt: skip


def charger_la_demo():
    """What `make run` loads; inside the test's transaction, rolled back at its end."""
    call_command("import_cog", "data/cog-2026", verbosity=0)
    importer_territoires(phase=Phase.TEMPS_2, fichier="data/territoires-industrie/temps2-communes-2026.csv")
    call_command("charger_demo", verbosity=0)


def _departs() -> list[str]:
    urls = []
    for nom, args in DEPARTS:
        try:
            urls.append(reverse(nom, args=args))
        except NoReverseMatch:  # a page another part renames: the crawl starts from the others
            continue
    return urls


def crawler(client) -> dict[str, list[str]]:
    """{url: [faults]} over the pages reached from the starting points, at most PAGES_MAX."""
    a_voir, vues, resultat = _departs(), set(), {}
    while a_voir and len(vues) < PAGES_MAX:
        url = a_voir.pop(0)
        if url in vues:
            continue
        vues.add(url)
        reponse = client.get(url)
        if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
            continue
        html = reponse.content.decode()
        if trouvees := fautes(texte_visible(html)):
            resultat[url] = trouvees
        for lien in re.findall(r'href="(/[^"#?]*)', html):
            if lien not in vues and not lien.startswith(HORS_CRAWL) and "." not in urlsplit(lien).path.rsplit("/")[-1]:
                a_voir.append(lien)
    assert len(vues) >= 20, f"seulement {len(vues)} pages parcourues"
    return resultat


def test_le_detecteur_voit_une_date_iso_et_une_decimale_a_point():
    html = '<p title="2024-06-03">Signée le 2024-06-03 pour 1250.50 €, <a href="/x/2024-06-03">lien</a></p>'
    assert len(fautes(texte_visible(html))) == 2
    assert fautes(texte_visible("<p>Le 3 juin 2024, 1 250,50 € ; SCDL 2.1.1 ; <code>2024-06-03</code></p>")) == []
    assert fautes(texte_visible("<p>Licence Ouverte 2.0, CC BY 4.0 ; écrit « 1053.0 » pour 01053</p>")) == []


def test_les_pages_de_la_demo_ecrivent_a_la_francaise(db, client):
    charger_la_demo()

    assert crawler(client) == {}, "pour un visiteur"
    client.force_login(Utilisateur.objects.get(email__startswith="equipe-nationale@"))
    assert crawler(client) == {}, "pour l’équipe nationale"
