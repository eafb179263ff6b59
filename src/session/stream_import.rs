//! A reference layer streamed from the file to its table: the sink a reader hands each
//! feature to during `Session::import_file` (see `import_reference`).

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde_json::Value;
use uuid::Uuid;

use crate::error::{Error, Problem, Result};
use crate::io::geojson_in::{FeatureSink, ParsedFeature, ParsedFile, Progress};
use crate::io::parsed::RowValues;
use crate::model::{Feature, Properties};
use crate::store;

/// A streamed import's sink: each feature named and given its id, then handed to the store's
/// [`store::LayerStream`], which makes the table and widens it as the features need.
pub(super) struct StreamSink<'c, 'r> {
    stream: store::LayerStream<'c>,
    name_field: Option<&'r str>,
    /// The ids taken from the file so far: a repeat gets a new one.
    file_ids: HashSet<Uuid>,
    new_ids: NewIds,
}

impl<'c, 'r> StreamSink<'c, 'r> {
    pub(super) fn new(stream: store::LayerStream<'c>, name_field: Option<&'r str>) -> Self {
        Self {
            stream,
            name_field,
            file_ids: HashSet::new(),
            new_ids: NewIds::new(),
        }
    }

    /// Completes the layer (`source` naming the file); the features written.
    pub(super) fn finish(self, source: &str) -> Result<u64> {
        self.stream.finish(source)
    }
}

impl StreamSink<'_, '_> {
    /// Hands the feature, named and given its id, to the store.
    fn push(&mut self, f: ParsedFeature, mut row: RowValues) -> Result<()> {
        let id = match f
            .id
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
        {
            Some(id) if self.file_ids.insert(id) => id,
            _ => self.new_ids.next(),
        };
        self.stream.push_encoded(
            Feature {
                id,
                name: match row.name.take() {
                    Some(name) => name,
                    None => feature_name(&f.properties, self.name_field),
                },
                geometry: f.geometry,
                properties: f.properties,
            },
            row,
        )
    }
}

impl FeatureSink for StreamSink<'_, '_> {
    fn feature(&mut self, f: ParsedFeature) -> Result<()> {
        let row = RowValues::of(&f.geometry, &f.properties)?;
        self.push(f, row)
    }

    fn encoded(&mut self, f: ParsedFeature, row: RowValues) -> Result<()> {
        self.push(f, row)
    }

    /// What the store has written, for the reading thread to free.
    fn spent(&mut self) -> Vec<(ParsedFeature, RowValues)> {
        self.stream
            .take_written()
            .into_iter()
            .map(|(f, row)| {
                let f = ParsedFeature {
                    index: 0,
                    id: None,
                    geometry: f.geometry,
                    properties: f.properties,
                };
                (f, row)
            })
            .collect()
    }

    /// A GeoJSON whose `crs` comes after its features is read again from the top: what was
    /// held or written so far goes.
    fn restart(&mut self) -> Result<()> {
        self.file_ids.clear();
        self.stream.restart()
    }
}

/// Ids for the features of one import that bring none: UUID version 7 (RFC 9562) of the
/// import's start, whose 74 random bits start at a random value and count up by one (the
/// RFC's "monotonic random" method, §6.2). Each id sorts after the last, so the uuid index
/// grows at its end instead of at a random page per feature (the cost of a big import), and
/// no id costs a system call for randomness (`Uuid::now_v7` makes one per id).
struct NewIds {
    millis: u128,
    next: u128,
}

impl NewIds {
    /// 74 bits: the random part of a version 7 UUID (12 bits of `rand_a`, 62 of `rand_b`).
    const RANDOM_BITS: u32 = 74;

    fn new() -> Self {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            & ((1 << 48) - 1);
        // Start in the lower half, so counting up never runs out within an import.
        let start = Uuid::new_v4().as_u128() & ((1 << (Self::RANDOM_BITS - 1)) - 1);
        Self {
            millis,
            next: start,
        }
    }

    fn next(&mut self) -> Uuid {
        let r = self.next;
        self.next += 1;
        let rand_a = (r >> 62) & 0xFFF;
        let rand_b = r & ((1 << 62) - 1);
        Uuid::from_u128(self.millis << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b)
    }
}

