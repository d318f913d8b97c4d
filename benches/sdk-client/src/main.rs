//! `bench-sdk WORKLOAD ENDPOINT`: the same workloads as `bench-botocraft`,
//! through aws-sdk-rust (aws-config + service crates, their paginators),
//! keeping every resource in memory; prints `items=N tags=M`.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_ec2::config::Credentials;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (workload, endpoint) = match args.as_slice() {
        [_, w, e] => (w.clone(), e.clone()),
        _ => {
            eprintln!("usage: bench-sdk noop|ec2|ec2-stream|ecs|asg ENDPOINT");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result: Result<(usize, usize), BoxError> = rt.block_on(async {
        let config = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKIDBENCH", "bench-secret", None, None, "bench"))
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .load()
            .await;
        Ok(match workload.as_str() {
            "noop" => {
                // Every service's client, as botocraft's session serves all four.
                let _clients = (
                    aws_sdk_ec2::Client::new(&config),
                    aws_sdk_ecs::Client::new(&config),
                    aws_sdk_ecr::Client::new(&config),
                    aws_sdk_autoscaling::Client::new(&config),
                );
                (0, 0)
            }
            "ec2" => {
                let client = aws_sdk_ec2::Client::new(&config);
                let reservations: Vec<aws_sdk_ec2::types::Reservation> = client
                    .describe_instances()
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await?;
                let all: Vec<aws_sdk_ec2::types::Instance> = reservations
                    .into_iter()
                    .flat_map(|r| r.instances.unwrap_or_default())
                    .collect();
                let tags = all.iter().map(|i| i.tags().len()).sum();
                (all.len(), tags)
            }
            "ec2-stream" => {
                // The paginator holds one page at a time: count and drop.
                let client = aws_sdk_ec2::Client::new(&config);
                let mut reservations = client.describe_instances().into_paginator().items().send();
                let (mut items, mut tags) = (0, 0);
                while let Some(reservation) = reservations.next().await {
                    for instance in reservation?.instances.unwrap_or_default() {
                        items += 1;
                        tags += instance.tags().len();
                    }
                }
                (items, tags)
            }
            "ecs" => {
                let client = aws_sdk_ecs::Client::new(&config);
                let arns: Vec<String> = client
                    .list_services()
                    .cluster("bench")
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await?;
                let mut all: Vec<aws_sdk_ecs::types::Service> = Vec::with_capacity(arns.len());
                for chunk in arns.chunks(10) {
                    let out = client
                        .describe_services()
                        .cluster("bench")
                        .set_services(Some(chunk.to_vec()))
                        .include(aws_sdk_ecs::types::ServiceField::Tags)
                        .send()
                        .await?;
                    if !out.failures().is_empty() {
                        return Err(format!("DescribeServices failures: {:?}", out.failures()).into());
                    }
                    all.extend(out.services.unwrap_or_default());
                }
                let tags = all.iter().map(|s| s.tags().len()).sum();
                (all.len(), tags)
            }
            "asg" => {
                let client = aws_sdk_autoscaling::Client::new(&config);
                let all: Vec<aws_sdk_autoscaling::types::AutoScalingGroup> = client
                    .describe_auto_scaling_groups()
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await?;
                let tags = all.iter().map(|g| g.tags().len()).sum();
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
            eprintln!("bench-sdk {workload}: {e:?}");
            std::process::exit(1);
        }
    }
}

/// This process's peak resident set (`VmHWM`), in KiB (see bench-botocraft).
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
