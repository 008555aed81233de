"""The network's demo, for `manage.py charger_demo`: a programme of upcoming events (dates relative to the day of
loading) and threads of the network's space (one answered, one locked, one that mentions the demo chef de projet).
Invented content; found again by title, so loading twice adds nothing."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ti.animation import actions_echanges as actions
from ti.animation.demo_ressources import charger_ressources_demo
from ti.animation.models import Evenement, Fil, Theme, TypeEvenement
from ti.comptes.demo import DOMAINE, REGION, creer_binome_autre_territoire
from ti.comptes.models import Utilisateur
from ti.referentiel.models import Region

# (title, type, days from today, hour, hours long, place, link, capacity, régional, public, description)
EVENEMENTS = [
    ("Décarbonation des sites industriels : monter un dossier Fonds vert", TypeEvenement.ATELIER, 12, 9, 3,
     "Préfecture de région, Orléans", "", 25, True, False,
     "Atelier entre chefs de projet de la région : retours d’expérience et dossiers types."),
    ("Publier ses sites clés en main au standard CNIG", TypeEvenement.WEBINAIRE, 20, 11, 1,
     "", "https://webinaire.example/foncier-cnig", 200, False, False,
     "Le standard, l’import sur la plateforme et les demandes d’investisseurs."),
    ("Prise de poste des chefs de projet", TypeEvenement.FORMATION, 35, 9, 7,
     "ANCT, 20 avenue de Ségur, Paris", "", 30, False, False,
     "Le programme, ses partenaires, le plan d’action et les financements : la journée des nouveaux arrivants."),
    ("Rencontre nationale des Territoires d’industrie", TypeEvenement.RENCONTRE_NATIONALE, 70, 9, 8,
     "Paris", "", 400, False, True,
     "La rencontre annuelle du programme, ouverte aux partenaires."),
]  # fmt: skip

# (author, theme, régional, title, Markdown text, replies as (author, text), reason of the lock or "")
FILS = [
    ("binome-chartres", Theme.FONCIER, True, "Qui a déjà mené un inventaire quatre saisons sur une friche ?",
     "Nous reprenons une friche de 12 ha. Quel calendrier et quel budget prévoir pour l’inventaire faune-flore ?\n"
     "Merci pour vos retours.",
     [("region-cvl", "Chez nous, **9 mois** et environ 25 000 € : lancez-le avant l’étude de sol, elle n’en dépend "
                     "pas.")], ""),
    ("equipe-nationale", Theme.AUTRE, False, "Bienvenue dans l’espace d’échange du réseau",
     "Cet espace est celui des chefs de projet, binômes et référents des Territoires d’industrie.\n\n"
     "- une question par fil, avec un titre qui la dit ;\n"
     "- mentionnez une personne avec @ et le début de son adresse (@binome-chartres) ;\n"
     "- suivez les fils qui vous intéressent : chaque réponse vous est notifiée.\n\n"
     "Un message qui enfreint ces règles peut être signalé à la modération.",
     [], "Fil d’annonce : posez vos questions dans un nouveau fil."),
    ("binome-chartres", Theme.DECARBONATION, True, "Audit énergétique d’une fonderie : quel financement ?",
     "Une fonderie de 80 salariés veut un audit énergétique avant de candidater au Fonds vert. "
     "@chef-projet-est-loiret, vous en avez accompagné un l’an dernier ?",
     [], ""),
]  # fmt: skip


def _compte(local: str) -> Utilisateur:
    return Utilisateur.objects.get(email=f"{local}@{DOMAINE}")


@transaction.atomic
def charger_animation_demo() -> tuple[list[Evenement], tuple[str, str, str]]:
    """Returns the events created and the demo account of the other territory's binôme."""
    binome = creer_binome_autre_territoire()
    national, referent = _compte("equipe-nationale"), _compte("region-cvl")
    region = Region.objects.get(code=REGION)
    aujourd_hui = timezone.localdate()
    crees = []
    for titre, type_, jours, heure, duree, lieu, lien, capacite, regional, public, description in EVENEMENTS:
        debut = timezone.make_aware(datetime.combine(aujourd_hui + timedelta(days=jours), time(heure)))
        evenement, cree = Evenement.objects.get_or_create(
            titre=titre,
            defaults={
                "type": type_,
                "description": description,
                "debut": debut,
                "fin": debut + timedelta(hours=duree),
                "lieu": lieu,
                "lien": lien,
                "capacite": capacite,
                "public": public,
                "region": region if regional else None,
                "cloture_inscriptions": debut - timedelta(days=3),
                "organisateur": referent if regional else national,
            },
        )
        if cree:
            crees.append(evenement)
    for auteur, theme, regional, titre, texte, reponses, verrou in FILS:
        if Fil.objects.filter(titre=titre).exists():
            continue
        fil = actions.ouvrir_fil(
            par=_compte(auteur), theme=theme, titre=titre, texte=texte, region=region if regional else None
        )
        for auteur_reponse, reponse in reponses:
            actions.repondre(fil=fil, par=_compte(auteur_reponse), texte=reponse)
        if verrou:
            actions.verrouiller(fil=fil, par=national, verrouille=True, motif=verrou)
    charger_ressources_demo()  # after the events: the workshop's slides are attached to it
    return crees, binome
