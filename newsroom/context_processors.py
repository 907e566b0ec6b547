def unit(request):
    return {"unit": getattr(request, "unit", None)}
