from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "選考"

    def ready(self):
        from handson.demo import register_seeder, register_summary
        from handson.outbox import register_attachment_renderer
        from screening import demo
        from screening.services import notices

        register_attachment_renderer(notices.ATTACHMENT_RENDERER,
                                     notices.render_notice_attachment)
        register_seeder(demo.seed)
        register_summary(demo.pipeline_summary)
