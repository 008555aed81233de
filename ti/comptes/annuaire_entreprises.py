"""The public company directory (API « Recherche d’entreprises », https://recherche-entreprises.api.gouv.fr), asked
whether a claimed SIRET names an open establishment, and for its company's name and address.

Asked only when `ANNUAIRE_ENTREPRISES_VERIFICATION` is on (production), with a short timeout: the answer is one of
- `Reponse(trouve=True, …)`: the establishment, its name and address;
- `Reponse(trouve=False, …)`: the directory knows no open establishment with that SIRET (the claim is refused);
- `None`: the directory did not answer (down, slow, unreadable): the claim is kept « à vérifier » and said so.
The tests give a recorded response (tests/comptes/donnees/), never the network.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

journal = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reponse:
    trouve: bool
    nom: str = ""
    adresse: str = ""
    ferme: bool = False


def _telecharger(url: str, delai: float) -> bytes:
    requete = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "territoires-industrie"})
    with urllib.request.urlopen(requete, timeout=delai) as reponse:  # noqa: S310 (a fixed https address)
        return reponse.read(1_000_000)


def lire_reponse(siret: str, contenu: bytes) -> Reponse:
    """The establishment whose SIRET is `siret` in a response of `/search?q=<siret>`."""
    donnees = json.loads(contenu)
    for entreprise in donnees.get("results") or []:
        etablissements = [entreprise.get("siege") or {}, *(entreprise.get("matching_etablissements") or [])]
        for etablissement in etablissements:
            if etablissement.get("siret") == siret:
                return Reponse(
                    trouve=True,
                    nom=(entreprise.get("nom_complet") or entreprise.get("nom_raison_sociale") or "")[:200],
                    adresse=(etablissement.get("adresse") or "")[:300],
                    ferme=etablissement.get("etat_administratif") == "F",
                )
    return Reponse(trouve=False)


def interroger(siret: str) -> Reponse | None:
    """The directory's answer for this SIRET, or None when it cannot be had (see the module's docstring)."""
    url = f"{settings.ANNUAIRE_ENTREPRISES_URL}?{urllib.parse.urlencode({'q': siret})}"
    try:
        return lire_reponse(siret, _telecharger(url, settings.ANNUAIRE_ENTREPRISES_DELAI))
    except (OSError, urllib.error.URLError, ValueError, AttributeError, TypeError) as erreur:
        journal.warning("Annuaire des entreprises injoignable ou illisible pour le SIRET %s : %s", siret, erreur)
        return None
