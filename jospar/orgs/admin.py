from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from jospar.lib.admin import register_with_history
from jospar.orgs.models import BudgetProgram, RoleAssignment, StateBody, Unit, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class JosparUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Patronymic and job title"), {"fields": ("patronymic", "position", "iin")}),
    )
    inlines = [RoleInline]


register_with_history(
    StateBody,
    list_display=["name", "code", "budget_administrator_code", "is_demo"],
    search_fields=["name", "code"],
)
register_with_history(
    Unit,
    list_display=["name", "code", "kind", "body", "head_name"],
    list_filter=["body", "kind"],
    search_fields=["name", "code"],
)
register_with_history(BudgetProgram, list_display=["code", "name", "body"], list_filter=["body"])
register_with_history(
    RoleAssignment,
    list_display=["user", "body", "role", "unit"],
    list_filter=["body", "role"],
)
