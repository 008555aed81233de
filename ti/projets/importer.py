"""Import of a territory's existing fiches-action from a spreadsheet (CSV or XLSX), all or nothing.

- `analyser` reads the whole file and checks every row; it returns an `Analyse`: the rows as they will be created,
  and every error and warning with its line and column. It writes nothing and makes a fixed number of queries.
- What it finds is declared in `ti.projets.import_analyse`; the checks over the whole file (communes, repeated
  titles) are in `ti.projets.import_controles`.
- `ti.projets.import_ecriture.ecrire` writes a valid analysis in bulk, inside a transaction.
- The columns and the reading of each cell are declared in `ti.projets.import_colonnes`; the template to fill is
  made by `ti.projets.import_modele` from the same declaration.

One row is one fiche-action; its financing lines sit in numbered groups of columns (« Financeur 1 », « Montant 1 »,
« Financeur 2 »…) so that sorting or filtering the spreadsheet never separates a fiche from its financing.
See docs/decisions/0009-import-projets.md.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Left
from django.db.models.lookups import In

from ti.core import tableaux
from ti.core.formats import euros
from ti.core.texte import cle_recherche
from ti.projets import import_controles
from ti.projets.import_analyse import Analyse, LigneLue, Remarque, phrase
from ti.projets.import_cellules import Invalide, cles_des_themes, lire_valeur
from ti.projets.import_colonnes import COLONNES, Colonne, lettre_de_colonne, reconnaitre, valeurs_possibles
from ti.projets.models import Axe, Projet, StatutFinancement, Theme
from ti.referentiel.models import Commune
from ti.territoires.models import Territoire

TAILLE_MAX = 5 * 1024 * 1024  # octets
LIGNES_MAX = 5000


# Reading and checking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A column of the file: its place, its header as written, what it fills (`groupe`: its financing line)."""

    rang: int
    entete: str
    colonne: Colonne
    groupe: int | None = None

    @property
    def cle(self) -> str:
        return self.colonne.cle

    @property
    def lettre(self) -> str:
        return lettre_de_colonne(self.rang)


def analyser(*, territoire: Territoire, contenu: bytes, nom_fichier: str) -> Analyse:
    """Read and check the whole file against the territory. Writes nothing; at most 6 queries whatever the file."""
    analyse = Analyse(territoire=territoire, fichier=nom_fichier)
    if len(contenu) > TAILLE_MAX:
        analyse.erreurs.append(
            Remarque(f"Le fichier pèse {_mo(len(contenu))} : {_mo(TAILLE_MAX)} au plus. Découpez-le en plusieurs.")
        )
        return analyse
    try:
        tableau = tableaux.lire_tableau(contenu, lignes_max=LIGNES_MAX)
    except tableaux.TableauIllisible as e:
        message = phrase(e.message)
        if message.startswith("CSV illisible"):
            message += " Un guillemet est-il resté ouvert ?"
        analyse.erreurs.append(Remarque(message, e.ligne))
        return analyse
    analyse.format = tableau.format
    positions = _reconnaitre_les_colonnes(tableau.entete, analyse)
    if analyse.erreurs:
        return analyse
    if not tableau.lignes:
        analyse.erreurs.append(Remarque(phrase(tableaux.AUCUNE_DONNEE)))
        return analyse

    contexte = Contexte(territoire)
    analyse.libelles_themes = {theme.code: theme.libelle for theme in contexte.themes.values()}
    for numero, valeurs in tableau.lignes:
        analyse.lignes.append(_lire_ligne(numero, valeurs, len(tableau.entete), positions, contexte, analyse))
    import_controles.resoudre_les_communes(analyse, positions, contexte)
    import_controles.signaler_les_doublons(analyse, positions, contexte)
    analyse.erreurs.sort(key=_ordre_de_lecture)
    analyse.avertissements.sort(key=_ordre_de_lecture)
    return analyse


def _ordre_de_lecture(remarque: Remarque) -> tuple[int, int]:
    return remarque.ligne or 0, remarque.rang


def _reconnaitre_les_colonnes(entete: list[str], analyse: Analyse) -> list[Position]:
    positions, vues = [], {}
    for rang, nom in enumerate(entete):
        if not _a_un_nom(nom):
            continue  # a column without a header: Excel leaves such columns; its cells are ignored
        reconnue = reconnaitre(nom)
        if reconnue is None:
            analyse.avertissements.append(
                Remarque(f"Colonne « {nom} » inconnue : elle est ignorée.", 1, nom, lettre_de_colonne(rang), rang)
            )
            continue
        position = Position(rang, nom, *reconnue)
        deja = vues.get((position.cle, position.groupe))
        if deja is not None:
            analyse.erreurs.append(
                Remarque(
                    f"Cette colonne fait double emploi avec la colonne {deja.lettre} « {deja.entete} » : "
                    "gardez-en une seule.",
                    1,
                    nom,
                    position.lettre,
                    rang,
                )
            )
            continue
        vues[(position.cle, position.groupe)] = position
        positions.append(position)
    manquantes = [c.intitule for c in COLONNES if c.obligatoire and (c.cle, None) not in vues]
    if manquantes:
        trouvees = ", ".join(f"« {nom} »" for nom in entete if nom) or "aucune"
        analyse.erreurs.append(
            Remarque(
                f"{'Colonne obligatoire absente' if len(manquantes) == 1 else 'Colonnes obligatoires absentes'} : "
                f"{', '.join(manquantes)}. Colonnes trouvées : {trouvees}. Partez du modèle à télécharger.",
                1,
            )
        )
    return positions


