//! Generates realistic, large canned responses once, at start-up.
//!
//! Shapes follow the real wire formats: EC2 `DescribeInstances` (ec2Query XML),
//! ECS `ListServices` / `DescribeServices` (awsJson1_1) and Auto Scaling
//! `DescribeAutoScalingGroups` (awsQuery XML). Values come from a fixed-seed
//! generator, so every run serves byte-identical bodies.

use std::fmt::Write as _;

pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";
pub const CLUSTER: &str = "bench";

/// xorshift64*: deterministic, dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub fn hex(&mut self, n: usize) -> String {
        let mut s = String::with_capacity(n);
        while s.len() < n {
            let _ = write!(s, "{:016x}", self.next());
        }
        s.truncate(n);
        s
    }
}

const AZS: &[&str] = &["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
const TYPES: &[&str] = &["t3.micro", "t3.large", "m5.xlarge", "m6i.2xlarge", "c6g.large", "r5.4xlarge"];
const STATES: &[(&str, u32)] = &[("running", 16), ("running", 16), ("running", 16), ("stopped", 80), ("pending", 0)];
const TEAMS: &[&str] = &["platform", "payments", "search", "data", "identity", "web"];
const ENVS: &[&str] = &["production", "staging", "development"];

fn iso(rng: &mut Rng) -> String {
    format!(
        "2025-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn ip(rng: &mut Rng) -> String {
    format!("10.{}.{}.{}", rng.below(256), rng.below(256), 1 + rng.below(254))
}

fn public_ip(rng: &mut Rng) -> String {
    format!("54.{}.{}.{}", rng.below(256), rng.below(256), 1 + rng.below(254))
}

fn mac(rng: &mut Rng) -> String {
    let h = rng.hex(12);
    let b = h.as_bytes();
    format!(
        "0e:{}{}:{}{}:{}{}:{}{}:{}{}",
        b[0] as char, b[1] as char, b[2] as char, b[3] as char, b[4] as char,
        b[5] as char, b[6] as char, b[7] as char, b[8] as char, b[9] as char
    )
}

fn ec2_instance(out: &mut String, i: usize, rng: &mut Rng) {
    let id = format!("i-{:017x}", 0x0a00_0000_0000_0000u64 + i as u64);
    let (state, code) = STATES[rng.below(STATES.len() as u64) as usize];
    let az = rng.pick(AZS);
    let itype = rng.pick(TYPES);
    let priv_ip = ip(rng);
    let priv_dns = format!("ip-{}.ec2.internal", priv_ip.replace('.', "-"));
    let has_public = rng.below(3) == 0;
    let pub_ip = public_ip(rng);
    let pub_dns = if has_public { format!("ec2-{}.compute-1.amazonaws.com", pub_ip.replace('.', "-")) } else { String::new() };
    let subnet = format!("subnet-{}", rng.hex(17));
    let vpc = format!("vpc-{}", rng.hex(17));
    let sg = format!("sg-{}", rng.hex(17));
    let launch = iso(rng);
    let team = rng.pick(TEAMS);
    let env = rng.pick(ENVS);
    let arch = if itype.starts_with("c6g") { "arm64" } else { "x86_64" };
    let _ = write!(
        out,
        "<item><instanceId>{id}</instanceId><imageId>ami-{ami}</imageId>\
<instanceState><code>{code}</code><name>{state}</name></instanceState>\
<privateDnsName>{priv_dns}</privateDnsName><dnsName>{pub_dns}</dnsName><reason/>\
<keyName>{team}-{env}</keyName><amiLaunchIndex>0</amiLaunchIndex><productCodes/>\
<instanceType>{itype}</instanceType><launchTime>{launch}</launchTime>\
<placement><availabilityZoneId>use1-az{azn}</availabilityZoneId><availabilityZone>{az}</availabilityZone><groupName/><tenancy>default</tenancy></placement>\
<monitoring><state>disabled</state></monitoring><subnetId>{subnet}</subnetId><vpcId>{vpc}</vpcId>\
<privateIpAddress>{priv_ip}</privateIpAddress>",
        ami = rng.hex(17),
        azn = 1 + rng.below(6),
    );
    if has_public {
        let _ = write!(out, "<ipAddress>{pub_ip}</ipAddress>");
    }
    let _ = write!(
        out,
        "<sourceDestCheck>true</sourceDestCheck>\
<groupSet><item><groupId>{sg}</groupId><groupName>{team}-{env}-sg</groupName></item></groupSet>\
<architecture>{arch}</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/xvda</rootDeviceName>\
<blockDeviceMapping>"
    );
    let nvol = 1 + rng.below(3);
    for v in 0..nvol {
        let dev = if v == 0 { "/dev/xvda".to_string() } else { format!("/dev/sd{}", (b'f' + v as u8) as char) };
        let _ = write!(
            out,
            "<item><deviceName>{dev}</deviceName><ebs><volumeId>vol-{vol}</volumeId><status>attached</status>\
<attachTime>{launch}</attachTime><deleteOnTermination>{del}</deleteOnTermination></ebs></item>",
            vol = rng.hex(17),
            del = v == 0,
        );
    }
    let _ = write!(
        out,
        "</blockDeviceMapping><virtualizationType>hvm</virtualizationType><clientToken>{ct}</clientToken>\
<tagSet>",
        ct = rng.hex(32)
    );
    let tags: [(&str, String); 6] = [
        ("Name", format!("{team}-{env}-{i:05}")),
        ("team", team.to_string()),
        ("environment", env.to_string()),
        ("cost-center", format!("cc-{}", 1000 + rng.below(50))),
        ("aws:autoscaling:groupName", format!("{team}-{env}-asg")),
        ("managed-by", "terraform".to_string()),
    ];
    for (k, v) in &tags {
        let _ = write!(out, "<item><key>{k}</key><value>{v}</value></item>");
    }
    let _ = write!(out, "</tagSet><hypervisor>xen</hypervisor><networkInterfaceSet>");
    let neni = 1 + rng.below(2);
    for n in 0..neni {
        let eni_ip = if n == 0 { priv_ip.clone() } else { ip(rng) };
        let eni_dns = format!("ip-{}.ec2.internal", eni_ip.replace('.', "-"));
        let _ = write!(
            out,
            "<item><networkInterfaceId>eni-{eni}</networkInterfaceId><subnetId>{subnet}</subnetId><vpcId>{vpc}</vpcId>\
<description/><ownerId>{ACCOUNT}</ownerId><status>in-use</status><macAddress>{mac}</macAddress>\
<privateIpAddress>{eni_ip}</privateIpAddress><privateDnsName>{eni_dns}</privateDnsName>\
<sourceDestCheck>true</sourceDestCheck>\
<groupSet><item><groupId>{sg}</groupId><groupName>{team}-{env}-sg</groupName></item></groupSet>\
<attachment><attachmentId>eni-attach-{att}</attachmentId><deviceIndex>{n}</deviceIndex><status>attached</status>\
<attachTime>{launch}</attachTime><deleteOnTermination>true</deleteOnTermination><networkCardIndex>0</networkCardIndex></attachment>",
            eni = rng.hex(17),
            mac = mac(rng),
            att = rng.hex(17),
        );
        if has_public && n == 0 {
            let _ = write!(
                out,
                "<association><publicIp>{pub_ip}</publicIp><publicDnsName>{pub_dns}</publicDnsName><ipOwnerId>amazon</ipOwnerId></association>"
            );
        }
        let _ = write!(
            out,
            "<privateIpAddressesSet><item><privateIpAddress>{eni_ip}</privateIpAddress><privateDnsName>{eni_dns}</privateDnsName><primary>true</primary></item></privateIpAddressesSet>\
<ipv6AddressesSet/><interfaceType>interface</interfaceType></item>"
        );
    }
    let _ = write!(
        out,
        "</networkInterfaceSet>\
<iamInstanceProfile><arn>arn:aws:iam::{ACCOUNT}:instance-profile/{team}-{env}</arn><id>AIPA{pid}</id></iamInstanceProfile>\
<ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport>\
<cpuOptions><coreCount>{cores}</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>\
<capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>\
<hibernationOptions><configured>false</configured></hibernationOptions>\
<metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit>\
<httpEndpoint>enabled</httpEndpoint><httpProtocolIpv6>disabled</httpProtocolIpv6><instanceMetadataTags>disabled</instanceMetadataTags></metadataOptions>\
<enclaveOptions><enabled>false</enabled></enclaveOptions><bootMode>uefi-preferred</bootMode>\
<platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation>\
<usageOperationUpdateTime>{launch}</usageOperationUpdateTime>\
<privateDnsNameOptions><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord><enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions>\
<maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions>\
<currentInstanceBootMode>legacy-bios</currentInstanceBootMode></item>",
        pid = rng.hex(17).to_uppercase(),
        cores = 1 + rng.below(8),
    );
}

/// One body per page of `DescribeInstances`; page `p` links to `p+1` by
/// `NextToken` "p{p+1}". Instances are grouped 2 per reservation.
pub fn ec2_pages(total: usize, page_size: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(2);
    let pages = total.div_ceil(page_size).max(1);
    let mut out = Vec::with_capacity(pages);
    for p in 0..pages {
        let mut s = String::with_capacity(page_size * 7000);
        let _ = write!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
<requestId>{}-{}-{}-{}-{}</requestId><reservationSet>",
            rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12)
        );
        let lo = p * page_size;
        let hi = ((p + 1) * page_size).min(total);
        let mut i = lo;
        while i < hi {
            let _ = write!(
                s,
                "<item><reservationId>r-{}</reservationId><ownerId>{ACCOUNT}</ownerId><groupSet/><instancesSet>",
                rng.hex(17)
            );
            for j in i..(i + 2).min(hi) {
                ec2_instance(&mut s, j, &mut rng);
            }
            s.push_str("</instancesSet></item>");
            i += 2;
        }
        s.push_str("</reservationSet>");
        if p + 1 < pages {
            let _ = write!(s, "<nextToken>p{}</nextToken>", p + 1);
        }
        s.push_str("</DescribeInstancesResponse>");
        out.push(s.into_bytes());
    }
    out
}

