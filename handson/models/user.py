from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from handson.enums import Role


class User(AbstractUser):
    """One account per person. Roles are groups (handson.enums.Role)."""

    email = models.EmailField(_("メールアドレス"), blank=True)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        roles = getattr(self, "_role_cache", None)
        if roles is None:
            roles = set(self.groups.values_list("name", flat=True))
            self._role_cache = roles
        return role.value in roles

    @property
    def is_jetro_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_role(Role.STAFF))

    @property
    def needs_strong_session(self) -> bool:
        """Staff, committee members and experts: ASVS L2 session limits apply."""
        return self.is_superuser or any(
            self.has_role(r) for r in (Role.STAFF, Role.COMMITTEE, Role.EXPERT)
        )
