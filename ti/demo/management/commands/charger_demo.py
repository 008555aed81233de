"""Loads the demo on top of the real reference data: phase 2 Centre-Val de Loire territories, one user per role, and
the territories' fiches-action."""

from django.core.management.base import BaseCommand
from django.db import transaction

from ti.animation.demo import charger_animation_demo
from ti.comptes.demo import creer_utilisateurs_demo, secret_totp
from ti.espace.demo import charger_a_faire_demo
from ti.financements.demo import charger_fonds_vert_demo
from ti.foncier.demo import charger_sites_demo
from ti.ingenierie.demo import charger_missions_demo, phrase_du_consultant
from ti.projets.demo import charger_projets_demo
from ti.territoires.demo import charger_territoires_cvl


class Command(BaseCommand):
    help = (
        "Charge la démonstration (territoires de phase 2 en Centre-Val de Loire, comptes de démonstration, "
        "fiches-action de ces territoires, sites clés en main, missions d’ingénierie, programme et échanges du réseau)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            charger_territoires_cvl()
            comptes = creer_utilisateurs_demo()
            fiches = charger_projets_demo()  # written by the demo accounts: after them
            charger_fonds_vert_demo()  # the 2024 Fonds vert scheme and its regional envelopes
            sites = charger_sites_demo()
            missions = charger_missions_demo()  # after the accounts: the consultant is named on one
            evenements, binome = charger_animation_demo()  # also a binôme of another territory
            comptes.append(binome)
            a_faire = charger_a_faire_demo()  # last: dossiers, opinions and plan that await the demo accounts
        self.stdout.write(self.style.SUCCESS("Démonstration chargée. Comptes de démonstration :"))
        largeur = max(len(email) for email, _, _ in comptes)
        for email, mot_de_passe, description in comptes:
            self.stdout.write(f"  {email:<{largeur}}  {mot_de_passe}  {description}")
        self.stdout.write(
            "Double authentification de démonstration (équipe nationale, instructeur, admin) : "
            f"clé TOTP {secret_totp()} à ajouter dans une application d’authentification, "
            "ou « python manage.py code_demo » pour le code du moment. "
            "Démonstration seulement : cette clé est publique."
        )
        nouvelles = {0: "Aucune fiche-action créée", 1: "1 fiche-action créée"}.get(
            len(fiches), f"{len(fiches)} fiches-action créées"
        )
        self.stdout.write(f"{nouvelles} (démonstration des projets en Centre-Val de Loire).")
        self.stdout.write(f"{len(sites)} site(s) clé(s) en main de démonstration créé(s).")
        self.stdout.write(f"{len(missions)} mission(s) d’ingénierie de démonstration créée(s).")
        if consultant := phrase_du_consultant():
            self.stdout.write(consultant)
        self.stdout.write(f"{len(evenements)} événement(s) du réseau de démonstration créé(s).")
        for ligne in a_faire:
            self.stdout.write(f"À faire : {ligne}.")
