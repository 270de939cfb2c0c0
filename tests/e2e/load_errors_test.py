# SPDX-License-Identifier: Apache-2.0
"""`cqlbulk load` with bad input, on cqlsim and on a real Apache Cassandra: every good record is
loaded (the driver reads them back), every bad one is in the run's error file with its source,
line, field, text and reason, and the exit code says what happened (1: some records rejected,
5: more than --max-errors).

Bad CSV lines: a character after a closing quote, a quote never closed (last line), too many
fields, an int and a date that do not parse, invalid UTF-8. A gzip file cut in the middle: the
records before the cut are loaded (never a half line), the cut is reported. Bad JSON lines:
broken JSON, a string where an int goes, a value that is not an object, a date that
does not exist; a missing field left unset (or an error with --missing error).

    python3 tests/e2e/load_errors_test.py --cluster sim|cassandra [--build BUILD_DIR]
"""
import gzip
import json
import os
import re
import tempfile
import unittest

import harness

BLOCK = 36
KS = "load_errors"
HEADER = b"pk,ck,t,d\n"

# (line content, why it is bad or None); line numbers count the header as line 1.
LINES = [
    (b"1,1,good one,2020-01-01", None),
    (b"1,2,\"quoted, fine\",2020-01-02", None),
    (b"1,3,\"bad\"quote,2020-01-03", "a character after the closing quote"),
    (b"1,4,ok,2020-01-04", None),
    (b"1,5,too,many,fields,2020-01-05", "too many fields"),
    (b"1,6,ok,2020-01-06", None),
    (b"x7,7,ok,2020-01-07", "pk is not an int"),
    (b"1,8,ok,2020-01-08", None),
    (b"1,9,ok,2020-13-45", "d is not a date"),
    (b"1,10,ok,2020-01-10", None),
    (b"1,11,bad \xff\xfe utf-8,2020-01-11", "invalid UTF-8"),
    (b"1,12,\"multi\nline\",2020-01-12", None),  # two physical lines
    (b"1,13,ok,", None),                          # null date
    (b"1,14,\xc3\xa9 \xf0\x9f\x98\x80 valid utf-8,2020-01-14", None),
    (b"2,15,ok,0001-01-01", None),
    (b"2,16,ok,2020-01-16", None),
    (b"2,17,\"never closed,2020-01-17", "a quote never closed"),  # must stay the last line
]


def line_numbers():
    """{ck: first line of its record} with the header on line 1."""
    numbers, line = {}, 2
    for content, _ in LINES:
        numbers[int(content.split(b",")[1])] = line
        line += content.count(b"\n") + 1
    return numbers


GOOD = {1: "good one", 2: "quoted, fine", 4: "ok", 6: "ok", 8: "ok", 10: "ok",
        12: "multi\nline", 13: "ok", 14: "é 😀 valid utf-8", 15: "ok", 16: "ok"}
BAD_CK = [3, 5, 7, 9, 11, 17]


