#!/usr/bin/env python3
# Not named platform.py: scripts beside it (unet_reference.py) would import it in place of the standard library's platform.
"""The platform benchmark (bench/platform.sh): the local stack as ./scoregen up starts it, measured from outside.

1. Scaling: one toy sample job of --count samples (pc, Euler-Maruyama, no corrector, --steps steps) with 1 and
   with 2 sample workers of one libtorch thread each: samples/s from submission to SUCCEEDED, the ratio, and the
   share of the workers' task time that is not sampling (1 - the job summary's sampling seconds / the workers'
   scoregen_worker_task_duration_seconds_sum over the job), split by the workers' phase timers
   (scoregen_sample_phase_seconds_total: model, sample, encode, upload, report; the rest is the consumer's).
2. Submissions: wrk (Debian's wrk) POSTs one-sample jobs for --wrk-seconds, after --wrk-warmup seconds of the same
   load, to a stack without workers (the gateway, the broker and S3 alone on the cores; the jobs stay queued);
   requests/s and latency percentiles.
3. A large submission: one --large-count sample job in shards of --large-shard-size: the time the POST takes to
   answer and the gateway's peak RSS (VmHWM) before and after it.
4. Finished jobs: --finished-jobs one-sample jobs submitted and then finished (events written with kcat): the
   gateway's RSS and JVM memory before, with all of them active, and once all their ends are recorded.

Only public tools: the stack script, HTTP from the standard library, wrk, kcat, the JDK's jcmd, /proc.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STACK = os.path.join(ROOT, "infra", "bin", "stack.sh")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """One SCOREGEN_HOME and port set; up/down with a given number of sample workers."""

    def __init__(self, home):
        self.home = home
        self.token = "bench-" + os.urandom(8).hex()
        self.gateway = free_port()
        sample = free_port()
        while sample + 10 > 65535:
            sample = free_port()
        self.env = dict(
            os.environ,
            SCOREGEN_HOME=home,
            SCOREGEN_API_TOKEN=self.token,
            SCOREGEN_KAFKA_PORT=str(free_port()),
            SCOREGEN_KAFKA_CONTROLLER_PORT=str(free_port()),
            SCOREGEN_S3_PORT=str(free_port()),
            SCOREGEN_PROMETHEUS_PORT=str(free_port()),
            SCOREGEN_GATEWAY_PORT=str(self.gateway),
            SCOREGEN_WORKER_TRAIN_METRICS_PORT=str(free_port()),
            SCOREGEN_WORKER_SAMPLE_METRICS_PORT=str(sample),
            SCOREGEN_WORKER_THREADS="1",
        )
        self.sample_port = sample

    def run(self, command, workers=1, train_workers=1):
        env = dict(self.env, SCOREGEN_SAMPLE_WORKERS=str(workers), SCOREGEN_TRAIN_WORKERS=str(train_workers))
        subprocess.run(["bash", STACK, command], env=env, check=True, stdout=sys.stderr)

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.gateway, path)

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url(path), data=data, method=method)
        req.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read() or b"null")

    def follow(self, job, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            view = self.request("GET", "/v1/jobs/" + job)
            if view["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                if view["status"] != "SUCCEEDED":
                    raise SystemExit("job %s ended %s: %s" % (job, view["status"], view.get("error")))
                return view
            time.sleep(0.2)  # a client's polling interval, not a readiness wait
        raise SystemExit("job %s did not end within %d s" % (job, timeout))

    def worker_seconds(self, workers):
        """Sum over the sample workers of their completed tasks' wall time ("task") and of each phase's seconds."""
        total = {"task": 0.0}
        for i in range(workers):
            port = self.sample_port + 10 * i
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
                text = r.read().decode()
            m = re.search(r'^scoregen_worker_task_duration_seconds_sum\{kind="sample"\} (\S+)$', text, re.M)
            total["task"] += float(m.group(1)) if m else 0.0
            for phase, value in re.findall(r'^scoregen_sample_phase_seconds_total\{phase="(\w+)"\} (\S+)$', text, re.M):
                total[phase] = total.get(phase, 0.0) + float(value)
        return total

    def gateway_pid(self):
        with open(os.path.join(self.home, "run", "gateway.pid")) as f:
            return int(f.read().strip())


def sampler(steps):
    return {"type": "pc", "predictor": "euler_maruyama", "corrector": "none", "steps": steps}


def peak_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def scaling(stack, model, args, workers):
    stack.run("up", workers)
    try:
        before = stack.worker_seconds(workers)
        start = time.monotonic()
        job = stack.request(
            "POST",
            "/v1/sample-jobs",
            {"model": model, "count": args.count, "shardSize": args.shard_size, "seed": 1, "format": "npy",
             "sampler": sampler(args.steps)},
        )["jobId"]
        view = stack.follow(job, 3600)
        wall = time.monotonic() - start
        after = stack.worker_seconds(workers)
        spent = {k: after[k] - before.get(k, 0.0) for k in after}
        task = spent.pop("task")
        sampling = view["summary"]["seconds"]
        # What the phases do not cover is the consumer's own: the status check, polling, the commit.
        phases = {k: v / task for k, v in spent.items()}
        phases["consumer"] = 1 - sum(spent.values()) / task
        return {"workers": workers, "samples": args.count, "wall_s": wall, "samples_per_s": args.count / wall,
                "task_s": task, "sampling_s": sampling, "non_sampling_share": 1 - sampling / task,
                "phase_shares": phases}
    finally:
        stack.run("down", workers)


def submissions(stack, model, args):
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    body = json.dumps({"model": model, "count": 1, "format": "npy", "sampler": sampler(args.steps)})
    script = os.path.join(stack.home, "post.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n'
                'wrk.headers["Authorization"] = "Bearer %s"\n' % (json.dumps(body), stack.token))
        f.write('done = function(summary, latency, requests)\n'
                '  io.write(string.format("JSON {\\"requests\\": %d, \\"seconds\\": %f, \\"non2xx\\": %d, '
                '\\"p50_ms\\": %f, \\"p99_ms\\": %f}\\n", summary.requests, summary.duration / 1e6, '
                'summary.errors.status, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3))\nend\n')
    def load(seconds):
        return subprocess.run(
            [wrk, "-t1", "-c%d" % args.wrk_connections, "-d%ds" % seconds, "-s", script, stack.url("/v1/sample-jobs")],
            check=True, capture_output=True, text=True).stdout

    if args.wrk_warmup > 0:
        load(args.wrk_warmup)  # the JIT and the connections warm; not counted
    out = load(args.wrk_seconds)
    figures = json.loads(out[out.index("JSON ") + 5:].splitlines()[0])
    figures["per_s"] = figures["requests"] / figures["seconds"]
    figures["connections"] = args.wrk_connections
    return figures


def large_submission(stack, model, args):
    pid = stack.gateway_pid()
    before = peak_rss_mib(pid)
    start = time.monotonic()
    try:
        job = stack.request("POST", "/v1/sample-jobs",
                            {"model": model, "count": args.large_count, "shardSize": args.large_shard_size,
                             "format": "npy", "sampler": sampler(args.steps)})["jobId"]
        answered = time.monotonic() - start
    except urllib.error.HTTPError as e:
        return {"error": "%d %s" % (e.code, e.read().decode()[:300])}
    view_start = time.monotonic()
    raw = urllib.request.urlopen(urllib.request.Request(
        stack.url("/v1/jobs/" + job), headers={"Authorization": "Bearer " + stack.token}), timeout=60).read()
    view_s = time.monotonic() - view_start
    # Sampling all of it would take the better part of an hour here: the worker's peak is read once it has stored
    # --large-run samples (its memory does not grow with the job: one shard at a time).
    deadline = time.monotonic() + 600
    done = 0
    polls = []  # (seconds, bytes) of each view while the job runs
    while done < args.large_run and time.monotonic() < deadline:
        poll_start = time.monotonic()
        body = urllib.request.urlopen(urllib.request.Request(
            stack.url("/v1/jobs/" + job), headers={"Authorization": "Bearer " + stack.token}), timeout=60).read()
        polls.append((time.monotonic() - poll_start, len(body)))
        done = json.loads(body)["progress"]["done"]
        time.sleep(1)  # a client's polling interval, not a readiness wait
    with open(os.path.join(stack.home, "run", "worker-sample.pid")) as f:
        worker_peak = peak_rss_mib(int(f.read().strip()))
    stack.request("DELETE", "/v1/jobs/" + job)
    return {"count": args.large_count, "shards": -(-args.large_count // args.large_shard_size),
            "answer_s": answered, "gateway_peak_rss_mib_before": before, "gateway_peak_rss_mib_after": peak_rss_mib(pid),
            "view_s": view_s, "view_bytes": len(raw), "samples_done": done, "worker_peak_rss_mib": worker_peak,
            "polls": len(polls), "poll_view_s_median": statistics.median(p[0] for p in polls),
            "poll_view_s_max": max(p[0] for p in polls), "poll_view_bytes_max": max(p[1] for p in polls)}


def gateway_metric(stack, name):
    with urllib.request.urlopen(stack.url("/q/metrics"), timeout=30) as r:
        text = r.read().decode()
    return sum(float(v) for v in re.findall(r"^%s(?:\{[^}]*\})? (\S+)$" % re.escape(name), text, re.M))


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def live_heap_mib(stack, pid):
    """The gateway's heap in use right after a full collection (jcmd GC.run): what it holds, not garbage."""
    jcmd = shutil.which("jcmd")
    if jcmd is None:
        return float("nan")
    subprocess.run([jcmd, str(pid), "GC.run"], check=True, capture_output=True)
    with urllib.request.urlopen(stack.url("/q/metrics"), timeout=30) as r:
        text = r.read().decode()
    used = re.findall(r'^jvm_memory_used_bytes\{area="heap",[^}]*\} (\S+)$', text, re.M)
    return sum(float(v) for v in used) / 2**20


