//! A guided tour of botocraft, run against a local moto server.
//!
//! ```text
//! bash scripts/demo.sh
//! ```
//!
//! The script starts moto and sets `BOTOCRAFT_MOTO_ENDPOINT`, `AWS_REGION`
//! and dummy credentials. Every run uses a fresh moto account (the
//! `x-moto-account-id` header), so reruns against the same server start clean.
//!
//! Each step prints one line showing what botocraft did and what AWS (moto)
//! answered. It visits every service: ECS (steps 2-17), EC2 (5), ECR (18-19)
//! and Auto Scaling (20-22), and deletes everything it created (23-27).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use botocraft::autoscaling::{AutoScalingGroup, LaunchConfiguration};
use botocraft::ec2::Subnet;
use botocraft::ecr::Repository;
use botocraft::ecs::{
    AwsVpcConfiguration, Cluster, Compatibility, ContainerDefinition, LaunchType, LoadBalancer,
    NetworkConfiguration, NetworkMode, PortMapping, Service, Task, TaskDefinition,
};
use botocraft::prelude::*;
use botocraft::{Credentials, Error, SharedSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if let Err(err) = tour().await {
        eprintln!("\ntour failed: {err}");
        return Err(err.into());
    }
    Ok(())
}

/// Prints one numbered step.
macro_rules! step {
    ($n:expr, $($arg:tt)*) => {
        println!("[{:>2}] {}", $n, format!($($arg)*))
    };
}