def parse_error_file(path):
    """The blocks of an error file ("key: value" lines, a blank line after each) as dicts."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    blocks = []
    for chunk in text.split("\n\n"):
        if not chunk.strip():
            continue
        block = {}
        for line in chunk.splitlines():
            key, _, value = line.partition(": ")
            block.setdefault(key.strip(), value)
        blocks.append(block)
    return blocks


class LoadErrorsTest(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.cluster = harness.cluster_under_test(block=BLOCK)
        cls.session = cls.cluster.connect()
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.session.execute(f"CREATE KEYSPACE {KS} WITH replication = "
                            "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        cls.tmp = tempfile.TemporaryDirectory(prefix="load-errors-test-")
        cls.csv_path = os.path.join(cls.tmp.name, "bad.csv")
        with open(cls.csv_path, "wb") as f:
            f.write(HEADER + b"".join(content + b"\n" for content, _ in LINES[:-1])
                    + LINES[-1][0])  # the unclosed quote runs to the end of the file
        cls.tables = 0

    @classmethod
    def tearDownClass(cls):
        cls.session.execute(f"DROP KEYSPACE IF EXISTS {KS}")
        cls.cluster.close()
        cls.tmp.cleanup()

    def new_table(self):
        type(self).tables += 1
        name = f"t{self.tables}"
        self.session.execute(f"CREATE TABLE {KS}.{name} (pk int, ck int, t text, d date, "
                             "PRIMARY KEY (pk, ck))")
        return name

    def load(self, table, url, *flags):
        log_dir = os.path.join(self.tmp.name, f"logs-{table}")
        summary = os.path.join(self.tmp.name, f"summary-{table}.json")
        args = ["load", "-h", self.cluster.contact, "--port", str(self.cluster.port), "-k", KS,
                "-t", table, "--url", url, "--log-dir", log_dir, "--summary-json", summary,
                *flags]
        out = harness.run_cqlbulk(*args, cwd=self.tmp.name)
        doc = None
        if os.path.exists(summary):
            with open(summary) as f:
                doc = json.load(f)
        return out, log_dir, doc, f"cqlbulk {' '.join(args)}\nexit {out.returncode}\n" \
                                  f"stdout: {out.stdout[-2000:]}\nstderr: {out.stderr[-4000:]}"

    def loaded(self, table):
        return {r.ck: (r.pk, r.t, r.d) for r in
                self.session.execute(f"SELECT pk, ck, t, d FROM {KS}.{table}")}

    def test_good_lines_load_and_bad_lines_are_reported(self):
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, self.csv_path, "--format", "csv")
        self.assertEqual(out.returncode, 1, what)
        rows = self.loaded(table)
        self.assertEqual({ck: t for ck, (_, t, _) in rows.items()}, GOOD, what)
        self.assertEqual(rows[13][2], None)
        self.assertEqual(str(rows[15][2]), "0001-01-01")
        self.assertEqual(self.session.execute(f"SELECT count(*) FROM {KS}.{table}").one()[0],
                         len(GOOD))
        self.assertEqual((doc["rows"], doc["errors"]), (len(GOOD), len(BAD_CK)), doc)

        errors = parse_error_file(os.path.join(log_dir, "load-errors.log"))
        self.assertEqual(len(errors), len(BAD_CK), errors)
        numbers = line_numbers()
        by_line = {int(e["line"]): e for e in errors if e.get("line", "").isdigit()}
        self.assertEqual(sorted(by_line), sorted(numbers[ck] for ck in BAD_CK), errors)
        for e in errors:
            self.assertTrue(e.get("source", "").endswith("bad.csv"), e)
            self.assertTrue(e.get("reason"), e)
        self.assertIn("x7", by_line[numbers[7]]["text"])
        self.assertEqual(by_line[numbers[7]].get("field"), "pk")
        self.assertIn("x7", by_line[numbers[7]]["reason"])
        self.assertEqual(by_line[numbers[9]].get("field"), "d")
        self.assertIn("2020-13-45", by_line[numbers[9]]["reason"] + by_line[numbers[9]]["text"])
        self.assertRegex(by_line[numbers[11]]["reason"], r"(?i)utf-?8")
        self.assertRegex(by_line[numbers[5]]["reason"], r"(?i)field|column")
        self.assertIn("1,5,too,many,fields", by_line[numbers[5]]["text"])
        self.assertRegex(by_line[numbers[3]]["reason"], r"(?i)quot")
        self.assertRegex(by_line[numbers[17]]["reason"], r"(?i)quot|end of (file|input)")

    def test_max_errors_stops_with_exit_code_5(self):
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, self.csv_path, "--format", "csv",
                                            "--max-errors", "2")
        self.assertEqual(out.returncode, 5, what)
        self.assertRegex(out.stderr, r"(?i)too many errors|max-errors|more than 2", what)
        errors = parse_error_file(os.path.join(log_dir, "load-errors.log"))
        self.assertGreaterEqual(len(errors), 3, what)  # the one past the limit is there too
        # Every row that was loaded is a good one.
        rows = self.loaded(table)
        self.assertLessEqual(set(rows), set(GOOD))

    def test_max_errors_as_a_percentage(self):
        # A share is judged once 100 records are read: 240 records, one in six bad (16.7 %).
        path = os.path.join(self.tmp.name, "share.csv")
        with open(path, "w") as f:
            f.write("pk,ck,t,d\n" + "".join(f"3,{i},ok,2020-01-01\n" if i % 6 else
                                             f"3,{i},bad,not a date\n" for i in range(240)))
        table = self.new_table()
        out, _, doc, what = self.load(table, path, "--format", "csv", "--max-errors", "50%")
        self.assertEqual(out.returncode, 1, what)
        self.assertEqual(len(self.loaded(table)), 200)
        self.assertEqual((doc["rows"], doc["errors"]), (200, 40), doc)
        table = self.new_table()
        out, _, doc, what = self.load(table, path, "--format", "csv", "--max-errors", "10%")
        self.assertEqual(out.returncode, 5, what)
        self.assertRegex(out.stderr, r"(?i)too many errors|max-errors|10%", what)

    def test_truncated_gzip_loads_what_precedes_the_cut(self):
        folder = os.path.join(self.tmp.name, "gz")
        os.makedirs(folder)
        total = 5000
        expected = {ck: f"row {ck} ends here" for ck in range(total)}
        payload = "pk,ck,t,d\n" + "".join(f"{ck % 13},{ck},{t},2021-02-03\n"
                                          for ck, t in expected.items())
        data = gzip.compress(payload.encode(), compresslevel=1)
        with open(os.path.join(folder, "cut.csv.gz"), "wb") as f:
            f.write(data[:len(data) // 2])
        with open(os.path.join(folder, "whole.csv"), "w") as f:
            f.write("pk,ck,t,d\n" + "".join(f"99,{ck},whole {ck},2021-02-03\n"
                                            for ck in range(100000, 100050)))
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, folder, "--format", "csv")
        self.assertIn(out.returncode, (1, 3), what)
        rows = self.loaded(table)
        whole = {ck for ck in rows if ck >= 100000}
        self.assertEqual(len(whole), 50, what)  # the other file is loaded all the same
        cut = {ck: t for ck, (_, t, _) in rows.items() if ck < 100000}
        for ck, t in cut.items():  # never a half line
            self.assertEqual(t, expected[ck], f"row {ck}")
        self.assertLess(len(cut), total)
        reported = out.stderr
        for name in ("operation.log", "load-errors.log"):
            path = os.path.join(log_dir, name)
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    reported += f.read()
        self.assertIn("cut.csv.gz", reported, what)
        self.assertRegex(reported, r"(?i)truncat|corrupt|unexpected end|premature|incomplete",
                         what)

    def test_bad_json_lines_are_reported(self):
        path = os.path.join(self.tmp.name, "bad.json")
        lines = [
            '{"pk": 1, "ck": 1, "t": "good", "d": "2020-01-01"}',
            '{"pk": 1, "ck": 2, "t": broken}',                      # not JSON
            '{"pk": "abc", "ck": 3, "t": "x", "d": "2020-01-01"}',  # not an int
            '{"pk": 1, "ck": 4, "t": "good \\u00e9", "d": null}',
            '42',                                                   # not an object
            '{"pk": 1, "ck": 6, "t": "good", "d": "2020-02-30"}',   # no such date
            '{"pk": 1, "ck": 7, "t": "good"}',                      # d missing: left unset
        ]
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, path, "--format", "json")
        self.assertEqual(out.returncode, 1, what)
        self.assertEqual(sorted(self.loaded(table)), [1, 4, 7], what)
        errors = parse_error_file(os.path.join(log_dir, "load-errors.log"))
        self.assertEqual(sorted(int(e["line"]) for e in errors), [2, 3, 5, 6], errors)
        self.assertEqual((doc["rows"], doc["errors"]), (3, 4), doc)
        # --missing error: the record without d is bad too.
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, path, "--format", "json", "--missing", "error")
        self.assertEqual(out.returncode, 1, what)
        self.assertEqual(sorted(self.loaded(table)), [1, 4], what)

    def test_records_the_server_refuses_are_rejected_with_its_reason(self):
        """An empty text partition key passes the client and the server refuses it ("Key may
        not be empty"): each such record is rejected with the server's reason; the good ones
        (other partitions) are loaded."""
        self.session.execute(f"CREATE TABLE {KS}.emptykey (pk text, ck int, v text, "
                             "PRIMARY KEY (pk, ck))")
        path = os.path.join(self.tmp.name, "emptykey.csv")
        with open(path, "w") as f:
            f.write("pk,ck,v\n" + "".join(('""' if i % 2 else f"k{i}") + f",{i},v\n"
                                          for i in range(20)))
        out, log_dir, doc, what = self.load("emptykey", path, "--format", "csv")
        self.assertEqual(out.returncode, 1, what)
        self.assertEqual((doc["rows"], doc["errors"]), (10, 10), doc)
        errors = parse_error_file(os.path.join(log_dir, "load-errors.log"))
        self.assertEqual(sorted(int(e["line"]) for e in errors), list(range(3, 22, 2)))
        self.assertTrue(all(re.search(r"(?i)empty", e["reason"]) for e in errors), errors[:2])

    def test_records_the_server_refuses_are_not_retried(self):
        self.session.execute(f"CREATE TABLE {KS}.emptykey2 (pk text, ck int, v text, "
                             "PRIMARY KEY (pk, ck))")
        path = os.path.join(self.tmp.name, "emptykey2.csv")
        with open(path, "w") as f:
            f.write("pk,ck,v\n" + "".join(f'"",{i},v\n' for i in range(10)))
        out, _, doc, what = self.load("emptykey2", path, "--format", "csv")
        self.assertEqual(out.returncode, 1, what)
        self.assertEqual(doc["retries"], 0, doc)

    def test_only_good_records_exit_0(self):
        path = os.path.join(self.tmp.name, "good.csv")
        with open(path, "wb") as f:
            f.write(HEADER + b"".join(c + b"\n" for c, why in LINES if why is None))
        table = self.new_table()
        out, log_dir, doc, what = self.load(table, path, "--format", "csv")
        self.assertEqual(out.returncode, 0, what)
        self.assertEqual(len(self.loaded(table)), len(GOOD))
        self.assertEqual((doc["rows"], doc["errors"]), (len(GOOD), 0), doc)
        errors_file = os.path.join(log_dir, "load-errors.log")
        self.assertTrue(not os.path.exists(errors_file) or not parse_error_file(errors_file))


if __name__ == "__main__":
    harness.main()
