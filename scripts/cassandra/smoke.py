"""Smoke test of a cluster started by scripts/cassandra.sh, with the DataStax Python driver.

  smoke.py plain  NODES ADDR1 [ADDR...]          RF=min(3,NODES) keyspace, table, writes at
                                                 QUORUM/ALL, reads back, token-aware routing
  smoke.py secure ADDR CA_PEM USER PASSWORD      plain connection refused, TLS + password
                                                 works, a wrong password is refused

Run with /usr/bin/python3 (Debian's python3-cassandra). Exits non-zero on the first failure.
"""
import ssl
import sys
import uuid

from cassandra import ConsistencyLevel
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, NoHostAvailable
from cassandra.policies import RoundRobinPolicy, TokenAwarePolicy
from cassandra.concurrent import execute_concurrent_with_args
from cassandra.query import SimpleStatement


def plain(nodes, addrs):
    rf = min(3, nodes)
    profile = ExecutionProfile(load_balancing_policy=TokenAwarePolicy(RoundRobinPolicy()))
    cluster = Cluster(addrs, execution_profiles={EXEC_PROFILE_DEFAULT: profile})
    session = cluster.connect()
    hosts = sorted(str(h.address) for h in cluster.metadata.all_hosts())
    assert len(hosts) == nodes, f"driver sees {hosts}, expected {nodes} hosts"
    release = session.execute("SELECT release_version FROM system.local").one()[0]
    ks = "smoke_" + uuid.uuid4().hex[:8]
    session.execute(
        f"CREATE KEYSPACE {ks} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': {rf}}}")
    session.execute(f"CREATE TABLE {ks}.t (pk int, ck int, v text, PRIMARY KEY (pk, ck))")
    insert = session.prepare(f"INSERT INTO {ks}.t (pk, ck, v) VALUES (?, ?, ?)")
    insert.consistency_level = ConsistencyLevel.ALL      # every replica must take it
    rows = [(pk, ck, f"v{pk}-{ck}") for pk in range(100) for ck in range(10)]
    for ok, result in execute_concurrent_with_args(session, insert, rows, concurrency=32):
        assert ok, result
    select = SimpleStatement(f"SELECT count(*) FROM {ks}.t", consistency_level=ConsistencyLevel.QUORUM)
    count = session.execute(select).one()[0]
    assert count == 1000, f"count(*) = {count}, expected 1000"
    row = session.execute(SimpleStatement(f"SELECT v FROM {ks}.t WHERE pk = 42 AND ck = 7",
                                          consistency_level=ConsistencyLevel.ALL)).one()
    assert row.v == "v42-7", row
    replicas = cluster.metadata.get_replicas(ks, (42).to_bytes(4, "big", signed=True))
    assert len(replicas) == rf, replicas
    print(f"plain: Cassandra {release}, {nodes} hosts {hosts}, keyspace {ks} RF {rf}: "
          f"1000 rows written at ALL, count(*) at QUORUM = {count}, pk 42 on {sorted(str(r.address) for r in replicas)}")
    session.execute(f"DROP KEYSPACE {ks}")
    cluster.shutdown()


def secure(addr, ca, user, password):
    ctx = ssl.create_default_context(cafile=ca)

    def connect(**kw):
        c = Cluster([addr], connect_timeout=5, control_connection_timeout=5, **kw)
        try:
            s = c.connect()
            return c, s
        except Exception:
            c.shutdown()
            raise

    # 1. no TLS: the node speaks only TLS, so the connection fails
    try:
        c, _ = connect(auth_provider=PlainTextAuthProvider(user, password))
        c.shutdown()
        sys.exit("secure: a plain (non-TLS) connection was accepted")
    except NoHostAvailable as e:
        print(f"secure: plain connection refused ({type(list(e.errors.values())[0]).__name__})")
    # 2. TLS without credentials: authentication required
    try:
        c, _ = connect(ssl_context=ctx)
        c.shutdown()
        sys.exit("secure: a connection without credentials was accepted")
    except NoHostAvailable as e:
        print(f"secure: TLS without credentials refused ({str(list(e.errors.values())[0])[:80]})")
    # 3. wrong password
    try:
        c, _ = connect(ssl_context=ctx, auth_provider=PlainTextAuthProvider(user, password + "x"))
        c.shutdown()
        sys.exit("secure: a wrong password was accepted")
    except NoHostAvailable as e:
        print(f"secure: wrong password refused ({str(list(e.errors.values())[0])[:80]})")
    # 4. TLS (verifying the server against the CA) + the right password: works
    c, s = connect(ssl_context=ctx, auth_provider=PlainTextAuthProvider(user, password))
    ks = "smoke_" + uuid.uuid4().hex[:8]
    s.execute(f"CREATE KEYSPACE {ks} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}")
    s.execute(f"CREATE TABLE {ks}.t (k int PRIMARY KEY, v text)")
    s.execute(f"INSERT INTO {ks}.t (k, v) VALUES (1, 'one')")
    v = s.execute(f"SELECT v FROM {ks}.t WHERE k = 1").one().v
    assert v == "one", v
    s.execute(f"DROP KEYSPACE {ks}")
    print(f"secure: TLS (CA {ca}) + {user}/<password>: keyspace, table, insert, select work")
    c.shutdown()


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "plain" and len(sys.argv) >= 4:
        plain(int(sys.argv[2]), sys.argv[3:])
    elif mode == "secure" and len(sys.argv) == 6:
        secure(*sys.argv[2:6])
    else:
        sys.exit(__doc__)
