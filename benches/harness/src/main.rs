//! `bench`: the botocraft vs aws-sdk-rust benchmark driver.
//!
//! ```text
//! bench run   [--rounds N] [--bin-dir DIR] [--csv FILE] [--ec2 N] [--ecs N] [--asg N]
//! bench serve [--port P] [--ec2 N] [--ecs N] [--asg N]
//! ```
//!
//! `run` renders the canned responses, starts the server on a free loopback
//! port in this process, then runs every workload with both client binaries
//! (`bench-botocraft`, `bench-sdk`, next to this binary unless `--bin-dir`),
//! alternating which goes first, for one warm-up round plus N measured
//! rounds. Each run is its own child process; wall time is measured around
//! spawn..wait4, CPU time comes from the child's rusage (wait4), peak RSS from
//! the child's own `VmHWM` (printed at exit: `ru_maxrss` would include the
//! driver's pages from before exec),
//! and the server's CPU is this process's rusage delta over the run (the
//! driver thread itself sleeps in wait4 meanwhile).

mod data;
mod server;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

const CLIENTS: [&str; 2] = ["botocraft", "sdk"];
const WORKLOADS: [&str; 5] = ["noop", "ec2", "ec2-stream", "ecs", "asg"];

struct Opts {
    rounds: usize,
    bin_dir: PathBuf,
    /// `PYTHON SCRIPT`: also run the Python botocraft client.
    python: Option<(PathBuf, PathBuf)>,
    csv: Option<PathBuf>,
    port: u16,
    sizes: server::Sizes,
}

fn parse_args() -> (String, Opts) {
    let mut args = std::env::args().skip(1);
    let mut cmd = "run".to_string();
    let mut o = Opts {
        rounds: 5,
        bin_dir: std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(PathBuf::from))
            .unwrap_or_default(),
        csv: None,
        python: None,
        port: 0,
        sizes: server::Sizes { ec2_instances: 5000, ecs_services: 2000, asg_groups: 500 },
    };
    while let Some(a) = args.next() {
        let mut val = || args.next().unwrap_or_else(|| die(&format!("{a} needs a value")));
        match a.as_str() {
            "run" | "serve" => cmd = a.clone(),
            "--rounds" => o.rounds = val().parse().unwrap_or_else(|_| die("--rounds N")),
            "--bin-dir" => o.bin_dir = PathBuf::from(val()),
            "--csv" => o.csv = Some(PathBuf::from(val())),
            "--python" => {
                let interpreter = PathBuf::from(val());
                let script = PathBuf::from(val());
                o.python = Some((interpreter, script));
            }
            "--port" => o.port = val().parse().unwrap_or_else(|_| die("--port P")),
            "--ec2" => o.sizes.ec2_instances = val().parse().unwrap_or_else(|_| die("--ec2 N")),
            "--ecs" => o.sizes.ecs_services = val().parse().unwrap_or_else(|_| die("--ecs N")),
            "--asg" => o.sizes.asg_groups = val().parse().unwrap_or_else(|_| die("--asg N")),
            "-h" | "--help" => {
                println!("usage: bench [run|serve] [--rounds N] [--bin-dir DIR] [--csv FILE] [--python INTERPRETER SCRIPT] [--port P] [--ec2 N] [--ecs N] [--asg N]");
                std::process::exit(0);
            }
            _ => die(&format!("unknown argument {a:?} (try --help)")),
        }
    }
    (cmd, o)
}

fn die(msg: &str) -> ! {
    eprintln!("bench: {msg}");
    std::process::exit(2)
}

fn self_cpu_us() -> u64 {
    // SAFETY-free alternative is not available in std; getrusage only writes
    // into the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    tv_us(ru.ru_utime) + tv_us(ru.ru_stime)
}

fn tv_us(t: libc::timeval) -> u64 {
    t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64
}

#[derive(Clone)]
struct Sample {
    round: usize,
    workload: &'static str,
    client: &'static str,
    wall_us: u64,
    user_us: u64,
    sys_us: u64,
    maxrss_kb: u64,
    server_us: u64,
    items: u64,
    tags: u64,
}

