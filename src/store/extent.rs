//! The extent bookkeeping of a feature table: `gpkg_contents.min_x … max_y`, kept current edit
//! by edit instead of rescanning the R-tree.
//!
//! The extent is the union of the R-tree's boxes (32-bit floats rounded outwards), exactly what
//! [`refresh_extent`] computes in full. A written row's box is unioned in, O(1). When a row whose
//! old box lay on an edge of the extent no longer holds it (moved inwards, deleted), that edge is
//! found again by asking the R-tree for the boxes in a narrow window next to it (a few index
//! nodes), not by scanning the table.

use geopackage_core::triggers;
use rusqlite::{Connection, OptionalExtension, params};

use super::schema::refresh_extent;
use super::{GEOM_COLUMN, q};
use crate::error::Result;

/// A box as the R-tree stores it: `[min_x, max_x, min_y, max_y]`.
pub(super) type Envelope = [f64; 4];

/// The R-tree box of row `fid` of `table`; `None` for an empty or missing geometry.
pub(super) fn indexed_envelope(
    conn: &Connection,
    table: &str,
    fid: i64,
) -> Result<Option<Envelope>> {
    let rtree = q(&triggers::rtree_table_name(table, GEOM_COLUMN))?;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT minx, maxx, miny, maxy FROM {rtree} WHERE id = ?1"
        ))?
        .query_row([fid], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
        .optional()?)
}

/// The stored extent of `table`, `None` when it has none.
fn stored_extent(conn: &Connection, table: &str) -> Result<Option<Envelope>> {
    let b: [Option<f64>; 4] = conn
        .prepare_cached(
            "SELECT min_x, max_x, min_y, max_y FROM gpkg_contents WHERE table_name = ?1",
        )?
        .query_row([table], |r| {
            Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?])
        })?;
    Ok(match b {
        [Some(a), Some(b), Some(c), Some(d)] => Some([a, b, c, d]),
        _ => None,
    })
}

/// Which edges of `extent` (`[min_x, max_x, min_y, max_y]`) `old` lay on (or beyond) that `new`
/// does not reach as far: there the extent may shrink, and only the R-tree knows by how much.
fn edges_lost(old: Envelope, new: Option<Envelope>, extent: Envelope) -> [bool; 4] {
    let mut lost = [false; 4];
    for (i, edge) in lost.iter_mut().enumerate() {
        let low = i.is_multiple_of(2);
        let on_edge = if low {
            old[i] <= extent[i]
        } else {
            old[i] >= extent[i]
        };
        let kept = new.is_some_and(|n| {
            if low {
                n[i] <= extent[i]
            } else {
                n[i] >= extent[i]
            }
        });
        *edge = on_edge && !kept;
    }
    lost
}

/// The R-tree columns, in [`Envelope`] order.
const COLUMNS: [&str; 4] = ["minx", "maxx", "miny", "maxy"];

/// The new value of a lost edge `i` of `extent`: the R-tree is asked only for boxes within a
/// window next to that edge, which it answers from the few nodes there (O(log n) for a
/// window holding a few boxes); the window widens until it finds one. `None` when the whole
/// extent holds no box (the table is empty, or the bookkeeping was off).
fn edge_from_rtree(
    conn: &Connection,
    rtree: &str,
    extent: Envelope,
    i: usize,
) -> Result<Option<f64>> {
    let low = i.is_multiple_of(2);
    let span = if i < 2 {
        extent[1] - extent[0]
    } else {
        extent[3] - extent[2]
    };
    let column = COLUMNS[i];
    let sql = if low {
        format!("SELECT min({column}) FROM {rtree} WHERE {column} <= ?1")
    } else {
        format!("SELECT max({column}) FROM {rtree} WHERE {column} >= ?1")
    };
    let mut window = (span * 1e-3).max(1e-9);
    loop {
        let bound = if low {
            extent[i] + window
        } else {
            extent[i] - window
        };
        let found: Option<f64> = conn
            .prepare_cached(&sql)?
            .query_row([bound], |r| r.get(0))?;
        if found.is_some() || window > span {
            return Ok(found);
        }
        window *= 8.0;
    }
}

/// Brings `table`'s extent up to date after one row's box changed from `old` to `new` (either
/// `None` when there was or is no row or no geometry), and stamps its last change.
pub(super) fn row_changed(
    conn: &Connection,
    table: &str,
    old: Option<Envelope>,
    new: Option<Envelope>,
) -> Result<()> {
    let Some(extent) = stored_extent(conn, table)? else {
        if old.is_some() {
            // A row had a box but the table no extent: the bookkeeping was off; rescan.
            return refresh_extent(conn, table);
        }
        return set_extent(conn, table, new);
    };
    let mut next = extent;
    if let Some(old) = old {
        let lost = edges_lost(old, new, extent);
        if lost.iter().any(|l| *l) {
            let rtree = q(&triggers::rtree_table_name(table, GEOM_COLUMN))?;
            for i in (0..4).filter(|i| lost[*i]) {
                match edge_from_rtree(conn, &rtree, extent, i)? {
                    Some(v) => next[i] = v,
                    None => return refresh_extent(conn, table),
                }
            }
        }
    }
    if let Some(n) = new {
        next = [
            next[0].min(n[0]),
            next[1].max(n[1]),
            next[2].min(n[2]),
            next[3].max(n[3]),
        ];
    }
    set_extent(conn, table, Some(next))
}

/// Writes `table`'s extent (`None` clears it) and stamps its last change.
pub(super) fn set_extent(conn: &Connection, table: &str, extent: Option<Envelope>) -> Result<()> {
    let [min_x, max_x, min_y, max_y] = extent.map_or([None; 4], |e| e.map(Some));
    conn.prepare_cached(
        "UPDATE gpkg_contents SET min_x = ?2, max_x = ?3, min_y = ?4, max_y = ?5,
         last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?1",
    )?
    .execute(params![table, min_x, max_x, min_y, max_y])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::edges_lost;

    #[test]
    fn only_a_box_leaving_an_edge_asks_the_rtree() {
        let extent = [0.0, 10.0, 0.0, 10.0];
        let none = [false; 4];
        let inner = [1.0, 2.0, 1.0, 2.0];
        assert_eq!(edges_lost(inner, Some([5.0, 6.0, 5.0, 6.0]), extent), none);
        assert_eq!(edges_lost(inner, None, extent), none);
        let on_min_x = [0.0, 2.0, 1.0, 2.0];
        assert_eq!(
            edges_lost(on_min_x, Some(inner), extent),
            [true, false, false, false]
        );
        assert_eq!(
            edges_lost(on_min_x, Some([0.0, 3.0, 1.0, 2.0]), extent),
            none
        );
        assert_eq!(
            edges_lost([8.0, 10.0, 1.0, 10.0], None, extent),
            [false, true, false, true]
        );
    }
}
