# SPDX-License-Identifier: Apache-2.0
"""DDL then prepare and write at once, as a new user's first run does: `examples/fill` on a
cluster without its table creates the keyspace and table and must write every row on the
first try. On a real cluster the other nodes learn the new table later than the one that
ran the DDL; the driver has to wait until every node has it (cqlsim applies DDL everywhere
at once, so only the real cluster can catch a driver that does not wait)."""
import subprocess
import unittest

import harness

ATTEMPTS = 3  # fresh keyspace each time: the race has several chances to show


class SchemaChangeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=32)
        cls.session = cls.cluster.connect()

    @classmethod
    def tearDownClass(cls):
        cls.session.execute("DROP KEYSPACE IF EXISTS e2e_fill")
        cls.cluster.close()

    def test_fill_right_after_create_table_writes_every_row(self):
        for attempt in range(ATTEMPTS):
            with self.subTest(attempt=attempt):
                self.session.execute("DROP KEYSPACE IF EXISTS e2e_fill")
                out = subprocess.run([harness.binary("fill"), self.cluster.contact, "1000", "64",
                                      "e2e_fill"], capture_output=True, text=True, timeout=300)
                self.assertEqual(out.returncode, 0, out.stderr)
                rows = self.session.execute("SELECT count(*) FROM e2e_fill.events").one()[0]
                self.assertEqual(rows, 1000)


if __name__ == "__main__":
    harness.main()
