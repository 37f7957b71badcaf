"""The template, the binaries and events/ agree (run by .ci/run after cfn-lint):
- every AWS::Serverless::Function names a binary (rust-cargolambda) that a function crate builds,
  and has an events/<binary>.json sample;
- every binary of every crate under functions/ is deployed by the template;
- every queue a function consumes has a dead-letter queue (redrive, maxReceiveCount 5) and a
  visibility timeout of at least 6x the consumer's timeout;
- every SQS event source reports partial batch failures; every schedule is in America/New_York;
- no policy statement grants `*` as a resource;
- every function deploys as a canary rolled back by its own errors alarm; every DLQ has a depth
  alarm; a dashboard exists; Glue crawls every dataset under tables/ (see .ci/make_ops.py).
Prints 'N passed, N failed' and exits non-zero on any failure."""
import json
import pathlib
import subprocess
import sys

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parent.parent
template, matches = decode(str(ROOT / "template.yaml"))
if matches:
    sys.exit(f"template.yaml does not parse: {matches}")
resources = template["Resources"]
globals_fn = template.get("Globals", {}).get("Function", {})

meta = json.loads(subprocess.check_output(["cargo", "metadata", "--no-deps", "--format-version", "1"], cwd=ROOT))
function_bins = {
    t["name"]
    for p in meta["packages"]
    if "/functions/" in p["manifest_path"]
    for t in p["targets"]
    if "bin" in t["kind"]
}

passed, failed = 0, []


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        failed.append(what)


def ref_name(v):
    if isinstance(v, dict):
        if "Fn::GetAtt" in v:
            return v["Fn::GetAtt"][0] if isinstance(v["Fn::GetAtt"], list) else v["Fn::GetAtt"].split(".")[0]
        if "Ref" in v:
            return v["Ref"]
    return None


deployed = set()
for name, res in resources.items():
    if res.get("Type") != "AWS::Serverless::Function":
        continue
    md = res.get("Metadata", {})
    props = res.get("Properties", {})
    binary = md.get("BuildProperties", {}).get("Binary")
    check(md.get("BuildMethod") == "rust-cargolambda", f"{name}: BuildMethod rust-cargolambda")
    check(binary in function_bins, f"{name}: binary {binary!r} is built by a crate under functions/")
    check((ROOT / "events" / f"{binary}.json").is_file(), f"{name}: events/{binary}.json exists")
    deployed.add(binary)
    timeout = props.get("Timeout", globals_fn.get("Timeout", 3))
    for ev_name, ev in props.get("Events", {}).items():
        if ev["Type"] == "SQS":
            ep = ev["Properties"]
            check("ReportBatchItemFailures" in ep.get("FunctionResponseTypes", []), f"{name}.{ev_name}: ReportBatchItemFailures")
            q = resources.get(ref_name(ep["Queue"]), {}).get("Properties", {})
            redrive = q.get("RedrivePolicy", {})
            check(bool(redrive.get("deadLetterTargetArn")) and int(redrive.get("maxReceiveCount", 0)) == 5,
                  f"{name}.{ev_name}: queue has a DLQ with maxReceiveCount 5")
            check(int(q.get("VisibilityTimeout", 30)) >= 6 * int(timeout),
                  f"{name}.{ev_name}: visibility {q.get('VisibilityTimeout')} >= 6 x timeout {timeout}")
        elif ev["Type"] == "ScheduleV2":
            check(ev["Properties"].get("ScheduleExpressionTimezone") == "America/New_York", f"{name}.{ev_name}: ET schedule")
        else:
            check(False, f"{name}.{ev_name}: unexpected event type {ev['Type']}")

    alarm = ref_name((props.get("DeploymentPreference", {}).get("Alarms") or [None])[0])
    check(resources.get(alarm, {}).get("Type") == "AWS::CloudWatch::Alarm"
          and ref_name(resources[alarm]["Properties"]["Dimensions"][0]["Value"]) == name,
          f"{name}: canary rolled back by its own errors alarm")

check(globals_fn.get("AutoPublishAlias") == "live", "Globals: AutoPublishAlias live")
check(str(globals_fn.get("DeploymentPreference", {}).get("Type", "")).startswith("Canary"), "Globals: canary deployments")
for q, res in resources.items():
    if res.get("Type") == "AWS::SQS::Queue" and q.endswith("Dlq"):
        check(any(r.get("Type") == "AWS::CloudWatch::Alarm"
                  and ref_name(r["Properties"]["Dimensions"][0]["Value"]) == q for r in resources.values()),
              f"{q}: depth alarm")
check(any(r.get("Type") == "AWS::CloudWatch::Dashboard" for r in resources.values()), "a CloudWatch dashboard")
crawlers = [r for r in resources.values() if r.get("Type") == "AWS::Glue::Crawler"]
paths = json.dumps([c["Properties"]["Targets"] for c in crawlers])
for dataset in ["raw", "analytics", "precompute", "predictions", "orchestration"]:
    check(f"/tables/{dataset}/" in paths, f"Glue crawls tables/{dataset}/")

for b in sorted(function_bins - deployed):
    check(False, f"binary {b} is not deployed by template.yaml")


def no_star(node, path):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Resource" and (v == "*" or (isinstance(v, list) and "*" in v)):
                check(False, f"{path}: Resource '*'")
            no_star(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            no_star(v, f"{path}[{i}]")


before = len(failed)
no_star(resources, "Resources")
check(len(failed) == before, "no '*' resources in policies")

for f in failed:
    print(f"FAILED: {f}")
print(f"{passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
