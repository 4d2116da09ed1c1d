"""Template access to the account policy (for the navigation)."""

from django import template

from forums.permissions import can_manage_accounts

register = template.Library()


@register.filter
def manages_accounts(user) -> bool:
    return can_manage_accounts(user)
