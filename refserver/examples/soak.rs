//! Soak test of the reference server (not run in CI): a child process serves on loopback while
//! this process sends N mixed requests (EC orders and payments, PayU `_payment`, health, an
//! unknown path, a refused order), then holds M idle connections with partial headers and times
//! a second client. It prints the status classes, the child's peak RSS (`VmHWM` of
//! `/proc/PID/status`) and the second client's latency percentiles, and exits 1 when a 5xx or a
//! transport error was seen, the peak RSS exceeds the budget, or p99 exceeds 100 ms.
//!
//! ```text
//! cargo run --release -p upi-reference-server --example soak -- [REQUESTS] [IDLE] [CONCURRENCY]
//! ```
//! Defaults: 1,000,000 requests, 5,000 idle connections, 32 concurrent clients. With
//! `SOAK_SERVER=target/release/upi-conformance` the child is that binary's `serve` (what users
//! run, with its allocator) instead of this example's own. Every loop is bounded; the child is
//! killed at the end.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use upi_reference_server::{ServerConfig, serve};
use upi_spec::crypto::payu_hash::{self, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;

/// The largest peak RSS of the server accepted, in kB.
const RSS_BUDGET_KB: u64 = 256 * 1024;
/// The largest p99 of the second client accepted while the idle connections are held.
const P99_BUDGET: Duration = Duration::from_millis(100);
/// Requests the second client sends while the idle connections are held.
const PROBES: usize = 2_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(6_000));
    }
    let number = |i: usize, default: u64| args.get(i).and_then(|n| n.parse().ok()).unwrap_or(default);
    let (requests, idle, concurrency) = (number(1, 1_000_000), number(2, 5_000), number(3, 32));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(parent(requests, idle as usize, concurrency as usize))
}

/// The server: a connection cap above the idle connections, and a header timeout longer than
/// the idle phase.
fn child(max_connections: usize) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        println!("{}", listener.local_addr().expect("addr"));
        let mut config = ServerConfig::test_defaults();
        config.limits.max_connections = max_connections;
        config.limits.header_read_timeout = Duration::from_secs(120);
        let _ = serve(listener, config).await;
    });
    ExitCode::SUCCESS
}

/// Kills the child when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

async fn parent(requests: u64, idle: usize, concurrency: usize) -> ExitCode {
    let cap = (idle + 1_000).to_string();
    let mut command = match std::env::var_os("SOAK_SERVER") {
        Some(binary) => {
            let mut c = Command::new(binary);
            c.args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--max-connections",
                &cap,
                "--header-timeout-ms",
                "120000",
            ]);
            c
        }
        None => {
            let mut c = Command::new(std::env::current_exe().expect("own path"));
            c.args(["--child", &cap]);
            c
        }
    };
    let mut child = command.stdout(Stdio::piped()).spawn().expect("start the server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the server's address");
    let line = line.trim().rsplit("http://").next().unwrap_or_default().to_owned();
    let pid = child.id();
    let server = Server(child);
    let addr: std::net::SocketAddr = line.trim().parse().expect("an address");
    let base = format!("http://{addr}");
    println!("server pid {pid} on {base}; {requests} requests, {concurrency} clients");

    let counts: Arc<[AtomicU64; 6]> = Arc::new(Default::default());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency as u64 {
        let (base, counts) = (base.clone(), counts.clone());
        let share = requests / concurrency as u64 + u64::from(worker < requests % concurrency as u64);
        tasks.push(tokio::spawn(async move { mixed(&base, worker, share, &counts).await }));
    }
    let mut peak_during = 0;
    while !tasks.iter().all(|t| t.is_finished()) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        peak_during = peak_during.max(status_kb(pid, "VmRSS:"));
    }
    for task in tasks {
        task.await.expect("a client task");
    }
    let elapsed = started.elapsed();
    let c: Vec<u64> = counts.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    let peak = status_kb(pid, "VmHWM:");
    println!(
        "{} requests in {:.1} s ({:.0}/s): 2xx {} 3xx {} 4xx {} 5xx {} other {} transport errors {}",
        c.iter().sum::<u64>(),
        elapsed.as_secs_f64(),
        c.iter().sum::<u64>() as f64 / elapsed.as_secs_f64(),
        c[0],
        c[1],
        c[2],
        c[3],
        c[4],
        c[5]
    );
    println!(
        "server RSS now {} kB, peak (VmHWM) {peak} kB, budget {RSS_BUDGET_KB} kB",
        status_kb(pid, "VmRSS:")
    );

    // Idle connections with partial headers, then a second client.
    let mut held = Vec::with_capacity(idle);
    for _ in 0..idle {
        match TcpStream::connect(addr).await {
            Ok(mut stream) => {
                let _ = stream.write_all(b"POST /orders HTTP/1.1\r\nhost: x\r\ncontent-").await;
                held.push(stream);
            }
            Err(e) => {
                println!("could only open {} idle connections: {e}", held.len());
                break;
            }
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let client = reqwest::Client::new();
    let mut latencies = Vec::with_capacity(PROBES);
    let mut probe_failures = 0;
    for i in 0..PROBES {
        let t = Instant::now();
        let response = if i % 2 == 0 {
            client.get(format!("{base}/sandbox/health")).send().await
        } else {
            order(&client, &base, &format!("probe{i}")).await
        };
        let ok = match response {
            Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
            Err(_) => false,
        };
        latencies.push(t.elapsed());
        probe_failures += u64::from(!ok);
    }
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} idle connections held; second client: {PROBES} requests, {probe_failures} failed, p50 {:?} p99 {:?} max {:?}",
        held.len(),
        pct(0.50),
        pct(0.99),
        latencies.last().copied().unwrap_or_default()
    );
    let peak = status_kb(pid, "VmHWM:");
    println!("server peak RSS (VmHWM) after the idle phase: {peak} kB");
    drop(held);
    drop(server);
    let pass = c[3] == 0 && c[5] == 0 && peak <= RSS_BUDGET_KB && pct(0.99) <= P99_BUDGET && probe_failures == 0;
    println!("{}", if pass { "PASS" } else { "FAIL" });
    if pass { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

async fn order(client: &reqwest::Client, base: &str, id: &str) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("{base}/orders"))
        .basic_auth("test_api_key", Some(""))
        .form(&[("order_id", id), ("amount", "1.00"), ("currency", "INR")])
        .send()
        .await
}

