"""Role predicates (django-rules). Object predicates live in each app's rules.py."""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from handson.enums import Role


def _has_role(role: Role):
    @rules.predicate(name=f"is_{role.value}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.has_role(role))

    return predicate


is_admin = rules.is_superuser
is_applicant = _has_role(Role.APPLICANT)
is_staff_member = _has_role(Role.STAFF) | is_admin
is_committee_member = _has_role(Role.COMMITTEE)
is_expert = _has_role(Role.EXPERT)


def get_permitted_object_or_404(user, perm: str, queryset, **lookup):
    """Fetch an object and check the object-level permission; anything else is a 404.

    A 404, not a 403, so that another company's objects do not even leak their existence.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


def role_group(role: Role):
    """The group of a role. Created on demand: a test database flush removes the seeded rows."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=Role(role).value)
    return group
