"""Error pages in the DSFR layout."""

from django.shortcuts import render


def page_introuvable(request, exception=None):
    return render(request, "core/erreur.html", {"code": 404, "titre": "Page introuvable"}, status=404)


def acces_refuse(request, exception=None):
    return render(request, "core/erreur.html", {"code": 403, "titre": "Accès refusé"}, status=403)


def erreur_serveur(request):
    return render(request, "core/erreur.html", {"code": 500, "titre": "Erreur inattendue"}, status=500)