fn payment_form(txnid: &str) -> BTreeMap<String, String> {
    let mut form: BTreeMap<String, String> = [
        ("key", "JPM7Fg"),
        ("txnid", txnid),
        ("amount", "100"),
        ("firstname", "Ashish"),
        ("email", "ashish@example.com"),
        ("phone", "9988776655"),
        ("productinfo", "Product Info"),
        ("surl", "https://test.payu.in/admin/test_response"),
        ("furl", "https://test.payu.in/admin/test_response"),
        ("pg", "UPI"),
        ("bankcode", "INTENT"),
        ("txn_s2s_flow", "4"),
        ("s2s_client_ip", "10.200.12.12"),
        ("s2s_device_info", "Mozilla/5.0 PayU-API-Test/1.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let hash = payu_hash::compute(HashFamily::Request, &form, &Salt::new("upiConformanceTestSalt")).expect("hash");
    form.insert("hash".into(), hash);
    form
}

/// `share` requests of a fixed mix; every ID is unique, so state grows unless it is bounded.
async fn mixed(base: &str, worker: u64, share: u64, counts: &[AtomicU64; 6]) {
    let client = reqwest::Client::new();
    for i in 0..share {
        let id = format!("w{worker}n{i}");
        let response = match i % 10 {
            0..=2 => order(&client, base, &id).await,
            3 | 4 => {
                // Pay the order created two requests ago (sometimes already paid: a 400).
                let order_id = format!("w{worker}n{}", i.saturating_sub(3));
                client
                    .post(format!("{base}/txns"))
                    .header("x-routing-id", "customer_1122")
                    .form(&[
                        ("order_id", order_id.as_str()),
                        ("merchant_id", "upi_conformance_test"),
                        ("payment_method_type", "UPI"),
                        ("payment_method", "UPI"),
                        ("txn_type", "UPI_PAY"),
                        ("redirect_after_payment", "true"),
                        ("format", "json"),
                        ("sdk_params", "true"),
                    ])
                    .send()
                    .await
            }
            5 => {
                client
                    .post(format!("{base}/_payment"))
                    .form(&payment_form(&id))
                    .send()
                    .await
            }
            6 | 7 => client.get(format!("{base}/sandbox/health")).send().await,
            8 => client.get(format!("{base}/no/such/path")).send().await,
            _ => {
                client
                    .post(format!("{base}/orders"))
                    .basic_auth("test_api_key", Some(""))
                    .form(&[("order_id", id.as_str()), ("amount", "-1"), ("currency", "INR")])
                    .send()
                    .await
            }
        };
        let slot = match response {
            Ok(r) => {
                let status = r.status().as_u16();
                // Read the body so the connection goes back to the pool.
                if r.bytes().await.is_err() {
                    5
                } else {
                    match status {
                        200..=299 => 0,
                        300..=399 => 1,
                        400..=499 => 2,
                        500..=599 => 3,
                        _ => 4,
                    }
                }
            }
            Err(_) => 5,
        };
        counts[slot].fetch_add(1, Ordering::Relaxed);
    }
}
