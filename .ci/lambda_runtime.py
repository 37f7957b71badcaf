"""Every Lambda binary under the real Lambda runtime API (cargo-lambda), against the moto emulator.

For each crate under functions/: `cargo lambda watch` (one watcher per crate: from the workspace
root it would look for the binaries in the root package), then `cargo lambda invoke BIN
--data-file events/BIN.json` for each of its binaries. A response passes when it is JSON without
`errorType`, and an SQS batch reports no failed item. Sources point at `props sim-server`, and
the stale-message limit is raised so that the sample events (dated 2025) do real work.

Needs AWS_ENDPOINT_URL (moto) and `cargo lambda` on PATH; run by .ci/run after the tests.
LAMBDA_CRATES=raw,scrape limits the run to those crates (for local use).
"""
import datetime
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOGS = ROOT / ".ci" / "logs"
LOGS.mkdir(parents=True, exist_ok=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port, proc, what, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"FAIL: {what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"FAIL: {what} did not listen on {port} within {seconds}s")


if not os.environ.get("AWS_ENDPOINT_URL"):
    sys.exit("FAIL: AWS_ENDPOINT_URL (moto) is not set")

meta = json.loads(subprocess.check_output(["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=ROOT))
crates = sorted(
    (pathlib.Path(p["manifest_path"]), [t["name"] for t in p["targets"] if "bin" in t["kind"]])
    for p in meta["packages"]
    if "/functions/" in p["manifest_path"]
    and (not os.environ.get("LAMBDA_CRATES") or pathlib.Path(p["manifest_path"]).parent.name in
         os.environ["LAMBDA_CRATES"].split(","))
)

sim_port = free_port()
props = ROOT / "target" / "debug" / "props"
sim = subprocess.Popen([str(props), "sim-server", "--port", str(sim_port)], stdout=open(LOGS / "sim.log", "w"),
                       stderr=subprocess.STDOUT)
wait_port(sim_port, sim, "props sim-server")
sim_url = f"http://127.0.0.1:{sim_port}"


def seed_raw_payload():
    """process-raw's sample names a stored payload: put one there (a real-shaped player game
    log for that date, from the simulated league), as the scraper would have."""
    import boto3

    event = json.loads((ROOT / "events" / "process-raw.json").read_text())
    key = json.loads(event["Records"][0]["body"])["payload"]["key"]
    url = (f"{sim_url}/stats/leaguegamelog?Counter=1000&DateFrom=2025-01-15&DateTo=2025-01-15&Direction=DESC"
           "&LeagueID=00&PlayerOrTeam=P&Season=2024-25&SeasonType=Regular+Season&Sorter=DATE")
    body = urllib.request.urlopen(url, timeout=30).read()
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    try:
        s3.create_bucket(Bucket="nba-props-lambda-ci")
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3.put_object(Bucket="nba-props-lambda-ci", Key=key, Body=body)


env_vars = {
    "PROPS_BACKEND": "aws",
    "PROPS_AWS_CREATE_RESOURCES": "true",
    "PROPS_BUCKET": "nba-props-lambda-ci",
    "PROPS_STATE_TABLE": "nba-props-lambda-ci-state",
    "PROPS_QUEUE_PREFIX": "nba-props-lambda-ci-",
    # just old enough for the samples (2025-01-14..16): jobs that scan every date within the
    # limit (phase-timeout-check) then scan about two years, not centuries
    "PROPS_STALE_LIMIT_DAYS": str((datetime.date.today() - datetime.date(2025, 1, 10)).days),
    "PROPS_NBA_STATS_URL": sim_url,
    "PROPS_NBA_CDN_URL": sim_url,
    "PROPS_ESPN_URL": sim_url,
    "PROPS_ODDS_API_URL": sim_url,
    "ODDS_API_KEY": "lambda-ci-key",
    "RUST_LOG": "info",
}
for k in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"):
    env_vars[k] = os.environ.get(k, "testing" if "KEY" in k else "us-east-1")
env_arg = ",".join(f"{k}={v}" for k, v in env_vars.items())

seed_raw_payload()
passed, failed = 0, []
try:
    for manifest, bins in crates:
        port = free_port()
        log = open(LOGS / f"lambda-{manifest.parent.name}.log", "w")
        watch = subprocess.Popen(
            ["cargo", "lambda", "watch", "--manifest-path", str(manifest), "--invoke-port", str(port),
             "--env-vars", env_arg, "--ignore-changes", "--timeout", "900"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_port(port, watch, f"cargo lambda watch ({manifest.parent.name})")
            for b in bins:
                event = ROOT / "events" / f"{b}.json"
                t0 = time.time()
                r = subprocess.run(
                    ["cargo", "lambda", "invoke", b, "--data-file", str(event), "--invoke-port", str(port),
                     "--output-format", "json"],
                    cwd=ROOT, capture_output=True, text=True, timeout=900)
                took = time.time() - t0
                try:
                    out = json.loads(r.stdout)
                except json.JSONDecodeError:
                    out = None
                sent = json.loads(event.read_text())
                ok = r.returncode == 0 and isinstance(out, (dict, list)) and not (
                    isinstance(out, dict) and "errorType" in out)
                if ok and "Records" in sent:
                    ok = out.get("batchItemFailures") == []
                if ok:
                    passed += 1
                    print(f"ok   {b:22} {took:6.1f}s  {json.dumps(out)[:110]}")
                else:
                    failed.append(b)
                    print(f"FAIL {b:22} exit {r.returncode}: {r.stdout[:400]} {r.stderr[-800:]}")
        finally:
            os.killpg(watch.pid, signal.SIGTERM)
            watch.wait(timeout=30)
finally:
    sim.terminate()
    sim.wait(timeout=10)

print(f"{passed} passed, {len(failed)} failed under the Lambda runtime API")
sys.exit(1 if failed else 0)
