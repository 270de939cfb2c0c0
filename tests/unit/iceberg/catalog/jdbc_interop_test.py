#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Our SQL catalog, judged by Iceberg Java's JdbcCatalog (iceberg-core 1.9.2, pinned in
tests/referees/iceberg-jdbc/pom.xml, jars fetched once from Maven Central into
${CQLBULK_CACHE:-~/.cache/cqlbulk}/iceberg-jdbc), on SQLite and on a throwaway PostgreSQL:

- tables we register (pointing at copies of PyIceberg's metadata files) are listed and loaded by
  JdbcCatalog, with their namespaces and properties; our commit moves what it loads;
- JdbcCatalog commits to our table (a property change: a new metadata file and its own
  compare-and-swap on our row); we load the new location and PyIceberg reads the table;
- in a database where JdbcCatalog created the tables (its own DDL, V0 and V1), its namespace
  and registered table are listed, loaded and committed by us, and JdbcCatalog follows.

    jdbc_interop_test.py CATALOG_TOOL

Run with the referees' python (scripts/install-referees.sh); needs java and mvn
(scripts/install-deps.sh). Exits 1 with a list of problems.
"""
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import warnings

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "testing"))
from postgres_server import PostgresServer  # noqa: E402

warnings.filterwarnings("ignore")
TOOL = os.path.abspath(sys.argv[1])
POM = os.path.join(HERE, "..", "..", "..", "referees", "iceberg-jdbc", "pom.xml")
REFEREE = os.path.join(HERE, "JdbcReferee.java")
CACHE = os.path.join(os.environ.get("CQLBULK_CACHE", os.path.expanduser("~/.cache/cqlbulk")),
                     "iceberg-jdbc")
PROBLEMS = []


def problem(message):
    PROBLEMS.append(message)
    print("FAIL:", message, flush=True)


def check(condition, message):
    if not condition:
        problem(message)
    return condition


def install_jars():
    """The referee's jars, fetched by Maven once per version of the pom."""
    with open(POM, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(CACHE, ".installed")
    lib = os.path.join(CACHE, "lib")
    if os.path.exists(stamp) and open(stamp).read() == want:
        return lib
    shutil.rmtree(CACHE, ignore_errors=True)
    os.makedirs(CACHE)
    r = subprocess.run(["mvn", "-B", "-q", *os.environ.get("CQLBULK_MAVEN_ARGS", "").split(), "-f",
                        POM, "dependency:copy-dependencies", f"-DoutputDirectory={lib}"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"mvn could not fetch the JdbcCatalog referee:\n{r.stdout[-3000:]}")
    with open(stamp, "w") as f:
        f.write(want)
    return lib


def compile_referee(lib, tmp):
    classes = os.path.join(tmp, "classes")
    subprocess.run(["javac", "-nowarn", "-cp", os.path.join(lib, "*"), "-d", classes, REFEREE],
                   check=True, capture_output=True)
    return classes


class Java:
    def __init__(self, classpath, jdbc_url, warehouse, user=None, schema_version=None):
        self.base = ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath]
        if user:
            self.base.append(f"-Djdbc.user={user}")
        if schema_version:
            self.base.append(f"-Djdbc.schema-version={schema_version}")
        self.base += ["JdbcReferee", jdbc_url, warehouse]

    def __call__(self, *args):
        r = subprocess.run(self.base + list(args), capture_output=True, text=True)
        if r.returncode != 0:
            problem(f"JdbcCatalog {' '.join(args)}: {r.stderr.strip()[-1500:]}")
            return None
        return json.loads(r.stdout.strip().splitlines()[-1])


def ours(uri, *args, expect=0):
    r = subprocess.run([TOOL, uri, "shared", *args], capture_output=True, text=True)
    if r.returncode != expect:
        problem(f"catalog_tool {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
        return None
    return r.stdout.strip()


SCHEMA = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("name", pa.string())])
ROWS1 = [{"id": i, "name": f"first-{i}"} for i in range(4)]
ROWS2 = [{"id": 10 + i, "name": f"second-{i}"} for i in range(2)]


def source_table(tmp):
    """Two metadata files written by PyIceberg (one append each), copied under names of ours."""
    src = SqlCatalog("source", uri=f"sqlite:///{tmp}/source.db", warehouse=f"file://{tmp}/src_wh")
    src.create_namespace("s")
    t = src.create_table("s.t", schema=SCHEMA)
    t.append(pa.Table.from_pylist(ROWS1, schema=SCHEMA))
    first = (t.metadata_location, t.current_snapshot().snapshot_id)
    t.append(pa.Table.from_pylist(ROWS2, schema=SCHEMA))
    second = (t.metadata_location, t.current_snapshot().snapshot_id)
    src.close()
    return first, second


def copy(location, tmp, name):
    os.makedirs(os.path.join(tmp, "copies"), exist_ok=True)
    target = os.path.join(tmp, "copies", name)
    shutil.copyfile(location[len("file://"):], target)
    return target


def shared(label, java, uri, py_uri, tmp, first, second):
    print(f"-- {label}: JdbcCatalog reads and commits what we wrote", flush=True)
    loc1 = copy(first[0], tmp, f"{label}-1.metadata.json")
    loc2 = copy(second[0], tmp, f"{label}-2.metadata.json")
    ours(uri, "create-namespace", "our.sub", "k=v")
    ours(uri, "create-table", "our.sub.t", loc1)
    check("our" in (java("namespaces") or []), f"{label}: JdbcCatalog's namespaces miss 'our'")
    check(java("namespaces", "our") == ["our.sub"], f"{label}: JdbcCatalog under 'our'")
    props = java("namespace-properties", "our.sub") or {}
    check(props.get("k") == "v", f"{label}: JdbcCatalog's our.sub properties {props}")
    check(java("tables", "our.sub") == ["our.sub.t"], f"{label}: JdbcCatalog's tables")
    got = java("load", "our.sub.t") or {}
    check(got.get("location") == loc1 and got.get("columns") == ["id", "name"] and
          got.get("snapshot") == first[1], f"{label}: JdbcCatalog loads {got}")
    ours(uri, "commit", "our.sub.t", loc1, loc2)
    got = java("load", "our.sub.t") or {}
    check(got.get("location") == loc2 and got.get("snapshot") == second[1],
          f"{label}: after our commit JdbcCatalog loads {got}")

    new_location = java("set-property", "our.sub.t", "committed-by", "jdbc")
    check(new_location and new_location != loc2, f"{label}: JdbcCatalog's commit: {new_location}")
    check(ours(uri, "load", "our.sub.t") == new_location,
          f"{label}: we do not see JdbcCatalog's commit {new_location}")
    py = SqlCatalog("shared", uri=py_uri)
    t = py.load_table("our.sub.t")
    check(t.metadata_location == new_location and t.properties.get("committed-by") == "jdbc",
          f"{label}: PyIceberg loads {t.metadata_location} {t.properties}")
    scanned = sorted(t.scan().to_arrow().to_pylist(), key=lambda r: r["id"])
    check(scanned == ROWS1 + ROWS2, f"{label}: PyIceberg scans {scanned}")
    py.close()

    print(f"-- {label}: we read and commit what JdbcCatalog wrote", flush=True)
    loc1b = copy(first[0], tmp, f"{label}-java.metadata.json")
    java("create-namespace", "java_ns", "owner=java")
    java("register", "java_ns.t", loc1b)
    check(["java_ns"] in json.loads(ours(uri, "list-namespaces") or "[]"),
          f"{label}: we miss JdbcCatalog's namespace")
    # JdbcCatalog stores an "exists" row beside the properties it is given and hides it when
    # loading them (we return the rows as stored, as PyIceberg does), and reports a "location"
    # it derives without storing it.
    theirs = {k: v for k, v in (java("namespace-properties", "java_ns") or {}).items()
              if k != "location"}
    got = json.loads(ours(uri, "namespace-properties", "java_ns") or "{}")
    check(got == {**theirs, "exists": "true"} and got.get("owner") == "java",
          f"{label}: JdbcCatalog's namespace properties: ours {got}, theirs {theirs}")
    check(json.loads(ours(uri, "list-tables", "java_ns") or "[]") == ["java_ns.t"],
          f"{label}: JdbcCatalog's table")
    check(ours(uri, "load", "java_ns.t") == loc1b, f"{label}: JdbcCatalog's table location")
    loc2b = copy(second[0], tmp, f"{label}-java-2.metadata.json")
    ours(uri, "commit", "java_ns.t", loc1b, loc2b)
    got = java("load", "java_ns.t") or {}
    check(got.get("location") == loc2b, f"{label}: JdbcCatalog after our commit: {got}")


def java_first(label, java, uri, tmp, first):
    print(f"-- {label}: tables created by JdbcCatalog", flush=True)
    loc = copy(first[0], tmp, f"{label}-jfirst.metadata.json")
    java("create-namespace", "j")
    java("register", "j.t", loc)
    check(ours(uri, "load", "j.t") == loc, f"{label}: we load JdbcCatalog's table")
    loc2 = copy(first[0], tmp, f"{label}-jfirst-2.metadata.json")
    ours(uri, "commit", "j.t", loc, loc2)
    ours(uri, "create-table", "j.ours", loc)
    check(java("tables", "j") == ["j.ours", "j.t"] or java("tables", "j") == ["j.t", "j.ours"],
          f"{label}: JdbcCatalog lists {java('tables', 'j')}")
    check((java("load", "j.t") or {}).get("location") == loc2, f"{label}: JdbcCatalog follows us")


def main():
    lib = install_jars()
    tmp = tempfile.mkdtemp(prefix="jdbc_interop_")
    try:
        lib = os.path.join(lib, "*") + os.pathsep + compile_referee(lib, tmp)
        first, second = source_table(tmp)
        db = os.path.join(tmp, "catalog.db")
        shared("sqlite", Java(lib, f"jdbc:sqlite:{db}", os.path.join(tmp, "wh")),
               f"sqlite:///{db}", f"sqlite:///{db}", tmp, first, second)
        jdb = os.path.join(tmp, "jdbc_first.db")
        java = Java(lib, f"jdbc:sqlite:{jdb}", os.path.join(tmp, "wh"))
        java("namespaces")  # JdbcCatalog creates its tables (V0: no iceberg_type)
        java_first("sqlite", java, jdb, tmp, first)
        jdb1 = os.path.join(tmp, "jdbc_first_v1.db")
        java = Java(lib, f"jdbc:sqlite:{jdb1}", os.path.join(tmp, "wh"), schema_version="V1")
        java("namespaces")
        with sqlite3.connect(jdb1) as c:
            columns = [r[1] for r in c.execute("PRAGMA table_info(iceberg_tables)")]
        check("iceberg_type" in columns, f"JdbcCatalog V1 made no iceberg_type: {columns}")
        java_first("sqlite-v1", java, jdb1, tmp, first)

        with PostgresServer() as pg:
            host = f"127.0.0.1:{pg.port}"
            pg.create_database("shared")
            pg.create_database("jdbc_first")
            shared("postgresql",
                   Java(lib, f"jdbc:postgresql://{host}/shared", os.path.join(tmp, "wh"),
                        "postgres"),
                   f"postgresql://postgres@{host}/shared",
                   f"postgresql+psycopg2://postgres@{host}/shared", tmp, first, second)
            java = Java(lib, f"jdbc:postgresql://{host}/jdbc_first", os.path.join(tmp, "wh"),
                        "postgres")
            java("namespaces")
            java_first("postgresql", java, f"postgresql://postgres@{host}/jdbc_first", tmp, first)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
