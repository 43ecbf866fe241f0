from django.shortcuts import render

from . import selectors


def procedure_list(request):
    versions = selectors.effective_version_list(user=request.user)
    return render(request, "procedures/list.html", {"versions": versions})


def procedure_detail(request, code):
    version = selectors.effective_version_get(user=request.user, code=code)
    return render(request, "procedures/detail.html", {"version": version})
