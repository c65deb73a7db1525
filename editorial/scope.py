"""Which offers, events and other entries a staff account may see and change.

KI editors (the ``editorial.edit_all_entries`` permission) and superusers work on everything.
Every other account works only on the entries of the cities and providers in its
EditorScope; an account without one works on nothing. The admin enforces this in its
querysets, object permissions and form choices (editorial.admin.ScopedAdminMixin); the
start page counts through the same querysets.
"""

from dataclasses import dataclass, field

from django.db.models import Q

ALL_ENTRIES_PERMISSION = "editorial.edit_all_entries"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    city_ids: frozenset = field(default_factory=frozenset)
    provider_ids: frozenset = field(default_factory=frozenset)

    def q(self, city_lookup=None, provider_lookup=None):
        """A filter for the entries in this scope; ``city_lookup`` and ``provider_lookup``
        say how the model reaches its city and provider (None: it does not)."""
        if self.everything:
            return Q()
        condition = Q(pk__in=[])  # matches nothing
        if city_lookup and self.city_ids:
            condition |= Q(**{f"{city_lookup}__in": self.city_ids})
        if provider_lookup and self.provider_ids:
            condition |= Q(**{f"{provider_lookup}__in": self.provider_ids})
        return condition

    def allows(self, city_id=None, provider_id=None):
        """Whether an entry with this city and provider (ids, or None) is in scope."""
        return (
            self.everything
            or (city_id is not None and city_id in self.city_ids)
            or (provider_id is not None and provider_id in self.provider_ids)
        )


def scope_of(user):
    """The user's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, "_editor_scope_cache", None)
    if cached is not None:
        return cached
    if not user.is_active or not user.is_staff:
        scope = Scope()
    elif user.is_superuser or user.has_perm(ALL_ENTRIES_PERMISSION):
        scope = Scope(everything=True)
    else:
        # Imported here: the scope module is used by models' querysets at import time.
        from .models import EditorScope

        editor_scope = EditorScope.objects.filter(user=user).first()
        if editor_scope is None:
            scope = Scope()
        else:
            scope = Scope(
                city_ids=frozenset(editor_scope.cities.values_list("pk", flat=True)),
                provider_ids=frozenset(editor_scope.providers.values_list("pk", flat=True)),
            )
    user._editor_scope_cache = scope
    return scope
