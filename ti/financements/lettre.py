"""The decision letter (.docx), filled from the committed template `modeles/lettre_decision.docx`."""

from pathlib import Path

from django.utils import formats

from ti.core.documents_word import remplir_modele
from ti.core.formats import euros
from ti.financements.models import Dossier, Statut

MODELE = Path(__file__).resolve().parent / "modeles" / "lettre_decision.docx"
SIGNATAIRE = "Le préfet de la région {region}\n[Prénom Nom]"
PHRASES = {
    Statut.ACCEPTE: "J’ai le plaisir de vous informer que votre demande est acceptée.",
    Statut.REFUSE: "J’ai le regret de vous informer que votre demande n’est pas retenue.",
    Statut.CLASSE_SANS_SUITE: "Votre demande est classée sans suite.",
}


def contexte(dossier: Dossier) -> dict:
    region = dossier.enveloppe.region.nom
    accepte = dossier.montant_accorde is not None
    decision = Statut.ACCEPTE if accepte else Statut(dossier.statut)
    return {
        "region": region,
        "date": formats.date_format(dossier.decide_le or dossier.modifie_le, "j F Y"),
        "porteur": dossier.porteur_nom,
        "siret": dossier.porteur_siret,
        "commune": dossier.commune.nom,
        "dispositif": dossier.dispositif.nom,
        "reference": dossier.reference,
        "intitule": dossier.intitule,
        "aide_demandee": euros(dossier.aide_demandee),
        "cout_eligible": euros(dossier.cout_eligible),
        "phrase_decision": PHRASES.get(decision, ""),
        "montant": euros(dossier.montant_accorde) if accepte else "",
        "motif": dossier.motif_decision,
        "signataire": SIGNATAIRE.format(region=region),
    }


def lettre_decision(dossier: Dossier) -> bytes:
    return remplir_modele(MODELE, contexte(dossier))
