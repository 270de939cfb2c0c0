#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Our SQL catalog, judged by PyIceberg's SqlCatalog (0.12, SQLAlchemy), on SQLite and on a
throwaway PostgreSQL 15 (tests/testing/postgres_server.py):

- PyIceberg creates a namespace and a table and appends rows; we list and load them;
- we create a namespace and a table pointing at a copy of PyIceberg's metadata file; PyIceberg
  lists it, loads it and scans its rows; our commit moves the pointer and PyIceberg sees it; a
  commit from a stale location fails with the conflict exit code and changes nothing; PyIceberg
  commits to our table and we see it; we drop it and PyIceberg no longer finds it;
- the tables we create have the columns, types, nullability and keys PyIceberg's have;
- SQLite: a catalog made with Iceberg Java's JdbcCatalog V0 DDL is shared the same way;
- two catalog_tool processes commit to one table, retrying on conflict: every commit lands
  once (the chain of previous locations has no gap).

    catalog_interop_test.py CATALOG_TOOL

Run with the referees' python (scripts/install-referees.sh). Exits 1 with a list of problems.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import warnings

import pyarrow as pa
import sqlalchemy
from pyiceberg.catalog.sql import SqlCatalog

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                "testing"))
from postgres_server import PostgresServer  # noqa: E402

warnings.filterwarnings("ignore")
TOOL = os.path.abspath(sys.argv[1])
PROBLEMS = []
CONFLICT, NOT_FOUND, ALREADY_EXISTS = 3, 4, 5


def problem(message):
    PROBLEMS.append(message)
    print("FAIL:", message, flush=True)


def check(condition, message):
    if not condition:
        problem(message)
    return condition


def tool(uri, *args, cwd=None, expect=0):
    r = subprocess.run([TOOL, uri, "shared", *args], capture_output=True, text=True, cwd=cwd)
    if r.returncode != expect:
        problem(f"catalog_tool {' '.join(args)} on {uri}: exit {r.returncode}, wanted {expect}: "
                f"{r.stderr.strip()}")
    return r


def tool_json(uri, *args, cwd=None):
    r = tool(uri, *args, cwd=cwd)
    return json.loads(r.stdout) if r.returncode == 0 else None


def local_path(location):
    return location[len("file://"):] if location.startswith("file://") else location


def copy_metadata(location, directory, name):
    """A copy of a metadata file, addressed the way PyIceberg addressed the original."""
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, name)
    shutil.copyfile(local_path(location), target)
    return ("file://" + target) if location.startswith("file://") else target


def rows(table):
    return sorted(table.scan().to_arrow().to_pylist(), key=lambda r: r["id"])


def catalog_row(engine, namespace, name):
    with engine.connect() as c:
        return c.execute(sqlalchemy.text(
            "SELECT metadata_location, previous_metadata_location FROM iceberg_tables "
            "WHERE catalog_name = 'shared' AND table_namespace = :ns AND table_name = :t"),
            {"ns": namespace, "t": name}).fetchone()


SCHEMA = pa.schema([pa.field("id", pa.int64(), nullable=False), pa.field("name", pa.string())])
ROWS1 = [{"id": i, "name": f"first-{i}"} for i in range(5)]
ROWS2 = [{"id": 100 + i, "name": f"second-{i}"} for i in range(3)]
ROWS3 = [{"id": 200, "name": None}]


