"""Demo fiches-action for the 12 Centre-Val de Loire phase 2 territories (`manage.py charger_demo`), read from
data/demo/fiches-action.toml.

Inspired by the préfecture de région's announcement of 16 February 2024 (seed 001): the fabrication additive
platform and the digital skills course in Berry-Sologne, the GPECT of Grand-Est Touraine, the écologie industrielle
et territoriale of Sologne Val de Cher, the sobriété foncière of Dreux, the Fonds vert envelope for decarbonation and
skills, the « choc » and « rebond industriel » missions. Everything else is invented: companies, associations and
training bodies carry « (fictive) » in their name and a made-up SIRET whose Luhn keys are right; public porteurs are
the territories' real EPCI, named from the référentiel, without a SIRET (we do not invent an establishment number for
a real body); no person is named.

The fiches are written through `ti.projets.actions.fiches.creer_projet`, like a chef de projet would (journal row,
SIRET and perimeter checks, plan d'action kept in step): by the demo chef de projet in Est du Loiret, by the demo
national team elsewhere. Each fiche gets a stable identifier (uuid5 of its territory and key): a second run finds
them and creates nothing, and leaves alone what users changed since.
"""

import tomllib
import uuid
import zlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.db import transaction

from ti.comptes.demo import DOMAINE
from ti.comptes.models import Utilisateur
from ti.core.validateurs import cle_luhn_valide
from ti.projets import referentiels
from ti.projets.actions import fiches, plans
from ti.projets.models import (
    Axe,
    Competence,
    Levier,
    PhaseProjet,
    Projet,
    StatutFinancement,
    StatutPhase,
    Theme,
    TypePorteur,
)
from ti.territoires.demo import TerritoiresManquants, territoires_par_nom
from ti.territoires.models import CommuneTerritoire, Territoire

ESPACE = uuid.UUID("6f1c2d4e-8a0b-4c3d-9e5f-7a1b2c3d4e5f")  # the namespace of the demo fiches' uuid5
CHEF_DE_PROJET = f"chef-projet-est-loiret@{DOMAINE}"  # Est du Loiret, from ti/comptes/demo.py
EQUIPE_NATIONALE = f"equipe-nationale@{DOMAINE}"
TERRITOIRE_DU_CHEF = "Est du Loiret"
FICHIER = settings.BASE_DIR / "data" / "demo" / "fiches-action.toml"


class DonneesManquantes(Exception):
    """The territories or the demo accounts the fiches need are not loaded yet."""


@dataclass(frozen=True)
class FicheDemo:
    cle: str  # stable key within the territory: with it, the fiche's uuid5
    titre: str
    description: str
    axe: Axe
    themes: tuple[str, ...]
    phase: PhaseProjet
    statut: StatutPhase
    commune: str  # INSEE code, expected in the perimeter (otherwise a commune of the perimeter is chosen)
    porteur: str  # "" for the EPCI of the commune
    porteur_type: TypePorteur
    budget: int
    financements: tuple[tuple[str, str, int, str], ...] = ()  # (financeur, dispositif, montant, statut)
    debut: tuple[int, int] = (2024, 3)
    duree_mois: int = 24
    emplois_crees: int | None = None
    emplois_maintenus: int | None = None
    tco2e: int | None = None
    hectares: str | None = None
    public: bool = True
    objectifs: str = ""
    partenaires: str = ""
    referent: str = "Chargé(e) de mission développement économique"
    investissement: bool = False  # the budget is an industrial investment


class FichierDemoInvalide(Exception):
    """The demo data file names a code the models do not know, or a field FicheDemo does not have."""


def _fiche(ligne: dict) -> FicheDemo:
    """One fiche of the file: its codes turned into the models' choices (ValueError on an unknown one)."""
    codes = {
        "axe": Axe(ligne.pop("axe")),
        "phase": PhaseProjet(ligne.pop("phase")),
        "statut": StatutPhase(ligne.pop("statut")),
        "porteur_type": TypePorteur(ligne.pop("porteur_type")),
        "themes": tuple(ligne.pop("themes")),
        "debut": tuple(ligne.pop("debut", (2024, 3))),
        "financements": tuple(
            (f["financeur"], f["dispositif"], f["montant"], StatutFinancement(f["statut"]))
            for f in ligne.pop("financements", [])
        ),
    }
    return FicheDemo(**ligne, **codes)


@cache
def fiches_demo(chemin=FICHIER) -> dict[str, tuple[FicheDemo, ...]]:
    """The demo fiches by territory name, in the file's order. A wrong code stops with the fiche it is in."""
    with open(chemin, "rb") as fichier:
        lignes = tomllib.load(fichier)["fiche"]
    fiches_par_territoire: dict[str, list[FicheDemo]] = {}
    for rang, ligne in enumerate(lignes, start=1):
        ligne = dict(ligne)
        territoire = ligne.pop("territoire", "")
        try:
            fiche = _fiche(ligne)
        except (KeyError, TypeError, ValueError) as erreur:
            ou = f"{chemin.name}, fiche n° {rang} ({territoire or 'sans territoire'})"
            raise FichierDemoInvalide(f"{ou} : {erreur}") from erreur
        fiches_par_territoire.setdefault(territoire, []).append(fiche)
    return {nom: tuple(fiches_) for nom, fiches_ in fiches_par_territoire.items()}


def siret_fictif(cle: str) -> str:
    """A made-up SIRET, the same for the same key, whose SIREN (9 digits) and SIRET (14) Luhn keys are right."""
    graine = zlib.crc32(cle.encode())
    siren = _avec_cle(f"9{graine % 10_000_000:07d}")
    return _avec_cle(f"{siren}{graine % 997 + 1:04d}")


