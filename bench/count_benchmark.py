# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk count` against its peers, side by side on the same cluster, in the same run: the seed's
design (bench/baseline_count.py, Python and the DataStax driver) and DataStax Bulk Loader (DSBulk,
Java driver 4, installed by bench/install_peers.sh).

usage: /usr/bin/python3 bench/count_benchmark.py [--rows N[,N...]] [--repeat K] [--build DIR]
           [--hosts H1,H2,... [--port P] [--truncate] | --cassandra] [--peers cqlbulk,baseline,dsbulk]
           [--methods count,stream] [--dsbulk LAUNCHER] [--dsbulk-java-opts OPTS]

Without --hosts it starts a 3-node cqlsim (16 vnodes, on 127.0.60.x) and fills demo.events at each
size with the fill example (the C++ driver). With --hosts it uses that cluster (a real Cassandra,
say) and loads demo.events itself, once per size: left as it is when it already holds that many
rows, else truncated and filled. With --cassandra it runs on cqlsim and then, in the same run, on
the real Apache Cassandra cluster of scripts/cassandra.sh (its demo.events is filled as needed).
Then, K times each and alternating:

  count   cqlbulk  count --method count      count(*) per range, the server counts
          baseline count                     the same with Python and the DataStax driver
          dsbulk   count(*)                  dsbulk unload of SELECT count(*) ... WHERE token(pk)
                                             > :start AND token(pk) <= :end, the per-range counts
                                             summed here
  stream  cqlbulk  count --method stream     every partition key streamed and counted on the client
          baseline stream                    the same with Python and the DataStax driver
          dsbulk   keys                      dsbulk unload of SELECT pk ... WHERE token(pk) > :start
                                             AND token(pk) <= :end, the query `dsbulk count` runs,
                                             one CSV line per row counted here

(`dsbulk count` itself cannot be had: Maven Central serves no dsbulk-workflow-count; see
bench/peers/pom.xml.) Prints, best of K: rows/s, wall seconds, the client's CPU (user + system of its
process tree from wait4: the JVM for DSBulk, start-up included), CPU per row, its peak RSS, and the
cluster's CPU over the same run; then the ratios dsbulk / cqlbulk and baseline / cqlbulk, and the
throughput DSBulk reports itself (its operation only, without JVM start-up and connection).
"""
import argparse
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
from simharness import SimCluster  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
KEYSPACE, TABLE, KEY = "demo", "events", "sensor"  # what the fill example writes
PEERS = ("cqlbulk", "baseline", "dsbulk")
METHODS = ("count", "stream")
RUN_NAMES = {("cqlbulk", "count"): "cqlbulk count", ("baseline", "count"): "baseline count",
             ("dsbulk", "count"): "dsbulk count(*)", ("cqlbulk", "stream"): "cqlbulk stream",
             ("baseline", "stream"): "baseline stream", ("dsbulk", "stream"): "dsbulk keys"}


def process_cpu(pid):
    """User + system CPU seconds of a running process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def cluster_cpu(pids):
    return sum(process_cpu(pid) for pid in pids)


def listening_pids(hosts, port):
    """Local processes listening on `port` at the hosts' addresses or elsewhere in their /24s (every
    node of a loopback cluster, when only some are given as contact points); empty when the
    cluster is not on this machine or its processes cannot be seen."""
    prefixes = {socket.gethostbyname(h).rsplit(".", 1)[0] + "." for h in hosts}
    inodes = set()
    try:
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                address, local_port = fields[1].split(":")
                if fields[3] != "0A" or int(local_port, 16) != port:  # 0A: LISTEN
                    continue
                ip = socket.inet_ntoa(struct.pack("<I", int(address, 16)))
                if ip == "0.0.0.0" or any(ip.startswith(p) for p in prefixes):
                    inodes.add(f"socket:[{fields[9]}]")
    except OSError:
        return []
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") in inodes
                   for fd in os.listdir(f"/proc/{pid}/fd")):
                pids.append(int(pid))
        except OSError:
            continue
    return pids


