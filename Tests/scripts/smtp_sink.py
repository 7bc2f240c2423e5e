#!/usr/bin/env python3
"""An SMTP sink for the notifier's end-to-end tests (aiosmtpd, from PyPI), written apart from
envmon's Swift code.

Usage: smtp_sink.py RECORD_FILE [--port N]

Listens on 127.0.0.1 (port N, or a free one), prints the port as the first line of stdout, and
appends every message it accepts to RECORD_FILE as one JSON line: {"mail_from", "rcpt_tos",
"raw" (the data as text), "subject" (RFC 2047 words decoded), "from", "to", "date",
"message_id", "headers": [[name, decoded value]...], "text" and "html" (the decoded parts, or
null), "time" (Unix seconds)}. No TLS, no authentication.
"""
import asyncio
import email
import email.policy
import json
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller

args = sys.argv[1:]
if not args:
    sys.exit(__doc__)
record_path = args.pop(0)
port = int(args[1]) if len(args) >= 2 and args[0] == "--port" else 0
lock = threading.Lock()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def part(message, subtype):
    found = message.get_body(preferencelist=(subtype,))
    return found.get_content() if found is not None else None


class Sink:
    async def handle_DATA(self, server, session, envelope):
        data = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        message = email.message_from_bytes(data, policy=email.policy.default)
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "raw": data.decode("utf-8", errors="replace"),
            "subject": str(message["Subject"] or ""),
            "from": str(message["From"] or ""),
            "to": str(message["To"] or ""),
            "date": str(message["Date"] or ""),
            "message_id": str(message["Message-ID"] or ""),
            "headers": [[k, str(v)] for k, v in message.items()],
            "text": part(message, "plain"),
            "html": part(message, "html"),
            "time": time.time(),
        }
        with lock, open(record_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


open(record_path, "a").close()
controller = Controller(Sink(), hostname="127.0.0.1", port=port or free_port())
controller.start()
print(controller.port, flush=True)
try:
    threading.Event().wait()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
