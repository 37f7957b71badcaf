"""Lambda cold start per binary: process start -> first request to the runtime API.

A minimal runtime API (the `next invocation` endpoint only) listens on 127.0.0.1; each release
binary is started with AWS_LAMBDA_RUNTIME_API pointing at it and the time to its first
`GET /2018-06-01/runtime/invocation/next` is recorded, then the process is killed. The binary
runs with the AWS backend against an unreachable endpoint: building the context makes no network
call, so nothing but start-up is measured.

usage: cold_start.py RUNS BIN...     prints one markdown row per binary (median, min, max in ms)
"""
import http.server
import os
import socketserver
import statistics
import subprocess
import sys
import threading
import time

first_poll = threading.Event()


class Runtime(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if "/runtime/invocation/next" in self.path:
            first_poll.set()
        time.sleep(5)  # never answer in time: the process is killed first

    def log_message(self, *args):
        pass


server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Runtime)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]

env = dict(os.environ)
env.update({
    "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
    "AWS_LAMBDA_FUNCTION_NAME": "bench",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
    "AWS_LAMBDA_FUNCTION_VERSION": "1",
    "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
    "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "PROPS_BACKEND": "aws",
    "RUST_LOG": "error",
})
for k in ("SLACK_WEBHOOK_PARAM", "ODDS_API_KEY_PARAM"):
    env.pop(k, None)

runs = int(sys.argv[1])
print("| binary | median ms | min ms | max ms |")
print("|---|---|---|---|")
for b in sys.argv[2:]:
    times = []
    for _ in range(runs):
        first_poll.clear()
        t0 = time.perf_counter()
        p = subprocess.Popen([b], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = first_poll.wait(10)
        dt = (time.perf_counter() - t0) * 1000
        p.kill()
        p.wait()
        if not ok:
            sys.exit(f"{b}: no poll of the runtime API within 10 s")
        times.append(dt)
    name = os.path.basename(b)
    print(f"| {name} | {statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |")
