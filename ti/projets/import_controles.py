"""The checks of an import of fiches-action that look at the whole file at once, after each row is read: communes
resolved against the territory's perimeter in a fixed number of queries, titles that repeat."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ti.core.texte import cle_recherche
from ti.core.validateurs import chiffres_ascii
from ti.projets.import_analyse import Analyse, Remarque
from ti.projets.import_colonnes import TITRE_EXEMPLE
from ti.referentiel.models import Commune
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.models import Territoire

if TYPE_CHECKING:
    from ti.projets.importer import Contexte, Position

CODE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}", re.IGNORECASE | re.ASCII)


def resoudre_les_communes(analyse: Analyse, positions: list[Position], contexte: Contexte) -> None:
    """Codes and names to communes in 3 queries for the whole file; each must lie in the territory's perimeter."""
    position = next((p for p in positions if p.cle == "commune"), None)
    if position is None:
        return
    lues = [ligne for ligne in analyse.lignes if ligne.commune_lue]
    codes = {ligne.commune_lue.upper() for ligne in lues if CODE_INSEE.fullmatch(ligne.commune_lue)}
    resolutions = resoudre_communes(codes)
    noms = {
        cle_recherche(ligne.commune_lue)
        for ligne in lues
        if not chiffres_ascii(ligne.commune_lue) and not CODE_INSEE.fullmatch(ligne.commune_lue)
    }
    ailleurs: dict[str, list[Commune]] = defaultdict(list)
    hors_perimetre = [nom for nom in noms if nom and nom not in contexte.par_nom]
    if hors_perimetre:
        for commune in Commune.objects.filter(nom_recherche__in=hors_perimetre).order_by("code"):
            ailleurs[commune.nom_recherche].append(commune)
    codes_postaux = defaultdict(list)
    for commune in contexte.perimetre.values():
        for code_postal in commune.codes_postaux.split():
            codes_postaux[code_postal].append(commune)
    territoire = contexte.territoire

    for ligne in lues:
        texte = ligne.commune_lue

        def erreur(message, ligne=ligne):
            ligne.erreurs += 1
            analyse.erreurs.append(Remarque(message, ligne.ligne, position.entete, position.lettre, position.rang))

        if CODE_INSEE.fullmatch(texte):
            resolution = resolutions[texte.upper()]
            commune = resolution.commune
            if commune is None:
                erreur(
                    f"Code commune « {texte} » inconnu du référentiel géographique (COG)."
                    + _code_postal(texte, codes_postaux)
                )
                continue
            if commune.code not in contexte.perimetre:
                erreur(_hors_perimetre(commune, territoire) + _code_postal(texte, codes_postaux))
                continue
            if resolution.via_chef_lieu:
                analyse.avertissements.append(
                    Remarque(
                        f"Le code {texte} est celui d’une commune déléguée, associée ou d’un arrondissement : la "
                        f"fiche sera rattachée à {commune.nom} ({commune.code}).",
                        ligne.ligne,
                        position.entete,
                        position.lettre,
                        position.rang,
                    )
                )
            ligne.commune = commune
        elif chiffres_ascii(texte):
            message = f"Code commune « {texte} » invalide : 5 caractères attendus (chiffres, ou 2A / 2B pour la Corse)."
            if len(texte) == 4:
                message += " Le zéro initial a-t-il été supprimé par le tableur ?"
            erreur(message)
        else:
            cle = cle_recherche(texte)
            dans_le_perimetre = contexte.par_nom.get(cle, [])
            if len(dans_le_perimetre) == 1:
                ligne.commune = dans_le_perimetre[0]
            elif dans_le_perimetre:
                codes_possibles = ", ".join(c.code for c in sorted(dans_le_perimetre, key=lambda c: c.code))
                erreur(
                    f"Plusieurs communes du périmètre s’appellent « {texte} » : indiquez le code INSEE "
                    f"({codes_possibles})."
                )
            elif len(ailleurs.get(cle, [])) == 1:
                erreur(_hors_perimetre(ailleurs[cle][0], territoire))
            elif ailleurs.get(cle):
                codes_ailleurs = ", ".join(c.code for c in ailleurs[cle][:5]) + ("…" if len(ailleurs[cle]) > 5 else "")
                erreur(
                    f"Aucune commune du périmètre du territoire {territoire.nom} ne s’appelle « {texte} » "
                    f"(il en existe ailleurs : {codes_ailleurs})."
                )
            else:
                erreur(
                    f"Commune « {texte} » inconnue du référentiel géographique : vérifiez l’orthographe ou "
                    "indiquez le code INSEE."
                )


def _hors_perimetre(commune: Commune, territoire: Territoire) -> str:
    return f"La commune {commune.nom} ({commune.code}) n’est pas dans le périmètre du territoire {territoire.nom}."


def _code_postal(texte: str, codes_postaux: dict) -> str:
    communes = codes_postaux.get(texte)
    if not communes:
        return ""
    noms = ", ".join(f"{c.nom} ({c.code})" for c in communes)
    return f" {texte} est un code postal du territoire : indiquez le code INSEE de la commune, {noms}."


def signaler_les_doublons(analyse: Analyse, positions: list[Position], contexte: Contexte) -> None:
    """Titles that repeat in the file, that the territory already has, or that are the template's example."""
    position = next((p for p in positions if p.cle == "titre"), None)
    if position is None:
        return
    premieres: dict[str, int] = {}
    deja_pris = contexte.titres_deja_pris({cle_recherche(ligne.titre) for ligne in analyse.lignes if ligne.titre})

    def avertir(ligne, message):
        analyse.avertissements.append(Remarque(message, ligne.ligne, position.entete, position.lettre, position.rang))

    for ligne in analyse.lignes:
        if not ligne.titre:
            continue
        cle = cle_recherche(ligne.titre)
        if cle in premieres:
            avertir(
                ligne,
                f"Le titre « {ligne.titre} » figure déjà ligne {premieres[cle]} : deux fiches-action seront créées.",
            )
        else:
            premieres[cle] = ligne.ligne
        if cle in deja_pris:
            avertir(
                ligne, f"Une fiche-action du territoire s’intitule déjà « {ligne.titre} » : une seconde sera créée."
            )
        if ligne.titre == TITRE_EXEMPLE:
            avertir(ligne, "C’est la ligne d’exemple du modèle : supprimez-la si elle ne décrit pas un vrai projet.")
