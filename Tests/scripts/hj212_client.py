#!/usr/bin/env python3
"""A plain-socket HJ 212 field unit, independent of envmon's Swift code, for the server tests.

Usage: hj212_client.py PORT VECTORS_TSV

Plays a fixed scenario against `envmon serve` on 127.0.0.1:PORT and prints one JSON object:
{"steps": [{"name", "received": [reply...], "expected": [reply...]}], "sent": {...}}.
Replies are compared byte for byte by the Swift test; the expected ones are built here with this
file's own CRC (HJ 212-2017 §6.4, as ../shared/reference/hj212.md §3 describes it).
A step that must get no reply is followed by a sentinel frame that must: the first reply after
it has to be the sentinel's.
"""
import json
import socket
import sys
import time

from hj212 import frame  # beside this script

PORT = int(sys.argv[1])
VECTORS = sys.argv[2]

WWTP_MN, WWTP_PW = "371499320120001000000101", "qh3201"


def reply(qn, cn="9014", pw=WWTP_PW, mn=WWTP_MN):
    return frame(f"QN={qn};ST=91;CN={cn};PW={pw};MN={mn};Flag=4;CP=&&&&").decode()


def upload(qn, cn, cp, flag=5, pw=WWTP_PW, mn=WWTP_MN, st="32", extra=""):
    return frame(f"QN={qn};ST={st};CN={cn};PW={pw};MN={mn};Flag={flag};{extra}CP=&&{cp}&&")


def vector(index):
    """The packet of data row `index` (1-based) of the vectors file, escapes undone."""
    with open(VECTORS, encoding="utf-8") as f:
        rows = f.read().split("\n")[1:]
    packet = rows[index - 1].split("\t")[4]
    return packet.replace("\\r", "\r").replace("\\n", "\n").encode()


class Unit:
    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", PORT))
        self.sock.settimeout(5)
        self.buf = b""

    def send(self, data: bytes, chunk=None, delay=0.0):
        if chunk is None:
            self.sock.sendall(data)
            return
        for i in range(0, len(data), chunk):
            self.sock.sendall(data[i:i + chunk])
            time.sleep(delay)

    def replies(self, n):
        out = []
        deadline = time.time() + 10
        while len(out) < n and time.time() < deadline:
            while b"\r\n" in self.buf and len(out) < n:
                line, self.buf = self.buf.split(b"\r\n", 1)
                out.append((line + b"\r\n").decode())
            if len(out) >= n:
                break
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            self.buf += data
        return out


steps = []


def step(name, unit, data, expected, chunk=None, delay=0.0):
    unit.send(data, chunk, delay)
    steps.append({"name": name, "received": unit.replies(len(expected)), "expected": expected})


sentinel_count = 0


def silent(name, unit, data):
    """`data` must get no reply: the next reply must be the sentinel's."""
    global sentinel_count
    sentinel_count += 1
    qn = "2026112400000%04d" % sentinel_count
    sentinel = upload(qn, "2011", "DataTime=20261124080000;w01001-Rtd=7.1,w01001-Flag=N", flag=5)
    unit.send(data)
    unit.send(sentinel)
    steps.append({"name": name, "received": unit.replies(1), "expected": [reply(qn)]})


u = Unit()
# 1. A real packet from the vectors (IceCoffee hourly, Flag=5): the reply §6 gives, literally.
step("vector-icecoffee", u, vector(9),
     ["##0096QN=20190925181031464;ST=91;CN=9014;PW=BF470F88957588DE902D1A52;MN=Z13401000010301;Flag=4;CP=&&&&CE81\r\n"])
# 2. Hourly averages with ack.
step("hourly", u, upload("20261124100000001", "2061",
                         "DataTime=20261124090000;w01018-Avg=23.5,w01018-Flag=N;w21003-Avg=1.25,w21003-Flag=N"),
     [reply("20261124100000001")])
# 3. Real-time without ack (Flag=4): stored, no reply.
silent("realtime-no-ack", u, upload("20261124100000002", "2011",
                                    "DataTime=20261124093000;w01018-Rtd=31.0,w01018-Flag=N", flag=4))
