"""Peak RSS per function over one game day, each invocation its own process as on Lambda.

The day is driven like a deployment: `props invoke FUNCTION` child processes on one data
directory at a pinned time, queues held here, SQS batches of up to 10 records, failed records
redelivered (at most 5 receives). Every invocation runs under `/usr/bin/time -f %M`; the figure per
function is the largest resident set any of its invocations reached.

    python3 bench/day_rss.py PROPS DATA_DIR SIM_URL DAY       (the day before must be backfilled)
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

CONSUMERS = [
    ("scrape-jobs", "scrape"),
    ("raw-payloads", "process-raw"),
    ("analytics-jobs", "analytics"),
    ("phase-events", "orchestrate"),
    ("precompute-jobs", "precompute"),
    ("predict-jobs", "predict"),
    ("publish-jobs", "publish"),
]


def et(day, hour):
    # January: Eastern Standard Time, UTC-5 (the benchmark's day is in January).
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone(timedelta(hours=-5))).isoformat()


class Day:
    def __init__(self, props, data_dir, sim_url):
        self.props, self.data_dir = props, data_dir
        self.env = dict(os.environ, ODDS_API_KEY="local-sim-key")
        for var in ["PROPS_NBA_STATS_URL", "PROPS_NBA_CDN_URL", "PROPS_ESPN_URL", "PROPS_ODDS_API_URL"]:
            self.env[var] = sim_url
        self.env.pop("PROPS_BACKEND", None)
        self.env.pop("SLACK_WEBHOOK_URL", None)
        self.queues = defaultdict(list)  # queue -> [(body, receives)]
        self.peak = defaultdict(int)
        self.invocations = defaultdict(int)
        self.scratch = tempfile.mkdtemp()
        self.now = None

    def invoke(self, function, event):
        n = sum(self.invocations.values())
        ev, out, box, rss = (os.path.join(self.scratch, f"{k}-{n}") for k in ("event", "out", "outbox", "rss"))
        with open(ev, "w") as f:
            json.dump(event, f)
        cmd = ["/usr/bin/time", "-f", "%M", "-o", rss, self.props, "--data-dir", self.data_dir, "invoke", function,
               "--event", ev, "--outbox", box, "--now", self.now]
        with open(out, "w") as o:
            done = subprocess.run(cmd, env=self.env, stdout=o, stderr=subprocess.DEVNULL)
        if done.returncode != 0:
            sys.exit(f"{function} failed (exit {done.returncode})")
        self.invocations[function] += 1
        self.peak[function] = max(self.peak[function], int(open(rss).read().split()[-1]))
        if os.path.exists(box):
            for line in open(box):
                m = json.loads(line)
                self.queues[m["queue"]].append((m["body"], 0))
        return json.load(open(out))

    def drain(self):
        while True:
            progressed = False
            for queue, function in CONSUMERS:
                while self.queues[queue]:
                    batch, self.queues[queue] = self.queues[queue][:10], self.queues[queue][10:]
                    progressed = True
                    records = [{"messageId": f"m{i}", "receiptHandle": f"r{i}", "body": b, "eventSource": "aws:sqs"}
                               for i, (b, _) in enumerate(batch)]
                    answer = self.invoke(function, {"Records": records})
                    failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
                    for i, (b, receives) in enumerate(batch):
                        if f"m{i}" in failed and receives + 1 < 5:
                            self.queues[queue].append((b, receives + 1))
            if not progressed:
                return


def main():
    props, data_dir, sim_url, day = sys.argv[1], sys.argv[2], sys.argv[3], date.fromisoformat(sys.argv[4])
    d = Day(props, data_dir, sim_url)
    d.now = et(day, 10)
    d.invoke("plan-scrapes", {})
    d.drain()
    d.now = et(day, 11)
    for job in ["phase-timeout-check", "retry-failed", "self-heal", "grade", "train", "daily-health",
                "freshness-check", "stale-run-cleanup", "performance-alert"]:
        d.invoke(job, {})
        d.drain()
    print(f"{'function':<22} {'invocations':>11} {'peak RSS':>10}")
    for f in sorted(d.peak, key=lambda f: -d.peak[f]):
        print(f"{f:<22} {d.invocations[f]:>11} {d.peak[f] / 1024:>7.1f} MB")


if __name__ == "__main__":
    main()
