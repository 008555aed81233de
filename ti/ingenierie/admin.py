from django.contrib import admin

from ti.ingenierie.models import Budget, Offre


@admin.register(Offre)
class OffreAdmin(admin.ModelAdmin):
    list_display = ["titre", "organisme", "theme", "nature", "active"]
    list_filter = ["theme", "nature", "organisme", "active"]
    search_fields = ["titre", "description"]


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["annee", "montant_ht"]
