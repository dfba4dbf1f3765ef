"""Settings for the gunicorn that tests/handson/test_uploads.py starts: the test settings,
the throwaway upload view, temporary files in the directory the test watches."""

import os

from handson.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.handson.upload_urls"
FILE_UPLOAD_TEMP_DIR = os.environ["HANDSON_TEST_UPLOAD_TMP"]
