"""Territories in the admin: governance, partners and missions are edited here; identity and perimeter come from
`manage.py import_territoires` (or the demo) and are shown read-only."""

from django.contrib import admin
from django.db.models import Count

from ti.core.admin import LectureSeule
from ti.core.texte import cle_recherche

from .models import CommuneTerritoire, Mission, Partenaire, Territoire


class PerimetreInline(LectureSeule, admin.TabularInline):
    model = CommuneTerritoire
    verbose_name_plural = "périmètre (importé, en lecture seule)"
    fields = readonly_fields = ["commune", "code_source", "via_chef_lieu"]
    ordering = ["commune__nom"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commune", "territoire")  # both in each row’s title


class PartenaireInline(admin.TabularInline):
    model = Partenaire
    fields = ["organisme", "nom", "fonction", "email", "telephone"]
    extra = 0


class MissionInline(admin.TabularInline):
    model = Mission
    fields = ["type", "annee", "description"]
    extra = 0


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["identifiant", "nom", "phase", "chef_projet_statut", "nb_communes", "population"]
    list_filter = ["phase", "regions", "chef_projet_statut"]
    search_fields = ["identifiant", "code", "nom"]
    ordering = ["phase", "nom"]
    inlines = [PartenaireInline, MissionInline, PerimetreInline]
    readonly_fields = [
        "identifiant",
        "code",
        "phase",
        "nom",
        "chef_projet_statut",  # changed on the site, where the change is kept in its history
        "population",
        "regions",
        "departements",
        "epcis",
        "modifie_le",
    ]
    fieldsets = [
        (None, {"fields": ["identifiant", "code", "phase", "nom", "description", "modifie_le"]}),
        ("Périmètre (importé)", {"fields": ["population", "regions", "departements", "epcis"]}),
        (
            "Gouvernance",
            {
                "fields": [
                    ("binome_elu", "binome_elu_mandat"),
                    ("binome_industriel", "binome_industriel_entreprise"),
                    "chef_projet_statut",
                    ("chef_projet_nom", "chef_projet_structure"),
                    ("chef_projet_email", "chef_projet_telephone"),
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_communes=Count("perimetre"))

    @admin.display(description="communes", ordering="nb_communes")
    def nb_communes(self, territoire):
        return territoire.nb_communes

    def get_search_results(self, request, queryset, search_term):
        """Accent-free too: « orleans » finds « Orléans Métropole – Beauce Loirétaine »."""
        resultats, doublons = super().get_search_results(request, queryset, search_term)
        cle = cle_recherche(search_term)
        if cle:
            resultats |= queryset.filter(nom_recherche__contains=cle)
        return resultats, doublons

    # Territories are labelled through the ANCT files, not typed in; deleting one would drop its users' data.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
