from django.db import models, router, transaction


class DeletedUnderLock(models.Model):
    """The media worker writes rows that point at an archive item (its
    similarity bands, renditions, parts) while staff may delete it. Django
    deletes those rows first and the item last, so a row the worker adds in
    between fails the deletion's commit on PostgreSQL (a deferred foreign
    key). Deleting holds the item's row first; the worker takes the same
    lock (``locked``) and finds the item gone."""

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            type(self).locked(self.pk, using=using)
            return super().delete(using=using, keep_parents=keep_parents)

    @classmethod
    def locked(cls, pk, using=None):
        """Whether the item still exists, its row held until the caller's
        transaction ends (call inside one)."""
        return bool(cls._base_manager.using(using).select_for_update().filter(pk=pk).values_list("pk", flat=True))