def interop(label, py_uri, our_uri, warehouse, cwd=None):
    print(f"-- {label}: interop with PyIceberg", flush=True)
    cat = SqlCatalog("shared", uri=py_uri, warehouse="file://" + warehouse)
    cat.create_namespace("py_ns", {"owner": "py"})
    py_table = cat.create_table("py_ns.orders", schema=SCHEMA)
    py_table.append(pa.Table.from_pylist(ROWS1, schema=SCHEMA))
    loc_py1 = py_table.metadata_location

    # PyIceberg wrote; we read.
    check(["py_ns"] in (tool_json(our_uri, "list-namespaces", cwd=cwd) or []),
          f"{label}: our list-namespaces misses py_ns")
    check(tool_json(our_uri, "namespace-properties", "py_ns", cwd=cwd) == {"owner": "py"},
          f"{label}: py_ns properties")
    check(tool_json(our_uri, "list-tables", "py_ns", cwd=cwd) == ["py_ns.orders"],
          f"{label}: our list-tables py_ns")
    got = tool(our_uri, "load", "py_ns.orders", cwd=cwd).stdout.strip()
    check(got == loc_py1, f"{label}: we load {got!r}, PyIceberg has {loc_py1!r}")

    # We write; PyIceberg reads.
    copies = os.path.join(warehouse, "copies")
    loc1 = copy_metadata(loc_py1, copies, "v1.metadata.json")
    tool(our_uri, "create-namespace", "our.sub", "k=v", cwd=cwd)
    tool(our_uri, "create-table", "our.sub.copy", loc1, cwd=cwd)
    tool(our_uri, "create-table", "our.sub.copy", loc1, cwd=cwd, expect=ALREADY_EXISTS)
    tool(our_uri, "create-namespace", "our.sub", cwd=cwd, expect=ALREADY_EXISTS)
    check(("our",) in cat.list_namespaces(), f"{label}: PyIceberg's namespaces miss 'our'")
    check(cat.list_namespaces("our") == [("our", "sub")], f"{label}: PyIceberg under 'our'")
    check(cat.load_namespace_properties("our.sub") == {"k": "v"}, f"{label}: our.sub properties")
    check(cat.list_tables("our.sub") == [("our", "sub", "copy")], f"{label}: PyIceberg list_tables")
    t = cat.load_table("our.sub.copy")
    check(t.metadata_location == loc1, f"{label}: PyIceberg loads {t.metadata_location}")
    check(rows(t) == ROWS1, f"{label}: PyIceberg scans our table: {rows(t)}")

    # Our commit moves the pointer; PyIceberg follows.
    py_table.append(pa.Table.from_pylist(ROWS2, schema=SCHEMA))
    loc2 = copy_metadata(py_table.metadata_location, copies, "v2.metadata.json")
    tool(our_uri, "commit", "our.sub.copy", loc1, loc2, cwd=cwd)
    t = cat.load_table("our.sub.copy")
    check(t.metadata_location == loc2, f"{label}: after our commit PyIceberg loads "
                                       f"{t.metadata_location}")
    check(rows(t) == ROWS1 + ROWS2, f"{label}: PyIceberg scans our committed table")
    check(tuple(catalog_row(cat.engine, "our.sub", "copy")) == (loc2, loc1),
          f"{label}: row after commit {catalog_row(cat.engine, 'our.sub', 'copy')}")

    # A stale commit fails with the conflict code and changes nothing.
    loc3 = copy_metadata(loc_py1, copies, "v3.metadata.json")
    r = tool(our_uri, "commit", "our.sub.copy", loc1, loc3, cwd=cwd, expect=CONFLICT)
    check("lost a race" in r.stderr and loc2 in r.stderr, f"{label}: conflict message {r.stderr!r}")
    check(tuple(catalog_row(cat.engine, "our.sub", "copy")) == (loc2, loc1),
          f"{label}: a failed commit changed the row")
    check(cat.load_table("our.sub.copy").metadata_location == loc2, f"{label}: stale commit")

    # PyIceberg commits to our table (its own compare-and-swap on our row); we follow.
    t.append(pa.Table.from_pylist(ROWS3, schema=SCHEMA))
    got = tool(our_uri, "load", "our.sub.copy", cwd=cwd).stdout.strip()
    check(got == t.metadata_location, f"{label}: we load {got} after PyIceberg's commit")
    check(tuple(catalog_row(cat.engine, "our.sub", "copy")) == (t.metadata_location, loc2),
          f"{label}: PyIceberg's commit row")

    # Errors and drop.
    r = tool(our_uri, "load", "py_ns.nope", cwd=cwd, expect=NOT_FOUND)
    check("table py_ns.nope does not exist in catalog shared" in r.stderr,
          f"{label}: unknown table message {r.stderr!r}")
    tool(our_uri, "drop", "our.sub.copy", cwd=cwd)
    check(not cat.table_exists("our.sub.copy"), f"{label}: PyIceberg still sees a dropped table")
    check(os.path.exists(local_path(loc2)), f"{label}: drop removed a metadata file")
    check(cat.namespace_exists("our.sub"), f"{label}: namespace gone with its table")
    cat.close()


