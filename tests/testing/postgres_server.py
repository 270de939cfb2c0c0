#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A throwaway PostgreSQL server for tests: its own data directory in a temporary folder, a
free port on 127.0.0.1, trust authentication for 127.0.0.1 only, no Unix socket.

As a module:
    with PostgresServer() as pg:
        uri = pg.uri                      # postgresql://postgres@127.0.0.1:PORT/postgres
        uri2 = pg.create_database("db2")  # the URI of a new, empty database
From the shell:
    postgres_server.py start   # prints the URI, then the directory to give to stop
    postgres_server.py stop DIR
    postgres_server.py run -- COMMAND [ARGS...]
        # runs COMMAND with CQLBULK_TEST_POSTGRES_URI set, then stops the server; exits with
        # COMMAND's status

The binaries come from $CQLBULK_POSTGRES_BIN or /usr/lib/postgresql/15/bin (Debian's
postgresql-15, installed by scripts/install-deps.sh). initdb refuses to run as root, so as root
the server runs as the `postgres` user (runuser, or setpriv) in a folder it owns.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

DEFAULT_BIN = "/usr/lib/postgresql/15/bin"
SERVER_USER = "postgres"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, bindir=None, directory=None):
        self.bindir = bindir or os.environ.get("CQLBULK_POSTGRES_BIN", DEFAULT_BIN)
        self.directory = directory
        self.port = None

    # -- running commands as the server's user --------------------------------------------
    def _as_server_user(self, argv):
        if os.geteuid() != 0:
            return argv
        if shutil.which("runuser"):
            return ["runuser", "-u", SERVER_USER, "--"] + argv
        return ["setpriv", "--reuid", SERVER_USER, "--regid", SERVER_USER, "--init-groups"] + argv

    def _run(self, argv, **kwargs):
        result = subprocess.run(self._as_server_user(argv), capture_output=True, text=True,
                                cwd=self.directory, **kwargs)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}{self._log_tail()}")
        return result

    def _log_tail(self):
        log = os.path.join(self.directory or "", "server.log")
        if self.directory and os.path.exists(log):
            with open(log, errors="replace") as f:
                return "\nserver.log:\n" + "".join(f.readlines()[-20:])
        return ""

    @property
    def data_dir(self):
        return os.path.join(self.directory, "data")

    @property
    def uri(self):
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/postgres"

    # -- lifecycle ----------------------------------------------------------------------
    def start(self):
        for tool in ("initdb", "pg_ctl", "psql"):
            if not os.access(os.path.join(self.bindir, tool), os.X_OK):
                raise RuntimeError(f"PostgreSQL's {tool} is not in {self.bindir} "
                                   "(install postgresql-15, or set CQLBULK_POSTGRES_BIN)")
        # As root the folder must be reachable by the server's user: /tmp, not $TMPDIR.
        base = "/tmp" if os.geteuid() == 0 else None
        self.directory = tempfile.mkdtemp(prefix="cqlbulk-pg-", dir=base)
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run([os.path.join(self.bindir, "initdb"), "-D", self.data_dir, "-U", SERVER_USER,
                   "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        with open(os.path.join(self.data_dir, "pg_hba.conf"), "w") as f:
            f.write("# cqlbulk tests: trust, on 127.0.0.1 only\n"
                    "host all all 127.0.0.1/32 trust\n")
        last_error = None
        for _ in range(5):  # another process may take the free port before the server binds it
            self.port = _free_port()
            with open(os.path.join(self.data_dir, "postgresql.auto.conf"), "w") as f:
                f.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                        "unix_socket_directories = ''\nfsync = off\n"
                        "synchronous_commit = off\nfull_page_writes = off\n"
                        "shared_buffers = 32MB\nmax_connections = 40\n")
            try:
                self._run([os.path.join(self.bindir, "pg_ctl"), "-D", self.data_dir, "-l",
                           os.path.join(self.directory, "server.log"), "-w", "-t", "60", "start"])
                self._wait_ready()
                return self.uri
            except RuntimeError as e:
                last_error = e
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start: {last_error}")

    def _wait_ready(self):
        deadline = time.time() + 30
        while True:
            r = subprocess.run([os.path.join(self.bindir, "pg_isready"), "-h", "127.0.0.1", "-p",
                                str(self.port)], capture_output=True)
            if r.returncode == 0:
                return
            if time.time() > deadline:
                raise RuntimeError(f"PostgreSQL on port {self.port} not ready{self._log_tail()}")
            time.sleep(0.2)

    def stop(self):
        if not self.directory:
            return
        if os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            subprocess.run(self._as_server_user([os.path.join(self.bindir, "pg_ctl"), "-D",
                                                 self.data_dir, "-m", "immediate", "-w",
                                                 "stop"]),
                           capture_output=True, cwd=self.directory)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None

    def psql(self, sql, database="postgres"):
        """Runs SQL with psql; returns its unaligned, tuples-only output."""
        r = subprocess.run([os.path.join(self.bindir, "psql"), "-h", "127.0.0.1", "-p",
                            str(self.port), "-U", SERVER_USER, "-d", database, "-v",
                            "ON_ERROR_STOP=1", "-At", "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr}")
        return r.stdout

    def create_database(self, name):
        self.psql(f'CREATE DATABASE "{name}"')
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{name}"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def main(argv):
    if len(argv) >= 2 and argv[1] == "start":
        server = PostgresServer()
        print(server.start())
        print(server.directory)
        return 0
    if len(argv) == 3 and argv[1] == "stop":
        PostgresServer(directory=argv[2]).stop()
        return 0
    if len(argv) >= 4 and argv[1] == "run" and argv[2] == "--":
        with PostgresServer() as server:
            env = dict(os.environ, CQLBULK_TEST_POSTGRES_URI=server.uri)
            return subprocess.run(argv[3:], env=env).returncode
    print("usage: postgres_server.py start | stop DIR | run -- COMMAND...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
