//! Fuzzes every reader of untrusted bytes (see `linli::fuzzing`):
//!
//! ```text
//! cargo run --release --example fuzz -- --minutes N [--seed S] [--target NAME]
//! ```
//!
//! The process you start supervises a child that runs the mutation loop: a child that aborts
//! (an allocation over 1 GiB is refused, which aborts) or stops on a hang is restarted with
//! the next seed until the minutes are up. In the child, every execution runs under
//! `catch_unwind`; a watchdog thread flags one that runs over 10 s; a counting global
//! allocator refuses any single allocation over 1 GiB and tracks the peak. Findings are saved
//! in `fuzz-findings/` (one folder per input, as `linli::fuzzing::Input::save` writes it) and
//! printed. Totals per target are printed at the end.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use linli::fuzzing::{Campaign, Finding, Input, Target, TargetTotals};

/// One allocation larger than this is a finding.
const BIG_ALLOCATION: usize = 1 << 30;
/// One execution longer than this is a finding.
const HANG: Duration = Duration::from_secs(10);

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static BIG: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting live bytes and refusing huge single allocations.
struct Counting;

fn on_big(size: usize) {
    BIG.fetch_add(1, Ordering::SeqCst);
    // Allocating here is allowed: the allocator is re-entrant (no locks of its own).
    if let Some(state) = STATE.get()
        && let Ok(mut s) = state.try_lock()
    {
        s.big += 1;
        let what = format!(
            "allocation of {size} bytes\n{}",
            std::backtrace::Backtrace::force_capture()
        );
        s.save("big-allocation", &what);
        s.write_stats();
    }
    eprintln!("FINDING: an allocation of {size} bytes (over 1 GiB) was refused");
    if STATE.get().is_none() {
        eprintln!("{}", std::backtrace::Backtrace::force_capture());
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > BIG_ALLOCATION {
            on_big(layout.size());
            return std::ptr::null_mut();
        }
        // SAFETY: as GlobalAlloc::alloc, forwarded.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as GlobalAlloc::dealloc, forwarded.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > BIG_ALLOCATION {
            on_big(new_size);
            return std::ptr::null_mut();
        }
        // SAFETY: as GlobalAlloc::realloc, forwarded.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grown = new_size - layout.size();
                let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What the child knows, shared with the watchdog and the allocator.
struct State {
    findings: PathBuf,
    stats: PathBuf,
    seed: u64,
    current: Option<(Target, Input, Instant)>,
    totals: BTreeMap<Target, TargetTotals>,
    hangs: u64,
    big: u64,
    saved: u64,
    /// The current execution was already saved as a hang.
    flagged: bool,
}

static STATE: std::sync::OnceLock<Arc<Mutex<State>>> = std::sync::OnceLock::new();

impl State {
    /// Saves the current input as a finding.
    fn save(&mut self, kind: &str, what: &str) {
        let Some((target, input, _)) = self.current.clone() else {
            return;
        };
        self.saved += 1;
        let dir = self.findings.join(format!(
            "{}-{kind}-seed{}-{}",
            target.key(),
            self.seed,
            self.saved
        ));
        let _ = input.save(&dir);
        let _ = std::fs::write(dir.join("finding.txt"), format!("{what}\n"));
        eprintln!(
            "FINDING [{}] {what}: {} -> {}",
            target.key(),
            input.describe(),
            dir.display()
        );
    }

    /// Writes the totals so far for the supervisor.
    fn write_stats(&self) {
        let mut text = String::new();
        for (t, x) in &self.totals {
            text.push_str(&format!(
                "{} {} {} {} {} {} {}\n",
                t.key(),
                x.execs,
                x.accepted,
                x.refused,
                x.panics,
                x.slow,
                x.slowest_ms
            ));
        }
        text.push_str(&format!(
            "! {} {} {}\n",
            self.hangs,
            self.big,
            PEAK.load(Ordering::Relaxed)
        ));
        let _ = std::fs::write(&self.stats, text);
    }
}

struct Args {
    minutes: f64,
    seed: u64,
    targets: Vec<Target>,
    child: Option<PathBuf>,
    until_unix: Option<f64>,
    replay: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        minutes: 1.0,
        seed: 1,
        targets: Target::ALL.to_vec(),
        child: None,
        until_unix: None,
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--minutes" => args.minutes = value()?.parse().map_err(|e| format!("{e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{e}"))?,
            "--target" => {
                let v = value()?;
                args.targets = v
                    .split(',')
                    .map(|k| Target::from_key(k).ok_or(format!("unknown target {k}")))
                    .collect::<Result<_, _>>()?;
            }
            "--replay" => args.replay = Some(PathBuf::from(value()?)),
            "--child-stats" => args.child = Some(PathBuf::from(value()?)),
            "--until-unix" => args.until_unix = Some(value()?.parse().map_err(|e| format!("{e}"))?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "{e}\nusage: fuzz --minutes N [--seed S] [--target geojson,shapefile,gpkg,geometry,mbtiles,workspace]"
            );
            std::process::exit(2);
        }
    };
    if let Some(dir) = &args.replay {
        replay(dir);
        return;
    }
    match &args.child {
        Some(stats) => child(&args, stats),
        None => supervise(&args),
    }
}

