"""What views say to the user after an action, the same way everywhere.

A `Refus` (a business rule said no) shows on the form it answers, so that the page comes back with what the user
typed, or as a message before the redirect. The block holds the action, its success message and its redirect: a
refusal stops it there, so nothing after the action runs. A change that changed nothing says so."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from ti.core.etats import Refus


@contextmanager
def refus_dans(form: forms.BaseForm, *, fichier: str | None = None) -> Iterator[None]:
    """Run the block (the action, its message, its redirect); a `Refus` stops it and its reason becomes an error of
    the whole form, so that the view shows the page again with it and with what the user typed. With `fichier`, the
    name of the form's attachment field, the attachment's `ValidationError` (antivirus, type) goes under that field."""
    try:
        yield
    except Refus as refus:
        form.add_error(None, str(refus))
    except ValidationError as erreur:
        if fichier is None:
            raise
        form.add_error(fichier, erreur)


@contextmanager
def refus_en_message(request) -> Iterator[None]:
    """Run the block; a `Refus` stops it and its reason becomes an error message, shown after the redirect."""
    try:
        yield
    except Refus as refus:
        messages.error(request, str(refus))


def annoncer_changements(request, changements, *, fait: str, inchange: str) -> None:
    """`fait` when the action changed something, else « Aucune modification : `inchange` »."""
    if changements:
        messages.success(request, fait)
    else:
        messages.info(request, f"Aucune modification : {inchange}")
