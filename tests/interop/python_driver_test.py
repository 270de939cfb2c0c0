# SPDX-License-Identifier: Apache-2.0
"""The DataStax Python driver (an independent referee) against a 3-node cqlsim.

usage: /usr/bin/python3 python_driver_test.py CQLSIM CQLBULK [unittest args]
"""
import datetime
import decimal
import ipaddress
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

from cassandra import ConsistencyLevel, OperationTimedOut, ReadTimeout, Unavailable
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT, NoHostAvailable
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.policies import RoundRobinPolicy, TokenAwarePolicy
from cassandra.query import BatchStatement, BatchType, SimpleStatement
from cassandra.util import Duration

from simharness import SimCluster, make_certificates, wait_until

CQLSIM = None
CQLBULK = None
MIN_TOKEN = -(2 ** 63)
MAX_TOKEN = 2 ** 63 - 1


def connect(sim, protocol_version=5, **kwargs):
    profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()),
                               request_timeout=30)
    cluster = Cluster(contact_points=[sim.first_address], port=sim.port,
                      protocol_version=protocol_version,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile}, **kwargs)
    return cluster, cluster.connect()


def ranges_of(token_map):
    """(start, end] token ranges of the driver's ring, the wrapping one unwrapped."""
    tokens = sorted(t.value for t in token_map.ring)
    ranges = [(tokens[i - 1], tokens[i]) for i in range(1, len(tokens))]
    ranges += [(tokens[-1], MAX_TOKEN), (MIN_TOKEN, tokens[0])]
    return ranges


