# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk ring` end to end, on cqlsim and on a real Apache Cassandra: the natural ranges and
replicas of SimpleStrategy RF 1 and 3 and NetworkTopologyStrategy keyspaces. Referees: the
DataStax Python driver's token map (both kinds) and `nodetool describering`, line for line
(the real cluster)."""
import json
import unittest

from cassandra.metadata import Murmur3Token

import harness
from harness import run_cqlbulk


class RingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=31)
        cls.session = cls.cluster.connect()
        cls.keyspaces = cls.cluster.create_keyspaces(cls.session, "ring", nts_replicas=2)
        cls.session.cluster.refresh_schema_metadata()

    @classmethod
    def tearDownClass(cls):
        for ks in cls.keyspaces:
            cls.session.execute(f"DROP KEYSPACE IF EXISTS {ks}")
        cls.cluster.close()

    def ring(self, keyspace, *flags):
        out = run_cqlbulk("ring", "-h", self.cluster.contact, "--port", str(self.cluster.port),
                          "-k", keyspace, *flags)
        self.assertEqual(out.returncode, 0, out.stderr)
        return out.stdout

    def test_ranges_cover_the_ring_and_match_the_drivers_token_map(self):
        token_map = self.session.cluster.metadata.token_map
        for ks in self.keyspaces:
            with self.subTest(keyspace=ks):
                ranges = json.loads(self.ring(ks, "--json"))["ranges"]
                self.assertEqual(len(ranges), len(token_map.ring))
                ends = sorted(int(r["end_token"]) for r in ranges)
                self.assertEqual(ends, sorted(t.value for t in token_map.ring))
                for r in ranges:
                    replicas = token_map.get_replicas(ks, Murmur3Token(int(r["end_token"])))
                    self.assertEqual(set(r["endpoints"]), {h.address for h in replicas}, r)
                    self.assertEqual(len(r["endpoints"]), len(set(r["endpoints"])))

    def test_prints_what_nodetool_describering_prints(self):
        for ks in self.keyspaces:
            referee = self.cluster.describering(ks)
            if referee is None:
                self.skipTest(f"{self.cluster.kind} has no nodetool")
            with self.subTest(keyspace=ks):
                ours = json.loads(self.ring(ks, "--json"))["ranges"]
                self.assertEqual(
                    sorted((int(r["start_token"]), int(r["end_token"]), r["endpoints"])
                           for r in ours),
                    sorted(referee))
                # The text form, line for line (nodetool's order of ranges is its own).
                text = self.ring(ks)
                ours_lines = sorted(l.strip() for l in text.splitlines() if "TokenRange(" in l)
                theirs = self.cluster.nodetool(1, "describering", ks)
                their_lines = sorted(l.strip() for l in theirs.splitlines() if "TokenRange(" in l)
                self.assertEqual(ours_lines, their_lines)


if __name__ == "__main__":
    harness.main()
