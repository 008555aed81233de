from django.contrib import admin

from ti.core.admin import LectureSeule
from ti.ingenierie.models import Budget, Offre, PartRegionale


@admin.register(Offre)
class OffreAdmin(admin.ModelAdmin):
    list_display = ["titre", "organisme", "theme", "nature", "active"]
    list_filter = ["theme", "nature", "organisme", "active"]
    search_fields = ["titre", "description"]


class PartRegionaleEnLecture(LectureSeule, admin.TabularInline):
    model = PartRegionale
    fields = ["region", "montant_ht"]
    readonly_fields = fields
    extra = 0


@admin.register(Budget)
class BudgetAdmin(LectureSeule, admin.ModelAdmin):
    """Read only: amounts change through « Budget d’ingénierie » (ti.ingenierie.actions_budget), which checks them
    against the orders under the budget row's lock."""

    list_display = ["annee", "montant_ht"]
    inlines = [PartRegionaleEnLecture]
