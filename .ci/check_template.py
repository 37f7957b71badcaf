"""The template, the binaries and events/ agree (run by .ci/run after cfn-lint):
- every AWS::Serverless::Function names a binary (rust-cargolambda) that a function crate builds,
  and has an events/<binary>.json sample;
- every binary of every crate under functions/ is deployed by the template;
- every queue a function consumes has a dead-letter queue (redrive, maxReceiveCount 5) and a
  visibility timeout of at least 6x the consumer's timeout;
- every SQS event source reports partial batch failures; every schedule is in America/New_York;
- no policy statement grants `*` as a resource.
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
