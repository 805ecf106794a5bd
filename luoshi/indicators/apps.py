from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save


class IndicatorsConfig(AppConfig):
    name = "luoshi.indicators"
    verbose_name = "经济运行监测"

    def ready(self):
        from luoshi.indicators import peers
        from luoshi.orgs.models import Region

        pre_save.connect(peers.remember_group, sender=Region, dispatch_uid="indicators.peers.remember_group")
        post_save.connect(peers.refresh_moved_region, sender=Region, dispatch_uid="indicators.peers.refresh_moved_region")
