from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "申込"

    def ready(self):
        from applications import demo
        from handson.demo import register_seeder

        register_seeder(demo.seed)
