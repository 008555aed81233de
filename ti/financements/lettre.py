"""The decision letter, in .docx (the committed template `modeles/lettre_decision.docx`) and in PDF (the template
`financements/pdf/lettre_decision.html`), from one context.

A letter names the authority that signs it (the envelope's signatory, the préfet de région for the Fonds vert), the
porteur's postal address and the legal references of the scheme. None of them is ever guessed: while one is missing,
the letter is refused with what to fill in and who fills it in (`LettreImpossible`).
"""

from pathlib import Path

from ti.core.documents_word import remplir_modele
from ti.core.etats import Refus
from ti.core.formats import date_longue, euros
from ti.core.pdf import rendre_pdf
from ti.financements.models import Dossier, Statut

MODELE = Path(__file__).resolve().parent / "modeles" / "lettre_decision.docx"
GABARIT_PDF = "financements/pdf/lettre_decision.html"
PHRASES = {
    Statut.ACCEPTE: "J’ai le plaisir de vous informer que votre demande est acceptée.",
    Statut.REFUSE: "J’ai le regret de vous informer que votre demande n’est pas retenue.",
    Statut.CLASSE_SANS_SUITE: "Votre demande est classée sans suite.",
}


class LettreImpossible(Refus):
    """What the letter lacks, in French, each with who fills it in."""


def manques(dossier: Dossier) -> list[str]:
    enveloppe, dispositif = dossier.enveloppe, dossier.dispositif
    raisons = []
    if not enveloppe.signataire_qualite.strip():
        raisons.append(
            f"l’enveloppe {enveloppe.region.nom} {enveloppe.annee} n’a pas de signataire des décisions : l’équipe "
            "nationale ou un instructeur de la région le renseigne sur la page de l’enveloppe"
        )
    if not dispositif.references_juridiques.strip():
        raisons.append(
            f"le dispositif « {dispositif.nom} » n’a pas de références juridiques : l’équipe nationale les renseigne "
            "sur la page du dispositif"
        )
    if not dossier.porteur_adresse.strip():
        raisons.append(
            "le dossier ne porte pas l’adresse postale du porteur (il a été déposé avant qu’elle soit demandée)"
        )
    return raisons


def contexte(dossier: Dossier) -> dict:
    """Raises LettreImpossible when the signatory, the legal references or the porteur's address is missing."""
    raisons = manques(dossier)
    if raisons:
        raise LettreImpossible("La lettre de décision ne peut pas être produite : " + " ; ".join(raisons) + ".")
    enveloppe = dossier.enveloppe
    region = enveloppe.region.nom
    accepte = dossier.montant_accorde is not None
    decision = Statut.ACCEPTE if accepte else Statut(dossier.statut)
    references = [ligne.strip() for ligne in dossier.dispositif.references_juridiques.splitlines() if ligne.strip()]
    signataire = "\n".join(filter(None, [enveloppe.signataire_qualite.strip(), enveloppe.signataire_nom.strip()]))
    return {
        "region": region,
        "date": date_longue(dossier.decide_le or dossier.modifie_le),
        "porteur": dossier.porteur_nom,
        "siret": dossier.porteur_siret,
        "adresse": dossier.porteur_adresse.strip(),
        "commune": dossier.commune.nom,
        "dispositif": dossier.dispositif.nom,
        "references": "\n".join(references),
        "references_liste": references,
        "reference": dossier.reference,
        "intitule": dossier.intitule,
        "aide_demandee": euros(dossier.aide_demandee),
        "cout_eligible": euros(dossier.cout_eligible),
        "phrase_decision": PHRASES.get(decision, ""),
        "montant": euros(dossier.montant_accorde) if accepte else "",
        "motif": dossier.motif_decision,
        "signataire": signataire,
        "signataire_qualite": enveloppe.signataire_qualite.strip(),
        "signataire_nom": enveloppe.signataire_nom.strip(),
    }


def lettre_decision(dossier: Dossier) -> bytes:
    return remplir_modele(MODELE, contexte(dossier))


def lettre_decision_pdf(dossier: Dossier) -> bytes:
    return rendre_pdf(GABARIT_PDF, contexte(dossier))
