"""The fields a browser would send for one form of a page: what the bench's write scenarios post back under load.

Pure functions (no Django), tested in tests/bench/test_formulaires.py. The page is fetched once per target object
through Django's test client (bench/ecritures.py); its form is read here as a browser reads it — hidden fields,
text, checked boxes, selected options, textareas — so that the load posts exactly what the real page posts,
formsets and single-send tokens (ti/core/envois.py) included.
"""

from html.parser import HTMLParser
from urllib.parse import urlencode

CHAMP_CSRF = "csrfmiddlewaretoken"
SANS_VALEUR = {"submit", "button", "image", "reset", "file"}


class _Lecteur(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.formulaires: list[dict] = []
        self._courant: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, balise, attributs):
        a = {cle: (valeur if valeur is not None else "") for cle, valeur in attributs}
        if balise == "form":
            self._courant = {"action": a.get("action", ""), "methode": a.get("method", "get").lower(), "champs": []}
            self.formulaires.append(self._courant)
        elif self._courant is None or "disabled" in a:
            return
        elif balise == "input" and a.get("name"):
            genre = a.get("type", "text").lower()
            if genre in SANS_VALEUR or (genre in ("checkbox", "radio") and "checked" not in a):
                return
            self._courant["champs"].append([a["name"], a.get("value", "on" if genre in ("checkbox", "radio") else "")])
        elif balise == "select" and a.get("name"):
            self._select = {"nom": a["name"], "choisies": [], "premiere": None, "multiple": "multiple" in a}
        elif balise == "option" and self._select is not None:
            self._option = {"valeur": a.get("value"), "texte": "", "choisie": "selected" in a}
        elif balise == "textarea" and a.get("name"):
            self._textarea = {"nom": a["name"], "texte": ""}

    def handle_data(self, donnees):
        if self._option is not None:
            self._option["texte"] += donnees
        elif self._textarea is not None:
            self._textarea["texte"] += donnees

    def handle_endtag(self, balise):
        if balise == "option" and self._option is not None:
            valeur = self._option["valeur"] if self._option["valeur"] is not None else self._option["texte"].strip()
            if self._select["premiere"] is None:
                self._select["premiere"] = valeur
            if self._option["choisie"]:
                self._select["choisies"].append(valeur)
            self._option = None
        elif balise == "select" and self._select is not None:
            choisies = self._select["choisies"] or (
                [] if self._select["multiple"] or self._select["premiere"] is None else [self._select["premiere"]]
            )
            for valeur in choisies:
                self._courant["champs"].append([self._select["nom"], valeur])
            self._select = None
        elif balise == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self._courant["champs"].append([self._textarea["nom"], self._textarea["texte"].removeprefix("\n")])
            self._textarea = None
        elif balise == "form":
            self._courant = None


def formulaires(html: str) -> list[dict]:
    """Every form of the page: {"action", "methode", "champs": [[name, value], …]} in document order."""
    lecteur = _Lecteur()
    lecteur.feed(html)
    lecteur.close()
    return lecteur.formulaires


def formulaire(html: str, action_finit_par: str) -> list[list[str]] | None:
    """The fields of the first POST form whose action ends with `action_finit_par` (the CSRF token left out: the
    load gives its own), or None when the page has no such form."""
    for f in formulaires(html):
        if f["methode"] == "post" and f["action"].split("?")[0].endswith(action_finit_par):
            return [champ for champ in f["champs"] if champ[0] != CHAMP_CSRF]
    return None


def remplacer(champs: list[list[str]], nom: str, valeur: str) -> list[list[str]]:
    """The fields with `nom` set to `valeur` (added when absent)."""
    if not any(champ[0] == nom for champ in champs):
        return [*champs, [nom, valeur]]
    return [[n, valeur if n == nom else v] for n, v in champs]


def corps(champs: list[list[str]], jeton_csrf: str) -> str:
    """The urlencoded body, with the CSRF token that matches the bench's csrftoken cookie."""
    return urlencode([(CHAMP_CSRF, jeton_csrf), *[(n, v) for n, v in champs]])
