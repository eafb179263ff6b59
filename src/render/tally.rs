//! The live tally of residents' input on the map, without egui: at each item (a plan feature,
//! a design alternative, a place) a badge with its vote count, and under it a small line of
//! its comments by kind; in the map's corner the votes the current participant has left.
//! Plain primitives, so the window's painter and a printed sheet draw the same thing.

use crate::model::input::{KindCounts, MeetingTally, VoteRules};
use crate::render::primitive::{Primitive, Stroke, TextRun};
use crate::render::projection::ScreenTransform;
use crate::render::screen::{ScreenRect, screen_pos, screen_vec};
use crate::render::style;

/// What a tally badge says: the words are the caller's (the interface language).
#[derive(Debug, Clone, PartialEq)]
pub struct TallyWords {
    /// The votes-left line for the current participant, if one is chosen (e.g. "3 号 剩余 2
    /// 票").
    pub votes_left: Option<String>,
    /// The marks of the comment kinds, in order support, concern, idea (e.g. 支/忧/想).
    pub comment_marks: [String; 3],
}

/// The badge radius for a count: grows with the digits, at least the style's.
fn badge_radius(count: u32) -> f32 {
    let digits = count.max(1).ilog10() as f32 + 1.0;
    style::TALLY_BADGE_RADIUS + (digits - 1.0) * style::TALLY_BADGE_SIZE * 0.3
}

/// The comments line of an item: each kind with a count, as "支2 忧1".
fn comments_line(counts: &KindCounts, marks: &[String; 3]) -> String {
    [counts.support, counts.concern, counts.idea]
        .into_iter()
        .zip(marks)
        .filter(|(n, _)| *n > 0)
        .map(|(n, m)| format!("{m}{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rough text width for centring, points (a CJK character one em, other characters half).
fn text_width(text: &str, size: f32) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
        .sum::<f32>()
        * size
}

/// The tally's primitives over `screen` (the map's rect): a badge per item with a vote or a
/// comment whose place is on screen, then the votes-left box. Items with votes show the vote
/// count; items with comments only show a smaller badge of their total.
///
/// ```
/// use linli::model::input::{InputKind, MeetingTally, ResidentInput, VoteRules};
/// use linli::render::projection::MapView;
/// use linli::render::screen::{ScreenRect, screen_pos};
/// use linli::render::tally::{TallyWords, tally_primitives};
/// let mut tally = MeetingTally::default();
/// let mut v = ResidentInput::new(uuid::Uuid::new_v4(), InputKind::Vote, [121.5, 31.2]);
/// v.participant = Some(1);
/// tally.add(&v);
/// let rect = ScreenRect::from_two_pos(screen_pos(0.0, 0.0), screen_pos(800.0, 600.0));
/// let view = MapView { center_lon: 121.5, center_lat: 31.2, m_per_point: 2.0 };
/// let words = TallyWords { votes_left: None, comment_marks: ["支".into(), "忧".into(), "想".into()] };
/// let p = tally_primitives(&tally, &view.transform(rect), rect, &words);
/// assert!(p.iter().any(|p| matches!(p, linli::render::primitive::Primitive::Text(t) if t.text == "1")));
/// ```
pub fn tally_primitives(
    tally: &MeetingTally,
    t: &ScreenTransform,
    screen: ScreenRect,
    words: &TallyWords,
) -> Vec<Primitive> {
    let mut out = Vec::new();
    for item in tally.items.values() {
        let [lon, lat] = item.lon_lat();
        let at = t.screen_from_merc(crate::analysis::mercator::merc_from_lon_lat(lon, lat));
        let reach = screen.expand(style::TALLY_BADGE_RADIUS * 3.0);
        if !(reach.min.x..=reach.max.x).contains(&at.x)
            || !(reach.min.y..=reach.max.y).contains(&at.y)
        {
            continue;
        }
        let counts = item.counts;
        let (number, fill, size) = if counts.votes > 0 {
            (
                counts.votes,
                style::TALLY_VOTE_FILL,
                style::TALLY_BADGE_SIZE,
            )
        } else {
            (
                counts.total(),
                style::TALLY_COMMENT_FILL,
                style::TALLY_BADGE_SIZE * 0.75,
            )
        };
        let radius = badge_radius(number) * size / style::TALLY_BADGE_SIZE;
        out.push(Primitive::Circle {
            centre: at,
            radius,
            fill: Some(fill),
            stroke: Some(Stroke {
                width: style::TALLY_OUTLINE_WIDTH,
                colour: style::TALLY_OUTLINE,
            }),
        });
        let text = number.to_string();
        out.push(Primitive::Text(TextRun {
            pos: screen_pos(at.x - text_width(&text, size) / 2.0, at.y - size * 0.6),
            text,
            size,
            colour: style::TALLY_NUMBER_COLOUR,
            halo: None,
        }));
        let line = comments_line(&counts, &words.comment_marks);
        if counts.votes > 0 && !line.is_empty() {
            let small = style::TALLY_COMMENTS_SIZE;
            out.push(Primitive::Text(TextRun {
                pos: screen_pos(at.x - text_width(&line, small) / 2.0, at.y + radius + 2.0),
                text: line,
                size: small,
                colour: style::TALLY_COMMENTS_COLOUR,
                halo: Some(style::TALLY_HALO),
            }));
        }
    }
    if let Some(left) = &words.votes_left {
        let size = style::TALLY_LEFT_SIZE;
        let pad = 8.0;
        let box_size = screen_vec(text_width(left, size) + 2.0 * pad, size * 1.3 + 2.0 * pad);
        let min = screen_pos(screen.min.x + 12.0, screen.min.y + 12.0);
        out.push(Primitive::Rect {
            rect: ScreenRect::from_min_size(min, box_size),
            fill: style::TALLY_LEFT_BG,
        });
        out.push(Primitive::Text(TextRun {
            pos: screen_pos(min.x + pad, min.y + pad),
            text: left.clone(),
            size,
            colour: style::TALLY_LEFT_COLOUR,
            halo: None,
        }));
    }
    out
}

/// The votes participant `participant` has left under `rules`, as the strip and the badge
/// show it (`None` when the meeting counts no participants).
pub fn votes_left(tally: &MeetingTally, rules: &VoteRules, participant: u32) -> Option<u32> {
    rules
        .anonymous_numbers
        .then(|| tally.votes_left(rules, participant))
}
