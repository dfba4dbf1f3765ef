from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "専門家"

    def ready(self):
        from experts import demo
        from handson.demo import register_seeder

        register_seeder(demo.seed)
