//! Where each syllable falls on the line's clock, and the smoothing that makes the
//! mouth move between them without a jump.

use super::mouth::VisemeWeights;
use super::syllable::Unit;

/// A stretch of the line with one mouth shape (before smoothing).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub start: f32,
    pub end: f32,
    pub mouth: VisemeWeights,
}

fn beats(unit: &Unit) -> f32 {
    match unit {
        Unit::Syllable(_) => 1.0,
        Unit::Pause { beats, .. } => *beats,
    }
}

/// Lays `units` evenly over `start..end`: a syllable one beat, a pause its beats.
fn lay(units: &[Unit], start: f32, end: f32, out: &mut Vec<Span>) {
    let total: f32 = units.iter().map(beats).sum();
    if total <= 0.0 || end <= start {
        return;
    }
    let beat = (end - start) / total;
    let mut t = start;
    for unit in units {
        match unit {
            Unit::Syllable(phases) => {
                let whole: f32 = phases.iter().map(|p| p.length).sum();
                for p in phases {
                    let d = beat * p.length / whole;
                    out.push(Span {
                        start: t,
                        end: t + d,
                        mouth: p.mouth,
                    });
                    t += d;
                }
            }
            Unit::Pause { beats, .. } => {
                out.push(Span {
                    start: t,
                    end: t + beat * beats,
                    mouth: VisemeWeights::REST,
                });
                t += beat * beats;
            }
        }
    }
}

/// `units` without weak pauses at either end.
fn trimmed(units: &[Unit]) -> &[Unit] {
    let weak = |u: &Unit| matches!(u, Unit::Pause { strong: false, .. });
    let start = units.iter().position(|u| !weak(u)).unwrap_or(units.len());
    let end = units
        .iter()
        .rposition(|u| !weak(u))
        .map_or(start, |i| i + 1);
    &units[start..end.max(start)]
}

/// The phrases of a line: the units between strong pauses, each with a syllable.
fn phrases(units: &[Unit]) -> Vec<&[Unit]> {
    units
        .split(|u| matches!(u, Unit::Pause { strong: true, .. }))
        .map(trimmed)
        .filter(|p| p.iter().any(|u| matches!(u, Unit::Syllable(_))))
        .collect()
}

