# SPDX-License-Identifier: Apache-2.0
"""The cluster under test: the same end-to-end test runs on cqlsim and on a real Apache Cassandra.

Each end-to-end test file is run as

    python3 tests/e2e/NAME_test.py --cluster sim|cassandra --build BUILD_DIR [unittest args]

and gets, through `cluster_under_test()`, an object with the same face for both kinds:
contact hosts, the DataStax Python driver (an independent client: it writes the data and
checks what cqlbulk says), node stop/start in the middle of a run, and the referees each
kind has (`nodetool describering` on the real cluster).

cqlsim: a cqlsim process per test file, on its own loopback block (the test file picks it),
started and stopped here. The real cluster: started beforehand by `scripts/cassandra.sh
start` (the README's test command does it); its nodes are read from `scripts/cassandra.sh
status`. The tests never start or stop that cluster, only single nodes, which they bring
back before they finish.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import unittest

from cassandra import ConsistencyLevel
from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT
from cassandra.policies import RoundRobinPolicy, TokenAwarePolicy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from simharness import SimCluster, make_certificates, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CASSANDRA_SH = os.path.join(ROOT, "scripts", "cassandra.sh")
MIN_TOKEN = -(2 ** 63)
MAX_TOKEN = 2 ** 63 - 1

ARGS = None  # set by main()


def binary(name):
    """A program of the build: apps/cqlbulk, apps/cqlsim, examples/fill."""
    for sub in ("apps", "examples"):
        path = os.path.join(ARGS.build, sub, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"{name} is not built in {ARGS.build}")


def run_cqlbulk(*args, timeout=600, **kwargs):
    return subprocess.run([binary("cqlbulk"), *args], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


class ClusterUnderTest:
    """What a test may do with a cluster, whichever kind it is."""

    kind = None

    def __init__(self, hosts, port=9042):
        self.hosts = hosts
        self.port = port
        self._drivers = []

    @property
    def contact(self):
        return self.hosts[0]

    @property
    def num_nodes(self):
        return len(self.hosts)

    def connect(self, keyspace=None, consistency=ConsistencyLevel.ALL, **kwargs):
        """A Python driver session, token-aware. Writes default to ALL so that what a test
        wrote is on every replica before cqlbulk reads it at LOCAL_ONE."""
        profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()),
                                   request_timeout=60, consistency_level=consistency)
        cluster = Cluster(contact_points=[self.contact], port=self.port,
                          execution_profiles={EXEC_PROFILE_DEFAULT: profile}, **kwargs)
        self._drivers.append(cluster)
        return cluster.connect(keyspace)

    def datacenter(self, session):
        return session.execute("SELECT data_center FROM system.local").one().data_center

    def create_keyspaces(self, session, prefix, nts_replicas):
        """Keyspaces PREFIX_rf1, PREFIX_rf3 (SimpleStrategy) and PREFIX_nts (NetworkTopology
        Strategy, `nts_replicas` in the local data center), made anew; their names."""
        replication = {
            f"{prefix}_rf1": "{'class': 'SimpleStrategy', 'replication_factor': 1}",
            f"{prefix}_rf3": "{'class': 'SimpleStrategy', 'replication_factor': 3}",
            f"{prefix}_nts": (f"{{'class': 'NetworkTopologyStrategy', "
                              f"'{self.datacenter(session)}': {nts_replicas}}}"),
        }
        for ks, options in replication.items():
            session.execute(f"DROP KEYSPACE IF EXISTS {ks}")
            session.execute(f"CREATE KEYSPACE {ks} WITH replication = {options}")
        return list(replication)

    def close(self):
        for cluster in self._drivers:
            cluster.shutdown()
        self._drivers.clear()

    # Node control, 1-based as nodetool and cqlsim number them.
    def stop_node(self, i):
        raise NotImplementedError

    def start_node(self, i):
        raise NotImplementedError

    def describering(self, keyspace):
        """[(start, end, [endpoints])] as nodetool describering prints, or None without it."""
        return None

    def slow_down(self, ms):
        """Makes every request take at least `ms` more milliseconds (0: as fast as it can), so
        that a test can act in the middle of a run. The real cluster is slow enough as it is."""


class SimUnderTest(ClusterUnderTest):
    kind = "sim"

    def __init__(self, block, nodes=3, vnodes=16, seed=1, extra=()):
        self.sim = SimCluster(binary("cqlsim"), block=block, nodes=nodes, vnodes=vnodes,
                              seed=seed, extra=extra).__enter__()
        super().__init__(self.sim.addresses, self.sim.port)

    def stop_node(self, i):
        self.sim.ctl("stop", str(i))

    def start_node(self, i):
        self.sim.ctl("start", str(i))

    def slow_down(self, ms):
        for i in range(1, self.num_nodes + 1):
            self.sim.ctl("latency", str(i), str(ms))

    def close(self):
        super().close()
        self.sim.__exit__(None, None, None)


def cassandra_sh(*args, timeout=600, check=True):
    out = subprocess.run(["bash", CASSANDRA_SH, *args], capture_output=True, text=True,
                         timeout=timeout)
    if check and out.returncode != 0:
        raise RuntimeError(f"scripts/cassandra.sh {' '.join(args)} failed "
                           f"({out.returncode}):\n{out.stdout}{out.stderr}")
    return out.stdout


class CassandraUnderTest(ClusterUnderTest):
    kind = "cassandra"

    def __init__(self):
        status = cassandra_sh("status")
        hosts = re.findall(r"^node\d+\s+(\d+\.\d+\.\d+\.\d+)\s+.*\bup\b", status, re.M)
        if not hosts:
            raise RuntimeError("no running Apache Cassandra cluster (start one with "
                               f"`bash scripts/cassandra.sh start`); status said:\n{status}")
        super().__init__(hosts)

    def stop_node(self, i):
        cassandra_sh("stop-node", str(i))

    def start_node(self, i):
        cassandra_sh("start-node", str(i))

    def nodetool(self, i, *args):
        return cassandra_sh("nodetool", str(i), *args)

    def describering(self, keyspace):
        text = self.nodetool(1, "describering", keyspace)
        ranges = []
        for m in re.finditer(r"TokenRange\(start_token:(-?\d+), end_token:(-?\d+), "
                             r"endpoints:\[([^\]]*)\]", text):
            ranges.append((int(m.group(1)), int(m.group(2)),
                           [e.strip() for e in m.group(3).split(",") if e.strip()]))
        if not ranges:
            raise RuntimeError(f"nodetool describering {keyspace} printed no range:\n{text}")
        return ranges


class SecureSimUnderTest(SimUnderTest):
    """cqlsim serving TLS (a CA and certificate made here) with password authentication."""

    def __init__(self, block, directory):
        addresses = [f"127.0.{block}.{i + 1}" for i in range(2)]
        certs = make_certificates(directory, addresses)
        self.ca, cert, key = certs["ca.pem"], certs["server.pem"], certs["server.key"]
        self.user, self.password = "cqlbulk", "s3cret-for-tests"
        super().__init__(block, nodes=2, vnodes=4,
                         extra=("--user", f"{self.user}:{self.password}", "--tls-cert", cert,
                                "--tls-key", key))


class SecureCassandraUnderTest(ClusterUnderTest):
    """The real cluster's secure sibling (`scripts/cassandra.sh start --secure`): client TLS
    required, PasswordAuthenticator. Started here if it is not running, and then stopped."""

    kind = "cassandra"

    def __init__(self, block, directory):
        # On a fresh machine there is no secure cluster yet: status fails, and it is started.
        status = cassandra_sh("status", "--secure", check=False)
        self.started_here = not re.search(r"\bup\b", status)
        if self.started_here:
            cassandra_sh("start", "--secure", timeout=900)
            status = cassandra_sh("status", "--secure")
        self.ca = re.search(r"\(CA ([^)]+)\)", status).group(1)
        self.user = "cqlbulk"
        self.password = os.environ.get("CQLBULK_CASSANDRA_PASSWORD", "cqlbulk-secret")
        super().__init__(re.findall(r"^node\d+\s+(\d+\.\d+\.\d+\.\d+)\s+.*\bup\b", status,
                                    re.M))

    def close(self):
        super().close()
        if self.started_here:
            cassandra_sh("stop", "--secure")


def secure_cluster_under_test(block, directory):
    """A cluster that requires client TLS and a password: `.ca`, `.user`, `.password`."""
    if ARGS.cluster == "sim":
        return SecureSimUnderTest(block, directory)
    return SecureCassandraUnderTest(block, directory)


def cluster_under_test(block, **sim_options):
    """The cluster this run tests. `block` is the loopback block (127.0.<block>.x) of a
    cqlsim started for the calling test file; the real cluster has its own addresses."""
    if ARGS.cluster == "sim":
        return SimUnderTest(block, **sim_options)
    return CassandraUnderTest()


def wait_for_rows(session, query, expected, timeout=30):
    wait_until(lambda: session.execute(query).one()[0] == expected, timeout=timeout,
               what=f"{query} to give {expected}")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", choices=("sim", "cassandra"), required=True)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    ARGS, rest = parser.parse_known_args()
    ARGS.build = os.path.abspath(ARGS.build)
    unittest.main(argv=sys.argv[:1] + rest, verbosity=2)
