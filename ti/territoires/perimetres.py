"""What a territory should become after an import (`PerimetreVoulu`), and its writing: only the rows that differ,
one audit row per territory created or changed. Used by the ANCT files' import (`ti.territoires.importer`) and the
demo (`ti.territoires.demo`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from ti.core.cache import invalider
from ti.core.formats import nombre
from ti.core.models import journaliser
from ti.core.texte import cle_recherche
from ti.referentiel.models import Commune
from ti.territoires.filiation import recalculer_filiations
from ti.territoires.identification import region_principale
from ti.territoires.models import CommuneTerritoire, Territoire

if TYPE_CHECKING:
    from ti.territoires.importer import RapportImport


@dataclass
class PerimetreVoulu:
    """What a territory should become: its name, its perimeter and what derives from it."""

    code: str
    nom: str
    perimetre: dict[str, tuple[str, bool]]  # commune code → (code_source, via_chef_lieu)
    epcis: set[str]
    departements: set[str]
    regions: set[str]
    population: int
    region_principale: str = ""  # the région holding most of the population: the prefix of a new code

    @classmethod
    def depuis(cls, *, code: str, nom: str, communes: Iterable[Commune], perimetre=None, epcis=None):
        """Départements, régions and population from the communes; EPCI too unless they are given."""
        communes = {commune.code: commune for commune in communes}
        population_par_region = Counter()
        for commune in communes.values():
            population_par_region[commune.region_id] += commune.population
        return cls(
            code=code,
            nom=nom,
            perimetre=perimetre if perimetre is not None else {c: (c, False) for c in communes},
            epcis=set(epcis) if epcis is not None else {c.epci_id for c in communes.values() if c.epci_id},
            departements={c.departement_id for c in communes.values()},
            regions={c.region_id for c in communes.values()},
            population=sum(c.population for c in communes.values()),
            region_principale=region_principale(population_par_region) if communes else "",
        )


def ecrire_perimetres(*, phase: int, voulus: list[PerimetreVoulu], rapport: RapportImport, motif: str) -> None:
    """Create or update the phase's territories as `voulus` says, writing only the rows that differ.

    Call it inside a transaction. Governance, description, partners and missions are never touched.
    """
    existants = {t.code: t for t in Territoire.objects.filter(phase=phase).select_for_update()}
    etats = {"perimetre": _etat(CommuneTerritoire, phase, "commune_id", ("code_source", "via_chef_lieu"))}
    etats |= {nom: _etat(getattr(Territoire, nom).through, phase, champ) for nom, champ in _LIENS.items()}

    maintenant = timezone.now()
    nouveaux = Territoire.objects.bulk_create(
        Territoire(
            identifiant=Territoire.identifiant_pour(phase, v.code),
            code=v.code,
            phase=phase,
            nom=v.nom,
            nom_recherche=cle_recherche(v.nom),  # bulk_create bypasses save()
            population=v.population,
            modifie_le=maintenant,
        )
        for v in voulus
        if v.code not in existants
    )
    existants |= {t.code: t for t in nouveaux}
    crees = {t.code for t in nouveaux}

    a_supprimer: dict[str, list[int]] = defaultdict(list)
    a_creer: dict[str, list] = defaultdict(list)
    a_mettre_a_jour, journal = [], []
    for voulu in voulus:
        territoire = existants[voulu.code]
        changements = _changements_identite(territoire, voulu)
        ajouts, retraits = _diff(etats["perimetre"][territoire.pk], voulu.perimetre, a_supprimer["perimetre"])
        a_creer["perimetre"] += [
            CommuneTerritoire(territoire=territoire, commune_id=c, code_source=s, via_chef_lieu=v)
            for c, (s, v) in ajouts.items()
        ]
        if ajouts or retraits:
            changements.append(f"périmètre (+{len(ajouts)} −{len(retraits)} communes)")
        for nom, champ in _LIENS.items():
            voulues = dict.fromkeys(getattr(voulu, nom), ())
            ajouts, retraits = _diff(etats[nom][territoire.pk], voulues, a_supprimer[nom])
            through = getattr(Territoire, nom).through
            a_creer[nom] += [through(territoire_id=territoire.pk, **{champ: cle}) for cle in ajouts]
            if ajouts or retraits:
                changements.append(f"{_LIBELLES[nom]} (+{len(ajouts)} −{len(retraits)})")
        if voulu.code in crees:
            rapport.crees.append(territoire.identifiant)
            resume = [f"{len(voulu.perimetre)} communes", f"{len(voulu.epcis)} EPCI"]
            journal.append((territoire, "territoire_cree_par_import", resume))
        elif changements:
            territoire.nom, territoire.nom_recherche = voulu.nom, cle_recherche(voulu.nom)
            territoire.population = voulu.population
            territoire.modifie_le = maintenant
            a_mettre_a_jour.append(territoire)
            rapport.modifies[territoire.identifiant] = changements
            journal.append((territoire, "territoire_mis_a_jour_par_import", changements))
        else:
            rapport.inchanges.append(territoire.identifiant)
        rapport.communes += len(voulu.perimetre)
        rapport.liens_epci += len(voulu.epcis)

    Territoire.objects.bulk_update(a_mettre_a_jour, ["nom", "nom_recherche", "population", "modifie_le"])
    modeles = {"perimetre": CommuneTerritoire} | {nom: getattr(Territoire, nom).through for nom in _LIENS}
    for nom, modele in modeles.items():
        for debut in range(0, len(a_supprimer[nom]), 5000):  # SQLite bounds the parameters of one query
            modele.objects.filter(pk__in=a_supprimer[nom][debut : debut + 5000]).delete()
        modele.objects.bulk_create(a_creer[nom], batch_size=2000)
    if nouveaux or a_mettre_a_jour:
        recalculer_filiations()
    invalider()  # bulk writes send no signal (ti/core/invalidation.py)
    # One audit row per territory created or changed: an identical re-run writes none.
    for territoire, action, changements in journal:
        journaliser(
            acteur=None,
            action=action,
            objet=territoire,
            details={"phase": phase, "fichier": rapport.fichier, "changements": changements},
            motif=motif,
        )
    dans_le_fichier = {v.code for v in voulus}
    rapport.absents = sorted(t.identifiant for code, t in existants.items() if code not in dans_le_fichier)


_LIENS = {"epcis": "epci_id", "departements": "departement_id", "regions": "region_id"}
_LIBELLES = {"epcis": "EPCI", "departements": "départements", "regions": "régions"}


def _etat(modele, phase: int, champ: str, valeurs: tuple[str, ...] = ()) -> dict[int, dict]:
    """For each territory of the phase: {key: (pk, *values)} of its rows in a link table, in one query."""
    etat: dict[int, dict] = defaultdict(dict)
    lignes = modele.objects.filter(territoire__phase=phase).values_list("territoire_id", champ, "pk", *valeurs)
    for territoire_id, cle, pk, *reste in lignes:
        etat[territoire_id][cle] = (pk, *reste)
    return etat


def _diff(existant: dict, voulu: dict, a_supprimer: list[int]) -> tuple[dict, list]:
    """Rows to add ({key: values}) and removed keys; the pks of rows to delete go to `a_supprimer`."""
    retraits = []
    for cle, (pk, *valeurs) in existant.items():
        if cle not in voulu or tuple(valeurs) != tuple(voulu[cle]):
            a_supprimer.append(pk)
            retraits.append(cle)
    ajouts = {cle: valeurs for cle, valeurs in voulu.items() if cle not in existant or cle in retraits}
    return ajouts, retraits


def _changements_identite(territoire: Territoire, voulu: PerimetreVoulu) -> list[str]:
    changements = []
    if territoire.nom != voulu.nom:
        changements.append(f"nom « {territoire.nom} » → « {voulu.nom} »")
    if territoire.population != voulu.population:
        changements.append(f"population {nombre(territoire.population)} → {nombre(voulu.population)}")
    return changements
