//! The mutations: a deterministic PRNG, byte mutations (bit flips, inserts, deletes, splices,
//! interesting integers), token-aware mutations of JSON text, and SQL statements that write
//! hostile values into the rows of a SQLite file.

/// SplitMix64: small, fast and the same sequence on every machine for a seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One element of a non-empty slice (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

/// Integers that break size and offset arithmetic, as 8 little-endian bytes.
const INTERESTING: [i64; 16] = [
    0,
    1,
    -1,
    0x7F,
    0x80,
    0xFF,
    0x7FFF,
    0xFFFF,
    0x7FFF_FFFF,
    0x8000_0000,
    0xFFFF_FFFF,
    0x1_0000_0000,
    i64::MAX,
    i64::MIN,
    1_000_000_000,
    -2_147_483_648,
];

/// Most bytes a mutated input may grow to: mutation never makes inputs huge by itself.
const MAX_LEN: usize = 1 << 20;

/// Mutates `data` in place with 1–4 random byte mutations; `other` is a second input to
/// splice from.
pub fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        mutate_once(rng, data, other);
    }
    data.truncate(MAX_LEN);
}

fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let len = data.len();
    match rng.below(10) {
        // Flip a bit.
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        // Set a byte.
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        // Insert random bytes.
        2 => {
            let at = rng.below(len + 1);
            let n = 1 + rng.below(16);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, bytes);
        }
        // Delete a range.
        3 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(64));
            data.drain(at..at + n);
        }
        // Duplicate a range elsewhere.
        4 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(256));
            let chunk = data[at..at + n].to_vec();
            let to = rng.below(len + 1);
            data.splice(to..to, chunk);
        }
        // Splice: this input's head, the other's tail.
        5 if !other.is_empty() => {
            let cut = rng.below(len + 1);
            let from = rng.below(other.len());
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        // An interesting integer, 1, 2, 4 or 8 bytes, either byte order.
        6 | 7 if len > 0 => {
            let value = INTERESTING[rng.below(INTERESTING.len())];
            let width = [1usize, 2, 4, 8][rng.below(4)];
            let bytes = if rng.one_in(2) {
                value.to_le_bytes()
            } else {
                value.to_be_bytes()
            };
            let bytes = if bytes[0] == 0 && width < 8 && rng.one_in(2) {
                &bytes[8 - width..]
            } else {
                &bytes[..width]
            };
            let at = rng.below(len);
            for (i, b) in bytes.iter().enumerate() {
                if let Some(slot) = data.get_mut(at + i) {
                    *slot = *b;
                }
            }
        }
        // Truncate.
        8 if len > 0 => {
            let keep = rng.below(len);
            data.truncate(keep);
        }
        // Repeat a small range many times (counts meet repeated structure).
        _ if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(32));
            let chunk = data[at..at + n].to_vec();
            let times = 1 + rng.below(64);
            let to = rng.below(len + 1);
            let repeated: Vec<u8> = chunk.iter().copied().cycle().take(n * times).collect();
            data.splice(to..to, repeated);
        }
        _ => data.push(rng.next_u64() as u8),
    }
}

/// JSON texts that stress a GeoJSON reader where a value stands.
const JSON_VALUES: [&str; 24] = [
    "1e999",
    "-1e999",
    "1e-400",
    "-0",
    "99999999999999999999999",
    "181",
    "-91",
    "1.7976931348623157e308",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "[[]]",
    "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
    "[0,0]",
    "[0]",
    "[1,2,3,4,5]",
    "\"\\ud800\"",
    "\"Polygon\"",
    "\"GeometryCollection\"",
    "\"FeatureCollection\"",
    "{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}}",
    "{\"type\":\"Point\",\"coordinates\":[121.5,31.2]}",
];

/// Keys a GeoJSON reader looks for.
const JSON_KEYS: [&str; 9] = [
    "type",
    "features",
    "geometry",
    "geometries",
    "coordinates",
    "properties",
    "crs",
    "id",
    "name",
];