async fn tour() -> botocraft::Result<()> {
    // ── Sessions ────────────────────────────────────────────────────────
    let endpoint = std::env::var("BOTOCRAFT_MOTO_ENDPOINT")
        .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
        .map_err(|_| {
            Error::config("no moto endpoint: run `bash scripts/demo.sh` (it starts moto for you)")
        })?;
    let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".to_owned());
    let account = fresh_account_id();
    let session: SharedSession = Session::builder()
        .endpoint_url(endpoint.as_str())
        .region(region.as_str())
        .credentials(Credentials::new("testing", "testing", None))
        .header("x-moto-account-id", &account)
        .max_attempts(1)
        .build()?
        .shared();
    println!("botocraft tour: moto at {endpoint}, region {region}, fresh account {account}\n");
    step!(
        1,
        "session built: Session::builder() ... .build()?.shared()"
    );

    // ── Primary models and managers: a cluster with tags ────────────────
    let mut draft = Cluster {
        cluster_name: Some("tour".to_owned()),
        ..Default::default()
    };
    draft
        .tags_mut()
        .insert("team".to_owned(), "platform".to_owned());
    draft.tags_mut().insert("env".to_owned(), "demo".to_owned());
    let mut cluster = Cluster::objects().using(&session).create(&draft).await?;
    let cluster_arn = cluster.arn().unwrap_or_default().to_owned();
    step!(
        2,
        "Cluster::objects().using(&session).create(&draft): {} (status {}, tags {:?})",
        cluster_arn,
        cluster.status.as_deref().unwrap_or("?"),
        cluster.tags()
    );

    // ── A task definition, then a second revision via save() ────────────
    let web = ContainerDefinition {
        name: Some("web".to_owned()),
        image: Some("nginx:1.27".to_owned()),
        memory: Some(256),
        essential: Some(true),
        port_mappings: Some(vec![PortMapping {
            container_port: Some(80),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let draft = TaskDefinition {
        family: Some("tour-web".to_owned()),
        network_mode: Some(NetworkMode::Awsvpc),
        requires_compatibilities: Some(vec![Compatibility::Fargate]),
        cpu: Some("256".to_owned()),
        memory: Some("512".to_owned()),
        container_definitions: Some(vec![web]),
        ..Default::default()
    };
    let mut task_definition = TaskDefinition::objects()
        .using(&session)
        .create(&draft)
        .await?;
    let first_revision = task_definition
        .family_revision()
        .unwrap_or_default()
        .to_owned();
    step!(
        3,
        "TaskDefinition::objects()...create(&draft): registered {first_revision} ({})",
        task_definition.arn().unwrap_or_default()
    );

    if let Some(containers) = task_definition.container_definitions.as_mut() {
        containers[0].image = Some("nginx:1.28".to_owned());
    }
    task_definition.save().await?; // a fetched task definition saves as a new revision
    step!(
        4,
        "changed the image, task_definition.save(): new revision {} ({})",
        task_definition.revision.unwrap_or_default(),
        task_definition.family_revision().unwrap_or_default()
    );

    // ── A service with a load balancer (secondary models) ───────────────
    // The service runs in a default subnet, found through the EC2 models.
    let subnet = Subnet::objects()
        .using(&session)
        .list()
        .filter("default-for-az", ["true"])
        .await?
        .into_iter()
        .find_map(|subnet| subnet.subnet_id);
    step!(
        5,
        "Subnet::objects().list().filter(\"default-for-az\", [\"true\"]): default subnet {}",
        subnet.as_deref().unwrap_or("<none>")
    );
    let network = subnet.as_ref().map(|subnet| NetworkConfiguration {
        awsvpc_configuration: Some(AwsVpcConfiguration {
            subnets: Some(vec![subnet.clone()]),
            security_groups: Some(vec![]),
            ..Default::default()
        }),
    });

    let mut draft = Service {
        service_name: Some("tour-web".to_owned()),
        cluster_arn: Some(cluster_arn.clone()),
        task_definition: task_definition.arn().map(str::to_owned),
        desired_count: Some(1),
        launch_type: Some(LaunchType::Fargate),
        network_configuration: network.clone(),
        load_balancers: Some(vec![LoadBalancer {
            target_group_arn: Some(format!(
                "arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/tour-web/0123456789abcdef"
            )),
            container_name: Some("web".to_owned()),
            container_port: Some(80),
            ..Default::default()
        }]),
        ..Default::default()
    };
    draft.tags_mut().insert("tier".to_owned(), "web".to_owned());
    let created = Service::objects().using(&session).create(&draft).await?;
    let lb = &created.load_balancers.as_deref().unwrap_or_default()[0];
    step!(
        6,
        "Service::objects()...create(&draft): {} (desired {}, load balancer -> {}:{})",
        created.arn().unwrap_or_default(),
        created.desired_count.unwrap_or_default(),
        lb.container_name.as_deref().unwrap_or("?"),
        lb.container_port.unwrap_or_default()
    );

    // A second, smaller service so there is something to filter.
    let worker = Service {
        service_name: Some("tour-worker".to_owned()),
        cluster_arn: Some(cluster_arn.clone()),
        task_definition: Some(first_revision.clone()),
        desired_count: Some(0),
        launch_type: Some(LaunchType::Fargate),
        network_configuration: network.clone(),
        ..Default::default()
    };
    let worker = Service::objects().using(&session).create(&worker).await?;
    step!(
        7,
        "created a second service {:?} on {}",
        worker.name().unwrap_or_default(),
        worker.task_definition.as_deref().unwrap_or_default()
    );

    // ── Get by key, change, save ────────────────────────────────────────
    let key = created
        .pk()
        .expect("a created service has a name and a cluster");
    let mut service = Service::objects()
        .using(&session)
        .get(key.service.as_str())
        .cluster(key.cluster.as_str())
        .await?;
    step!(
        8,
        "get({:?}).cluster(..) by its ServiceKey: status {}, desired {}",
        key.service,
        service.status.as_deref().unwrap_or("?"),
        service.desired_count.unwrap_or_default()
    );

    service.desired_count = Some(3);
    service.save().await?; // came from AWS, so save() is an UpdateService
    step!(
        9,
        "desired_count = Some(3); save() (an UpdateService): AWS reports desired {}",
        service.desired_count.unwrap_or_default()
    );

    // ── QuerySets ───────────────────────────────────────────────────────
    let services = Service::objects()
        .using(&session)
        .list()
        .cluster(cluster_arn.as_str())
        .await?;
    let busy = services
        .clone()
        .filter(|s| s.desired_count.unwrap_or(0) > 0);
    let tours = services
        .clone()
        .filter_by("service_name__startswith", "tour-")?;
    let web_tier = tours.clone().filter_by("tags__tier", "web")?;
    step!(
        10,
        "list().cluster(..): {} services; filter(desired > 0): {}; \
         filter_by(\"service_name__startswith\", \"tour-\"): {}; then tags__tier=web: {}",
        services.count(),
        busy.count(),
        tours.count(),
        web_tier.count()
    );
    let rows = services.order_by(|s| s.service_name.clone()).values(&[
        "service_name",
        "desired_count",
        "launch_type",
    ])?;
    let rows: Vec<String> = rows.iter().map(serde_json_line).collect();
    step!(11, "values(..): {}", rows.join(", "));

    // ── Relationships and properties ────────────────────────────────────
    let its_definition = service.task_definition().await?;
    let its_cluster = service.cluster().await?;
    step!(
        12,
        "service.task_definition() -> {} (image {}); service.cluster() -> {:?} ({})",
        its_definition.family_revision().unwrap_or_default(),
        its_definition
            .container_definitions
            .as_deref()
            .and_then(|c| c.first())
            .and_then(|c| c.image.as_deref())
            .unwrap_or("?"),
        its_cluster.name().unwrap_or_default(),
        its_cluster.status.as_deref().unwrap_or("?")
    );
    step!(
        13,
        "properties: name() = {:?}, cluster_name() = {:?}, arn() = {}",
        service.name().unwrap_or_default(),
        service.cluster_name().unwrap_or_default(),
        service.arn().unwrap_or_default()
    );

    // ── Tasks ───────────────────────────────────────────────────────────
    let mut tasks_started = 0;
    match &network {
        Some(network) => {
            let started = Task::objects()
                .using(&session)
                .run(first_revision.as_str())
                .cluster(cluster_arn.as_str())
                .launch_type(LaunchType::Fargate)
                .network_configuration(network.clone())
                .started_by("botocraft-tour")
                .await?;
            tasks_started = started.count();
            let mut task = started
                .into_iter()
                .next()
                .ok_or_else(|| Error::validation("RunTask started no task"))?;
            step!(
                14,
                "Task::objects()...run(\"{first_revision}\"): started {} ({}, {})",
                task.arn().unwrap_or_default(),
                task.task_definition_family_revision().unwrap_or_default(),
                task.last_status.as_deref().unwrap_or("?")
            );
            task.delete().await?; // StopTask, with the task's cluster passed along
            step!(
                15,
                "task.delete() (a StopTask): last status {}, desired status {}",
                task.last_status.as_deref().unwrap_or("?"),
                task.desired_status.as_deref().unwrap_or("?")
            );
        }
        None => {
            step!(
                14,
                "skipped running a task: moto found no default subnet for a Fargate task"
            );
            step!(15, "skipped stopping it");
        }
    }

    // ── Tags: a map view, written to AWS by save() ──────────────────────
    {
        let mut tags = cluster.tags_mut();
        tags.insert("owner".to_owned(), "tour".to_owned());
        tags.remove("env");
    }
    cluster.save().await?;
    let reread = Cluster::objects()
        .using(&session)
        .get(cluster_arn.as_str())
        .await?;
    step!(
        16,
        "cluster.tags_mut() += owner, -= env; save(): AWS now has {:?}",
        reread.tags()
    );

    // ── Errors are typed ────────────────────────────────────────────────
    match Service::objects()
        .using(&session)
        .get("no-such-service")
        .cluster(cluster_arn.as_str())
        .await
    {
        Err(err @ Error::NotFound { .. }) => {
            step!(17, "get of a missing service -> Error::NotFound: {err}")
        }
        Err(other) => return Err(other),
        Ok(found) => {
            return Err(Error::validation(format!(
                "expected NotFound, got {:?}",
                found.arn()
            )))
        }
    }

    // ── ECR: a repository ───────────────────────────────────────────────
    let mut repository = Repository {
        repository_name: Some("tour/web".to_owned()),
        ..Default::default()
    };
    repository
        .tags_mut()
        .insert("team".to_owned(), "platform".to_owned());
    let mut repository = Repository::objects()
        .using(&session)
        .create(&repository)
        .await?;
    step!(
        18,
        "Repository::objects()...create(&draft): {} (uri {}, tags {:?})",
        repository.name().unwrap_or_default(),
        repository.repository_uri.as_deref().unwrap_or("?"),
        repository.tags()
    );
    let repositories = Repository::objects().using(&session).list().await?;
    step!(
        19,
        "Repository::objects().list(): {:?}",
        repositories
            .iter()
            .filter_map(|r| r.name())
            .collect::<Vec<_>>()
    );

    // ── Auto Scaling: a launch configuration and a group in the subnet ──
    let mut launch_configuration = LaunchConfiguration {
        launch_configuration_name: Some("tour-lc".to_owned()),
        image_id: Some("ami-12c6146b".to_owned()),
        instance_type: Some("t3.micro".to_owned()),
        ..Default::default()
    }
    .using(&session);
    launch_configuration.save().await?; // CreateLaunchConfiguration, then a describe
    step!(
        20,
        "LaunchConfiguration {{ .. }}.using(&session).save(): {} ({}, {})",
        launch_configuration.name().unwrap_or_default(),
        launch_configuration.image_id.as_deref().unwrap_or("?"),
        launch_configuration.instance_type.as_deref().unwrap_or("?")
    );
    let mut group = None;
    match &subnet {
        Some(subnet) => {
            let mut draft = AutoScalingGroup {
                auto_scaling_group_name: Some("tour-asg".to_owned()),
                launch_configuration_name: Some("tour-lc".to_owned()),
                min_size: Some(0),
                max_size: Some(2),
                desired_capacity: Some(1),
                vpc_zone_identifier: Some(subnet.clone()),
                ..Default::default()
            }
            .using(&session);
            draft.set_tag("team", "platform", true); // PropagateAtLaunch
            draft.save().await?; // CreateAutoScalingGroup with its tags, then a describe
            step!(
                21,
                "AutoScalingGroup {{ .. }}.save() in {}: {} instance(s), zones {:?}",
                draft.vpc_zone_identifier.as_deref().unwrap_or("?"),
                draft.instances.as_deref().unwrap_or_default().len(),
                draft.availability_zones.as_deref().unwrap_or_default()
            );
            group = Some(draft);
        }
        None => step!(
            21,
            "skipped the Auto Scaling group: moto found no default subnet"
        ),
    }
    let groups = AutoScalingGroup::objects()
        .using(&session)
        .list()
        .tag("team", ["platform"])
        .await?;
    let its_configuration = match groups.first() {
        Some(g) => g.launch_configuration().await?,
        None => None,
    };
    step!(
        22,
        "AutoScalingGroup::objects().list().tag(\"team\", [\"platform\"]): {:?}; \
         group.launch_configuration() -> {:?}",
        groups.iter().filter_map(|g| g.name()).collect::<Vec<_>>(),
        its_configuration
            .as_ref()
            .and_then(|lc| lc.name())
            .unwrap_or("<none>")
    );

    // ── Clean up ────────────────────────────────────────────────────────
    let mut deleted_services = 0;
    for mut s in Service::objects()
        .using(&session)
        .list()
        .cluster(cluster_arn.as_str())
        .await?
        .filter(|s| s.status.as_deref() == Some("ACTIVE"))
    {
        s.delete().await?; // DeleteService with its cluster and force=true
        s.wait_until_inactive()
            .delay(Duration::from_millis(100))
            .await?;
        deleted_services += 1;
    }
    step!(
        23,
        "deleted {deleted_services} services (wait_until_inactive() confirmed each)"
    );

    let revisions = TaskDefinition::objects()
        .using(&session)
        .list()
        .family_prefix("tour-web")
        .await?;
    let mut arns = Vec::new();
    for revision in &revisions {
        let gone = revision.deregister().await?;
        arns.extend(gone.arn().map(str::to_owned));
    }
    let deleted = TaskDefinition::objects()
        .using(&session)
        .delete(arns)
        .await?;
    step!(
        24,
        "deregistered and deleted {} task definition revisions (status now {})",
        deleted.count(),
        deleted
            .first()
            .and_then(|t| t.status.as_ref())
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default()
    );

    let mut groups_deleted = 0;
    let mut instance_states = Vec::new();
    if let Some(group) = group.as_mut() {
        group.force_delete().await?; // DeleteAutoScalingGroup, ForceDelete: ends its instances
        group
            .wait_until_deleted()
            .delay(Duration::from_millis(100))
            .await?;
        groups_deleted = 1;
        // The instances it had, as EC2 now describes them.
        for instance in group.ec2_instances().await? {
            let state = instance.state.and_then(|s| s.name);
            instance_states.push(state.map(|s| s.as_str().to_owned()).unwrap_or_default());
        }
    }
    launch_configuration.delete().await?; // no group uses it any more
    step!(
        25,
        "force_delete() of {groups_deleted} Auto Scaling group (wait_until_deleted() confirmed it; \
         its instances: {instance_states:?}), then deleted launch configuration {:?}",
        launch_configuration.name().unwrap_or_default()
    );

    repository.delete().await?;
    step!(
        26,
        "deleted repository {:?}",
        repository.name().unwrap_or_default()
    );

    cluster.delete().await?;
    step!(
        27,
        "deleted cluster {:?}: status {}",
        cluster.name().unwrap_or_default(),
        cluster.status.as_deref().unwrap_or("?")
    );

    println!(
        "\ndone: 1 cluster, {} task definition revisions, 2 services, {tasks_started} task(s), \
         1 repository, 1 launch configuration and {groups_deleted} Auto Scaling group \
         created and cleaned up in account {account}.",
        revisions.count()
    );
    Ok(())
}

/// A compact `{"k": v, ...}` rendering of one `values()` row.
fn serde_json_line(row: &impl serde::Serialize) -> String {
    serde_json::to_string(row).unwrap_or_default()
}

/// A 12-digit moto account id that differs on every run.
fn fresh_account_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let mixed = nanos ^ (u128::from(std::process::id()) << 32);
    (100_000_000_000 + mixed % 900_000_000_000).to_string()
}
