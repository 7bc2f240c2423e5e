"""A private PostgreSQL 15 for the benchmarks, started the way the tests start theirs
(`Sources/EnvmonTesting/PostgresServer.swift`): `initdb` in a temporary folder, `pg_ctl` on a free
loopback port, TCP only, trust authentication for the user `envmon`, run as the `postgres` user
when the benchmark runs as root (initdb refuses root). Durable settings (fsync, synchronous_commit
and full_page_writes on, PostgreSQL's defaults) unless told otherwise.

    pg = PostgresServer()             # started, in a folder of its own under /tmp
    url = pg.create("bench")          # postgres://envmon@127.0.0.1:PORT/bench?sslmode=disable
    pg.stop()
"""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

BIN = "/usr/lib/postgresql/15/bin"


class PostgresServer:
    def __init__(self, settings=None):
        if not os.access(BIN + "/initdb", os.X_OK):
            raise SystemExit("PostgreSQL 15 is not installed (%s): run scripts/install-deps.sh" % BIN)
        # Its own folder, open to the `postgres` user (a benchmark's mktemp folder is not).
        self.folder = tempfile.mkdtemp(prefix="envmon-bench-pg-")
        os.chmod(self.folder, 0o755)
        self.data = os.path.join(self.folder, "data")
        os.makedirs(self.data)
        self.as_postgres = os.getuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            for p in (self.folder, self.data):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(self.data, 0o700)
        self.run([BIN + "/initdb", "-D", self.data, "-U", "envmon", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        options = ["-c listen_addresses=127.0.0.1", "-p %d" % self.port, "-c unix_socket_directories=''",
                   "-c max_connections=200", "-c shared_buffers=128MB"]
        options += ["-c %s=%s" % kv for kv in sorted((settings or {}).items())]
        self.run([BIN + "/pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "server.log"), "-w", "-t", "60",
                  "-o", " ".join(options), "start"])

    def run(self, args):
        if self.as_postgres:
            args = ["/usr/sbin/runuser", "-u", "postgres", "--"] + args
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def psql(self, sql, database="postgres"):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "envmon", "-d", database, "-At", "-c", sql],
                              check=True, capture_output=True, text=True).stdout

    def create(self, name):
        self.psql("CREATE DATABASE %s" % name)
        return self.url(name)

    def url(self, name):
        return "postgres://envmon@127.0.0.1:%d/%s?sslmode=disable" % (self.port, name)

    def stop(self):
        try:
            self.run([BIN + "/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