fn run_one(o: &Opts, home: &PathBuf, endpoint: &str, round: usize, workload: &'static str, client: &'static str) -> Sample {
    let bin = o.bin_dir.join(format!("bench-{client}"));
    let mut cmd = match (&o.python, client) {
        (Some((interpreter, script)), "python") => {
            let mut c = Command::new(interpreter);
            c.arg(script);
            c
        }
        _ => Command::new(&bin),
    };
    cmd.arg(workload).arg(endpoint);
    // Same clean environment for both clients: no AWS_* settings, an empty
    // HOME (no shared config files), no instance-metadata lookups.
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", home).env("AWS_EC2_METADATA_DISABLED", "true");
    if client == "python" {
        // boto3 takes the endpoint and the attempt count from the environment.
        cmd.env("AWS_ENDPOINT_URL", endpoint).env("AWS_MAX_ATTEMPTS", "1");
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let server_before = self_cpu_us();
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap_or_else(|e| die(&format!("cannot start {}: {e}", bin.display())));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = start.elapsed();
    let server_us = self_cpu_us().saturating_sub(server_before);
    if r != pid {
        die(&format!("wait4 failed for {client} {workload}"));
    }
    let mut out = String::new();
    if let Some(mut so) = child.stdout.take() {
        let _ = so.read_to_string(&mut out);
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        die(&format!("{client} {workload} failed (status {status}); stdout: {out}"));
    }
    let field = |name: &str| -> u64 {
        out.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| die(&format!("{client} {workload}: no {name}= in output {out:?}")))
    };
    Sample {
        round,
        workload,
        client,
        wall_us: wall.as_micros() as u64,
        user_us: tv_us(ru.ru_utime),
        sys_us: tv_us(ru.ru_stime),
        // The child's own VmHWM: `ru_maxrss` would also count this driver's
        // pages (the canned responses) from between fork and exec.
        maxrss_kb: field("hwm_kb"),
        server_us,
        items: field("items"),
        tags: field("tags"),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| s.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem_gib:.0} GiB RAM, Linux {}", kernel.trim())
}