/// The voiced segments within `start..end`, in order, overlaps merged.
fn clean(voiced: &[(f32, f32)], start: f32, end: f32) -> Vec<(f32, f32)> {
    let mut segs: Vec<(f32, f32)> = voiced
        .iter()
        .map(|&(a, b)| (a.max(start), b.min(end)))
        .filter(|(a, b)| b > a)
        .collect();
    segs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut out: Vec<(f32, f32)> = Vec::with_capacity(segs.len());
    for (a, b) in segs {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The spans of a line spoken between `start` and `end`. Without `voiced`, the units
/// spread evenly over the whole time. With it, only the voiced segments carry
/// syllables: one phrase per segment when the text has as many phrases as the voice
/// has segments, else the syllables shared out in proportion to each segment's length.
pub fn plan(units: &[Unit], start: f32, end: f32, voiced: Option<&[(f32, f32)]>) -> Vec<Span> {
    let mut out = Vec::new();
    let Some(voiced) = voiced else {
        lay(units, start, end, &mut out);
        return out;
    };
    let segs = clean(voiced, start, end);
    let phrases = phrases(units);
    if phrases.len() == segs.len() {
        for (phrase, (a, b)) in phrases.iter().zip(&segs) {
            lay(phrase, *a, *b, &mut out);
        }
        return out;
    }
    let flat: Vec<Unit> = phrases.iter().flat_map(|p| p.iter().cloned()).collect();
    let syllables = flat
        .iter()
        .filter(|u| matches!(u, Unit::Syllable(_)))
        .count();
    let total: f32 = segs.iter().map(|(a, b)| b - a).sum();
    if syllables == 0 || total <= 0.0 {
        return out;
    }
    // Segment j takes the syllables whose middles fall in its share of the voiced time.
    let mut ends = Vec::with_capacity(segs.len());
    let mut acc = 0.0;
    for (a, b) in &segs {
        acc += b - a;
        ends.push(acc / total);
    }
    let mut groups: Vec<Vec<Unit>> = vec![Vec::new(); segs.len()];
    let mut k = 0usize;
    let mut j = 0usize;
    for unit in flat {
        if matches!(unit, Unit::Syllable(_)) {
            let middle = (k as f32 + 0.5) / syllables as f32;
            while j + 1 < segs.len() && middle > ends[j] {
                j += 1;
            }
            k += 1;
        }
        groups[j].push(unit);
    }
    for (group, (a, b)) in groups.iter().zip(&segs) {
        lay(trimmed(group), *a, *b, &mut out);
    }
    out
}

/// A step function of time (a value held over each of a run of intervals, `outside`
/// before, between and after them) and its running integral, so that its mean over
/// any window costs a binary search.
#[derive(Clone, Debug)]
pub struct Steps<const N: usize> {
    /// Breakpoints: value `i` holds on `times[i]..times[i + 1]`.
    times: Vec<f64>,
    values: Vec<[f64; N]>,
    /// The integral from `times[0]` to `times[i]`.
    cumulative: Vec<[f64; N]>,
    outside: [f64; N],
}

impl<const N: usize> Steps<N> {
    /// From pieces `(start, end, value)` in order and not overlapping.
    pub fn new(pieces: impl IntoIterator<Item = (f32, f32, [f32; N])>, outside: [f32; N]) -> Self {
        let outside = outside.map(f64::from);
        let mut times: Vec<f64> = Vec::new();
        let mut values: Vec<[f64; N]> = Vec::new();
        for (a, b, v) in pieces {
            let (a, b) = (f64::from(a), f64::from(b));
            if b <= a {
                continue;
            }
            match times.last() {
                Some(&t) if a > t => {
                    values.push(outside);
                    times.push(a);
                }
                None => times.push(a),
                _ => {}
            }
            values.push(v.map(f64::from));
            times.push(b.max(*times.last().unwrap_or(&a)));
        }
        let mut cumulative = vec![[0.0; N]];
        for (i, v) in values.iter().enumerate() {
            let d = times[i + 1] - times[i];
            let prev = cumulative[i];
            cumulative.push(std::array::from_fn(|c| prev[c] + v[c] * d));
        }
        Steps {
            times,
            values,
            cumulative,
            outside,
        }
    }

    /// The integral from the first breakpoint to `x` (negative before it).
    fn integral(&self, x: f64) -> [f64; N] {
        let (Some(&first), Some(&last)) = (self.times.first(), self.times.last()) else {
            return self.outside.map(|o| o * x);
        };
        if x <= first {
            return self.outside.map(|o| o * (x - first));
        }
        if x >= last {
            let end = self.cumulative[self.cumulative.len() - 1];
            return std::array::from_fn(|c| end[c] + self.outside[c] * (x - last));
        }
        let i = self.times.partition_point(|&t| t <= x) - 1;
        let (base, v) = (self.cumulative[i], self.values[i]);
        std::array::from_fn(|c| base[c] + v[c] * (x - self.times[i]))
    }

    /// The mean over `center ± width / 2`.
    pub fn mean(&self, center: f32, width: f32) -> [f32; N] {
        let (a, b) = (
            f64::from(center) - f64::from(width) / 2.0,
            f64::from(center) + f64::from(width) / 2.0,
        );
        let (ia, ib) = (self.integral(a), self.integral(b));
        std::array::from_fn(|c| ((ib[c] - ia[c]) / (b - a)) as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visemes::mouth::Viseme;
    use crate::visemes::syllable::{Lips, Vowel, syllable};

    fn syl(v: Viseme) -> Unit {
        syllable(None, Vowel::of(v), None)
    }

    #[test]
    fn means_of_a_step_are_exact_and_ramp_linearly_across_an_edge() {
        let s: Steps<1> = Steps::new([(1.0, 2.0, [1.0]), (3.0, 4.0, [0.5])], [0.0]);
        assert_eq!(s.mean(1.5, 0.5), [1.0]);
        assert_eq!(s.mean(0.0, 0.5), [0.0]);
        assert!((s.mean(1.0, 0.5)[0] - 0.5).abs() < 1e-6);
        assert!((s.mean(1.125, 0.5)[0] - 0.75).abs() < 1e-6);
        assert_eq!(s.mean(2.5, 0.5), [0.0], "the gap between pieces is outside");
        assert!((s.mean(3.5, 0.5)[0] - 0.5).abs() < 1e-6);
        assert_eq!(Steps::<1>::new([], [0.25]).mean(7.0, 1.0), [0.25]);
    }

    #[test]
    fn even_timing_gives_each_syllable_one_beat_and_pauses_their_beats() {
        let units = [
            syl(Viseme::Aa),
            Unit::Pause {
                beats: 2.0,
                strong: true,
            },
            syl(Viseme::Oh),
        ];
        let spans = plan(&units, 0.0, 4.0, None);
        let bounds: Vec<(f32, f32)> = spans.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(bounds, [(0.0, 1.0), (1.0, 3.0), (3.0, 4.0)]);
        assert_eq!(spans[1].mouth, VisemeWeights::REST);
    }

    #[test]
    fn phrases_go_to_voiced_segments_one_to_one_or_in_proportion() {
        let comma = Unit::Pause {
            beats: 0.6,
            strong: true,
        };
        let units = [syl(Viseme::Aa), syl(Viseme::Aa), comma, syl(Viseme::Oh)];
        let spans = plan(&units, 0.0, 10.0, Some(&[(6.0, 7.0), (1.0, 3.0)]));
        let first: Vec<Viseme> = spans.iter().map(|s| s.mouth.dominant()).collect();
        assert_eq!(first, [Viseme::Aa, Viseme::Aa, Viseme::Oh]);
        assert_eq!((spans[0].start, spans[1].end), (1.0, 3.0));
        assert_eq!((spans[2].start, spans[2].end), (6.0, 7.0));

        // Four syllables, no punctuation, two segments of 3 s and 1 s: three and one.
        let units = [
            syl(Viseme::Aa),
            syl(Viseme::Ih),
            syl(Viseme::Ou),
            syllable(Some(Lips::Closed), Vowel::of(Viseme::Ee), None),
        ];
        let spans = plan(&units, 0.0, 10.0, Some(&[(0.0, 3.0), (5.0, 6.0)]));
        assert!(spans[..3].iter().all(|s| s.end <= 3.0));
        assert!(spans[3..].iter().all(|s| s.start >= 5.0));
        assert_eq!(spans.len(), 5);
        // No voice at all: no syllables.
        assert!(plan(&units, 0.0, 10.0, Some(&[])).is_empty());
    }
}