def _a_un_nom(nom: str) -> bool:
    return bool(nom.strip().strip("*").strip())


class Contexte:
    """What the rows are checked against, read once: themes, the territory's communes, and its fiches whose title
    the file repeats (3 queries)."""

    def __init__(self, territoire: Territoire):
        self.territoire = territoire
        self.themes = cles_des_themes(Theme.objects.all())
        self.perimetre = {c.code: c for c in Commune.objects.filter(appartenances__territoire=territoire)}
        self.par_nom: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.perimetre.values():
            self.par_nom[commune.nom_recherche].append(commune)

    def titres_deja_pris(self, cles: set[str]) -> set[str]:
        """Those of these title keys (`cle_recherche`) that an active fiche of the territory has already. A fiche's
        search text starts with its title's key: only the fiches whose text starts with one of them are read (one
        `IN` per length of key), then compared on their title, not the territory's hundreds of titles each time."""
        par_longueur = defaultdict(set)
        for cle in cles:
            if cle:  # a title of punctuation alone has no key to compare
                par_longueur[len(cle)].add(cle)
        if not par_longueur:
            return set()
        debuts = Q()
        for longueur, groupe in par_longueur.items():
            debuts |= Q(In(Left("texte_recherche", longueur), sorted(groupe)))
        candidates = Projet.objects.actifs().filter(debuts, territoire=self.territoire)
        return cles & {cle_recherche(titre) for titre in candidates.values_list("titre", flat=True)}


def _lire_ligne(numero, valeurs, largeur, positions, contexte, analyse) -> LigneLue:
    lue = LigneLue(ligne=numero)

    def remarque(position: "Position | None", message: str) -> Remarque:
        if position is None:
            return Remarque(message, numero)
        return Remarque(message, numero, position.entete, position.lettre, position.rang)

    def erreur(position: Position | None, message: str):
        lue.erreurs += 1
        analyse.erreurs.append(remarque(position, message))

    en_trop = [v for v in valeurs[largeur:] if v]
    if en_trop:
        erreur(
            None,
            f"La ligne compte {largeur + len(en_trop)} valeurs pour {largeur} colonnes : un texte contenant le "
            "séparateur n’est-il pas entouré de guillemets ? Les valeurs étant décalées, la ligne n’est pas lue "
            "plus avant.",
        )
        return lue

    position_de = {(p.cle, p.groupe): p for p in positions}
    refusees = set()  # (cle, groupe) of the cells whose value was refused: « missing » is not said on top
    groupes: dict[int, dict] = defaultdict(dict)  # financing line → {cle: value} of its filled cells
    for position in positions:
        texte = valeurs[position.rang]
        colonne = position.colonne
        try:
            valeur = lire_valeur(colonne, texte, contexte.themes)
        except Invalide as e:
            erreur(position, str(e))
            refusees.add((position.cle, position.groupe))
            continue
        if position.groupe is not None:
            if texte:
                groupes[position.groupe][colonne.cle] = valeur
        elif colonne.nature == "themes":
            lue.themes = valeur
        elif colonne.nature == "commune":
            lue.commune_lue = valeur
        elif valeur is not None:
            lue.valeurs[colonne.cle] = valeur

    if not lue.valeurs.get("titre") and ("titre", None) not in refusees:
        erreur(position_de[("titre", None)], "Le titre est obligatoire.")
    if not lue.valeurs.get("axe") and ("axe", None) not in refusees:
        erreur(position_de[("axe", None)], f"L’axe est obligatoire ; {valeurs_possibles(Axe)}.")
    debut, fin = lue.valeurs.get("date_debut"), lue.valeurs.get("date_fin")
    if debut and fin and fin < debut:
        erreur(
            position_de[("date_fin", None)],
            f"La date de fin ({fin:%d/%m/%Y}) précède la date de début ({debut:%d/%m/%Y}).",
        )

    numeros = sorted({groupe for (_, groupe) in refusees if groupe is not None} | set(groupes))
    for groupe in numeros:
        refusees_du_groupe = {cle for (cle, g) in refusees if g == groupe}
        remplies = set(groupes[groupe]) | refusees_du_groupe
        premiere = min((p for (_, g), p in position_de.items() if g == groupe), key=lambda p: p.rang)
        complete = True
        for cle, quoi in (("financeur", "le financeur"), ("montant", "le montant")):
            if cle not in remplies:
                complete = False
                erreur(position_de.get((cle, groupe), premiere), f"Financement {groupe} : {quoi} manque.")
        if complete and not refusees_du_groupe:
            ligne = groupes[groupe]
            lue.financements.append(
                {
                    "financeur": ligne["financeur"],
                    "dispositif": ligne.get("dispositif", ""),
                    "montant": ligne["montant"],
                    "statut": ligne.get("statut") or StatutFinancement.SOLLICITE,
                }
            )

    budget = lue.valeurs.get("budget")
    if budget is not None and lue.financements and lue.total_financements > budget:
        analyse.avertissements.append(
            remarque(
                position_de[("budget", None)],
                f"Le total des financements ({euros(lue.total_financements)}) dépasse le budget ({euros(budget)}).",
            )
        )
    return lue


def _mo(octets: int) -> str:
    return f"{octets / 1024 / 1024:.1f} Mo".replace(".0 Mo", " Mo").replace(".", ",")
