//! `bench-botocraft WORKLOAD ENDPOINT`: lists every resource of one kind
//! through botocraft, keeps them all in memory, prints `items=N tags=M`.
//!
//! WORKLOAD: `noop` (runtime + session, no request), `ec2`
//! (`Instance::objects().list()`), `ec2-stream` (the same, consumed with
//! `.stream()` one instance at a time, nothing kept), `ecs` (`Service::objects().list().cluster(..)`,
//! i.e. ListServices + DescribeServices by 10), `asg`
//! (`AutoScalingGroup::objects().list()`).

use botocraft::prelude::*;
use botocraft::services::{AutoScalingGroup, Instance, Service};
use botocraft::Credentials;
use futures::StreamExt;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (workload, endpoint) = match args.as_slice() {
        [_, w, e] => (w.as_str(), e.as_str()),
        _ => {
            eprintln!("usage: bench-botocraft noop|ec2|ec2-stream|ecs|asg ENDPOINT");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result: botocraft::Result<(usize, usize)> = rt.block_on(async {
        let session = Session::builder()
            .endpoint_url(endpoint)
            .region("us-east-1")
            .credentials(Credentials::new("AKIDBENCH", "bench-secret", None))
            .max_attempts(1)
            .build()?
            .shared();
        Ok(match workload {
            "noop" => (0, 0),
            "ec2" => {
                let all = Instance::objects().using(&session).list().await?;
                let tags = all.iter().map(|i| i.tags.as_ref().map_or(0, Vec::len)).sum();
                (all.len(), tags)
            }
            "ec2-stream" => {
                // One page in memory at a time: count and drop.
                let mut stream = Instance::objects().using(&session).list().stream();
                let (mut items, mut tags) = (0, 0);
                while let Some(instance) = stream.next().await {
                    let instance = instance?;
                    items += 1;
                    tags += instance.tags.as_ref().map_or(0, Vec::len);
                }
                (items, tags)
            }
            "ecs" => {
                let all = Service::objects().using(&session).list().cluster("bench").await?;
                let tags = all.iter().map(|s| s.tags.as_ref().map_or(0, Vec::len)).sum();
                (all.len(), tags)
            }
            "asg" => {
                let all = AutoScalingGroup::objects().using(&session).list().await?;
                let tags = all.iter().map(|g| g.tags.as_ref().map_or(0, Vec::len)).sum();
                (all.len(), tags)
            }
            other => {
                eprintln!("unknown workload {other:?}");
                std::process::exit(2);
            }
        })
    });
    match result {
        Ok((items, tags)) => println!("items={items} tags={tags} hwm_kb={}", peak_rss_kb()),
        Err(e) => {
            eprintln!("bench-botocraft {workload}: {e}");
            std::process::exit(1);
        }
    }
}

/// This process's peak resident set (`VmHWM`), in KiB. The kernel's
/// `ru_maxrss` for a child also counts the parent's pages from before `exec`,
/// so the driver reads this instead.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
