"""Derived data: values stored for speed that are computed from other entries.

An offer's search text is built from its own texts and those of its provider, venue, city
and categories; an event's occurrences are expanded from its dates and cancelled days.
Each app declares such data once, next to the code that builds it:

    derived.register(
        Offer,
        fields=["search_text"],
        rebuild=OfferQuerySet.refresh_search_text,
        depends_on=["provider", "venue", "city", "categories"],
    )

and every way of changing entries keeps it right through this registry:

* saving and deleting an entry, and changing a many-to-many set: the receivers connected
  here (connect(), called once when the apps are ready) rebuild what depends on it;
* restoring and recovering from the version history: refresh() with the restored entries
  (a revert writes raw rows, which the receivers skip);
* importing spreadsheets: entries are saved one by one inside deferred(), so the
  receivers only note what changed, and each derivation is rebuilt once, in bulk, for all
  of them at the end of the block (rebuilding per save cost a spreadsheet import of 1,000
  offers two search texts per row);
* importing translations: they save entries one by one, so the receivers run;
* bulk loading (loaddata, the demo data, generated offers): raw saves skip the receivers,
  so the loader calls refresh_all() or refresh() once at the end;
* the version history leaves the derived fields out of its versions (fields_of()).

refresh() and refresh_all() also start a new content generation (content/generation.py):
bulk writes send no signals, and their callers already come here.

Why by hand: Django has no notion of derived data, and the libraries that add computed
fields (django-computedfields and the like) change how models are declared and saved; the
portal's two cases need only this list and a few receivers.
"""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from . import generation


@dataclass(frozen=True)
class Derivation:
    model: type
    fields: tuple
    # rebuild(queryset): recompute the derived data of the model's entries in the queryset.
    rebuild: object
    # Lookups from the model to the entries its derived data is built from ("provider",
    # "categories", "dates"); the model's own fields always count.
    depends_on: tuple
    # Whether saving the entry itself changes its derived data (an offer's texts: yes; an
    # event's fields: no, its occurrences come from its dates only).
    on_own_save: bool

    def sources(self):
        """{source model: (lookup, relation field)} for every dependency."""
        result = {}
        for lookup in self.depends_on:
            relation = self.model._meta.get_field(lookup)
            result[relation.related_model] = (lookup, relation)
        return result

    def affected_by(self, source_model, pks):
        """A condition on self.model: the entries built from these ``source_model`` rows."""
        if source_model is self.model:
            return Q(pk__in=pks)
        lookup, _relation = self.sources()[source_model]
        return Q(**{f"{lookup}__in": pks})


_registry = []


def register(model, *, fields, rebuild, depends_on=(), on_own_save=True):
    """Declare derived data of ``model``; see the module docstring."""
    _registry.append(
        Derivation(
            model=model,
            fields=tuple(fields),
            rebuild=rebuild,
            depends_on=tuple(depends_on),
            on_own_save=on_own_save,
        )
    )


def registered():
    return list(_registry)


def fields_of(model):
    """The derived fields of ``model`` (left out of the version history)."""
    return [
        name for derivation in _registry if derivation.model is model for name in derivation.fields
    ]


def refresh(entries):
    """Rebuild the derived data that depends on ``entries`` ({model: pks}), e.g. after a
    restore or a bulk load of some entries."""
    for derivation in _registry:
        condition = Q()
        for model, pks in entries.items():
            if pks and (model is derivation.model or model in derivation.sources()):
                condition |= derivation.affected_by(model, list(pks))
        if condition:
            manager = derivation.model._default_manager
            ids = manager.filter(condition).values("pk")
            derivation.rebuild(manager.filter(pk__in=ids))
    # Bulk paths (bulk_create, raw saves) end here: whatever they changed is new content.
    generation.bump()


# Inside deferred(): {derivation: ([pks], [conditions])} still to rebuild.
_pending = contextvars.ContextVar("derived_pending", default=None)
# Rebuilding at the end of deferred() takes the pks in chunks, so that one IN (...) stays
# well below the databases' limits on query parameters.
_CHUNK = 1000


@contextmanager
def deferred():
    """Within the block, saves note what their derived data depends on instead of
    rebuilding it at once; leaving the block rebuilds each derivation once for all of
    them. Use it around many saves in one transaction (an import): the derived data is
    right again before the transaction ends. An exception in the block skips the rebuild
    (the transaction around it is rolled back anyway). Nested blocks rebuild with the
    outermost one."""
    if _pending.get() is not None:
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for derivation, (pks, conditions) in pending.items():
        manager = derivation.model._default_manager
        unique = list(dict.fromkeys(pk for pk in pks if pk is not None))
        for start in range(0, len(unique), _CHUNK):
            derivation.rebuild(manager.filter(pk__in=unique[start : start + _CHUNK]))
        for condition in conditions:
            derivation.rebuild(manager.filter(pk__in=manager.filter(condition).values("pk")))


