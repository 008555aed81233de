"""What every app's admin shares."""


class LectureSeule:
    """An admin page (or inline) that shows and never writes: these records change through the platform's actions,
    which check the rules and write the journal; the admin only helps to look."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
