"""What the platform holds on a person (RGPD, right of access), read in a fixed number of queries.

Each part is one query over the rows the person authored or is named in; secrets are never part of it (password
hash, API key hashes, the keys of second-factor devices and recovery codes).
"""

from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import Journal
from ti.financements.models import Dossier, Message
from ti.projets.models import NoteSuivi, Projet


def donnees_de(personne: Utilisateur) -> dict:
    habilitations = list(
        Habilitation.objects.filter(utilisateur=personne)
        .select_related("region", "territoire")
        .order_by("accordee_le", "pk")
    )
    # The dossiers of a SIRET he only claimed are not his unless he filed them (decision 0053).
    sirets = {h.siret for h in habilitations if h.role == Role.PORTEUR and h.siret and not h.revendiquee}
    return {
        "compte": {
            "email": personne.email,
            "prenom": personne.prenom,
            "nom": personne.nom,
            "organisation": personne.organisation,
            "actif": personne.is_active,
            "inscrit_le": personne.date_joined,
            "derniere_connexion": personne.last_login,
            "inscrit_par_lui_meme": personne.inscription_autonome,
            "adresse_confirmee_le": personne.adresse_confirmee_le,
        },
        "habilitations": [
            {
                "role": h.get_role_display(),
                "perimetre": h.perimetre_libelle,
                "siret": h.siret,
                "organisme": h.organisme,
                "declaree_par_la_personne": h.revendiquee,
                "verification_du_siret": h.get_verification_display(),
                "adresse_de_l_etablissement": h.adresse,
                "accordee_le": h.accordee_le,
                "valable_jusqu_au": h.valable_jusqu_au,
                "retiree_le": h.revoquee_le,
                "motif_du_retrait": h.motif,
                "active": h.active,
            }
            for h in habilitations
        ],
        "dossiers": list(
            Dossier.objects.filter(Q(deposant=personne) | Q(porteur_siret__in=sirets))
            .order_by("cree_le", "pk")
            .values("reference", "intitule", "porteur_nom", "porteur_siret", "statut", "aide_demandee", "cree_le")
        ),
        "fiches_action": list(
            Projet.objects.filter(cree_par=personne).order_by("cree_le", "pk").values("uuid", "titre", "cree_le")
        ),
        "fiches_action_ou_vous_etes_referent": list(
            Projet.objects.filter(referent_email__iexact=personne.email)
            .order_by("cree_le", "pk")
            .values("uuid", "titre", "referent_prenom", "referent_nom", "referent_fonction", "referent_telephone")
        ),
        "notes_de_suivi": list(
            NoteSuivi.objects.filter(auteur=personne)
            .order_by("ecrite_le", "pk")
            .values("projet__titre", "texte", "ecrite_le")
        ),
        "messages": list(
            Message.objects.filter(auteur=personne)
            .order_by("envoye_le", "pk")
            .values("dossier__reference", "texte", "envoye_le")
        ),
        "journal": list(
            Journal.objects.filter(acteur=personne)
            .order_by("quand", "pk")
            .values("quand", "action", "objet_libelle", "details", "motif")
        ),
        "jetons_api": list(
            personne.jetons_api.order_by("cree_le", "pk").values(
                "nom", "prefixe", "cree_le", "utilise_le", "revoque_le"
            )
        ),
        "double_authentification": [
            *TOTPDevice.objects.filter(user=personne).values("name", "confirmed", "created_at", "last_used_at"),
            *StaticDevice.objects.filter(user=personne).values("name", "confirmed", "created_at", "last_used_at"),
        ],
    }
