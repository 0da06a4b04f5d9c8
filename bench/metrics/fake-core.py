#!/usr/bin/env python3
"""A minimal core for agent benchmarks: answers syncs 200 with nothing new (long-polls held
2 s), logs one line per metrics batch: time, series, points. Usage: fake-core.py PORT LOG"""
import json, sys, time
from http.server import HTTPServer, BaseHTTPRequestHandler
from socketserver import ThreadingMixIn

PORT, LOG = int(sys.argv[1]), sys.argv[2]

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
        metrics = body.get('metrics', [])
        if metrics:
            with open(LOG, 'a') as f:
                f.write('%.3f %d %d\n' % (time.time(), len(metrics), sum(len(s['points']) for s in metrics)))
        answer = json.dumps({"sections": {}, "tasks": [], "syncIntervalSeconds": 20}).encode()
        if 'wait=0' not in self.path:
            time.sleep(2)
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

class Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True

Server(('127.0.0.1', PORT), Handler).serve_forever()