fn main() {
    let (cmd, o) = parse_args();
    let t = Instant::now();
    let canned = Arc::new(server::Canned::render(&o.sizes));
    let render_ms = t.elapsed().as_millis();
    let port = server::start(canned.clone(), o.port).unwrap_or_else(|e| die(&format!("cannot bind: {e}")));
    let endpoint = format!("http://127.0.0.1:{port}");
    eprintln!("bench: canned responses rendered in {render_ms} ms; serving on {endpoint}");
    for (w, bytes) in canned.body_bytes() {
        eprintln!("bench:   {w}: {:.1} MB of response bodies per listing", bytes as f64 / 1e6);
    }
    if cmd == "serve" {
        loop {
            std::thread::park();
        }
    }

    let home = std::env::temp_dir().join(format!("botocraft-bench-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap_or_else(|e| die(&format!("cannot create {}: {e}", home.display())));
    let expected = |w: &str| match w {
        "ec2" | "ec2-stream" => o.sizes.ec2_instances as u64,
        "ecs" => o.sizes.ecs_services as u64,
        "asg" => o.sizes.asg_groups as u64,
        _ => 0,
    };
    let mut samples: Vec<Sample> = Vec::new();
    let mut clients: Vec<&'static str> = CLIENTS.to_vec();
    if o.python.is_some() {
        clients.push("python");
    }
    for round in 0..=o.rounds {
        // Each round starts with a different client.
        let mut order = clients.clone();
        order.rotate_left(round % clients.len());
        for w in WORKLOADS {
            let mut pair = Vec::new();
            for &c in &order {
                // The Python botocraft has no streaming listing.
                if c == "python" && w == "ec2-stream" {
                    continue;
                }
                let s = run_one(&o, &home, &endpoint, round, w, c);
                if s.items != expected(w) {
                    die(&format!("{c} {w}: listed {} items, expected {}", s.items, expected(w)));
                }
                eprintln!(
                    "bench: round {round}{} {w:<4} {c:<9} wall {:>7.1} ms  cpu {:>7.1} ms  rss {:>6.1} MB  server {:>5.1} ms  items {} tags {}",
                    if round == 0 { " (warm-up)" } else { "" },
                    s.wall_us as f64 / 1e3,
                    (s.user_us + s.sys_us) as f64 / 1e3,
                    s.maxrss_kb as f64 / 1024.0,
                    s.server_us as f64 / 1e3,
                    s.items,
                    s.tags
                );
                pair.push(s);
            }
            if let Some(odd) = pair.iter().find(|s| s.tags != pair[0].tags) {
                die(&format!("{w}: the clients disagree on the number of tags ({} from {} vs {} from {})", pair[0].tags, pair[0].client, odd.tags, odd.client));
            }
            if round > 0 {
                samples.extend(pair);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&home);

    if let Some(path) = &o.csv {
        let mut csv = String::from("round,workload,client,wall_us,user_us,sys_us,maxrss_kb,server_us,items,tags\n");
        for s in &samples {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{}\n",
                s.round, s.workload, s.client, s.wall_us, s.user_us, s.sys_us, s.maxrss_kb, s.server_us, s.items, s.tags
            ));
        }
        std::fs::write(path, csv).unwrap_or_else(|e| die(&format!("cannot write {}: {e}", path.display())));
    }

    // Report.
    println!("machine: {}", machine());
    println!(
        "workload sizes: EC2 {} instances (pages of 1000), ECS {} services (ListServices pages of 100, DescribeServices by 10), Auto Scaling {} groups (pages of 100); {} measured rounds + 1 warm-up, medians",
        o.sizes.ec2_instances, o.sizes.ecs_services, o.sizes.asg_groups, o.rounds
    );
    println!();
    println!("| workload | client | wall ms | CPU ms (user+sys) | CPU µs / resource | peak RSS MB | server CPU ms (% of client CPU) |");
    println!("|---|---|---:|---:|---:|---:|---:|");
    let sel = |w: &'static str, c: &'static str| samples.iter().filter(move |s| s.workload == w && s.client == c);
    for w in WORKLOADS {
        for &c in &clients {
            if sel(w, c).next().is_none() {
                continue;
            }
            let wall = median(sel(w, c).map(|s| s.wall_us as f64 / 1e3).collect());
            let cpu = median(sel(w, c).map(|s| (s.user_us + s.sys_us) as f64 / 1e3).collect());
            let rss = median(sel(w, c).map(|s| s.maxrss_kb as f64 / 1024.0).collect());
            let srv = median(sel(w, c).map(|s| s.server_us as f64 / 1e3).collect());
            let per = if expected(w) > 0 { format!("{:.1}", cpu * 1e3 / expected(w) as f64) } else { "–".into() };
            let name = match c {
                "sdk" => "aws-sdk-rust",
                "python" => "Python botocraft",
                _ => "botocraft",
            };
            println!("| {w} | {name} | {wall:.1} | {cpu:.1} | {per} | {rss:.1} | {srv:.1} ({:.0}%) |", 100.0 * srv / cpu.max(1e-9));
        }
    }
    println!();
    println!("| workload | wall ratio | CPU ratio | CPU ratio, lowest–highest round | peak RSS ratio | CPU target ≤ 0.5× | RSS target ≤ 0.5× |");
    println!("|---|---:|---:|---:|---:|---|---|");
    for w in WORKLOADS {
        let ratios = |f: &dyn Fn(&Sample) -> f64| -> Vec<f64> {
            let b: Vec<&Sample> = sel(w, "botocraft").collect();
            let s: Vec<&Sample> = sel(w, "sdk").collect();
            b.iter().zip(&s).map(|(b, s)| f(b) / f(s)).collect()
        };
        let wall = median(ratios(&|s| s.wall_us as f64));
        let cpu_rounds = ratios(&|s| (s.user_us + s.sys_us) as f64);
        let lowest = cpu_rounds.iter().copied().fold(f64::INFINITY, f64::min);
        let highest = cpu_rounds.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let cpu = median(cpu_rounds);
        let rss = median(ratios(&|s| s.maxrss_kb as f64));
        let verdict = |r: f64| if r <= 0.5 { "met" } else { "missed" };
        let (tc, tr) = if w == "noop" { ("–", "–") } else { (verdict(cpu), verdict(rss)) };
        println!("| {w} | {wall:.2}× | {cpu:.2}× | {lowest:.2}–{highest:.2}× | {rss:.2}× | {tc} | {tr} |");
    }
    println!();
    println!("(ratios are botocraft / aws-sdk-rust, the median over rounds of each round's pair, and the lowest and highest round's CPU ratio, which show how noisy the machine was; noop = start the runtime, build the session/config, exit; ec2-stream = the EC2 listing consumed as a stream, one instance at a time, nothing kept)");
    if o.python.is_some() {
        println!();
        println!("| workload | Python botocraft CPU / botocraft CPU | Python botocraft CPU / aws-sdk-rust CPU | target ≥ 50× |");
        println!("|---|---:|---:|---|");
        for w in WORKLOADS {
            let p: Vec<&Sample> = sel(w, "python").collect();
            if p.is_empty() {
                continue;
            }
            let cpu = |s: &Sample| (s.user_us + s.sys_us) as f64;
            let over = |c: &'static str| {
                let other: Vec<&Sample> = sel(w, c).collect();
                median(p.iter().zip(&other).map(|(p, o)| cpu(p) / cpu(o)).collect())
            };
            let (b, s) = (over("botocraft"), over("sdk"));
            let verdict = if w == "noop" { "–" } else if b >= 50.0 { "met" } else { "missed" };
            println!("| {w} | {b:.0}× | {s:.0}× | {verdict} |");
        }
        println!();
        println!("(whole processes, as for the other clients: the Python figures include starting the interpreter and importing botocraft, which the noop row shows alone)");
    }
}