class PythonDriverTest(unittest.TestCase):
    sim = None

    @classmethod
    def setUpClass(cls):
        cls.sim = SimCluster(CQLSIM, block=10, nodes=3, vnodes=16, seed=7).__enter__()
        cls.cluster, cls.session = connect(cls.sim)

    @classmethod
    def tearDownClass(cls):
        cls.cluster.shutdown()
        cls.sim.__exit__(None, None, None)

    def test_connects_with_protocol_v4_and_v5(self):
        for version in (4, 5):
            cluster, session = connect(self.sim, protocol_version=version)
            try:
                row = session.execute("SELECT cluster_name, release_version FROM system.local").one()
                self.assertEqual(cluster.protocol_version, version)
                self.assertTrue(row.release_version.startswith("4."))
                self.assertEqual(len(cluster.metadata.all_hosts()), 3)
            finally:
                cluster.shutdown()

    def test_token_map_is_the_ring_cqlsim_serves(self):
        out = subprocess.run([CQLBULK, "ring", "--nodes", "3", "--vnodes", "16", "--seed", "7",
                              "--address", self.sim.first_address, "--json", "--replication",
                              "{'class': 'SimpleStrategy', 'replication_factor': 2}"],
                             check=True, capture_output=True, text=True).stdout
        expected = {int(r["end_token"]): r["endpoints"] for r in json.loads(out)["ranges"]}
        self.session.execute("CREATE KEYSPACE IF NOT EXISTS ring_rf2 WITH replication = "
                             "{'class': 'SimpleStrategy', 'replication_factor': 2}")
        self.cluster.refresh_schema_metadata()
        token_map = self.cluster.metadata.token_map

        owners = {t.value: token_map.token_to_host_owner[t].address for t in token_map.ring}
        replicas = {t.value: [h.address for h in token_map.get_replicas("ring_rf2", t)]
                    for t in token_map.ring}

        self.assertEqual(owners, {t: e[0] for t, e in expected.items()})
        self.assertEqual({t: sorted(r) for t, r in replicas.items()},
                         {t: sorted(e) for t, e in expected.items()})

    def test_writes_ten_thousand_rows_and_reads_them_back_by_page_and_by_range(self):
        s = self.session
        s.execute("CREATE KEYSPACE IF NOT EXISTS bulk WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 2}")
        s.execute("CREATE TABLE IF NOT EXISTS bulk.t (pk int, ck int, v text, "
                  "PRIMARY KEY (pk, ck))")
        insert = s.prepare("INSERT INTO bulk.t (pk, ck, v) VALUES (?, ?, ?)")
        rows = [(i // 4, i % 4, f"value-{i}") for i in range(10_000)]

        results = execute_concurrent_with_args(s, insert, rows[:9_000], concurrency=64)
        self.assertTrue(all(ok for ok, _ in results))
        for start in range(9_000, 10_000, 50):
            batch = BatchStatement(batch_type=BatchType.UNLOGGED)
            for row in rows[start:start + 50]:
                batch.add(insert, row)
            s.execute(batch)

        paged = list(s.execute(SimpleStatement("SELECT pk, ck, v FROM bulk.t", fetch_size=777)))
        self.assertEqual(len(paged), 10_000)
        self.assertEqual({(r.pk, r.ck, r.v) for r in paged}, set(rows))

        count = s.prepare("SELECT count(*) FROM bulk.t WHERE token(pk) > ? AND token(pk) <= ?")
        per_range = [s.execute(count, r).one()[0] for r in ranges_of(self.cluster.metadata.token_map)]
        self.assertEqual(sum(per_range), 10_000)
        self.assertEqual(len(per_range), 3 * 16 + 1)

        # cqlbulk's --stats ranges, summed over each of the driver's ranges, gives the
        # driver's own per-range counts.
        with tempfile.TemporaryDirectory() as tmp:
            summary = os.path.join(tmp, "summary.json")
            subprocess.run([CQLBULK, "count", "--hosts", self.sim.first_address, "-k", "bulk",
                            "-t", "t", "--stats", "ranges", "--summary-json", summary],
                           check=True, capture_output=True)
            with open(summary) as f:
                pieces = json.load(f)["ranges_detail"]
        ours = []
        for start, end in ranges_of(self.cluster.metadata.token_map):
            ours.append(sum(p["rows"] for p in pieces
                            if start <= int(p["start"]) and int(p["end"]) <= end))
        self.assertEqual(ours, per_range)
        self.assertEqual(sum(p["rows"] for p in pieces), 10_000)

    def test_every_cql_type_round_trips(self):
        s = self.session
        s.execute("CREATE KEYSPACE IF NOT EXISTS types WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute("CREATE TYPE IF NOT EXISTS types.addr (street text, number int)")
        s.execute("""CREATE TABLE IF NOT EXISTS types.all_types (
            id int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, de decimal,
            do double, du duration, f float, i inet, it int, sm smallint, t text, ti time,
            ts timestamp, tu timeuuid, tiny tinyint, u uuid, vi varint,
            l list<int>, st set<text>, m map<text, int>, tup tuple<int, text>,
            ad frozen<addr>, nested map<int, frozen<list<text>>>)""")
        values = dict(
            id=1, a="ascii", b=-(2 ** 63), bl=b"\x00\xffblob", bo=True,
            d=datetime.date(2024, 2, 29), de=decimal.Decimal("-12345.678900"), do=2.5e300,
            du=Duration(1, 2, 3_000_000_004), f=1.5, i=ipaddress.ip_address("2001:db8::1"),
            it=-7, sm=-32768, t="unicode \u00e9\u4e2d\U0001f600", ti=datetime.time(13, 45, 7, 123456),
            ts=datetime.datetime(2021, 3, 4, 5, 6, 7, 890000), tu=uuid.uuid1(), tiny=127,
            u=uuid.uuid4(), vi=10 ** 40 + 1, l=[3, 1, 2], st={"b", "a"}, m={"x": 1, "y": -2},
            tup=(5, "five"), ad=("Main", 42),
            nested={1: ["a", "b"], 2: []})
        columns = list(values)
        insert = s.prepare(f"INSERT INTO types.all_types ({', '.join(columns)}) "
                           f"VALUES ({', '.join('?' for _ in columns)})")

        s.execute(insert, [values[c] for c in columns])
        row = s.execute("SELECT * FROM types.all_types WHERE id = 1").one()

        for c in columns:
            got = getattr(row, c)
            want = values[c]
            if c == "i":
                want = str(want)
            if c == "st":
                got = set(got)
            if c == "m" or c == "nested":
                got = dict(got)
            if c == "d":
                got = got.date()
            if c == "ti":
                got = got.time()
            self.assertEqual(got, want, c)

    def test_quorum_survives_one_node_down_and_rf1_fails_unavailable(self):
        s = self.session
        s.execute("CREATE KEYSPACE IF NOT EXISTS rf3 WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 3}")
        s.execute("CREATE KEYSPACE IF NOT EXISTS rf1 WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        for ks in ("rf3", "rf1"):
            s.execute(f"CREATE TABLE IF NOT EXISTS {ks}.t (k int PRIMARY KEY, v int)")
            insert = s.prepare(f"INSERT INTO {ks}.t (k, v) VALUES (?, ?)")
            execute_concurrent_with_args(s, insert, [(i, i) for i in range(500)])
        self.sim.ctl("stop", "3")
        try:
            quorum = SimpleStatement("SELECT count(*) FROM rf3.t",
                                     consistency_level=ConsistencyLevel.QUORUM)
            self.assertEqual(s.execute(quorum).one()[0], 500)
            one = SimpleStatement("SELECT count(*) FROM rf1.t",
                                  consistency_level=ConsistencyLevel.ONE)
            with self.assertRaises((Unavailable, NoHostAvailable)) as caught:
                s.execute(one)
            self.assertIn("Cannot achieve consistency level ONE", str(caught.exception))
        finally:
            self.sim.ctl("start", "3")

    def test_token_aware_requests_are_coordinated_by_replicas(self):
        s = self.session
        s.execute("CREATE KEYSPACE IF NOT EXISTS routed WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute("CREATE TABLE IF NOT EXISTS routed.t (k int PRIMARY KEY, v int)")
        # The driver learns a new keyspace's replicas on its next schema refresh, and routes
        # only to hosts it sees up (another test restarts a node).
        self.cluster.refresh_schema_metadata()
        wait_until(lambda: all(h.is_up for h in self.cluster.metadata.all_hosts()),
                   what="the driver to see every host up")
        insert = s.prepare("INSERT INTO routed.t (k, v) VALUES (?, ?)")
        select = s.prepare("SELECT v FROM routed.t WHERE k = ?")
        self.sim.ctl("reset-stats")

        for i in range(300):
            s.execute(insert, (i, i))
            self.assertEqual(s.execute(select, (i,)).one().v, i)

        stats = self.sim.stats()
        routed = sum(r for _, r, _ in stats.values())
        as_replica = sum(a for _, _, a in stats.values())
        self.assertGreaterEqual(routed, 600)
        self.assertEqual(as_replica, routed)


class FaultTest(unittest.TestCase):
    def test_injected_errors_and_latency_reach_the_client(self):
        with SimCluster(CQLSIM, block=13, nodes=2, vnodes=4) as sim:
            cluster, session = connect(sim)
            try:
                query = SimpleStatement("SELECT key FROM system.local")
                for node in ("1", "2"):
                    sim.ctl("error", node, "1", "read_timeout")
                with self.assertRaises((ReadTimeout, NoHostAvailable)) as caught:
                    session.execute(query)
                self.assertIn("timed out", str(caught.exception))
                for node in ("1", "2"):
                    sim.ctl("clear", node)
                    sim.ctl("latency", node, "300")
                start = time.monotonic()
                self.assertEqual(session.execute(query).one().key, "local")
                self.assertGreaterEqual(time.monotonic() - start, 0.3)
            finally:
                cluster.shutdown()

    def test_ctrl_c_stops_a_slow_count_with_exit_code_4_and_no_total(self):
        with SimCluster(CQLSIM, block=13, nodes=2, vnodes=4) as sim:
            cluster, session = connect(sim)
            try:
                session.execute("CREATE KEYSPACE slow WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}")
                session.execute("CREATE TABLE slow.t (k int PRIMARY KEY)")
            finally:
                cluster.shutdown()
            for node in ("1", "2"):
                sim.ctl("latency", node, "50")
            # 200 ranges one at a time at 50 ms each: about 10 s unless interrupted.
            count = subprocess.Popen([CQLBULK, "count", "--hosts", sim.first_address, "-k",
                                      "slow", "-t", "t", "--splits", "200", "--concurrency", "1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.5)
            count.send_signal(signal.SIGINT)
            out, err = count.communicate(timeout=10)
            self.assertEqual(count.returncode, 4, err)
            self.assertIn("count interrupted: ", err)
            self.assertEqual(out, "")


class PersistenceTest(unittest.TestCase):
    def test_data_dir_keeps_schema_and_rows_across_a_restart(self):
        with tempfile.TemporaryDirectory() as data_dir:
            extra = ("--data-dir", data_dir)
            with SimCluster(CQLSIM, block=14, nodes=2, vnodes=4, extra=extra) as sim:
                cluster, session = connect(sim)
                session.execute("CREATE KEYSPACE kept WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}")
                session.execute("CREATE TABLE kept.t (k int PRIMARY KEY, v text)")
                insert = session.prepare("INSERT INTO kept.t (k, v) VALUES (?, ?)")
                execute_concurrent_with_args(session, insert, [(i, str(i)) for i in range(250)])
                cluster.shutdown()
            with SimCluster(CQLSIM, block=14, nodes=2, vnodes=4, extra=extra) as sim:
                cluster, session = connect(sim)
                try:
                    rows = {(r.k, r.v) for r in session.execute("SELECT k, v FROM kept.t")}
                    self.assertEqual(rows, {(i, str(i)) for i in range(250)})
                finally:
                    cluster.shutdown()


class SecurityTest(unittest.TestCase):
    def test_tls_and_password_authentication(self):
        with tempfile.TemporaryDirectory() as tmp:
            addresses = ["127.0.12.1", "127.0.12.2"]
            certs = make_certificates(tmp, addresses)
            extra = ("--user", "alice:s3cret", "--tls-cert", certs["server.pem"],
                     "--tls-key", certs["server.key"])
            with SimCluster(CQLSIM, block=12, nodes=2, vnodes=4, extra=extra) as sim:
                def attempt(ca, auth):
                    context = ssl.create_default_context(cafile=ca)
                    cluster = Cluster(contact_points=[sim.first_address], port=sim.port,
                                      ssl_context=context, auth_provider=auth,
                                      connect_timeout=5)
                    try:
                        return cluster.connect().execute("SELECT key FROM system.local").one().key
                    finally:
                        cluster.shutdown()

                self.assertEqual(attempt(certs["ca.pem"],
                                         PlainTextAuthProvider("alice", "s3cret")), "local")
                with self.assertRaises(NoHostAvailable) as wrong:
                    attempt(certs["ca.pem"], PlainTextAuthProvider("alice", "wrong"))
                self.assertIn("Provided username alice and/or password are incorrect",
                              str(wrong.exception))
                with self.assertRaises(NoHostAvailable) as missing:
                    attempt(certs["ca.pem"], None)
                self.assertIn("requires authentication", str(missing.exception))
                with self.assertRaises(NoHostAvailable) as untrusted:
                    attempt(certs["other.pem"], PlainTextAuthProvider("alice", "s3cret"))
                self.assertIn("CERTIFICATE_VERIFY_FAILED", str(untrusted.exception))

                # cqlbulk through the same TLS and password authentication.
                context = ssl.create_default_context(cafile=certs["ca.pem"])
                cluster = Cluster(contact_points=[sim.first_address], port=sim.port,
                                  ssl_context=context,
                                  auth_provider=PlainTextAuthProvider("alice", "s3cret"))
                session = cluster.connect()
                session.execute("CREATE KEYSPACE secure WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}")
                session.execute("CREATE TABLE secure.t (k int PRIMARY KEY)")
                for i in range(42):
                    session.execute("INSERT INTO secure.t (k) VALUES (%s)", (i,))
                cluster.shutdown()

                def count(*flags):
                    return subprocess.run([CQLBULK, "count", "--hosts", sim.first_address,
                                           "-k", "secure", "-t", "t", *flags],
                                          capture_output=True, text=True)

                ok = count("--ssl-ca", certs["ca.pem"], "-u", "alice", "-p", "s3cret")
                self.assertEqual((ok.returncode, ok.stdout.split()[0]), (0, "42"), ok.stderr)
                bad = count("--ssl-ca", certs["ca.pem"], "-u", "alice", "-p", "not-it")
                self.assertEqual(bad.returncode, 2)  # credentials are configuration
                self.assertIn("authentication failed", bad.stderr)
                self.assertNotIn("not-it", bad.stderr + bad.stdout)
                untrusted = count("--ssl-ca", certs["other.pem"], "-u", "alice", "-p", "s3cret")
                self.assertEqual(untrusted.returncode, 2)
                self.assertIn("certificate", untrusted.stderr)


class GoldenRingTest(unittest.TestCase):
    def test_cqlbulk_ring_reproduces_describering_of_the_real_cluster(self):
        """cqlsim given the golden ring's tokens; cqlbulk ring must print what nodetool did."""
        golden_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                   "shared", "testdata", "ring_3node_16vnodes.json")
        with open(golden_path) as f:
            golden = json.load(f)
        tokens = ";".join(",".join(n["tokens"]) for n in golden["nodes"])
        moved = {n["address"]: f"127.0.15.{i + 1}" for i, n in enumerate(golden["nodes"])}
        with SimCluster(CQLSIM, block=15, nodes=3, extra=("--tokens", tokens)) as sim:
            cluster, session = connect(sim)
            try:
                for ks in golden["keyspaces"]:
                    session.execute(f"CREATE KEYSPACE {ks['keyspace']} WITH replication = "
                                    f"{ks['replication']}")
                    out = subprocess.run([CQLBULK, "ring", "--hosts", sim.first_address, "-k",
                                          ks["keyspace"], "--json"], check=True,
                                         capture_output=True, text=True).stdout
                    ours = {(r["start_token"], r["end_token"]): r["endpoints"]
                            for r in json.loads(out)["ranges"]}
                    want = {(r["start_token"], r["end_token"]):
                            [moved[e] for e in r["endpoints"]] for r in ks["ranges"]}
                    self.assertEqual(ours, want, ks["keyspace"])
            finally:
                cluster.shutdown()


class NegotiationTest(unittest.TestCase):
    def test_driver_negotiates_down_to_v4(self):
        with SimCluster(CQLSIM, block=11, nodes=1, vnodes=4,
                        extra=("--protocol-versions", "4")) as sim:
            cluster = Cluster(contact_points=[sim.first_address], port=sim.port)
            try:
                session = cluster.connect()
                self.assertEqual(session.execute("SELECT key FROM system.local").one().key, "local")
                self.assertEqual(cluster.protocol_version, 4)
            finally:
                cluster.shutdown()


if __name__ == "__main__":
    CQLSIM, CQLBULK = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
