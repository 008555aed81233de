"""Import of a territory's existing fiches-action from a spreadsheet (CSV or XLSX), all or nothing.

- `analyser` reads the whole file and checks every row; it returns an `Analyse`: the rows as they will be created,
  and every error and warning with its line and column. It writes nothing and makes a fixed number of queries.
- `ecrire` writes a valid analysis in bulk; call it inside a transaction (`ti.projets.actions.imports` does).
- The columns and the reading of each cell are declared in `ti.projets.import_colonnes`; the template to fill is
  made by `ti.projets.import_modele` from the same declaration.

One row is one fiche-action; its financing lines sit in numbered groups of columns (« Financeur 1 », « Montant 1 »,
« Financeur 2 »…) so that sorting or filtering the spreadsheet never separates a fiche from its financing.
See docs/decisions/0009-import-projets.md.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from ti.core import tableaux
from ti.core.cache import invalider
from ti.core.formats import euros
from ti.core.models import Journal
from ti.core.texte import cle_recherche
from ti.core.validateurs import chiffres_ascii
from ti.projets.import_colonnes import (
    COLONNES,
    TITRE_EXEMPLE,
    Colonne,
    Invalide,
    cles_des_themes,
    lettre_de_colonne,
    lire_valeur,
    reconnaitre,
    valeurs_possibles,
)
from ti.projets.models import Axe, LigneFinancement, Projet, StatutFinancement, Theme
from ti.referentiel.models import Commune
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.models import Territoire

TAILLE_MAX = 5 * 1024 * 1024  # octets
LIGNES_MAX = 5000
CODE_INSEE = re.compile(r"\d{5}|2[AB]\d{3}", re.IGNORECASE | re.ASCII)


# What an analysis finds ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remarque:
    """An error or a warning: what, where (line of the file, column letter and header as written)."""

    message: str
    ligne: int | None = None
    colonne: str = ""
    lettre: str = ""
    rang: int = -1  # the column's position, to sort the report as the file reads

    @property
    def position(self) -> str:
        morceaux = []
        if self.ligne:
            morceaux.append(f"ligne {self.ligne}")
        if self.colonne:
            morceaux.append(
                f"colonne {self.lettre} « {self.colonne} »" if self.lettre else f"colonne « {self.colonne} »"
            )
        return ", ".join(morceaux)

    def __str__(self):
        return f"{_phrase(self.position)} : {self.message}" if self.position else self.message


@dataclass
class LigneLue:
    """One row of the file, as the fiche-action it will become."""

    ligne: int
    valeurs: dict = field(default_factory=dict)  # field of Projet → value
    themes: list[str] = field(default_factory=list)  # Theme codes
    financements: list[dict] = field(default_factory=list)  # financeur, dispositif, montant, statut
    commune_lue: str = ""
    commune: Commune | None = None
    erreurs: int = 0

    @property
    def titre(self) -> str:
        return self.valeurs.get("titre", "")

    @property
    def axe(self) -> str:
        return Axe(self.valeurs["axe"]).label if self.valeurs.get("axe") else ""

    @property
    def budget(self) -> Decimal | None:
        return self.valeurs.get("budget")

    @property
    def total_financements(self) -> Decimal:
        return sum((ligne["montant"] for ligne in self.financements if ligne.get("montant") is not None), Decimal(0))


@dataclass
class Analyse:
    """What `analyser` found. `valide` means every row can be written; `ecrire` refuses anything else."""

    territoire: Territoire
    fichier: str
    format: str = ""
    lignes: list[LigneLue] = field(default_factory=list)
    erreurs: list[Remarque] = field(default_factory=list)
    avertissements: list[Remarque] = field(default_factory=list)
    libelles_themes: dict[str, str] = field(default_factory=dict)  # code → label, for the journal

    @property
    def valide(self) -> bool:
        return not self.erreurs and bool(self.lignes)

    @property
    def lignes_en_erreur(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.erreurs)

    @property
    def budget_total(self) -> Decimal:
        return sum((ligne.budget for ligne in self.lignes if ligne.budget is not None), Decimal(0))

    @property
    def financements_total(self) -> Decimal:
        return sum((ligne.total_financements for ligne in self.lignes), Decimal(0))


# Reading and checking ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Position:
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
        message = _phrase(e.message)
        if message.startswith("CSV illisible"):
            message += " Un guillemet est-il resté ouvert ?"
        analyse.erreurs.append(Remarque(message, e.ligne))
        return analyse
    analyse.format = tableau.format
    positions = _reconnaitre_les_colonnes(tableau.entete, analyse)
    if analyse.erreurs:
        return analyse
    if not tableau.lignes:
        analyse.erreurs.append(Remarque(_phrase(tableaux.AUCUNE_DONNEE)))
        return analyse

    contexte = _Contexte(territoire)
    analyse.libelles_themes = {theme.code: theme.libelle for theme in contexte.themes.values()}
    for numero, valeurs in tableau.lignes:
        analyse.lignes.append(_lire_ligne(numero, valeurs, len(tableau.entete), positions, contexte, analyse))
    _resoudre_les_communes(analyse, positions, contexte)
    _signaler_les_doublons(analyse, positions, contexte)
    analyse.erreurs.sort(key=_ordre_de_lecture)
    analyse.avertissements.sort(key=_ordre_de_lecture)
    return analyse


def _ordre_de_lecture(remarque: Remarque) -> tuple[int, int]:
    return remarque.ligne or 0, remarque.rang


def _reconnaitre_les_colonnes(entete: list[str], analyse: Analyse) -> list[_Position]:
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
        position = _Position(rang, nom, *reconnue)
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


class _Contexte:
    """What the rows are checked against, read once: themes, the territory's communes and fiches (3 queries)."""

    def __init__(self, territoire: Territoire):
        self.territoire = territoire
        self.themes = cles_des_themes(Theme.objects.all())
        self.perimetre = {c.code: c for c in Commune.objects.filter(appartenances__territoire=territoire)}
        self.par_nom: dict[str, list[Commune]] = defaultdict(list)
        for commune in self.perimetre.values():
            self.par_nom[commune.nom_recherche].append(commune)
        self.titres_existants = {
            cle_recherche(titre)
            for titre in Projet.objects.actifs().filter(territoire=territoire).values_list("titre", flat=True)
        }


