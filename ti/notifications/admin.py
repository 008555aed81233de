from django.contrib import admin

from ti.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: to see what was sent to whom, and whether its e-mail went."""

    list_display = ["creee_le", "destinataire", "type", "texte", "lue_le", "courriel_envoye_le"]
    list_filter = ["type"]
    search_fields = ["destinataire__email", "texte"]
    list_select_related = ["destinataire"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