/// Runs one saved finding again (its target is the folder name's first word), printing the
/// outcome: for reproducing and minimising.
fn replay(dir: &Path) {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let Some(target) = name.split('-').next().and_then(Target::from_key) else {
        eprintln!(
            "{}: the folder name does not start with a target",
            dir.display()
        );
        std::process::exit(2);
    };
    let input = match Input::load(dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let input = Input {
        files: input
            .files
            .into_iter()
            .filter(|(n, _)| n != "finding.txt")
            .collect(),
        ..input
    };
    let scratch = std::env::temp_dir().join(format!("linli-fuzz-replay-{}", std::process::id()));
    let started = Instant::now();
    let outcome = linli::fuzzing::execute(target, &input, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "{target:?} {}: {outcome:?} in {:?}, peak heap {:.1} MiB",
        input.describe(),
        started.elapsed(),
        PEAK.load(Ordering::Relaxed) as f64 / 1048576.0
    );
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs children until the minutes are up, restarting one that stopped early.
fn supervise(args: &Args) {
    let started = Instant::now();
    let until = unix_now() + args.minutes * 60.0;
    let stats_dir = std::env::temp_dir().join(format!("linli-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&stats_dir);
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("fuzz"));
    let targets: Vec<&str> = args.targets.iter().map(|t| t.key()).collect();
    let mut seed = args.seed;
    let mut totals: BTreeMap<String, [u64; 6]> = BTreeMap::new();
    let (mut hangs, mut big, mut peak, mut restarts) = (0u64, 0u64, 0u64, 0u64);
    while unix_now() < until - 1.0 {
        let stats = stats_dir.join(format!("child-{seed}.txt"));
        let status = std::process::Command::new(&exe)
            .args(["--child-stats"])
            .arg(&stats)
            .args(["--until-unix", &until.to_string()])
            .args(["--seed", &seed.to_string()])
            .args(["--target", &targets.join(",")])
            .status();
        let ok = status.as_ref().is_ok_and(|s| s.success());
        if let Ok(text) = std::fs::read_to_string(&stats) {
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                let nums: Vec<u64> = parts
                    .iter()
                    .skip(1)
                    .filter_map(|p| p.parse().ok())
                    .collect();
                match (parts.first(), nums.as_slice()) {
                    (Some(&"!"), [h, b, p]) => {
                        hangs += h;
                        big += b;
                        peak = peak.max(*p);
                    }
                    (Some(name), [e, a, r, p, s, slowest]) => {
                        let t = totals.entry((*name).to_string()).or_default();
                        for (i, v) in [e, a, r, p, s].into_iter().enumerate() {
                            t[i] += v;
                        }
                        t[5] = t[5].max(*slowest);
                    }
                    _ => {}
                }
            }
        }
        if !ok {
            restarts += 1;
            eprintln!("the fuzzing child stopped ({status:?}); restarting with the next seed");
        }
        seed += 1;
        if status.is_err() {
            break;
        }
    }
    let _ = std::fs::remove_dir_all(&stats_dir);
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    println!(
        "\nfuzzing totals after {minutes:.1} minutes (seeds {}..{seed}):",
        args.seed
    );
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>7} {:>6} {:>10}",
        "target", "execs", "accepted", "refused", "panics", "slow", "slowest ms"
    );
    let mut all = [0u64; 6];
    for (name, t) in &totals {
        println!(
            "{name:<10} {:>9} {:>9} {:>9} {:>7} {:>6} {:>10}",
            t[0], t[1], t[2], t[3], t[4], t[5]
        );
        for i in 0..5 {
            all[i] += t[i];
        }
    }
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>7} {:>6}",
        "all", all[0], all[1], all[2], all[3], all[4]
    );
    println!(
        "panics {}, hangs over {} s {hangs} (slow executions {}), allocations over 1 GiB {big}, peak live heap {:.1} MiB, child restarts {restarts}",
        all[3],
        HANG.as_secs(),
        all[4],
        peak as f64 / (1024.0 * 1024.0)
    );
    if all[3] + hangs + big + all[4] > 0 {
        println!("findings are in {}", findings_dir().display());
        std::process::exit(1);
    }
}

