"""unittest base class for integration tests: a work dir per test method, and on failure the
tail of every log the test's processes wrote (the harness's Process registry)."""

import os
import re
import shutil
import sys
import unittest

from harness import process


class IntegrationTestCase(unittest.TestCase):
    """self.workdir is a fresh folder for this test method under $SIDEBAR_TEST_WORKDIR."""

    def run(self, result=None):
        self._result_ref = result  # pylint: disable=attribute-defined-outside-init
        return super().run(result)

    def setUp(self):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", self.id().split(".", 1)[-1])
        self.workdir = process.workdir(name)
        for entry in os.listdir(self.workdir):
            path = os.path.join(self.workdir, entry)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.remove(path)
        result = self._result_ref
        self._problems_before = (len(result.failures) + len(result.errors)) if result else 0
        # Added first, so it runs last: after the test's own cleanups stopped its processes.
        self.addCleanup(self._dump_logs_if_failed)

    def _dump_logs_if_failed(self):
        result = self._result_ref
        if result is None:
            return
        if len(result.failures) + len(result.errors) == self._problems_before:
            return
        for entry in sorted(os.listdir(self.workdir)):
            if entry.endswith(".log"):
                path = os.path.join(self.workdir, entry)
                sys.stderr.write("----- last 40 lines of %s -----\n%s\n" %
                                 (path, process.tail(path, 40)))
