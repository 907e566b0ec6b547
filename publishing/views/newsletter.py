"""Readers' newsletter subscription: subscribe, confirm, unsubscribe."""

urlpatterns = []