fn findings_dir() -> PathBuf {
    manifest().join("fuzz-findings")
}

/// The mutation loop, until `--until-unix`.
fn child(args: &Args, stats: &Path) {
    linli::fuzzing::install_panic_counter(false);
    let state = Arc::new(Mutex::new(State {
        findings: findings_dir(),
        stats: stats.to_path_buf(),
        seed: args.seed,
        current: None,
        totals: BTreeMap::new(),
        hangs: 0,
        big: 0,
        saved: 0,
        flagged: false,
    }));
    let _ = STATE.set(state.clone());
    let remaining = args
        .until_unix
        .map_or(args.minutes * 60.0, |u| u - unix_now());
    let until = Instant::now() + Duration::from_secs_f64(remaining.max(0.0));
    // The watchdog: an execution over the limit is saved as a hang; one that never ends
    // stops the child so the supervisor starts another.
    let watched = state.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let Ok(mut s) = watched.lock() else {
                return;
            };
            let over = s
                .current
                .as_ref()
                .map(|(_, _, at)| at.elapsed())
                .filter(|e| *e > HANG);
            if let Some(elapsed) = over {
                if !s.flagged {
                    s.flagged = true;
                    s.hangs += 1;
                    s.save(
                        "hang",
                        &format!("still running after {} s", elapsed.as_secs()),
                    );
                    s.write_stats();
                }
                if elapsed > 6 * HANG {
                    eprintln!("an execution never ended: stopping this child");
                    std::process::exit(3);
                }
            }
        }
    });
    let scratch = std::env::temp_dir().join(format!("linli-fuzz-work-{}", std::process::id()));
    let corpus = manifest().join("../shared/data/bad-input-corpus");
    let campaign = Campaign {
        seed: args.seed,
        targets: args.targets.clone(),
        execs_per_target: None,
        until: Some(until),
        slow: HANG,
        corpus: corpus.is_dir().then_some(corpus),
        work: scratch.clone(),
    };
    let mut last_stats = Instant::now();
    let before_state = state.clone();
    let mut before =
        move |target: Target, input: &Input, totals: &BTreeMap<Target, TargetTotals>| {
            if let Ok(mut s) = before_state.lock() {
                s.totals.clone_from(totals);
                s.flagged = false;
                s.current = Some((target, input.clone(), Instant::now()));
                if last_stats.elapsed() > Duration::from_secs(10) {
                    s.write_stats();
                    last_stats = Instant::now();
                }
            }
        };
    let found_state = state.clone();
    let mut found = move |f: &Finding| {
        if let Ok(mut s) = found_state.lock() {
            let kind = if f.what.starts_with("slow") {
                "slow"
            } else {
                "panic"
            };
            s.current = Some((f.target, f.input.clone(), Instant::now()));
            s.save(kind, &f.what);
        }
    };
    let outcome = linli::fuzzing::run(&campaign, &mut before, &mut found);
    let _ = std::fs::remove_dir_all(&scratch);
    match outcome {
        Ok(totals) => {
            if let Ok(mut s) = state.lock() {
                s.current = None;
                s.totals = totals;
                s.write_stats();
            }
        }
        Err(e) => {
            eprintln!("the fuzzer could not start: {e}");
            std::process::exit(2);
        }
    }
}
