"""Permissions of the experts room (django-rules autodiscovers this module).

- Staff (and admins) maintain the registry, the conflicts of interest, and match, assign and
  replace experts. Everyone else gets a 404 on those pages (nothing leaks).
- An expert (group `expert`, linked as `Expert.user`) edits only their own profile; the
  profile page is a 404 for anyone without a linked expert profile.
"""

import rules

from handson.roles import is_expert, is_staff_member


@rules.predicate
def is_own_profile(user, expert) -> bool:
    return (expert is not None and user.is_authenticated
            and expert.user_id is not None and expert.user_id == user.pk)


rules.add_perm("experts.manage_registry", is_staff_member)
rules.add_perm("experts.assign_expert", is_staff_member)
rules.add_perm("experts.edit_own_profile", is_expert & is_own_profile)