def finished_jobs(stack, model, args):
    """The gateway's memory across --finished-jobs one-sample jobs that finish: submitted through the API with the
    sample worker stopped, then finished by SUCCEEDED events written with kcat, as a worker writes them (sampling
    10^5 shards would take hours here and is not what is measured)."""
    kcat = shutil.which("kcat")
    if kcat is None:
        return {"skipped": "kcat is not installed (apt-get install kcat)"}
    with open(os.path.join(stack.home, "run", "worker-sample.pid")) as f:
        os.kill(int(f.read().strip()), 15)
    pid = stack.gateway_pid()
    body = {"model": model, "count": 1, "format": "npy", "sampler": sampler(args.steps)}
    rss_before, heap_before = rss_mib(pid), live_heap_mib(stack, pid)
    ended_before = gateway_metric(stack, "scoregen_gateway_jobs_finished_total")
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        jobs = list(pool.map(lambda _: stack.request("POST", "/v1/sample-jobs", body)["jobId"],
                             range(args.finished_jobs)))
    rss_active, heap_active = rss_mib(pid), live_heap_mib(stack, pid)
    now = int(time.time() * 1000)
    lines = []
    for job in jobs:
        event = {"v": 1, "jobId": job, "type": "SAMPLE", "shard": 0, "status": "SUCCEEDED",
                 "progress": {"done": 1, "total": 1},
                 "resultKeys": ["samples/%s/shard-00000/samples.npy" % job], "timestamp": now, "producer": "bench"}
        lines.append("%s|%s" % (job, json.dumps(event)))
    subprocess.run([kcat, "-b", "127.0.0.1:" + stack.env["SCOREGEN_KAFKA_PORT"], "-P", "-t", "scoregen.events",
                    "-K", "|"], input="\n".join(lines) + "\n", text=True, check=True)
    start = time.monotonic()
    # Earlier phases' jobs stay active (their worker is stopped): count this phase's ends instead.
    while gateway_metric(stack, "scoregen_gateway_jobs_finished_total") - ended_before < args.finished_jobs:
        if time.monotonic() - start > 3600:
            raise SystemExit("finished jobs not all recorded within an hour")
        time.sleep(1)  # polling the gauge, not waiting for readiness
    finishing = time.monotonic() - start
    return {"jobs": args.finished_jobs, "gateway_rss_mib_before": rss_before, "gateway_rss_mib_active": rss_active,
            "gateway_rss_mib_finished": rss_mib(pid), "gateway_live_heap_mib_before": heap_before,
            "gateway_live_heap_mib_active": heap_active, "gateway_live_heap_mib_finished": live_heap_mib(stack, pid),
            "finishing_s": finishing, "finished_per_s": args.finished_jobs / finishing,
            "known": gateway_metric(stack, "scoregen_gateway_jobs_known")}