def describe_tables(engine):
    """Columns (name, type, nullable) and primary keys of the two catalog tables."""
    inspector = sqlalchemy.inspect(engine)
    out = {}
    for table in ("iceberg_tables", "iceberg_namespace_properties"):
        columns = [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
        out[table] = (columns, inspector.get_pk_constraint(table)["constrained_columns"])
    return out


def same_tables(label, ours_py_uri, ours_uri, theirs_py_uri):
    print(f"-- {label}: our tables are PyIceberg's", flush=True)
    tool(ours_uri, "list-namespaces")  # creates the tables
    SqlCatalog("shared", uri=theirs_py_uri).close()
    ours = describe_tables(sqlalchemy.create_engine(ours_py_uri))
    theirs = describe_tables(sqlalchemy.create_engine(theirs_py_uri))
    check(ours == theirs, f"{label}: tables differ:\nours   {ours}\ntheirs {theirs}")


# Iceberg Java's JdbcCatalog V0 DDL (JdbcUtil.CREATE_CATALOG_TABLE and
# CREATE_NAMESPACE_PROPERTIES_TABLE): no iceberg_type, nullable property columns.
JDBC_V0 = """
CREATE TABLE iceberg_tables(catalog_name VARCHAR(255) NOT NULL,table_namespace VARCHAR(255)
 NOT NULL,table_name VARCHAR(255) NOT NULL,metadata_location VARCHAR(1000),
 previous_metadata_location VARCHAR(1000),PRIMARY KEY (catalog_name, table_namespace, table_name));
CREATE TABLE iceberg_namespace_properties(catalog_name VARCHAR(255) NOT NULL,namespace
 VARCHAR(255) NOT NULL,property_key VARCHAR(255),property_value VARCHAR(1000),PRIMARY KEY
 (catalog_name, namespace, property_key));
"""


def jdbc_v0(tmp):
    print("-- sqlite: a JdbcCatalog V0 catalog", flush=True)
    db = os.path.join(tmp, "jdbc_v0.db")
    with sqlite3.connect(db) as c:
        c.executescript(JDBC_V0)
    warehouse = os.path.join(tmp, "wh_v0")
    src = SqlCatalog("source", uri=f"sqlite:///{tmp}/source.db", warehouse="file://" + warehouse)
    src.create_namespace("s")
    t = src.create_table("s.t", schema=SCHEMA)
    t.append(pa.Table.from_pylist(ROWS1, schema=SCHEMA))
    loc = copy_metadata(t.metadata_location, os.path.join(warehouse, "copies"), "v0.metadata.json")
    tool(db, "create-namespace", "legacy")
    tool(db, "create-table", "legacy.t", loc)
    with sqlite3.connect(db) as c:
        columns = [r[1] for r in c.execute("PRAGMA table_info(iceberg_tables)")]
    check("iceberg_type" not in columns, f"V0 tables were altered: {columns}")
    cat = SqlCatalog("shared", uri=f"sqlite:///{db}")
    check(cat.list_tables("legacy") == [("legacy", "t")], "PyIceberg lists our V0 row")
    check(rows(cat.load_table("legacy.t")) == ROWS1, "PyIceberg scans our V0 row's table")
    cat.close()


def concurrent_commits(label, uri, count=100):
    print(f"-- {label}: two processes commit {count} times each", flush=True)
    tool(uri, "create-namespace", "conc")
    tool(uri, "create-table", "conc.t", "start")
    procs = [subprocess.Popen([TOOL, uri, "shared", "commit-loop", "conc.t", str(count), tag,
                              "3000"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    links, retries = {}, []
    for p in procs:
        out, err = p.communicate(timeout=300)
        if not check(p.returncode == 0, f"{label}: commit-loop failed: {err.strip()}"):
            return
        retries.append(int(err.split()[-1]))
        for line in out.splitlines():
            previous, new = line.split("\t")
            check(new not in links, f"{label}: {new} committed twice")
            links[new] = previous
    check(len(links) == 2 * count, f"{label}: {len(links)} commits reported, wanted {2 * count}")
    at = tool(uri, "load", "conc.t").stdout.strip()
    seen = set()
    while at != "start":
        if not check(at in links and at not in seen, f"{label}: the chain breaks at {at}"):
            return
        seen.add(at)
        at = links[at]
    check(len(seen) == 2 * count, f"{label}: chain holds {len(seen)} of {2 * count} commits")
    check(sum(retries) > 0, f"{label}: the writers never raced: the test proved nothing")
    print(f"   {label}: chain of {len(seen)} commits, retries {retries}", flush=True)


def main():
    tmp = tempfile.mkdtemp(prefix="catalog_interop_")
    try:
        # SQLite, addressed relative to the working directory as SQLAlchemy does.
        os.chdir(tmp)  # PyIceberg resolves sqlite:///catalog.db against the process's cwd
        interop("sqlite", "sqlite:///catalog.db", "sqlite:///catalog.db", os.path.join(tmp, "wh"),
                cwd=tmp)
        same_tables("sqlite", f"sqlite:///{tmp}/ours.db", f"sqlite:///{tmp}/ours.db",
                    f"sqlite:///{tmp}/theirs.db")
        jdbc_v0(tmp)
        concurrent_commits("sqlite", f"sqlite:///{tmp}/conc.db")

        with PostgresServer() as pg:
            base = pg.uri.rsplit("/", 1)[0]
            py_base = base.replace("postgresql://", "postgresql+psycopg2://")
            pg.create_database("interop")
            pg_uri = py_base + "/interop"
            interop("postgresql", pg_uri, pg_uri, os.path.join(tmp, "wh_pg"))
            pg.create_database("ours")
            pg.create_database("theirs")
            same_tables("postgresql", py_base + "/ours", base + "/ours", py_base + "/theirs")
            pg.create_database("conc")
            concurrent_commits("postgresql", base + "/conc")
            r = subprocess.run([TOOL, base.replace("@", ":secret@") + "/missing", "shared",
                                "list-namespaces"], capture_output=True, text=True)
            check(r.returncode == 1 and "/missing" in r.stderr and "secret" not in r.stderr,
                  f"missing database: {r.returncode} {r.stderr!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problem(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