/// A feature's name: the `name_field` property, else the first of the usual name keys.
pub(super) fn feature_name(properties: &Properties, name_field: Option<&str>) -> String {
    let keys: &[&str] = match name_field {
        Some(field) => &[field][..],
        None => &["name", "名称", "NAME", "Name"][..],
    };
    keys.iter()
        .find_map(|k| match properties.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Features sent to the writing thread at a time (fewer wake-ups than one by one).
const BATCH: usize = 64;

/// Batches in flight between the threads at most: memory stays bounded whatever the file.
const BATCHES_IN_FLIGHT: usize = 16;

/// What the reading thread hands the writing one, in the reader's order: features with their
/// row values encoded, so the writing thread (the one that waits on SQLite) only binds them.
enum Piece {
    Features(Vec<(ParsedFeature, RowValues)>),
    Restart,
    Progress(Progress),
}

/// The reading thread's sink: kept features go to the writing thread in batches.
struct ChannelSink<'r> {
    to_writer: SyncSender<Piece>,
    /// The property that names a feature ([`feature_name`]).
    name_field: Option<&'r str>,
    batch: Vec<(ParsedFeature, RowValues)>,
    /// Features the writer is done with, freed here (see [`FeatureSink::spent`]).
    spent: Receiver<Vec<(ParsedFeature, RowValues)>>,
}

impl ChannelSink<'_> {
    /// Sends what is batched; an error when the writer has stopped (its own error is the
    /// one reported, so this one is never shown).
    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.send(Piece::Features(batch))
    }

    fn send(&self, piece: Piece) -> Result<()> {
        self.to_writer.send(piece).map_err(|_| writer_stopped())
    }
}

impl FeatureSink for ChannelSink<'_> {
    fn feature(&mut self, feature: ParsedFeature) -> Result<()> {
        while let Ok(done) = self.spent.try_recv() {
            drop(done);
        }
        let mut row = RowValues::of(&feature.geometry, &feature.properties)?;
        row.name = Some(feature_name(&feature.properties, self.name_field));
        self.batch.push((feature, row));
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn restart(&mut self) -> Result<()> {
        self.batch.clear();
        self.send(Piece::Restart)
    }
}

fn writer_stopped() -> Error {
    Error::request(Problem::CannotRead {
        reason: "the workspace stopped taking features".into(),
    })
}

