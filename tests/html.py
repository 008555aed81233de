"""Reading a page as a person does: its title, headings and links, parsed by the standard library's HTML parser
rather than searched as text, so that a word in an attribute or a comment does not pass for content."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Lien:
    href: str
    texte: str
    attributs: dict
    contenu: bool  # inside <main>, not the layout's header or footer


@dataclass
class Page:
    titre: str = ""
    titres: list[tuple[str, str]] = field(default_factory=list)  # (h1…h6, text)
    liens: list[Lien] = field(default_factory=list)
    texte: str = ""

    def lien(self, texte: str, *, partout: bool = False) -> Lien:
        """The one link of the content (of the whole page with `partout`) whose text is `texte`, spaces collapsed."""
        trouves = [lien for lien in self.liens if lien.texte == texte and (partout or lien.contenu)]
        assert len(trouves) == 1, f"{len(trouves)} lien(s) « {texte} » parmi {[lien.texte for lien in self.liens]}"
        return trouves[0]

    def pied_de_page(self) -> dict[str, str]:
        """The footer's bottom links: {text: href}."""
        return {
            lien.texte: lien.href for lien in self.liens if "fr-footer__bottom-link" in lien.attributs.get("class", "")
        }

    def liens_du_contenu(self) -> list[Lien]:
        return [lien for lien in self.liens if lien.contenu]

    def h1(self) -> str:
        return next(texte for balise, texte in self.titres if balise == "h1")


class _Lecteur(HTMLParser):
    TITRES = {"h1", "h2", "h3", "h4", "h5", "h6"}
    MUETS = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._pile: list[tuple[str, dict, list[str]]] = []  # open title/heading/link elements and their text
        self._muet = 0
        self._main = 0
        self._texte: list[str] = []

    def handle_starttag(self, balise, attrs):
        if balise in self.MUETS:
            self._muet += 1
        elif balise == "main":
            self._main += 1
        elif balise == "title" or balise in self.TITRES or balise == "a":
            self._pile.append((balise, dict(attrs), []))

    def handle_endtag(self, balise):
        if balise in self.MUETS:
            self._muet -= 1
            return
        if balise == "main":
            self._main -= 1
            return
        for rang in range(len(self._pile) - 1, -1, -1):
            if self._pile[rang][0] == balise:
                _, attributs, morceaux = self._pile.pop(rang)
                texte = " ".join("".join(morceaux).split())
                if balise == "title":
                    self.page.titre = texte
                elif balise == "a":
                    self.page.liens.append(Lien(attributs.get("href") or "", texte, attributs, self._main > 0))
                else:
                    self.page.titres.append((balise, texte))
                return

    def handle_data(self, donnees):
        if self._muet:
            return
        self._texte.append(donnees)
        for _, _, morceaux in self._pile:
            morceaux.append(donnees)


def lire(response) -> Page:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    lecteur = _Lecteur()
    lecteur.feed(response.content.decode())
    lecteur.close()
    lecteur.page.texte = " ".join("".join(lecteur._texte).split())
    return lecteur.page
