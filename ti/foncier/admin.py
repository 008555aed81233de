from django.contrib import admin

from ti.foncier.models import Demande, Site, Terrain


class TerrainEnLigne(admin.TabularInline):
    model = Terrain
    extra = 0
    fields = ["identifiant", "surface_brute", "stade_amenagement", "stade_commercialisation", "cle_en_main"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """Technical admin: the status changes through the site's page (journalled), never here."""

    list_display = ["identifiant", "nom", "commune", "vague", "statut", "surface_utile"]
    list_filter = ["vague", "statut", "embranchement_fer"]
    search_fields = ["identifiant", "nom", "commune__nom"]
    raw_id_fields = ["commune", "epci"]
    readonly_fields = ["statut"]
    inlines = [TerrainEnLigne]


@admin.register(Demande)
class DemandeAdmin(admin.ModelAdmin):
    """Read only: requests hold an investor's personal data; their status changes through the inbox, journalled."""

    list_display = ["site", "organisation", "statut", "recue_le"]
    list_filter = ["statut"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