pub fn service_arn(i: usize) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{CLUSTER}/svc-{i:05}")
}

/// `ListServices` pages of 100 ARNs each.
pub fn ecs_list_pages(total: usize, page_size: usize) -> Vec<Vec<u8>> {
    let pages = total.div_ceil(page_size).max(1);
    (0..pages)
        .map(|p| {
            let mut s = String::from("{\"serviceArns\":[");
            for i in p * page_size..((p + 1) * page_size).min(total) {
                if i > p * page_size {
                    s.push(',');
                }
                let _ = write!(s, "\"{}\"", service_arn(i));
            }
            s.push(']');
            if p + 1 < pages {
                let _ = write!(s, ",\"nextToken\":\"p{}\"", p + 1);
            }
            s.push('}');
            s.into_bytes()
        })
        .collect()
}

fn epoch(rng: &mut Rng) -> String {
    format!("{}.{:03}", 1_735_689_600 + rng.below(31_536_000), rng.below(1000))
}

/// One JSON object per service, as it appears in `DescribeServices.services`.
pub fn ecs_services(total: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(3);
    (0..total)
        .map(|i| {
            let team = rng.pick(TEAMS);
            let env = rng.pick(ENVS);
            let name = format!("svc-{i:05}");
            let family = format!("{team}-{name}");
            let rev = 1 + rng.below(400);
            let td = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{family}:{rev}");
            let desired = 1 + rng.below(12);
            let created = epoch(&mut rng);
            let subnets = format!(
                "[\"subnet-{}\",\"subnet-{}\",\"subnet-{}\"]",
                rng.hex(17), rng.hex(17), rng.hex(17)
            );
            let sgs = format!("[\"sg-{}\"]", rng.hex(17));
            let netconf = format!(
                "{{\"awsvpcConfiguration\":{{\"subnets\":{subnets},\"securityGroups\":{sgs},\"assignPublicIp\":\"DISABLED\"}}}}"
            );
            let mut s = String::with_capacity(8192);
            let _ = write!(
                s,
                "{{\"serviceArn\":\"{arn}\",\"serviceName\":\"{name}\",\"clusterArn\":\"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}\",\
\"loadBalancers\":[",
                arn = service_arn(i)
            );
            let nlb = 1 + rng.below(2);
            for l in 0..nlb {
                if l > 0 {
                    s.push(',');
                }
                let _ = write!(
                    s,
                    "{{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}-{l}/{}\",\"containerName\":\"{name}\",\"containerPort\":{}}}",
                    rng.hex(16),
                    8000 + l
                );
            }
            let _ = write!(
                s,
                "],\"serviceRegistries\":[],\"status\":\"ACTIVE\",\"desiredCount\":{desired},\"runningCount\":{desired},\"pendingCount\":0,\
\"launchType\":\"FARGATE\",\"platformVersion\":\"LATEST\",\"platformFamily\":\"Linux\",\"taskDefinition\":\"{td}\",\
\"deploymentConfiguration\":{{\"deploymentCircuitBreaker\":{{\"enable\":true,\"rollback\":true}},\"maximumPercent\":200,\"minimumHealthyPercent\":100}},\
\"deployments\":["
            );
            let ndep = 1 + rng.below(2);
            for d in 0..ndep {
                if d > 0 {
                    s.push(',');
                }
                let (status, rollout) = if d == 0 { ("PRIMARY", "COMPLETED") } else { ("ACTIVE", "IN_PROGRESS") };
                let _ = write!(
                    s,
                    "{{\"id\":\"ecs-svc/{}\",\"status\":\"{status}\",\"taskDefinition\":\"{td}\",\"desiredCount\":{desired},\"pendingCount\":0,\
\"runningCount\":{desired},\"failedTasks\":{},\"createdAt\":{},\"updatedAt\":{},\"launchType\":\"FARGATE\",\"platformVersion\":\"1.4.0\",\
\"platformFamily\":\"Linux\",\"networkConfiguration\":{netconf},\"rolloutState\":\"{rollout}\",\"rolloutStateReason\":\"ECS deployment ecs-svc/{} completed.\"}}",
                    rng.below(10_000_000_000_000_000),
                    rng.below(3),
                    epoch(&mut rng),
                    epoch(&mut rng),
                    rng.below(10_000_000_000_000_000),
                );
            }
            let _ = write!(
                s,
                "],\"roleArn\":\"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS\",\"events\":["
            );
            for e in 0..20 {
                if e > 0 {
                    s.push(',');
                }
                let msg = match e % 4 {
                    0 => format!("(service {name}) has reached a steady state."),
                    1 => format!("(service {name}) has started 1 tasks: (task {}).", rng.hex(32)),
                    2 => format!("(service {name}) registered 1 targets in (target-group arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}-0/{})", rng.hex(16)),
                    _ => format!("(service {name}) (deployment ecs-svc/{}) deployment completed.", rng.below(10_000_000_000_000_000)),
                };
                let _ = write!(
                    s,
                    "{{\"id\":\"{}-{}-{}-{}-{}\",\"createdAt\":{},\"message\":\"{msg}\"}}",
                    rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12),
                    epoch(&mut rng)
                );
            }
            let _ = write!(
                s,
                "],\"createdAt\":{created},\"placementConstraints\":[],\"placementStrategy\":[],\"networkConfiguration\":{netconf},\
\"healthCheckGracePeriodSeconds\":60,\"schedulingStrategy\":\"REPLICA\",\"deploymentController\":{{\"type\":\"ECS\"}},\
\"tags\":[{{\"key\":\"team\",\"value\":\"{team}\"}},{{\"key\":\"environment\",\"value\":\"{env}\"}},\
{{\"key\":\"service\",\"value\":\"{name}\"}},{{\"key\":\"cost-center\",\"value\":\"cc-{}\"}},{{\"key\":\"managed-by\",\"value\":\"terraform\"}}],\
\"createdBy\":\"arn:aws:iam::{ACCOUNT}:role/deployer\",\"enableECSManagedTags\":true,\"propagateTags\":\"SERVICE\",\
\"enableExecuteCommand\":false,\"availabilityZoneRebalancing\":\"ENABLED\"}}",
                1000 + rng.below(50)
            );
            s.into_bytes()
        })
        .collect()
}

