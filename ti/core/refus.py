"""How a view shows a `Refus` (a business rule said no): on the form it answers, so that the page comes back with
what the user typed, or as a message before the redirect. The block holds the action, its success message and its
redirect: a refusal stops it there, so nothing after the action runs."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages

from ti.core.etats import Refus


@contextmanager
def refus_dans(form: forms.BaseForm) -> Iterator[None]:
    """Run the block (the action, its message, its redirect); a `Refus` stops it and its reason becomes an error of
    the whole form, so that the view shows the page again with it and with what the user typed."""
    try:
        yield
    except Refus as refus:
        form.add_error(None, str(refus))


@contextmanager
def refus_en_message(request) -> Iterator[None]:
    """Run the block; a `Refus` stops it and its reason becomes an error message, shown after the redirect."""
    try:
        yield
    except Refus as refus:
        messages.error(request, str(refus))
