"""Every model in the admin: its list opens for an admin; service-owned rows are read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ApplicationFactory, UserFactory, verified_login

pytestmark = pytest.mark.django_db
READ_ONLY = {"auditlog", "eligibilityoverride", "expert", "expertconflict", "assignment",
             "supportcase", "activity", "trip", "review", "survey", "declination"}


def test_every_changelist_opens_for_an_admin(client):
    ApplicationFactory()
    verified_login(client, UserFactory(is_superuser=True, is_staff=True))
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_rows_that_services_own_cannot_be_added_or_changed_in_the_admin(rf):
    request = rf.get("/admin/")
    request.user = UserFactory.build(is_superuser=True, is_staff=True)
    for model, model_admin in admin.site._registry.items():
        if model._meta.model_name in READ_ONLY:
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
