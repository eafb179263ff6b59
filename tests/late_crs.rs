//! A GeoJSON FeatureCollection whose `crs` member follows its features is read as a stream
//! twice, never whole into memory (issue 19, point 10). This binary counts every allocation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use linli::io::geojson_in::{self, FeatureSink, ParsedFeature, ReadNote, SourceCrs};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(live, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Counts the features it is given and keeps only the first.
#[derive(Default)]
struct CountingSink {
    count: usize,
    first: Option<ParsedFeature>,
}

impl FeatureSink for CountingSink {
    fn feature(&mut self, feature: ParsedFeature) -> linli::Result<()> {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(feature);
        }
        Ok(())
    }
    fn restart(&mut self) -> linli::Result<()> {
        self.count = 0;
        self.first = None;
        Ok(())
    }
}

#[test]
fn a_late_crs_is_read_as_a_stream_not_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.geojson");
    // 30,000 points in CGCS2000 / GK CM 120E around the Pearl Tower, the `crs` last.
    let n = 30_000;
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"type":"Feature","properties":{{"n":{i}}},"geometry":{{"type":"Point","coordinates":[{:.1},{:.1}]}}}}"#,
            642_875.8 + (i % 100) as f64,
            3_458_520.1 + (i / 100) as f64
        ));
    }
    text.push_str(r#"],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}}}"#);
    std::fs::write(&path, &text).unwrap();
    let size = text.len();
    drop(text);

    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let mut sink = CountingSink::default();
    let parsed = geojson_in::read_file_into(&path, None, &mut |_| {}, &mut sink).unwrap();
    let grew = PEAK.load(Ordering::SeqCst) - base;

    assert_eq!(sink.count, n);
    assert!(parsed.notes.iter().any(|note| matches!(
        note,
        ReadNote::Reprojected {
            from: SourceCrs::Epsg(4549),
            declared: true
        }
    )));
    // Read by the late CRS: the Pearl Tower, not 642,875 degrees east.
    let geo::Geometry::Point(p) = sink.first.unwrap().geometry else {
        panic!("a point expected")
    };
    assert!(
        (p.x() - 121.4997).abs() < 0.001 && (p.y() - 31.2397).abs() < 0.001,
        "{p:?}"
    );
    // Never the whole file (here ~3 MB) at once.
    assert!(
        grew < size / 3,
        "reading a {size}-byte file took {grew} bytes at the peak"
    );
}
