"""Fiches-action in the admin: read-only, searchable.

Every change to a fiche goes through `ti.projets.actions.fiches` (journal row, version, new plan version after
validation); an admin form would bypass all three, so the administrator reads here and the team writes in the
application. Themes, compétences and leviers are reference lists loaded by migration.
"""

from django.contrib import admin

from ti.core.admin import LectureSeule
from ti.core.texte import cle_recherche

from .models import Competence, Document, Levier, LigneFinancement, NoteSuivi, Projet, Theme


class LigneFinancementInline(LectureSeule, admin.TabularInline):
    model = LigneFinancement
    fields = readonly_fields = ["financeur", "dispositif", "montant", "statut"]
    extra = 0


class DocumentInline(LectureSeule, admin.TabularInline):
    model = Document
    fields = readonly_fields = ["nom", "type_mime", "taille", "depose_par", "depose_le", "archive_le", "analyse"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("depose_par")


@admin.register(Projet)
class ProjetAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["titre", "territoire", "axe", "phase", "phase_statut", "budget", "public", "version", "archive_le"]
    list_filter = ["axe", "phase", "phase_statut", "public", ("archive_le", admin.EmptyFieldListFilter), "themes"]
    list_select_related = ["territoire"]
    search_fields = ["titre", "porteur_nom", "porteur_siret", "territoire__nom", "territoire__identifiant"]
    show_full_result_count = False
    inlines = [LigneFinancementInline, DocumentInline]
    fieldsets = [
        (None, {"fields": ["uuid", "territoire", "titre", "description", "objectifs", "public"]}),
        (
            "Porteur et référent",
            {
                "fields": [
                    ("porteur_nom", "porteur_siret", "porteur_type"),
                    ("referent_prenom", "referent_nom", "referent_fonction"),
                    ("referent_email", "referent_telephone"),
                ]
            },
        ),
        ("Classement", {"fields": ["axe", "themes", "competences", "leviers", ("phase", "phase_statut")]}),
        ("Lieu, calendrier, budget", {"fields": ["commune", ("date_debut", "date_fin"), "budget"]}),
        (
            "Impact attendu",
            {"fields": [("emplois_crees", "emplois_maintenus"), "investissement", ("tco2e_evitees", "hectares")]},
        ),
        ("Partenaires", {"fields": ["partenaires"]}),
        ("Suivi", {"fields": ["version", "cree_le", "cree_par", "modifie_le", "archive_le"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Accent-free too, through the fiche's search text."""
        resultats, doublons = super().get_search_results(request, queryset, search_term)
        cle = cle_recherche(search_term)
        if cle:
            resultats |= queryset.filter(texte_recherche__contains=cle)
        return resultats, doublons


@admin.register(Theme)
class ThemeAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["libelle", "code", "ordre"]


@admin.register(Competence)
class CompetenceAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["code", "libelle"]
    search_fields = ["code", "libelle"]


@admin.register(Levier)
class LevierAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["libelle"]
    search_fields = ["libelle", "description"]


@admin.register(Document)
class DocumentAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["nom", "projet", "type_mime", "taille", "depose_par", "depose_le", "archive_le", "analyse"]
    list_filter = ["type_mime", "analyse", ("archive_le", admin.EmptyFieldListFilter)]
    list_select_related = ["projet", "depose_par"]
    search_fields = ["nom", "projet__titre"]


@admin.register(NoteSuivi)
class NoteSuiviAdmin(LectureSeule, admin.ModelAdmin):
    list_display = ["__str__", "auteur", "ecrite_le"]
    list_select_related = ["projet", "auteur"]
    search_fields = ["texte", "projet__titre"]