def _rebuild(derivation, pks=(), condition=None):
    """Rebuild ``derivation`` for the entries ``pks`` or those matching ``condition``, at
    once or, inside deferred(), when the block ends."""
    pending = _pending.get()
    if pending is not None:
        noted_pks, conditions = pending.setdefault(derivation, ([], []))
        noted_pks.extend(pks)
        if condition is not None:
            conditions.append(condition)
        return
    manager = derivation.model._default_manager
    if condition is not None:
        derivation.rebuild(manager.filter(pk__in=manager.filter(condition).values("pk")))
    pks = [pk for pk in pks if pk is not None]
    if pks:
        derivation.rebuild(manager.filter(pk__in=pks))


def refresh_all():
    """Rebuild all derived data (after loaddata or another bulk load)."""
    for derivation in _registry:
        derivation.rebuild(derivation.model._default_manager.all())
    generation.bump()


# --- Receivers -------------------------------------------------------------------------------


def _deleting(model, origin):
    """Whether a deletion cascades from deleting entries of ``model`` themselves."""
    if isinstance(origin, QuerySet):
        return origin.model is model
    return isinstance(origin, model)


@dataclass(frozen=True)
class _Receivers:
    """The receivers that rebuild one derivation when the entries one of its lookups
    reaches change (``lookup`` None: when the entry itself is saved)."""

    derivation: Derivation
    lookup: str = None

    @property
    def model(self):
        return self.derivation.model

    @property
    def relation(self):
        return self.model._meta.get_field(self.lookup)

    def rebuild(self, pks=(), condition=None):
        _rebuild(self.derivation, pks, condition)

    def owners_of(self, instance):
        """The pks of the entries showing ``instance`` (through the lookup)."""
        owners = self.model._default_manager.filter(**{self.lookup: instance})
        return list(owners.values_list("pk", flat=True))

    def connect(self):
        uid = f"derived:{self.model._meta.label}:{self.lookup or 'own'}"

        def on(signal, receiver, sender):
            signal.connect(
                receiver, sender=sender, weak=False, dispatch_uid=f"{uid}:{receiver.__name__}"
            )

        if self.lookup is None:
            on(post_save, self.own_saved, self.model)
        elif self.relation.one_to_many:
            on(post_save, self.child_saved, self.relation.related_model)
            on(post_delete, self.child_deleted, self.relation.related_model)
        else:
            on(post_save, self.shown_saved, self.relation.related_model)
            on(pre_delete, self.shown_deleting, self.relation.related_model)
            on(post_delete, self.shown_deleted, self.relation.related_model)
            if self.relation.many_to_many:
                on(m2m_changed, self.set_changed, getattr(self.model, self.lookup).through)

    # Raw saves (loaddata, a revert) come in bulk: their loader refreshes at the end.

    def own_saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            self.rebuild([instance.pk])

    # A row pointing to the entry (an event's date): its foreign key names the entry, also
    # after the row is deleted.

    def child_saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            self.rebuild([getattr(instance, self.relation.field.attname)])

    def child_deleted(self, sender, instance, origin=None, **kwargs):
        # Deleting the entry itself takes its derived data with it; rebuilding would
        # recreate rows for an entry that is about to disappear.
        if not _deleting(self.model, origin):
            self.rebuild([getattr(instance, self.relation.field.attname)])

    # An entry the model points to (its provider, city, categories).

    def shown_saved(self, sender, instance, created, raw=False, **kwargs):
        if not raw and not created:  # a new provider or category has no entries yet
            self.rebuild(condition=Q(**{self.lookup: instance}))

    def shown_deleting(self, sender, instance, **kwargs):
        # Once it is deleted, the link to it is gone: note now who showed it.
        instance._derived_owners = self.owners_of(instance)

    def shown_deleted(self, sender, instance, **kwargs):
        owners = getattr(instance, "_derived_owners", None)
        if owners:
            self.rebuild(owners)

    def set_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # offer.categories.set(...): instance is the entry
            if action in {"post_add", "post_remove", "post_clear"}:
                self.rebuild([instance.pk])
        elif action in {"post_add", "post_remove"}:  # category.offers.add(...)
            self.rebuild(list(pk_set))
        elif action == "pre_clear":  # category.offers.clear(): note who had it
            instance._derived_owners = self.owners_of(instance)
        elif action == "post_clear":
            self.rebuild(getattr(instance, "_derived_owners", []))


def connect():
    """Connect the receivers of every registered derivation (ContentConfig.ready())."""
    for derivation in _registry:
        if derivation.on_own_save:
            _Receivers(derivation).connect()
        for lookup in derivation.depends_on:
            _Receivers(derivation, lookup).connect()
