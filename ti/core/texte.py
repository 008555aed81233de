"""Text helpers for search: accent- and case-insensitive keys that work on SQLite and PostgreSQL alike."""

import re
import unicodedata

_SEPARATEURS = re.compile(r"[\s'’\-_.,;/()]+")


def cle_recherche(texte: str) -> str:
    """« Saint-Étienne-du-Rouvray » → « saint etienne du rouvray »."""
    espaces = _SEPARATEURS.sub(" ", texte.lower())
    return unicodedata.normalize("NFKD", espaces).encode("ascii", "ignore").decode("ascii").strip()
