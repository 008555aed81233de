from django.http import HttpResponse


def _a_faire(request, **kwargs):
    return HttpResponse("À venir")


liste = commune = region = detail = modifier = _a_faire