def _lire_ligne(numero, valeurs, largeur, positions, contexte, analyse) -> LigneLue:
    lue = LigneLue(ligne=numero)

    def remarque(position: "_Position | None", message: str) -> Remarque:
        if position is None:
            return Remarque(message, numero)
        return Remarque(message, numero, position.entete, position.lettre, position.rang)

    def erreur(position: _Position | None, message: str):
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


def _resoudre_les_communes(analyse: Analyse, positions: list[_Position], contexte: _Contexte) -> None:
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


def _signaler_les_doublons(analyse: Analyse, positions: list[_Position], contexte: _Contexte) -> None:
    position = next((p for p in positions if p.cle == "titre"), None)
    if position is None:
        return
    premieres: dict[str, int] = {}

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
        if cle in contexte.titres_existants:
            avertir(
                ligne, f"Une fiche-action du territoire s’intitule déjà « {ligne.titre} » : une seconde sera créée."
            )
        if ligne.titre == TITRE_EXEMPLE:
            avertir(ligne, "C’est la ligne d’exemple du modèle : supprimez-la si elle ne décrit pas un vrai projet.")


# Writing -------------------------------------------------------------------------------------------------------


def ecrire(*, analyse: Analyse, par, motif: str = "") -> list[Projet]:
    """Create the fiches of a valid analysis, their themes, financing lines and journal rows, in bulk.

    Call it inside a transaction: a failure anywhere leaves nothing behind. A fixed number of queries on
    PostgreSQL; on SQLite, Django splits the inserts in batches of its 999-parameter limit."""
    if not analyse.valide:
        raise ValueError("Une analyse non valide ne s’écrit pas.")
    territoire = analyse.territoire
    auteur = par if par is not None and par.is_authenticated else None
    projets = []
    for ligne in analyse.lignes:
        projet = Projet(territoire=territoire, cree_par=auteur, commune=ligne.commune, **ligne.valeurs)
        projet.texte_recherche = projet.calculer_texte_recherche()  # bulk_create does not call save()
        projets.append(projet)
    Projet.objects.bulk_create(projets)

    Projet.themes.through.objects.bulk_create(
        Projet.themes.through(projet_id=projet.pk, theme_id=code)
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
        for code in ligne.themes
    )
    financements = [
        LigneFinancement(projet=projet, **financement)
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
        for financement in ligne.financements
    ]
    LigneFinancement.objects.bulk_create(financements)
    invalider()  # bulk writes send no signal (ti/core/invalidation.py)

    lignes_par_projet = defaultdict(list)
    for financement in financements:
        lignes_par_projet[financement.projet_id].append(financement)
    type_projet = ContentType.objects.get_for_model(Projet)
    Journal.objects.bulk_create(
        Journal(
            acteur=auteur,
            action="projet_cree",
            objet_type=type_projet,
            objet_id=str(projet.pk),
            objet_libelle=str(projet)[:255],
            details=_details_du_journal(projet, ligne, analyse.libelles_themes, lignes_par_projet[projet.pk]),
            motif=f"{motif} (ligne {ligne.ligne})" if motif else f"Import, ligne {ligne.ligne}",
        )
        for projet, ligne in zip(projets, analyse.lignes, strict=True)
    )
    return projets


def _details_du_journal(projet: Projet, ligne: LigneLue, libelles_themes: dict, financements: list) -> dict:
    """As `ti.projets.actions.fiches.creer_projet` writes them: {field: [None, value]} for what is filled."""
    details = {
        champ: [None, _pour_le_journal(valeur)]
        for champ, valeur in ligne.valeurs.items()
        if valeur not in (None, "", False)
    }
    if projet.commune is not None:
        details["commune"] = [None, str(projet.commune)]
    if ligne.themes:
        details["themes"] = [None, sorted(libelles_themes[code] for code in ligne.themes)]
    for financement in financements:
        details[f"financement.{financement.pk}"] = [
            None,
            {c: _pour_le_journal(getattr(financement, c)) for c in ("financeur", "dispositif", "montant", "statut")},
        ]
    return details


def _pour_le_journal(valeur):
    return str(valeur) if isinstance(valeur, Decimal | date) else valeur


# Helpers -------------------------------------------------------------------------------------------------------


def _mo(octets: int) -> str:
    return f"{octets / 1024 / 1024:.1f} Mo".replace(".0 Mo", " Mo").replace(".", ",")


def _phrase(texte: str) -> str:
    return texte[:1].upper() + texte[1:]
