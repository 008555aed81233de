"""Django admin for the technical administrators.

Habilitations are managed by the national team in the platform's pages (logged, never self-granted). The admin
shows them read-only, with their audit columns; a superuser may only add one, to appoint the first members of the
national team, and that grant is logged and refused on their own account like any other.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone

from ti.comptes.models import Habilitation, Utilisateur
from ti.core.admin import LectureSeule
from ti.core.models import journaliser


class UtilisateurCreationForm(AdminUserCreationForm):
    class Meta:
        model = Utilisateur
        fields = ("email", "prenom", "nom", "organisation")
        field_classes = {}

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Utilisateur.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Un compte existe déjà avec cette adresse électronique.")
        return email


class UtilisateurChangeForm(UserChangeForm):
    class Meta:
        model = Utilisateur
        fields = "__all__"
        field_classes = {}


class HabilitationInline(LectureSeule, admin.TabularInline):
    model = Habilitation
    fk_name = "utilisateur"
    extra = 0
    fields = readonly_fields = (
        "role",
        "perimetre_libelle",
        "accordee_le",
        "accordee_par",
        "valable_jusqu_au",
        "revoquee_le",
        "revoquee_par",
        "motif",
    )
    verbose_name_plural = "habilitations (gérées par l’équipe nationale dans la plateforme)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region", "territoire", "accordee_par", "revoquee_par")


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("prenom", "nom", "organisation")}),
        ("Droits techniques", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "prenom", "nom", "organisation", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "prenom", "nom", "organisation", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "prenom", "nom", "organisation")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = [HabilitationInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


class ActiveFilter(admin.SimpleListFilter):
    title = "état"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("retiree", "Retirée ou échue")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.actives()
        if self.value() == "retiree":
            return queryset.exclude(pk__in=queryset.actives().values("pk"))
        return queryset


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = (
        "utilisateur",
        "role",
        "perimetre_libelle",
        "accordee_le",
        "accordee_par",
        "valable_jusqu_au",
        "revoquee_le",
        "revoquee_par",
    )
    list_filter = ("role", ActiveFilter, "region")
    search_fields = ("utilisateur__email", "utilisateur__nom", "territoire__nom", "siret")
    list_select_related = ("utilisateur", "region", "territoire", "accordee_par", "revoquee_par")
    autocomplete_fields = ("utilisateur",)
    date_hierarchy = "accordee_le"
    fields = ("utilisateur", "role", "region", "territoire", "siret", "organisme", "valable_jusqu_au")
    readonly_fields = ("accordee_le", "accordee_par", "revoquee_le", "revoquee_par", "motif")

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else self.fields + self.readonly_fields

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        Formulaire = super().get_form(request, obj, change=change, **kwargs)

        class SansAutoAttribution(Formulaire):
            def clean(self):
                donnees = super().clean()
                if donnees.get("utilisateur") == request.user:
                    raise forms.ValidationError("Personne ne peut s’accorder une habilitation à soi-même.")
                return donnees

        return SansAutoAttribution

    def save_model(self, request, obj, form, change):
        obj.accordee_par = request.user
        obj.accordee_le = timezone.now()
        super().save_model(request, obj, form, change)
        journaliser(
            acteur=request.user,
            action="habilitation_accordee",
            objet=obj,
            details={
                "utilisateur": obj.utilisateur.email,
                "role": obj.role,
                "valable_jusqu_au": obj.valable_jusqu_au.isoformat() if obj.valable_jusqu_au else None,
                "via": "administration technique",
            },
        )
