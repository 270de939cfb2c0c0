# SPDX-License-Identifier: Apache-2.0
"""Starts and controls a cqlsim process for interop tests run with the DataStax Python driver."""
import os
import socket
import subprocess
import time


class SimCluster:
    """A cqlsim child process on its own loopback block (127.0.<block>.1 ...)."""

    def __init__(self, cqlsim, block, nodes=3, vnodes=16, seed=1, extra=()):
        self.first_address = f"127.0.{block}.1"
        self.addresses = [f"127.0.{block}.{i + 1}" for i in range(nodes)]
        self.port = 9042
        self.admin_port = 19000 + block
        self.args = [cqlsim, "--nodes", str(nodes), "--vnodes", str(vnodes), "--seed", str(seed),
                     "--address", self.first_address, "--port", str(self.port),
                     "--admin-port", str(self.admin_port), *extra]
        self.cqlsim = cqlsim
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline()
        if "ready" not in line:
            err = self.process.stderr.read()
            raise RuntimeError(f"cqlsim did not start: {line!r} {err!r}")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        return False

    def ctl(self, *command):
        out = subprocess.run([self.cqlsim, "ctl", "--admin", f"127.0.0.1:{self.admin_port}",
                              *command], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise RuntimeError(f"cqlsim ctl {' '.join(command)}: {out.stderr}")
        return out.stdout

    def stats(self):
        """Per node: (requests, routed, as_replica) from `cqlsim ctl status`."""
        result = {}
        for line in self.ctl("status").splitlines():
            fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
            address = line.split()[1].split(":")[0]
            result[address] = (int(fields["requests"]), int(fields["routed"]),
                               int(fields["as_replica"]))
        return result


def wait_until(predicate, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def make_certificates(directory, addresses):
    """A throwaway CA and a server certificate for `addresses`; returns their paths."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=cqlsim test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=cqlsim")
    with open(os.path.join(directory, "san.cnf"), "w") as f:
        f.write("subjectAltName=" + ",".join(f"IP:{a}" for a in addresses) + "\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.cnf")
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out",
        "other.pem", "-days", "2", "-subj", "/CN=someone else")
    return {name: os.path.join(directory, name) for name in
            ("ca.pem", "server.pem", "server.key", "other.pem")}
