from django.db import models


class SiteFlag(models.Model):
    """Small facts about this deployment, e.g. that the illustrative demo district is loaded."""

    key = models.CharField(max_length=50, unique=True)
    value = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    DEMO_LOADED = "demo_loaded"
    DEMO_AS_OF = "demo_as_of"  # the day the demo was built around (YYYY-MM-DD), set by `luoshi demo`

    def __str__(self):
        return f"{self.key}={self.value}"

    @classmethod
    def is_set(cls, key):
        from django.core.cache import cache

        cache_key = f"siteflag:{key}"
        value = cache.get(cache_key)
        if value is None:
            value = cls.objects.filter(key=key).exists()
            cache.set(cache_key, value, 30)
        return value

    @classmethod
    def set(cls, key, value="1"):
        from django.core.cache import cache

        cls.objects.update_or_create(key=key, defaults={"value": value})
        cache.delete(f"siteflag:{key}")

    @classmethod
    def clear(cls, key):
        from django.core.cache import cache

        cls.objects.filter(key=key).delete()
        cache.delete(f"siteflag:{key}")
