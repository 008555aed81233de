from django.http import HttpResponse


def _a_faire(request, **kwargs):
    return HttpResponse("À venir")


detail = plan = _a_faire