/// Runs `read` (a reader of a file) on a second thread while this one writes what it reads to
/// `sink` (SQLite stays on the thread that owns the transaction): parsing and writing overlap,
/// and at most [`BATCHES_IN_FLIGHT`] batches wait between them. The reading thread also
/// encodes each feature's row values and names it by `name_field` ([`RowValues`]), so this
/// one, which the import waits on, only binds them. `progress` is called on this thread. A
/// refusal of either side is the result, the writer's first; a panic of the reading thread
/// becomes an error, never a crash.
pub(super) fn read_into_alongside(
    read: impl FnOnce(&mut dyn FnMut(Progress), &mut dyn FeatureSink) -> Result<ParsedFile> + Send,
    name_field: Option<&str>,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    let (to_writer, from_reader) = sync_channel::<Piece>(BATCHES_IN_FLIGHT);
    let (spent_to_reader, spent) =
        sync_channel::<Vec<(ParsedFeature, RowValues)>>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("linli-import-reader".into())
            .spawn_scoped(scope, move || {
                let progress_to_writer = to_writer.clone();
                let mut channel = ChannelSink {
                    to_writer,
                    name_field,
                    batch: Vec::with_capacity(BATCH),
                    spent,
                };
                let read = read(
                    &mut |p| {
                        // A stopped writer shows as the next feature's error.
                        let _ = progress_to_writer.send(Piece::Progress(p));
                    },
                    &mut channel,
                );
                read.and_then(|parsed| channel.flush().map(|()| parsed))
            })
            .map_err(|e| {
                Error::request(Problem::CannotRead {
                    reason: e.to_string(),
                })
            })?;
        let written = (|| -> Result<()> {
            for piece in &from_reader {
                match piece {
                    Piece::Features(batch) => {
                        for (f, row) in batch {
                            sink.encoded(f, row)?;
                        }
                        let done = sink.spent();
                        // When the reader has not caught up, this thread frees them.
                        if !done.is_empty() {
                            let _ = spent_to_reader.try_send(done);
                        }
                    }
                    Piece::Restart => sink.restart()?,
                    Piece::Progress(p) => progress(p),
                }
            }
            Ok(())
        })();
        // The reader sees the channel closed at its next send and stops.
        drop(from_reader);
        let read = reader.join().map_err(|_| {
            Error::request(Problem::CannotRead {
                reason: "the reading thread stopped unexpectedly".into(),
            })
        })?;
        written?;
        read
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(index: usize) -> ParsedFeature {
        ParsedFeature {
            index,
            id: None,
            geometry: geo::Geometry::Point(geo::Point::new(121.5, 31.2)),
            properties: Properties::new(),
        }
    }

    fn parsed() -> ParsedFile {
        ParsedFile {
            name: Some("甲".into()),
            features: Vec::new(),
            repairs: Default::default(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn new_ids_are_version_7_and_each_sorts_after_the_last() {
        let mut ids = NewIds::new();
        let first = ids.next();
        assert_eq!(first.get_version_num(), 7);
        assert_eq!(first.get_variant(), uuid::Variant::RFC4122);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        let (secs, nanos) = first.get_timestamp().unwrap().to_unix();
        let millis = secs * 1000 + u64::from(nanos) / 1_000_000;
        assert!(now.abs_diff(millis) < 10_000, "{millis} vs {now}");
        let mut last = first;
        for _ in 0..10_000 {
            let id = ids.next();
            assert!(id > last);
            assert_eq!(id.get_version_num(), 7);
            last = id;
        }
        // Across a carry from rand_b into rand_a, the order holds.
        ids.next = (1 << 62) - 2;
        let (a, b, c) = (ids.next(), ids.next(), ids.next());
        assert!(a < b && b < c);
        assert_eq!(c.get_version_num(), 7);
        assert_ne!(NewIds::new().next(), NewIds::new().next());
    }

    #[test]
    fn features_and_progress_arrive_in_order_on_the_calling_thread() {
        let mut got: Vec<ParsedFeature> = Vec::new();
        let mut reports = Vec::new();
        let read = |p: &mut dyn FnMut(Progress), s: &mut dyn FeatureSink| {
            for i in 0..1000 {
                s.feature(point(i))?;
            }
            s.restart()?;
            for i in 0..150 {
                s.feature(point(i))?;
            }
            p(Progress::Parsing {
                done: 150,
                total: 150,
            });
            Ok(parsed())
        };
        let file = read_into_alongside(read, None, &mut |p| reports.push(p), &mut got).unwrap();
        assert_eq!(file.name.as_deref(), Some("甲"));
        assert_eq!(got.len(), 150, "the restart forgot the first pass");
        assert!(got.iter().enumerate().all(|(i, f)| f.index == i));
        assert_eq!(
            reports,
            [Progress::Parsing {
                done: 150,
                total: 150
            }]
        );
    }

    #[test]
    fn a_refusal_or_a_panic_of_the_reader_is_an_error() {
        let mut got: Vec<ParsedFeature> = Vec::new();
        let refused = |_: &mut dyn FnMut(Progress), s: &mut dyn FeatureSink| {
            s.feature(point(0))?;
            Err(Error::request(Problem::NoFeatures))
        };
        let e = read_into_alongside(refused, None, &mut |_| {}, &mut got).unwrap_err();
        assert!(matches!(e, Error::Request(ref p) if matches!(**p, Problem::NoFeatures)));
        let panics = |_: &mut dyn FnMut(Progress), _: &mut dyn FeatureSink| -> Result<ParsedFile> {
            panic!("a bug in a reader")
        };
        let e = read_into_alongside(panics, None, &mut |_| {}, &mut got).unwrap_err();
        assert!(matches!(e, Error::Request(ref p) if matches!(**p, Problem::CannotRead { .. })));
    }

    /// A sink that refuses its tenth feature, as a full disk would.
    struct Refusing(usize);

    impl FeatureSink for Refusing {
        fn feature(&mut self, _: ParsedFeature) -> Result<()> {
            self.0 += 1;
            if self.0 == 10 {
                return Err(Error::request(Problem::LayerNameNeeded));
            }
            Ok(())
        }

        fn restart(&mut self) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_writers_refusal_stops_the_reader_and_is_the_result() {
        let mut sent = 0;
        let read = |_: &mut dyn FnMut(Progress), s: &mut dyn FeatureSink| {
            for i in 0..1_000_000 {
                s.feature(point(i))?;
                sent += 1;
            }
            Ok(parsed())
        };
        let mut sink = Refusing(0);
        let e = read_into_alongside(read, None, &mut |_| {}, &mut sink).unwrap_err();
        assert!(matches!(e, Error::Request(ref p) if matches!(**p, Problem::LayerNameNeeded)));
        assert!(
            sent <= BATCH * (BATCHES_IN_FLIGHT + 3),
            "the reader stopped soon: {sent}"
        );
    }
}
