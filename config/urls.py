from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ti.api.urls import api
from ti.pilotage import views as pilotage

urlpatterns = [
    path("", pilotage.accueil, name="accueil"),
    path("territoires/", include("ti.territoires.urls")),
    path("comptes/", include("ti.comptes.urls")),
    path("projets/", include("ti.projets.urls")),
    path("financements/", include("ti.financements.urls")),
    path("notifications/", include("ti.notifications.urls")),
    path("croiser/", include("ti.croisement.urls")),
    path("sites-cles-en-main/", include("ti.foncier.urls")),
    path("ingenierie/", include("ti.ingenierie.urls")),
    path("reseau/", include("ti.animation.urls")),
    path("donnees-ouvertes/", include("ti.pilotage.urls")),
    path("api/", include("ti.api.urls_documentation")),
    path("a-faire/", include("ti.espace.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("ti.core.urls")),  # the footer's pages: legal notices, personal data, accessibility, site map
]
if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
if settings.BENCH:  # the framework floor of `make bench`, never routed in production
    from ti.core.middleware_bench import plancher

    urlpatterns.append(path("bench/plancher", plancher, name="bench_plancher"))

handler404 = "ti.core.views.page_introuvable"
handler403 = "ti.core.views.acces_refuse"
handler500 = "ti.core.views.erreur_serveur"
