"""Codes for the territories of a file that has no `id_ti` (the Temps II commune list): docs/decisions/0033.

A territory of the file keeps the code of the territory of the same phase it is recognised as, in this order:
1. the same name, ignoring case, accents, dashes and apostrophes (« Berry-Sologne » is « Berry Sologne »);
2. otherwise the same perimeter: an unmatched existing territory and an unmatched territory of the file that are
   each other's best overlap (communes in common), sharing at least half of the existing territory's communes — a
   renamed territory keeps its code, its pk and everything users wrote on it;
3. otherwise a new code: the région of reference (the one holding most of its population) and the first free
   two-digit rank in that région, ranks given in the order of the names: « 2403 ».
Nothing depends on the order of the file's lines, so the same file on the same base always gives the same codes.
"""

import re
from collections import Counter, defaultdict

from ti.core.texte import cle_recherche
from ti.territoires.models import CommuneTerritoire, Territoire


def cle_nom(nom: str) -> str:
    """« Châteauroux – Buzançais – Argenton » → « chateauroux buzancais argenton »."""
    return " ".join(re.findall(r"[a-z0-9]+", cle_recherche(nom)))


def attribuer_codes(*, phase: int, voulus: list, rapport) -> None:
    """Set `code` on each `PerimetreVoulu` of `voulus`, and say in `rapport.reconnus` how each one was recognised."""
    existants = {
        pk: (code, nom) for pk, code, nom in Territoire.objects.filter(phase=phase).values_list("pk", "code", "nom")
    }
    libres = dict(existants)
    par_nom = {cle_nom(nom): pk for pk, (_, nom) in existants.items()}
    for voulu in voulus:
        pk = par_nom.get(cle_nom(voulu.nom))
        if pk in libres:
            voulu.code = libres.pop(pk)[0]

    restants = sorted((v for v in voulus if not v.code), key=lambda v: cle_nom(v.nom))
    if restants and libres:
        perimetres = defaultdict(set)
        lignes = CommuneTerritoire.objects.filter(territoire__in=libres).values_list("territoire_id", "commune_id")
        for territoire_id, commune_id in lignes:
            perimetres[territoire_id].add(commune_id)
        for voulu, pk in _meilleurs_recouvrements(restants, perimetres):
            ancien_nom = libres.pop(pk)[1]
            voulu.code = existants[pk][0]
            rapport.reconnus.append(f"« {voulu.nom} » reconnu par son périmètre : anciennement « {ancien_nom} »")

    pris = {code for code, _ in existants.values()}
    for voulu in sorted((v for v in voulus if not v.code), key=lambda v: (v.region_principale, cle_nom(v.nom))):
        rang = 1
        while f"{voulu.region_principale}{rang:02d}" in pris:
            rang += 1
        voulu.code = f"{voulu.region_principale}{rang:02d}"
        pris.add(voulu.code)


def _meilleurs_recouvrements(voulus: list, perimetres: dict[int, set]) -> list[tuple]:
    """Pairs (territory of the file, existing pk) that are each other's best overlap, sharing half the existing one."""
    communs = {
        (i, pk): len(perimetres[pk].intersection(voulu.perimetre))
        for i, voulu in enumerate(voulus)
        for pk in perimetres
    }
    # Ties go to the first name (voulus are sorted) and the smallest pk: the pairing never depends on the file's order.
    meilleur_voulu = {pk: max(range(len(voulus)), key=lambda i: (communs[i, pk], -i)) for pk in perimetres}
    paires = []
    for i, voulu in enumerate(voulus):
        pk = max(perimetres, key=lambda pk: (communs[i, pk], -pk))
        if meilleur_voulu[pk] == i and 2 * communs[i, pk] >= len(perimetres[pk]) > 0:
            paires.append((voulu, pk))
    return paires


def region_principale(population_par_region: Counter) -> str:
    """The région holding most of the population; on a tie, the smallest code."""
    return min(population_par_region, key=lambda region: (-population_par_region[region], region))
