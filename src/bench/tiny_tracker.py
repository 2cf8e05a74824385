#!/usr/bin/env python3
"""A minimal BitTorrent tracker for the benchmarks (BEP 3, compact peers, BEP 23): clients that take peers only
from a tracker (aria2) find one another through it. Loopback only; in memory; every peer of a swarm is given out.

  tiny_tracker.py PORT      serves http://127.0.0.1:PORT/announce until killed
"""
import sys
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, unquote_to_bytes

swarms = {}  # info_hash bytes -> {(ip, port)}


def bencode(v):
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, str):
        return bencode(v.encode())
    if isinstance(v, dict):
        return b"d" + b"".join(bencode(k) + bencode(v[k]) for k in sorted(v)) + b"e"
    raise TypeError(v)


class Announce(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        query = {}
        for part in url.query.split("&"):
            if "=" in part:
                k, v = part.split("=", 1)
                query[k] = unquote_to_bytes(v)
        if url.path != "/announce" or len(query.get("info_hash", b"")) != 20 or not query.get("port", b"").isdigit():
            body = bencode({"failure reason": "an announce needs info_hash (20 bytes) and port"})
        else:
            me = (self.client_address[0], int(query["port"]))
            peers = swarms.setdefault(query["info_hash"], set())
            if query.get("event") == b"stopped":
                peers.discard(me)
            else:
                peers.add(me)
            compact = b"".join(socket.inet_aton(ip) + port.to_bytes(2, "big") for ip, port in peers if (ip, port) != me)
            body = bencode({"interval": 2, "min interval": 1, "peers": compact})
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Announce)
    print("ready", flush=True)
    server.serve_forever()
