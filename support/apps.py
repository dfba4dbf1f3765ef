from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "支援"

    def ready(self):
        from handson.demo import register_seeder
        from support import demo

        register_seeder(demo.seed)
