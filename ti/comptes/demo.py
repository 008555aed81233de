"""Demo accounts, one per role, for `manage.py charger_demo`. Never for production: they share one password."""

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ti.comptes import double_facteur
from ti.comptes.models import Habilitation, Role, Utilisateur
from ti.core.models import journaliser
from ti.referentiel.models import Region
from ti.territoires.demo import TerritoiresManquants, territoires_par_nom
from ti.territoires.models import Territoire

DOMAINE = "demo.territoires-industrie.example"
MOT_DE_PASSE = "Demo-Territoires-2026"
REGION = "24"  # Centre-Val de Loire
TERRITOIRE = "Est du Loiret"  # phase 2, imported from the Temps II list
AUTRE_TERRITOIRE = "Chartres Métropole"  # the binôme who answers in the network's space
SIRET_PORTEUR = "91234567500017"  # invented company, valid Luhn keys (SIREN and SIRET)
# The second factor of the demo accounts that need one: an authenticator application enrolled with this published
# key (demo only, like the password). `manage.py code_demo` prints the code of the moment.
CLE_TOTP = "5465727269746f69726573496e64757374726965"  # hex, 20 bytes: 32 base32 characters, no padding
NOM_APPLICATION_DEMO = "Application de démonstration"


def secret_totp() -> str:
    """The demo key in base32, as an authenticator application asks it."""
    return base64.b32encode(bytes.fromhex(CLE_TOTP)).decode()


class DonneesManquantes(Exception):
    """The reference data the demo accounts point to is not loaded yet."""


def _region() -> Region:
    try:
        return Region.objects.get(code=REGION)
    except Region.DoesNotExist:
        raise DonneesManquantes(
            f"Région {REGION} (Centre-Val de Loire) introuvable : importez d’abord le COG (manage.py import_cog)."
        ) from None


def _territoire() -> Territoire:
    try:
        return territoires_par_nom([TERRITOIRE])[TERRITOIRE]
    except TerritoiresManquants as e:
        raise DonneesManquantes(str(e)) from None


@transaction.atomic
def creer_utilisateurs_demo() -> list[tuple[str, str, str]]:
    """Create (or find again) one account per role; returns (e-mail, password, description) for each.

    Idempotent: a second run finds the same accounts and habilitations and creates nothing.
    """
    region, territoire = _region(), _territoire()
    comptes = [
        # (local part, prénom, nom, organisation, description, habilitation or None, staff)
        (
            "equipe-nationale",
            "Nadia",
            "Nationale",
            "ANCT",
            "Équipe nationale (ANCT / DGE) : tout le programme",
            {"role": Role.EQUIPE_NATIONALE},
            False,
        ),
        (
            "instructeur-cvl",
            "Ivan",
            "Instructeur",
            "Préfecture de la région Centre-Val de Loire (SGAR)",
            "Instructeur régional, Centre-Val de Loire",
            {"role": Role.INSTRUCTEUR, "region": region},
            False,
        ),
        (
            "ademe-cvl",
            "Anaïs",
            "Experte",
            "ADEME, direction régionale Centre-Val de Loire",
            "Experte ADEME, Centre-Val de Loire",
            {"role": Role.EXPERT_ADEME, "region": region},
            False,
        ),
        (
            "region-cvl",
            "Rémi",
            "Référent",
            "Conseil régional Centre-Val de Loire",
            "Référent Conseil régional, Centre-Val de Loire",
            {"role": Role.REFERENT_REGION, "region": region},
            False,
        ),
        (
            "chef-projet-est-loiret",
            "Chloé",
            "Cheffe",
            "Agglomération Montargoise",
            f"Cheffe de projet, {territoire.nom}",
            {"role": Role.CHEF_PROJET, "territoire": territoire},
            False,
        ),
        (
            "binome-est-loiret",
            "Bruno",
            "Binôme",
            "Élu référent",
            f"Binôme élu / industriel, {territoire.nom}",
            {"role": Role.BINOME, "territoire": territoire},
            False,
        ),
        (
            "porteur",
            "Paul",
            "Porteur",
            "Forges du Gâtinais (entreprise fictive)",
            f"Porteur de projet, SIRET {SIRET_PORTEUR}",
            {"role": Role.PORTEUR, "siret": SIRET_PORTEUR, "organisme": "Forges du Gâtinais (entreprise fictive)"},
            False,
        ),
        (
            "consultant",
            "Claire",
            "Consultante",
            "Cabinet Exemple Conseil (fictif)",
            "Consultante (ingénierie)",
            {"role": Role.CONSULTANT, "organisme": "Cabinet Exemple Conseil (fictif)"},
            False,
        ),
        (
            "admin",
            "Alex",
            "Admin",
            "Équipe technique",
            "Administrateur technique (/admin/), sans habilitation",
            None,
            True,
        ),
    ]
    equipe_nationale = None
    resultat = []
    for local, prenom, nom, organisation, description, perimetre, technique in comptes:
        utilisateur, ligne = _compte(
            local, prenom, nom, organisation, description, perimetre, technique, par=equipe_nationale
        )
        if perimetre and perimetre["role"] == Role.EQUIPE_NATIONALE:
            equipe_nationale = utilisateur
        resultat.append(ligne)
    return resultat


