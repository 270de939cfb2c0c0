# SPDX-License-Identifier: Apache-2.0
"""cqlbulk through client TLS and password authentication, on cqlsim and on a real Apache
Cassandra (PasswordAuthenticator, client_encryption_options required): the right
credentials count; a wrong password, an untrusted CA and a plain connection fail clearly,
and the password is never printed."""
import ssl
import tempfile
import unittest

from cassandra.auth import PlainTextAuthProvider

import harness
from harness import run_cqlbulk

ROWS = 42


class SecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.cluster = harness.secure_cluster_under_test(block=33, directory=cls.tmp.name)
        cls.session = cls.cluster.connect(
            ssl_context=ssl.create_default_context(cafile=cls.cluster.ca),
            auth_provider=PlainTextAuthProvider(cls.cluster.user, cls.cluster.password))
        cls.session.execute("DROP KEYSPACE IF EXISTS e2e_secure")
        cls.session.execute("CREATE KEYSPACE e2e_secure WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.session.execute("CREATE TABLE e2e_secure.t (k int PRIMARY KEY)")
        insert = cls.session.prepare("INSERT INTO e2e_secure.t (k) VALUES (?)")
        for i in range(ROWS):
            cls.session.execute(insert, (i,))
        # An untrusted CA: a self-signed certificate of someone else.
        cls.other_ca = harness.make_certificates(tempfile.mkdtemp(dir=cls.tmp.name),
                                                 ["127.0.0.1"])["other.pem"]

    @classmethod
    def tearDownClass(cls):
        cls.session.execute("DROP KEYSPACE IF EXISTS e2e_secure")
        cls.cluster.close()
        cls.tmp.cleanup()

    def count(self, *flags):
        return run_cqlbulk("count", "-h", self.cluster.contact, "--port", str(self.cluster.port),
                           "-k", "e2e_secure", "-t", "t", *flags, timeout=120)

    def test_tls_and_the_right_password_count_the_table(self):
        out = self.count("--ssl-ca", self.cluster.ca, "-u", self.cluster.user, "-p",
                         self.cluster.password)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(int(out.stdout.split()[0]), ROWS)

    def test_a_wrong_password_is_refused_and_not_printed(self):
        out = self.count("--ssl-ca", self.cluster.ca, "-u", self.cluster.user, "-p", "not-it")
        self.assertEqual(out.returncode, 2, out.stderr)  # credentials are configuration
        self.assertIn("authentication failed", out.stderr)
        self.assertNotIn("not-it", out.stderr + out.stdout)

    def test_an_untrusted_certificate_is_refused(self):
        out = self.count("--ssl-ca", self.other_ca, "-u", self.cluster.user, "-p",
                         self.cluster.password)
        self.assertEqual(out.returncode, 2, out.stderr)
        self.assertIn("certificate", out.stderr)

    def test_a_plain_connection_does_not_get_in(self):
        out = self.count("-u", self.cluster.user, "-p", self.cluster.password)
        self.assertNotEqual(out.returncode, 0)
        self.assertEqual(out.stdout, "")
        self.assertNotIn(self.cluster.password, out.stderr)


if __name__ == "__main__":
    harness.main()