/// One body per page of `DescribeAutoScalingGroups` (awsQuery XML).
pub fn asg_pages(total: usize, page_size: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(4);
    let pages = total.div_ceil(page_size).max(1);
    let mut out = Vec::with_capacity(pages);
    for p in 0..pages {
        let mut s = String::with_capacity(page_size * 6000);
        s.push_str(
            "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
<DescribeAutoScalingGroupsResult><AutoScalingGroups>",
        );
        for g in p * page_size..((p + 1) * page_size).min(total) {
            let team = rng.pick(TEAMS);
            let env = rng.pick(ENVS);
            let name = format!("{team}-{env}-asg-{g:04}");
            let lt = format!("lt-{}", rng.hex(17));
            let desired = 1 + rng.below(6);
            let _ = write!(
                s,
                "<member><AutoScalingGroupName>{name}</AutoScalingGroupName>\
<AutoScalingGroupARN>arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:{uuid}:autoScalingGroupName/{name}</AutoScalingGroupARN>\
<LaunchTemplate><LaunchTemplateId>{lt}</LaunchTemplateId><LaunchTemplateName>{name}-lt</LaunchTemplateName><Version>$Latest</Version></LaunchTemplate>\
<MinSize>1</MinSize><MaxSize>{max}</MaxSize><DesiredCapacity>{desired}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>\
<AvailabilityZones><member>us-east-1a</member><member>us-east-1b</member><member>us-east-1c</member></AvailabilityZones>\
<LoadBalancerNames/><TargetGroupARNs><member>arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{tg}</member></TargetGroupARNs>\
<HealthCheckType>ELB</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod><Instances>",
                uuid = format!("{}-{}-{}-{}-{}", rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12)),
                max = desired * 2,
                tg = rng.hex(16),
            );
            for _ in 0..desired {
                let _ = write!(
                    s,
                    "<member><InstanceId>i-{}</InstanceId><InstanceType>{}</InstanceType><AvailabilityZone>{}</AvailabilityZone>\
<LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus>\
<LaunchTemplate><LaunchTemplateId>{lt}</LaunchTemplateId><LaunchTemplateName>{name}-lt</LaunchTemplateName><Version>{}</Version></LaunchTemplate>\
<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>",
                    rng.hex(17),
                    rng.pick(TYPES),
                    rng.pick(AZS),
                    1 + rng.below(30)
                );
            }
            let _ = write!(
                s,
                "</Instances><CreatedTime>{created}</CreatedTime><SuspendedProcesses/>\
<VPCZoneIdentifier>subnet-{s1},subnet-{s2},subnet-{s3}</VPCZoneIdentifier><EnabledMetrics/><Tags>",
                created = iso(&mut rng),
                s1 = rng.hex(17),
                s2 = rng.hex(17),
                s3 = rng.hex(17),
            );
            for (k, v) in [
                ("Name", name.clone()),
                ("team", team.to_string()),
                ("environment", env.to_string()),
                ("managed-by", "terraform".to_string()),
            ] {
                let _ = write!(
                    s,
                    "<member><ResourceId>{name}</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>{k}</Key>\
<Value>{v}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>"
                );
            }
            let _ = write!(
                s,
                "</Tags><TerminationPolicies><member>Default</member></TerminationPolicies>\
<NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>\
<ServiceLinkedRoleARN>arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling</ServiceLinkedRoleARN>\
<CapacityRebalance>false</CapacityRebalance>\
<TrafficSources><member><Identifier>arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{name}/{tg}</Identifier><Type>elbv2</Type></member></TrafficSources>\
</member>",
                tg = rng.hex(16)
            );
        }
        s.push_str("</AutoScalingGroups>");
        if p + 1 < pages {
            let _ = write!(s, "<NextToken>p{}</NextToken>", p + 1);
        }
        let _ = write!(
            s,
            "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>{}-{}-{}-{}-{}</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>",
            rng.hex(8), rng.hex(4), rng.hex(4), rng.hex(4), rng.hex(12)
        );
        out.push(s.into_bytes());
    }
    out
}
