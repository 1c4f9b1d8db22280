"""The `curators` group: who may change the register, kept in step with the models.

Permissions only exist after migrations have run, so the group is synced on post_migrate
(every `migrate`), not in a migration.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

CURATORS = "curators"

# app label -> models curators may add, change, delete and view.
EDITABLE = {
    "sources": ["source", "citation"],
    "treaties": ["party", "treaty", "participation", "provision"],
    "sanctions": ["sanctionsregime", "designation", "designationalias"],
}
# app label -> models curators may only view (vocabularies and the change log).
VIEWABLE = {"treaties": ["obligationtype"], "sanctions": ["measuretype"], "core": ["change"]}


def curators_group_sync(**kwargs) -> Group:
    """Create the curators group if needed and give it exactly the curation permissions."""
    group, _ = Group.objects.get_or_create(name=CURATORS)
    wanted = Q(pk__in=[])
    for app_label, models in EDITABLE.items():
        wanted |= Q(content_type__app_label=app_label, content_type__model__in=models)
    for app_label, models in VIEWABLE.items():
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    group.permissions.set(Permission.objects.filter(wanted))
    return group