class Counted:
    """Reads a child's stdout as it comes and turns it into a row count: one number (cqlbulk),
    a JSON object (baseline), one count per line to add up (dsbulk count(*)) or one line per row
    (dsbulk keys). Lines are counted in chunks, so 10M rows of keys never sit in memory."""

    def __init__(self, kind):
        self.kind, self.lines, self.total, self.text, self.tail = kind, 0, 0, [], b""

    def feed(self, chunk):
        if self.kind == "lines":
            self.lines += chunk.count(b"\n")
        elif self.kind == "sum":
            data = self.tail + chunk
            cut = data.rfind(b"\n") + 1
            self.total += sum(int(n) for n in data[:cut].split())
            self.tail = data[cut:]
        else:
            self.text.append(chunk)

    def rows(self):
        if self.kind == "lines":
            return self.lines
        if self.kind == "sum":
            return self.total + sum(int(n) for n in self.tail.split())
        out = b"".join(self.text).decode()
        return json.loads(out)["rows"] if self.kind == "json" else int(out)


def measure(command, kind, server_pids):
    """Runs command; returns (rows counted, stderr, wall s, client CPU s, client peak RSS MiB,
    server CPU s). CPU and RSS come from wait4 on the child: its own and those of every
    descendant it reaped (the launcher execs the JVM, so for DSBulk it is the JVM itself)."""
    counted = Counted(kind)
    server0, t0 = cluster_cpu(server_pids), time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err)
        while chunk := child.stdout.read1(1 << 16):
            counted.feed(chunk)
        _, status, usage = os.wait4(child.pid, 0)  # reaps it, with its own rusage
        wall = time.monotonic() - t0
        server = cluster_cpu(server_pids) - server0
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        err.seek(0)
        stderr = err.read()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {child.returncode}: {stderr}")
    return (counted.rows(), stderr, wall, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024, server)


def dsbulk_reported(stderr):
    """What DSBulk says of its own operation: (records/s of its last summary line, operation
    seconds), from its console output; None where it printed none."""
    rate = seconds = None
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if "rows/s" in line and i + 1 < len(lines):
            cells = [c.strip() for c in lines[i + 1].split("|")]
            if len(cells) > 2 and cells[2].replace(",", "").isdigit():
                rate = int(cells[2].replace(",", ""))
        m = re.search(r"completed successfully in (.*)\.$", line)
        if m:
            seconds = m.group(1)
    return rate, seconds