/// A token of JSON text: where it starts and ends.
fn tokens(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() && out.len() < 4096 {
        let c = text[i];
        if c == b'"' {
            let start = i;
            i += 1;
            while i < text.len() && text[i] != b'"' {
                if text[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            out.push((start, (i + 1).min(text.len())));
            i += 1;
        } else if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while i < text.len()
                && (text[i].is_ascii_digit() || matches!(text[i], b'-' | b'+' | b'.' | b'e' | b'E'))
            {
                i += 1;
            }
            out.push((start, i));
        } else if matches!(c, b'[' | b']' | b'{' | b'}' | b',' | b':') {
            out.push((i, i + 1));
            i += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Mutates JSON text at the level of its tokens: a value replaced by a hostile one, a key
/// renamed to one the reader looks for, a structural character removed or repeated, a
/// container's element repeated, a `crs` member put after the features. Falls back on byte
/// mutations now and then.
pub fn mutate_json(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    if rng.one_in(4) {
        mutate_bytes(rng, data, other);
        return;
    }
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let toks = tokens(data);
        let Some(&(start, end)) = rng.pick(&toks) else {
            mutate_bytes(rng, data, other);
            return;
        };
        match rng.below(6) {
            0 | 1 => {
                let v = JSON_VALUES[rng.below(JSON_VALUES.len())];
                data.splice(start..end, v.bytes());
            }
            2 => {
                let k = JSON_KEYS[rng.below(JSON_KEYS.len())];
                if data.get(start) == Some(&b'"') {
                    data.splice(start..end, format!("\"{k}\"").into_bytes());
                }
            }
            3 => {
                // Remove or double a token.
                if rng.one_in(2) {
                    data.drain(start..end);
                } else {
                    let t = data[start..end].to_vec();
                    data.splice(end..end, t);
                }
            }
            4 => {
                // Repeat from this token to a later one (an element, a member) a few times.
                let later: Vec<_> = toks.iter().filter(|t| t.0 > start).collect();
                if let Some(&&(_, stop)) = rng.pick(&later) {
                    let chunk = data[start..stop].to_vec();
                    let times = 1 + rng.below(8);
                    for _ in 0..times {
                        data.splice(stop..stop, chunk.iter().copied());
                    }
                }
            }
            _ => {
                // A late CRS member just before the last closing brace.
                if let Some(at) = data.iter().rposition(|&c| c == b'}') {
                    let crs = [
                        ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:4490\"}}",
                        ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}}",
                        ",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:bad\"}}",
                        ",\"crs\":null",
                    ];
                    let c = crs[rng.below(crs.len())];
                    data.splice(at..at, c.bytes());
                }
            }
        }
    }
    data.truncate(MAX_LEN);
}

/// A table of a SQLite file the harness mutates, with its row count and a few values of each
/// column (read by `io::sqlite_fixtures`, since only `store` and `io` speak SQLite).
pub use crate::io::sqlite_fixtures::SampledTable as Table;

/// An SQL identifier quoted.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// SQL literals that stress a row reader.
const SQL_VALUES: [&str; 28] = [
    "NULL",
    "0",
    "-1",
    "1",
    "9223372036854775807",
    "-9223372036854775808",
    "2147483648",
    "4294967296",
    "1e308",
    "-1e308",
    "0.5",
    "''",
    "'x'",
    "'-1'",
    "'NaN'",
    "'9999-99-99'",
    "'2024-02-30'",
    "'00000000-0000-0000-0000-000000000000'",
    "'not-a-uuid'",
    "'{}'",
    "'[]'",
    "'{\"a\":'",
    "'[1,2'",
    "X''",
    "X'00'",
    "X'4750000100000000'",
    "zeroblob(64)",
    "'邻里'",
];

/// 1–4 SQL statements that write hostile values into `tables`' rows: a value replaced (by a
/// hostile literal, or a mutation of a value seen there), a row deleted or copied.
pub fn mutate_rows(rng: &mut Rng, tables: &[Table]) -> Vec<String> {
    let mut out = Vec::new();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let Some(table) = rng.pick(tables) else {
            return out;
        };
        let t = quote_ident(&table.name);
        let row = rng.below(table.rows.max(1));
        let which = format!("rowid = (SELECT rowid FROM {t} LIMIT 1 OFFSET {row})");
        match rng.below(10) {
            0 => out.push(format!("DELETE FROM {t} WHERE {which}")),
            1 => out.push(format!(
                "INSERT INTO {t} SELECT * FROM {t} LIMIT 1 OFFSET {row}"
            )),
            _ => {
                let Some(column) = rng.pick(&table.columns) else {
                    continue;
                };
                let value = if !column.samples.is_empty() && rng.below(3) > 0 {
                    let mut bytes = rng.pick(&column.samples).cloned().unwrap_or_default();
                    mutate_bytes(rng, &mut bytes, &[]);
                    if column.blob {
                        format!("X'{}'", hex(&bytes))
                    } else {
                        format!("CAST(X'{}' AS TEXT)", hex(&bytes))
                    }
                } else {
                    SQL_VALUES[rng.below(SQL_VALUES.len())].to_string()
                };
                out.push(format!(
                    "UPDATE {t} SET {} = {value} WHERE {which}",
                    quote_ident(&column.name)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_makes_the_same_mutations() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut data = br#"{"type":"Point","coordinates":[121.5,31.2]}"#.to_vec();
            for _ in 0..50 {
                mutate_json(&mut rng, &mut data, b"[1,2]");
            }
            data
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn json_tokens_are_found() {
        let t = tokens(br#"{"a":[1,-2.5e3]}"#);
        let texts: Vec<&[u8]> = t
            .iter()
            .map(|&(s, e)| &br#"{"a":[1,-2.5e3]}"#[s..e])
            .collect();
        assert!(texts.contains(&&b"\"a\""[..]));
        assert!(texts.contains(&&b"-2.5e3"[..]));
    }
}
