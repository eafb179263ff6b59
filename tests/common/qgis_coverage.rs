//! QGIS Processing's straight-line coverage of a workspace (tests/scripts/qgis_coverage.py),
//! shared by tests/coverage.rs and benches/coverage.rs. `None` (with the reason) when
//! python3-qgis is not installed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Shares by community uuid, and QGIS's processing time in seconds.
pub struct QgisCoverage {
    pub shares: BTreeMap<String, f64>,
    pub seconds: f64,
}

/// Runs QGIS on `ws`: `areas` against buffers of `points`, `distance_m`.
pub fn qgis_coverage(
    ws: &Path,
    areas: &str,
    points: &str,
    distance_m: f64,
) -> Result<QgisCoverage, String> {
    let probe = Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return Err("QGIS's Python (Debian python3-qgis) is not installed".into());
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scripts/qgis_coverage.py"
    );
    let runtime = std::env::temp_dir().join(format!("linli-qgis-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&runtime);
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(ws)
        .args([areas, points, &distance_m.to_string()])
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "QGIS failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut shares = BTreeMap::new();
    let mut seconds = f64::NAN;
    for line in text.lines() {
        if let Some((k, v)) = line.split_once('\t') {
            let v: f64 = v.trim().parse().map_err(|_| format!("bad line {line:?}"))?;
            if k == "seconds" {
                seconds = v;
            } else {
                shares.insert(k.to_string(), v);
            }
        }
    }
    Ok(QgisCoverage { shares, seconds })
}
