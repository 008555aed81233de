"""Import of the ANCT files that say which communes make up each Territoire d'industrie of a phase.

Two files, in the ANCT open-data formats:
- communes (required): ``insee_com,lib_com,id_ti,lib_ti``; ``id_ti`` and ``lib_ti`` may list several territories
  separated by `` ; `` when a commune belongs to several of them. ``id_ti`` may be missing (the Temps II list is
  ``insee_com,lib_com,lib_ti``): territories are then known by their name and get their code from
  `ti.territoires.identification` (docs/decisions/0033-territoires-du-temps-2.md);
- groupements (optional): ``id_ti,siren_groupement,lib_groupement``, the EPCI of each territory. Without it, the EPCI
  of a territory are those of its communes in the référentiel.

Both files are read and checked entirely before anything is written, and written in one transaction: an error
refuses the whole import and leaves the database as it was. Codes unknown to the référentiel are not errors: they
are reported one by one and skipped. Users' data on a territory (governance, description, partners) is never
touched; see docs/decisions/0003-import-territoires.md.
"""

import time
from pathlib import Path

from django.db import transaction

from ti.referentiel.models import Commune, Millesime
from ti.referentiel.selectors import resoudre_communes
from ti.territoires.identification import attribuer_codes, cle_nom
from ti.territoires.import_lecture import TerritoireLu, lire_communes, lire_groupements
from ti.territoires.import_rapport import CodeInconnu, CodeRattache, Erreur, ImportRefuse, RapportImport, Source
from ti.territoires.models import Phase
from ti.territoires.perimetres import PerimetreVoulu, ecrire_perimetres


def importer_territoires(*, phase: int, fichier: Source, groupements: Source | None = None) -> RapportImport:
    """Import the perimeters of one phase. Returns the report; if it holds errors, nothing was written."""
    debut = time.perf_counter()
    rapport = RapportImport(
        phase=phase, fichier=_nom(fichier), fichier_groupements=_nom(groupements) if groupements else ""
    )
    try:
        if phase not in Phase.values:
            raise ImportRefuse([Erreur(f"phase {phase} inconnue ; phases possibles : {Phase.values}.")])
        lus, avec_ids = lire_communes(fichier, rapport)
        if groupements and not avec_ids:
            raise ImportRefuse(
                [
                    Erreur(
                        "le fichier des groupements désigne les territoires par id_ti : le fichier des communes "
                        "doit alors avoir la colonne id_ti.",
                        1,
                        rapport.fichier,
                    )
                ]
            )
        epcis_lus = lire_groupements(groupements, lus, rapport.fichier_groupements) if groupements else None
        voulus = _resoudre(lus, epcis_lus, rapport)
        with transaction.atomic():
            if not avec_ids:
                attribuer_codes(phase=phase, voulus=voulus, rapport=rapport)
            ecrire_perimetres(phase=phase, voulus=voulus, rapport=rapport, motif=f"Import du fichier {rapport.fichier}")
    except ImportRefuse as refus:
        rapport.erreurs = refus.erreurs
    rapport.duree = time.perf_counter() - debut
    return rapport


# Resolving against the référentiel -----------------------------------------------------------------------------


def _resoudre(
    lus: dict[str, TerritoireLu], epcis_lus: dict[str, set[str]] | None, rapport: RapportImport
) -> list[PerimetreVoulu]:
    """Map every code to a commune actuelle in one go, and derive each territory's EPCI, départements, régions."""
    resolutions = resoudre_communes({code for lu in lus.values() for _, code, _ in lu.communes})
    inconnus_vus, rattaches_vus = set(), set()
    voulus, erreurs = [], []
    for lu in sorted(lus.values(), key=lambda t: (t.code, cle_nom(t.nom))):
        perimetre: dict[str, tuple[str, bool]] = {}
        communes: dict[str, Commune] = {}
        for ligne, code, lib_com in lu.communes:
            resolution = resolutions.get(code)
            commune = resolution.commune if resolution else None
            if commune is None:
                if (ligne, code) not in inconnus_vus:
                    inconnus_vus.add((ligne, code))
                    rapport.codes_inconnus.append(CodeInconnu(ligne, code, lib_com))
                continue
            if resolution.via_chef_lieu and (ligne, code) not in rattaches_vus:
                rattaches_vus.add((ligne, code))
                rapport.codes_rattaches.append(CodeRattache(ligne, code, lib_com, commune.code, commune.nom))
            deja = perimetre.get(commune.code)
            if deja is not None:
                rapport.doublons += 1
                if not deja[1]:  # the commune itself is listed: keep that line over a déléguée's
                    continue
            perimetre[commune.code] = (code, resolution.via_chef_lieu)
            communes[commune.code] = commune
        if not perimetre:
            erreurs.append(
                Erreur(
                    f"aucune commune du territoire {' '.join(filter(None, [lu.code, f'« {lu.nom} »']))} "
                    "n’est connue du référentiel.",
                    lu.ligne,
                    rapport.fichier,
                )
            )
            continue
        epcis = epcis_lus[lu.code] if epcis_lus is not None else None
        voulus.append(
            PerimetreVoulu.depuis(
                code=lu.code, nom=lu.nom, communes=communes.values(), perimetre=perimetre, epcis=epcis
            )
        )
    if not any(r.commune for r in resolutions.values()):
        if not Commune.objects.exists():
            message = "le référentiel géographique est vide : importez d’abord le COG (manage.py import_cog)."
        else:
            message = "aucun code commune du fichier n’est connu du référentiel : vérifiez le fichier et le millésime."
        raise ImportRefuse([Erreur(message, None, rapport.fichier)])
    if erreurs:
        raise ImportRefuse(erreurs)
    rapport.codes_inconnus.sort(key=lambda c: c.ligne)
    rapport.codes_rattaches.sort(key=lambda c: c.ligne)
    millesime = Millesime.courant()
    rapport.millesime = str(millesime) if millesime else "COG"
    return voulus


def _nom(source: Source | None) -> str:
    if source is None:
        return ""
    return Path(getattr(source, "name", None) or str(source)).name