def find_tool(build, name):
    """build/apps/NAME, build/examples/NAME, or NAME in a flat directory of binaries."""
    for sub in ("apps", "examples", ""):
        path = os.path.join(build, sub, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise SystemExit(f"no {name} under {build} (apps/, examples/ or the directory itself)")


def install_dsbulk():
    out = subprocess.run(["bash", os.path.join(HERE, "install_peers.sh")], check=True, text=True,
                         stdout=subprocess.PIPE)
    return out.stdout.strip().splitlines()[-1]


def prepare_external(hosts, port, rows, cqlbulk, fill, truncate):
    """Makes demo.events on an external cluster hold exactly `rows` rows: left alone when it does,
    filled when it holds fewer (the fill rewrites its own rows with the same values, then adds),
    truncated first when it holds more, but only with --truncate: the cluster may be shared."""
    held = 0
    out = subprocess.run([cqlbulk, "count", "--hosts", ",".join(hosts), "--port", str(port),
                          "-k", KEYSPACE, "-t", TABLE], text=True, capture_output=True)
    if out.returncode == 0:
        held = int(out.stdout)
    elif "not found" not in out.stderr and "does not exist" not in out.stderr:
        raise SystemExit(f"counting {KEYSPACE}.{TABLE} before the load failed: {out.stderr}")
    if held == rows:
        print(f"{KEYSPACE}.{TABLE} already holds {rows:,} rows: not loaded", flush=True)
        return
    if held > rows:
        if not truncate:
            raise SystemExit(f"{KEYSPACE}.{TABLE} holds {held:,} rows, more than {rows:,}: run with "
                             f"--rows {held} or, if the cluster is yours, --truncate")
        from cassandra.cluster import Cluster  # only needed here

        cluster = Cluster(hosts, port=port)
        try:
            cluster.connect().execute(f"TRUNCATE {KEYSPACE}.{TABLE}", timeout=120)
        finally:
            cluster.shutdown()
        print(f"{KEYSPACE}.{TABLE} held {held:,} rows: truncated", flush=True)
    if port != 9042:
        raise SystemExit(f"{fill} writes to port 9042 only; load {KEYSPACE}.{TABLE} yourself")
    print(subprocess.run([fill, hosts[0], str(rows), "128"], check=True, text=True,
                         capture_output=True).stdout.strip(), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="1000000",
                        help="comma-separated table sizes, filled in turn (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                        help="build directory (apps/, examples/) or a directory holding the "
                             "cqlsim, cqlbulk and fill binaries")
    parser.add_argument("--hosts", help="an external cluster's contact points, comma-separated; "
                                        "default: start a cqlsim")
    parser.add_argument("--cassandra", action="store_true",
                        help="after cqlsim, the same runs on the real Apache Cassandra cluster of "
                             "scripts/cassandra.sh (started, and stopped after, if not running)")
    parser.add_argument("--port", type=int, default=9042)
    parser.add_argument("--truncate", action="store_true",
                        help="with --hosts: empty demo.events first when it holds more rows than "
                             "asked (never done otherwise)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="clients to run, of cqlbulk,baseline,dsbulk (default all)")
    parser.add_argument("--methods", default=",".join(METHODS),
                        help="count (count(*) per range), stream (keys per range) or both")
    parser.add_argument("--dsbulk", help="DSBulk launcher (default: bench/install_peers.sh's)")
    parser.add_argument("--dsbulk-java-opts", default=None,
                        help="DSBULK_JAVA_OPTS for the JVM (default: DSBulk's own, none)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",")]
    peers = [p for p in PEERS if p in args.peers.split(",")]
    methods = [m for m in METHODS if m in args.methods.split(",")]
    if "cqlbulk" not in peers:
        raise SystemExit("--peers must include cqlbulk: the ratios are against it")
    cqlbulk = find_tool(args.build, "cqlbulk")
    fill = find_tool(args.build, "fill")
    dsbulk = None
    if "dsbulk" in peers:
        dsbulk = args.dsbulk or install_dsbulk()
        print(subprocess.run([dsbulk, "--version"], check=True, text=True,
                             capture_output=True).stdout.strip(), f"({dsbulk})", flush=True)
    if args.dsbulk_java_opts is not None:
        os.environ["DSBULK_JAVA_OPTS"] = args.dsbulk_java_opts
    logs = tempfile.mkdtemp(prefix="count-benchmark-dsbulk-")  # DSBulk's operation logs

    try:
        if args.hosts:
            hosts = args.hosts.split(",")
            pids = listening_pids(hosts, args.port)
            where = f"the cluster at {args.hosts} (port {args.port})"
            run_all(args, sizes, peers, methods, hosts, args.port, pids, where, cqlbulk, dsbulk,
                    logs, lambda rows: prepare_external(hosts, args.port, rows, cqlbulk, fill,
                                                 args.truncate))
        else:
            run_on_cqlsim(args, sizes, peers, methods, cqlbulk, dsbulk, fill, logs)
            if args.cassandra:
                run_on_cassandra(args, sizes, peers, methods, cqlbulk, dsbulk, fill, logs)
    finally:
        shutil.rmtree(logs, ignore_errors=True)


def run_on_cqlsim(args, sizes, peers, methods, cqlbulk, dsbulk, fill, logs):
    with SimCluster(find_tool(args.build, "cqlsim"), block=60, nodes=3, vnodes=16) as sim:
        def load(rows):
            # A larger size rewrites the smaller one's rows with the same values, then adds.
            print(subprocess.run([fill, sim.first_address, str(rows), "128"], check=True,
                                 text=True, capture_output=True).stdout.strip(), flush=True)
        run_all(args, sizes, peers, methods, [sim.first_address], sim.port,
                [sim.process.pid], "a 3-node cqlsim (16 vnodes)", cqlbulk, dsbulk, logs,
                load)


def run_on_cassandra(args, sizes, peers, methods, cqlbulk, dsbulk, fill, logs):
    """The real cluster of scripts/cassandra.sh: its demo.events is this benchmark's to fill."""
    script = os.path.join(ROOT, "scripts", "cassandra.sh")
    status = subprocess.run(["bash", script, "status"], capture_output=True, text=True).stdout
    started_here = not re.search(r"^node\d+ .* up ", status, re.M)
    if started_here:
        subprocess.run(["bash", script, "start", "3"], check=True)
        status = subprocess.run(["bash", script, "status"], capture_output=True,
                                text=True).stdout
    try:
        hosts = re.findall(r"^node\d+\s+(\S+)\s+.*\bup\b", status, re.M)
        version = subprocess.run(["bash", script, "nodetool", "1", "version"], capture_output=True,
                                 text=True).stdout.strip()
        where = (f"a {len(hosts)}-node Apache Cassandra ({version}, 16 vnodes, "
                 "scripts/cassandra.sh)")
        run_all(args, sizes, peers, methods, hosts, 9042, listening_pids(hosts, 9042), where,
                cqlbulk, dsbulk, logs,
                lambda rows: prepare_external(hosts, 9042, rows, cqlbulk, fill, True))
    finally:
        if started_here:
            subprocess.run(["bash", script, "stop"], check=True)


def commands(peer, method, hosts, port, cqlbulk, dsbulk, logs):
    """(command, how its output counts) of one run."""
    if peer == "cqlbulk":
        return ([cqlbulk, "count", "--hosts", ",".join(hosts), "--port", str(port), "-k", KEYSPACE,
                 "-t", TABLE, "--method", method], "int")
    if peer == "baseline":
        return ([sys.executable, os.path.join(HERE, "baseline_count.py"), f"{hosts[0]}:{port}",
                 KEYSPACE, TABLE] + (["--stream"] if method == "stream" else []), "json")
    selector = "count(*)" if method == "count" else KEY
    query = (f"SELECT {selector} FROM {KEYSPACE}.{TABLE} "
             f"WHERE token({KEY}) > :start AND token({KEY}) <= :end")
    return ([dsbulk, "unload", "-h", ",".join(hosts), "-port", str(port), "-query", query,
             "-url", "-", "-header", "false", "--log.directory", logs],
            "sum" if method == "count" else "lines")


def run_all(args, sizes, peers, methods, hosts, port, pids, where, cqlbulk, dsbulk, logs, load):
    if not pids:
        print("cluster processes not found on this machine: no cluster CPU figures", flush=True)
    runs = {RUN_NAMES[peer, method]: commands(peer, method, hosts, port, cqlbulk, dsbulk, logs)
            for method in methods for peer in peers}
    for rows in sizes:
        load(rows)
        results = {name: [] for name in runs}
        reported = {name: [] for name in runs if name.startswith("dsbulk")}
        for _ in range(args.repeat):
            for name, (command, kind) in runs.items():
                counted, stderr, *figures = measure(command, kind, pids)
                if counted != rows:
                    raise SystemExit(f"{name} counted {counted} rows, not {rows}")
                results[name].append(figures)
                if name in reported:
                    reported[name].append(dsbulk_reported(stderr))
            shutil.rmtree(logs, ignore_errors=True)
            os.makedirs(logs, exist_ok=True)
        report(rows, args.repeat, where, results, reported, bool(pids))


def report(rows, repeat, where, results, reported, have_cluster_cpu):
    print(f"\ncount of {rows:,} rows on {where}, {KEYSPACE}.{TABLE}, best of {repeat}")
    print(f"{'':16} {'rows/s':>12} {'wall s':>8} {'client CPU s':>13} {'CPU us/row':>11} "
          f"{'client RSS MiB':>15} {'cluster CPU s':>14}")
    best = {}
    for name, runs in results.items():
        wall, cpu, rss, server = (min(r[i] for r in runs) for i in range(4))
        best[name] = (wall, cpu)
        server_text = f"{server:14.3f}" if have_cluster_cpu else f"{'-':>14}"
        print(f"{name:16} {rows / wall:12,.0f} {wall:8.3f} {cpu:13.3f} "
              f"{cpu / rows * 1e6:11.4f} {rss:15.1f} {server_text}")
    for method in METHODS:
        ours = best.get(RUN_NAMES["cqlbulk", method])
        if ours is None:
            continue
        for peer in ("dsbulk", "baseline"):
            theirs = best.get(RUN_NAMES[peer, method])
            if theirs is not None:
                print(f"ratio {RUN_NAMES[peer, method]} / {RUN_NAMES['cqlbulk', method]}: "
                      f"wall {theirs[0] / ours[0]:.2f}x, client CPU {theirs[1] / ours[1]:.2f}x")
    for name, figures in reported.items():
        rates = [rate for rate, _ in figures if rate is not None]
        if rates:
            unit = "records/s (one record per range)" if "count(*)" in name else "rows/s"
            times = ", ".join(str(s) for _, s in figures if s)
            print(f"{name}, as DSBulk reports its operation (no JVM start-up or connection): "
                  f"best {max(rates):,} {unit}; operation took {times}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
