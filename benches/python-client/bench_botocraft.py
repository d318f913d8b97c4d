"""`bench_botocraft.py WORKLOAD ENDPOINT`: the bench workloads through the
Python botocraft (the project botocraft descends from), keeping every
resource in memory; prints `items=N tags=M hwm_kb=K` like the Rust clients.

Run by the benchmark driver with `--python`; the endpoint and static
credentials are passed the boto3 way (AWS_ENDPOINT_URL and friends).
"""

import sys


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    workload = sys.argv[1]  # argv[2], the endpoint, reaches boto3 via AWS_ENDPOINT_URL
    import boto3

    # Static credentials; the endpoint (AWS_ENDPOINT_URL) and one attempt
    # (AWS_MAX_ATTEMPTS) come from the environment the driver sets.
    boto3.setup_default_session(
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key="bench-secret",
        region_name="us-east-1",
    )
    from botocraft.services import AutoScalingGroup, Instance, Service

    if workload == "noop":
        items = tags = 0
    elif workload in ("ec2", "ec2-stream"):
        everything = Instance.objects.list()
        items = len(everything)
        tags = sum(len(i.Tags or []) for i in everything)
    elif workload == "ecs":
        everything = Service.objects.list(cluster="bench")
        items = len(everything)
        tags = sum(len(s.tags or []) for s in everything)
    elif workload == "asg":
        everything = AutoScalingGroup.objects.list()
        items = len(everything)
        tags = sum(len(g.Tags or []) for g in everything)
    else:
        print(f"unknown workload {workload!r}", file=sys.stderr)
        sys.exit(2)
    print(f"items={items} tags={tags} hwm_kb={peak_rss_kb()}")


if __name__ == "__main__":
    main()
