"""`make run`: the app on embedded defaults (SQLite, local files, file-system broker)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