PHASES = ("scaling", "submissions", "large", "finished")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--shard-size", type=int, default=1000)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--wrk-seconds", type=int, default=10)
    p.add_argument("--wrk-connections", type=int, default=8)
    p.add_argument("--wrk-warmup", type=int, default=5, help="seconds of the same load before the measured ones")
    p.add_argument("--large-count", type=int, default=1_000_000)
    p.add_argument("--large-shard-size", type=int, default=10)
    p.add_argument("--large-run", type=int, default=20_000, help="samples of the large job stored before its worker's "
                   "peak RSS is read and the job cancelled")
    p.add_argument("--finished-jobs", type=int, default=100_000)
    p.add_argument("--phases", default=",".join(PHASES),
                   help="comma-separated phases to run, of " + ", ".join(PHASES) + " (default: all)")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "target", "platform"))
    args = p.parse_args()
    phases = args.phases.split(",")
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        p.error("unknown phases %s (expected some of %s)" % (unknown, ", ".join(PHASES)))
    os.makedirs(args.out, exist_ok=True)
    home = tempfile.mkdtemp(prefix="scoregen-bench-")
    stack = Stack(home)
    results = {"cpu": cpu(), "args": vars(args)}
    try:
        stack.run("up", 1)
        try:
            train = stack.request("POST", "/v1/train-jobs",
                                  {"dataset": "toy:two-moons", "sde": "vp", "steps": 300, "batchSize": 128, "seed": 3,
                                   "model": {"network": "mlp", "hiddenDim": 64, "hiddenLayers": 2}})["jobId"]
            stack.follow(train, 600)
        finally:
            stack.run("down", 1)
        if "scaling" in phases:
            results["scaling"] = [scaling(stack, train, args, n) for n in (1, 2)]
            results["scaling_ratio"] = (
                results["scaling"][1]["samples_per_s"] / results["scaling"][0]["samples_per_s"])
        if "submissions" in phases:
            # No workers: the gateway and the broker alone on the cores (the jobs stay queued).
            stack.run("up", 0, 0)
            try:
                results["submissions"] = submissions(stack, train, args)
            finally:
                stack.run("down", 0, 0)
        if "large" in phases or "finished" in phases:
            stack.run("up", 1)
            try:
                if "large" in phases:
                    results["large_submission"] = large_submission(stack, train, args)
                if "finished" in phases:
                    results["finished_jobs"] = finished_jobs(stack, train, args)
            finally:
                stack.run("down", 1)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    with open(os.path.join(args.out, "platform.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(markdown(results))


def cpu():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        name = re.search(r"Model name:\s*(.+)", out).group(1).strip()
        return "%s, %d cores" % (name, os.cpu_count())
    except Exception:  # noqa: BLE001 - a figure's context, not a figure
        return "unknown CPU"


def markdown(r):
    lines = ["Measured on %s." % r["cpu"], ""]
    if "scaling" in r:
        lines += ["| sample workers (1 thread each) | samples | wall s | samples/s | non-sampling share of task time |",
                  "|---|---|---|---|---|"]
        for s in r["scaling"]:
            lines.append("| %d | %d | %.1f | %.0f | %.1f %% |" % (
                s["workers"], s["samples"], s["wall_s"], s["samples_per_s"], 100 * s["non_sampling_share"]))
        lines += ["", "2 workers / 1 worker: %.2f" % r["scaling_ratio"], ""]
        for s in r["scaling"]:
            lines.append("%d worker(s), share of task time by phase: %s" % (s["workers"], ", ".join(
                "%s %.1f %%" % (k, 100 * v) for k, v in sorted(s["phase_shares"].items(), key=lambda kv: -kv[1]))))
        lines.append("")
    sub = r.get("submissions", {})
    if "skipped" in sub:
        lines.append("Submissions: " + sub["skipped"])
    elif sub:
        lines.append("Submissions (wrk, %d connections, %.0f s after %d s of warm-up, no workers): %.0f /s, p50 %.1f "
                     "ms, p99 %.1f ms, %d non-2xx" % (sub["connections"], sub["seconds"], r["args"]["wrk_warmup"],
                                                     sub["per_s"], sub["p50_ms"], sub["p99_ms"], sub["non2xx"]))
    big = r.get("large_submission", {})
    if "error" in big:
        lines.append("Large submission: " + big["error"])
    elif big:
        lines.append("Large submission (%d samples, %d shards): answered in %.2f s; gateway peak RSS %.0f → %.0f MiB; "
                     "its first view %.3f s, %d bytes; %d views while it ran: median %.3f s, max %.3f s, at most %d "
                     "bytes; the sample worker's peak RSS %.0f MiB after %d samples" % (
                         big["count"], big["shards"], big["answer_s"], big["gateway_peak_rss_mib_before"],
                         big["gateway_peak_rss_mib_after"], big["view_s"], big["view_bytes"], big["polls"],
                         big["poll_view_s_median"], big["poll_view_s_max"], big["poll_view_bytes_max"],
                         big["worker_peak_rss_mib"], big["samples_done"]))
    done = r.get("finished_jobs", {})
    if "skipped" in done:
        lines.append("Finished jobs: " + done["skipped"])
    elif done:
        lines.append("%d finished jobs: gateway RSS %.0f MiB before, %.0f with all active, %.0f once all finished; "
                     "live heap after a full GC %.0f, %.0f, %.0f MiB; ends recorded at %.0f jobs/s" % (
                         done["jobs"], done["gateway_rss_mib_before"], done["gateway_rss_mib_active"],
                         done["gateway_rss_mib_finished"], done["gateway_live_heap_mib_before"],
                         done["gateway_live_heap_mib_active"], done["gateway_live_heap_mib_finished"],
                         done["finished_per_s"]))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
