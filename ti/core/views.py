"""Error pages in the DSFR layout, and the site's own pages linked from the footer (legal notices, personal data,
cookies, accessibility statement, site map)."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.shortcuts import render
from django.urls import reverse

from ti.core import plan_du_site
from ti.core.navigation import fil_ariane


def page_introuvable(request, exception=None):
    return render(request, "core/erreur.html", {"code": 404, "titre": "Page introuvable"}, status=404)


def acces_refuse(request, exception=None):
    return render(request, "core/erreur.html", {"code": 403, "titre": "Accès refusé"}, status=403)


def erreur_serveur(request):
    return render(request, "core/erreur.html", {"code": 500, "titre": "Erreur inattendue"}, status=500)


def _page(request, gabarit: str, titre: str, **contexte):
    contexte |= {"titre": titre, "fil_ariane": fil_ariane(titre), "contact": settings.CONTACT_PLATEFORME}
    return render(request, f"core/{gabarit}.html", contexte)


def mentions_legales(request):
    return _page(request, "mentions_legales", "Mentions légales", hebergeur=settings.HEBERGEUR)


def donnees_personnelles(request):
    return _page(
        request,
        "donnees_personnelles",
        "Données personnelles",
        conservation_ans=settings.CONSERVATION_COMPTES_ANS,
        session_heures=settings.SESSION_COOKIE_AGE // 3600,
        inactivite_minutes=settings.SESSION_INACTIVITE_MAX // 60,
        verrouillage_echecs=settings.AXES_FAILURE_LIMIT,
        verrouillage_minutes=round(settings.AXES_COOLOFF_TIME * 60),
    )


def cookies_deposes() -> list[dict]:
    """The cookies the platform sets, named as the settings name them: all strictly necessary, none for audience
    measurement or advertising (tests/core/test_pages_legales.py checks that a visit sets no other)."""
    return [
        {
            "nom": settings.SESSION_COOKIE_NAME,
            "finalite": "Garder la session ouverte après la connexion.",
            "duree": f"Jusqu’à la fermeture du navigateur ; la session prend fin au plus tard "
            f"{settings.SESSION_COOKIE_AGE // 3600} heures après la connexion, ou après "
            f"{settings.SESSION_INACTIVITE_MAX // 60} minutes sans activité.",
        },
        {
            "nom": settings.CSRF_COOKIE_NAME,
            "finalite": "Protéger les formulaires contre la falsification de requêtes venues d’un autre site (CSRF).",
            "duree": f"{settings.CSRF_COOKIE_AGE // 86400} jours, renouvelé à chaque connexion.",
        },
        {
            "nom": CookieStorage.cookie_name,
            "finalite": "Afficher une seule fois le message de confirmation d’une action (« Décision enregistrée »).",
            "duree": "Effacé dès que le message est affiché.",
        },
    ]


def cookies(request):
    return _page(request, "cookies", "Gestion des cookies", cookies=cookies_deposes())


# The pages that the browser journeys (tests/e2e/) go through, named in the accessibility statement.
PAGES_VERIFIEES = [
    "accueil",
    "territoires:liste",
    "territoires:commune",
    "projets:annuaire",
    "foncier:catalogue",
    "animation:programme",
    "croisement:deposer",
    "comptes:connexion",
    "pilotage:donnees_ouvertes",
]


def accessibilite(request):
    pages = [(reverse(nom), plan_du_site.TITRES[nom]) for nom in PAGES_VERIFIEES]
    return _page(request, "accessibilite", "Déclaration d’accessibilité", pages_verifiees=pages)


def plan(request):
    return _page(request, "plan_du_site", "Plan du site", rubriques=plan_du_site.rubriques())