# 4. Wrong CRC: dropped, no reply.
good = upload("20261124100000003", "2061", "DataTime=20261124100000;w01018-Avg=999,w01018-Flag=N")
silent("bad-crc", u, good[:-6] + (b"0000" if good[-6:-2] != b"0000" else b"1111") + b"\r\n")
# 5. Wrong password: no reply.
silent("bad-password", u, upload("20261124100000004", "2061", "DataTime=20261124110000;w01018-Avg=888,w01018-Flag=N",
                                 pw="nope"))
# 6. Unknown MN: no reply.
silent("unknown-mn", u, upload("20261124100000005", "2061", "DataTime=20261124110000;w01018-Avg=777,w01018-Flag=N",
                               mn="999999999999999999999999"))
# 7. Time-calibration request: 9013.
step("time-calibration", u, frame(f"QN=20261124100000006;ST=32;CN=1013;PW={WWTP_PW};MN={WWTP_MN};Flag=5;CP=&&&&"),
     [reply("20261124100000006", cn="9013")])
# 8. One frame in one-byte pieces.
step("byte-by-byte", u, upload("20261124100000007", "2061", "DataTime=20261124120000;w01018-Avg=12.0,w01018-Flag=N"),
     [reply("20261124100000007")], chunk=1, delay=0.001)
# 9. Garbage, then two frames in one write: two replies, in order.
step("garbage-and-two-frames", u,
     b"\x00\xffnoise\r\n" + upload("20261124100000008", "2061", "DataTime=20261124130000;w01018-Avg=13.0,w01018-Flag=N")
     + upload("20261124100000009", "2061", "DataTime=20261124140000;w01018-Avg=14.0,w01018-Flag=M"),
     [reply("20261124100000008"), reply("20261124100000009")])
# 10. A split packet (Flag=7, PNUM/PNO, a QN per fragment): each fragment acknowledged.
step("split-packet", u,
     upload("20261124100000010", "2061", "DataTime=20261124150000;w01018-Avg=15.0,w01018-Flag=N", flag=7,
            extra="PNUM=2;PNO=1;")
     + upload("20261124100000011", "2061", "DataTime=20261124150000;w21003-Avg=1.5,w21003-Flag=N", flag=7,
              extra="PNUM=2;PNO=2;"),
     [reply("20261124100000010"), reply("20261124100000011")])
# 11. One value outside the instrument range: refused, the rest stored, the frame acknowledged.
step("out-of-range", u, upload("20261124100000012", "2061",
                               "DataTime=20261124160000;w01018-Avg=-5,w01018-Flag=N;w21003-Avg=1.6,w21003-Flag=N"),
     [reply("20261124100000012")])
# 12. A re-send of step 2: acknowledged again, stored once.
step("resend", u, upload("20261124100000001", "2061",
                         "DataTime=20261124090000;w01018-Avg=23.5,w01018-Flag=N;w21003-Avg=1.25,w21003-Flag=N"),
     [reply("20261124100000001")])
# 13. A real capture of 1,623 data bytes with a byte-swapped Modbus CRC, from an MN nobody has: no reply.
silent("vector-1623-bytes-modbus-swapped", u, vector(17))
# 14. An over-long frame (data segment beyond the nominal 1,024 bytes).
vendor = ";".join(f"x{i:05d}-Rtd={i}.5" for i in range(90))
step("over-long", u, upload("20261124100000013", "2061",
                            f"DataTime=20261124170000;w01018-Avg=17.0,w01018-Flag=N;{vendor}"),
     [reply("20261124100000013")])
# 15. A 2005-style frame (no QN, no Flag, 2005 codes 011 = COD): stored, no reply.
silent("hjt2005-no-flag", u, frame(f"ST=32;CN=2061;PW={WWTP_PW};MN={WWTP_MN};CP=&&DataTime=20261124180000;011-Avg=18.0&&"))

long_len = len(upload("20261124100000013", "2061", f"DataTime=20261124170000;w01018-Avg=17.0,w01018-Flag=N;{vendor}"))
print(json.dumps({"steps": steps, "over_long_frame_bytes": long_len}))