@transaction.atomic
def creer_binome_autre_territoire() -> tuple[str, str, str]:
    """A binôme of another Centre-Val de Loire territory, who answers the demo chef de projet's questions in the
    network's space (ti/animation)."""
    try:
        territoire = territoires_par_nom([AUTRE_TERRITOIRE])[AUTRE_TERRITOIRE]
    except TerritoiresManquants as e:
        raise DonneesManquantes(str(e)) from None
    par = Utilisateur.objects.filter(email=f"equipe-nationale@{DOMAINE}").first()
    _, ligne = _compte(
        "binome-chartres",
        "Béatrice",
        "Binôme",
        "Industrielle, Chartres Métropole",
        f"Binôme élu / industriel, {territoire.nom}",
        {"role": Role.BINOME, "territoire": territoire},
        False,
        par=par,
    )
    return ligne


def _compte(local, prenom, nom, organisation, description, perimetre, technique, *, par):
    """Creates (or finds again) one demo account and its habilitation; returns it and its line for the listing."""
    email = f"{local}@{DOMAINE}"
    utilisateur, cree = Utilisateur.objects.get_or_create(
        email=email,
        defaults={
            "prenom": prenom,
            "nom": nom,
            "organisation": organisation,
            "is_staff": technique,
            "is_superuser": technique,
        },
    )
    if cree:
        utilisateur.set_password(MOT_DE_PASSE)
        utilisateur.save(update_fields=["password"])
    if perimetre is not None:
        _habiliter(utilisateur, perimetre, par=par)
    if double_facteur.exige(utilisateur):
        TOTPDevice.objects.get_or_create(
            user=utilisateur, name=NOM_APPLICATION_DEMO, defaults={"key": CLE_TOTP, "confirmed": True}
        )
        description += " — code de double authentification demandé"
    return utilisateur, (email, MOT_DE_PASSE, description)


def _habiliter(utilisateur: Utilisateur, perimetre: dict, *, par: Utilisateur | None) -> None:
    champs = {"region": None, "territoire": None, "siret": "", "organisme": "", **perimetre}
    if Habilitation.objects.actives().filter(utilisateur=utilisateur, **champs).exists():
        return
    habilitation = Habilitation(utilisateur=utilisateur, accordee_par=par, **champs)
    habilitation.full_clean(exclude=["accordee_par"])  # the first national account is granted by nobody
    habilitation.save()
    journaliser(
        acteur=par,
        action="habilitation_accordee",
        objet=habilitation,
        details={"utilisateur": utilisateur.email, "role": habilitation.role, "via": "données de démonstration"},
        motif="Compte de démonstration",
    )