def _avec_cle(debut: str) -> str:
    """`debut` followed by the one digit that makes the Luhn key right."""
    return next(debut + chiffre for chiffre in "0123456789" if cle_luhn_valide(debut + chiffre))


def uuid_de(identifiant: str, cle: str) -> uuid.UUID:
    return uuid.uuid5(ESPACE, f"{identifiant}/{cle}")


def _fin(debut: date, mois: int) -> date:
    annee, mois_ = divmod(debut.month - 1 + mois, 12)
    return date(debut.year + annee, mois_ + 1, 1)


def _communes(territoire: Territoire) -> tuple[dict, list]:
    """The perimeter's communes by code, and in a fixed order (largest first) for the fallback."""
    appartenances = CommuneTerritoire.objects.filter(territoire=territoire).select_related("commune__epci")
    communes = sorted((a.commune for a in appartenances), key=lambda c: (-c.population, c.code))
    return {c.code: c for c in communes}, communes


def _donnees(fiche: FicheDemo, commune, themes: dict) -> dict:
    debut = date(*fiche.debut, 1)
    if fiche.porteur:
        porteur = {"porteur_nom": fiche.porteur, "porteur_siret": siret_fictif(fiche.porteur)}
    else:
        porteur = {"porteur_nom": commune.epci.nom if commune and commune.epci else "", "porteur_siret": ""}
    return {
        "titre": fiche.titre,
        "description": fiche.description,
        "objectifs": fiche.objectifs,
        **porteur,
        "porteur_type": fiche.porteur_type,
        "referent_fonction": fiche.referent,
        "axe": fiche.axe,
        "themes": [themes[code] for code in fiche.themes],
        "phase": fiche.phase,
        "phase_statut": fiche.statut,
        "commune": commune,
        "date_debut": debut,
        "date_fin": _fin(debut, fiche.duree_mois),
        "budget": Decimal(fiche.budget),
        "emplois_crees": fiche.emplois_crees,
        "emplois_maintenus": fiche.emplois_maintenus,
        "investissement": Decimal(fiche.budget) if fiche.investissement else None,
        "tco2e_evitees": Decimal(fiche.tco2e) if fiche.tco2e is not None else None,
        "hectares": Decimal(fiche.hectares) if fiche.hectares is not None else None,
        "partenaires": fiche.partenaires,
        "public": fiche.public,
    }


def _auteurs() -> tuple[Utilisateur | None, Utilisateur]:
    comptes = {u.email: u for u in Utilisateur.objects.filter(email__in=[CHEF_DE_PROJET, EQUIPE_NATIONALE])}
    if EQUIPE_NATIONALE not in comptes:
        raise DonneesManquantes(
            "Le compte de démonstration de l’équipe nationale est introuvable : chargez d’abord les comptes de "
            "démonstration (manage.py charger_demo)."
        )
    return comptes.get(CHEF_DE_PROJET), comptes[EQUIPE_NATIONALE]


@transaction.atomic
def charger_projets_demo() -> list[Projet]:
    """Create the demo fiches that do not exist yet (found by their uuid); returns those created.

    Then makes sure Est du Loiret has its plan d'action (version 1 in brouillon on a fresh database)."""
    fiches_par_territoire = fiches_demo()
    try:
        territoires = territoires_par_nom(fiches_par_territoire)
    except TerritoiresManquants as e:
        raise DonneesManquantes(str(e)) from e
    chef, equipe_nationale = _auteurs()
    themes = Theme.objects.in_bulk()
    if (
        not {code for fiches_ in fiches_par_territoire.values() for fiche in fiches_ for code in fiche.themes}
        <= themes.keys()
    ):
        # Loaded by a data migration, but a test database flushed since (browser journeys) has lost them.
        referentiels.charger(Theme, Competence, Levier)
        themes = Theme.objects.in_bulk()
    existants = set(Projet.objects.filter(territoire__in=territoires.values()).values_list("uuid", flat=True))
    crees = []
    for nom, fiches_du_territoire in fiches_par_territoire.items():
        territoire = territoires[nom]
        # Keyed on the identifier, which never changes: a base whose territories were carried over finds its fiches.
        a_creer = [(f, uuid_de(territoire.identifiant, f.cle)) for f in fiches_du_territoire]
        a_creer = [(f, u) for f, u in a_creer if u not in existants]
        if not a_creer:
            continue
        par_code, ordonnees = _communes(territoire)
        auteur = chef if nom == TERRITOIRE_DU_CHEF and chef is not None else equipe_nationale
        for rang, (fiche, identite) in enumerate(a_creer):
            # A perimeter changed since (an official file imported) may no longer hold the intended commune.
            commune = par_code.get(fiche.commune) or (ordonnees[rang % len(ordonnees)] if ordonnees else None)
            donnees = _donnees(fiche, commune, themes)
            financements = [
                {"financeur": f, "dispositif": d, "montant": Decimal(m), "statut": s}
                for f, d, m, s in fiche.financements
            ]
            projet = fiches.creer_projet(territoire=territoire, par=auteur, donnees=donnees, financements=financements)
            Projet.objects.filter(pk=projet.pk).update(uuid=identite)  # a stable identity: the next run finds it
            crees.append(projet)

    # Creating a fiche already opens version 1 (`noter_changement`); this finds it, or opens it if all were there.
    plans.plan_courant(territoire=territoires[TERRITOIRE_DU_CHEF], par=chef or equipe_nationale)
    return crees
