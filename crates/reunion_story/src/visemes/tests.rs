//! The mouth over whole lines: shapes in the text's order, closures, rests, silence in
//! the voice, and no jumps.

use super::*;

const FRAME: f32 = 1.0 / 90.0;

/// The dominant shape every 10 ms over the line, runs collapsed.
fn sequence(mouth: &LipSync) -> Vec<Viseme> {
    let mut out: Vec<Viseme> = Vec::new();
    let steps = (mouth.seconds() / 0.01).ceil() as usize;
    for i in 0..=steps {
        let v = mouth.at(i as f32 * 0.01).dominant();
        if out.last() != Some(&v) {
            out.push(v);
        }
    }
    out
}

/// The largest change of any weight between two frames at 90 Hz, from before the line
/// to after it.
fn largest_step(mouth: &LipSync) -> f32 {
    let frames = ((mouth.seconds() + 0.4) / FRAME) as usize;
    let mut prev = mouth.at(-0.2);
    let mut worst: f32 = 0.0;
    for i in 1..=frames {
        let w = mouth.at(-0.2 + i as f32 * FRAME);
        for (a, b) in w.0.iter().zip(prev.0) {
            worst = worst.max((a - b).abs());
        }
        prev = w;
    }
    worst
}

fn assert_sums_to_one(w: &VisemeWeights) {
    let sum: f32 = w.0.iter().sum();
    assert!((sum - 1.0).abs() < 1e-4, "{w:?}");
    assert!(w.0.iter().all(|x| (0.0..=1.0).contains(x)), "{w:?}");
}

#[test]
fn the_five_korean_vowels_come_in_order_at_their_times() {
    use Viseme::{Aa, Ee, Ih, Oh, Ou};
    let seconds = 2.5;
    let mouth = LipSync::new("아이우에오", "ko", seconds, None);
    // Five even syllables between the line's short margins: each at its fifth.
    for (k, shape) in [Aa, Ih, Ou, Ee, Oh].into_iter().enumerate() {
        let middle = (k as f32 + 0.5) * seconds / 5.0;
        let w = mouth.at(middle);
        assert_eq!(w.dominant(), shape, "syllable {k} at {middle} s: {w:?}");
        assert!(w.get(shape) > 0.95, "{w:?}");
        assert_sums_to_one(&w);
    }
    assert_eq!(
        sequence(&mouth),
        [Viseme::Sil, Aa, Ih, Ou, Ee, Oh, Viseme::Sil]
    );
}

#[test]
fn eomma_closes_the_lips_between_its_two_syllables() {
    let mouth = LipSync::new("엄마", "ko", 0.6, None);
    assert_eq!(
        sequence(&mouth),
        [Viseme::Sil, Viseme::Oh, Viseme::Pp, Viseme::Aa, Viseme::Sil]
    );
    let boundary = mouth.at(0.3);
    assert!(boundary.get(Viseme::Pp) > 0.9, "{boundary:?}");
    assert!(boundary.openness() < 0.1, "{boundary:?}");
    // A line without lip consonants never closes them.
    let plain = LipSync::new("아아", "ko", 0.6, None);
    assert!((0..=60).all(|i| plain.at(i as f32 * 0.01).get(Viseme::Pp) == 0.0));
}

#[test]
fn mommy_closes_on_each_m() {
    let mouth = LipSync::new("Mommy", "en", 0.6, None);
    assert_eq!(
        sequence(&mouth),
        [
            Viseme::Sil,
            Viseme::Pp,
            Viseme::Oh,
            Viseme::Pp,
            Viseme::Ih,
            Viseme::Sil
        ]
    );
    // The closure between the syllables is complete.
    let peak = (0..60)
        .map(|i| mouth.at(0.15 + i as f32 * 0.005).get(Viseme::Pp))
        .fold(0.0, f32::max);
    assert!(peak > 0.95, "{peak}");
}

#[test]
fn an_ellipsis_is_a_rest_a_word_gap_is_not() {
    let with = LipSync::new("안녕… 잘 지냈어?", "ko", 3.0, None);
    let rests: Vec<&Span> = with
        .spans()
        .iter()
        .filter(|s| s.mouth == VisemeWeights::REST && s.end - s.start > 0.3)
        .collect();
    assert_eq!(rests.len(), 1, "{:?}", with.spans());
    let middle = (rests[0].start + rests[0].end) / 2.0;
    assert!(
        with.at(middle).get(Viseme::Sil) > 0.99,
        "{:?}",
        with.at(middle)
    );
    // Before it, 안녕; after it, 잘.
    assert!(rests[0].start > 0.4 && rests[0].end < 2.0, "{rests:?}");
    let without = LipSync::new("안녕 잘 지냈어", "ko", 3.0, None);
    let longest_rest = without
        .spans()
        .iter()
        .filter(|s| s.mouth == VisemeWeights::REST)
        .map(|s| s.end - s.start)
        .fold(0.0, f32::max);
    assert!(longest_rest < 0.1, "{longest_rest}");
}

/// An envelope at 60 Hz: loud from 0.1 to 1.0 s and from 2.0 to 2.9 s, silent between.
fn two_phrase_envelope(second_loudness: f32) -> Envelope {
    let rms: Vec<f32> = (0..180)
        .map(|i| {
            let t = i as f32 / 60.0;
            let wobble = 0.8 + 0.2 * (t * 31.0).sin().abs();
            if (0.1..1.0).contains(&t) {
                0.3 * wobble
            } else if (2.0..2.9).contains(&t) {
                0.3 * second_loudness * wobble
            } else {
                0.0
            }
        })
        .collect();
    Envelope::from_rms(1.0 / 60.0, rms)
}

#[test]
fn voiced_segments_are_found_from_loudness() {
    let env = two_phrase_envelope(1.0);
    assert_eq!(env.voiced.len(), 2, "{:?}", env.voiced);
    let close = |a: f32, b: f32| (a - b).abs() < 0.02;
    assert!(close(env.voiced[0].0, 0.1) && close(env.voiced[0].1, 1.0));
    assert!(close(env.voiced[1].0, 2.0) && close(env.voiced[1].1, 2.9));
    assert!(
        Envelope::from_rms(1.0 / 60.0, vec![0.0; 60])
            .voiced
            .is_empty()
    );
}

#[test]
fn silence_in_the_voice_keeps_the_mouth_shut_there() {
    let env = two_phrase_envelope(1.0);
    for text in ["안녕하세요. 반가워요", "안녕하세요 반가워요"] {
        let mouth = LipSync::new(text, "ko", 3.0, Some(&env));
        for i in 0..=80 {
            let t = 1.1 + i as f32 * 0.01;
            let w = mouth.at(t);
            assert!(
                w.openness() < 1e-3 && w.get(Viseme::Sil) > 0.99,
                "{text} {t}: {w:?}"
            );
        }
        let open_in_voice = |a: f32, b: f32| {
            (0..50)
                .map(|i| mouth.at(a + (b - a) * i as f32 / 50.0).openness())
                .fold(0.0, f32::max)
        };
        assert!(open_in_voice(0.1, 1.0) > 0.5, "{text}");
        assert!(open_in_voice(2.0, 2.9) > 0.5, "{text}");
    }
    // Phrase for segment: 안녕하세요 in the first, 반가워요 in the second.
    let mouth = LipSync::new("안녕하세요. 반가워요", "ko", 3.0, Some(&env));
    let in_first = mouth.spans().iter().filter(|s| s.end <= 1.001).count();
    let in_second = mouth.spans().iter().filter(|s| s.start >= 1.999).count();
    assert_eq!(in_first + in_second, mouth.spans().len());
    assert_eq!(
        sequence_between(&mouth, 0.0, 1.5).first(),
        Some(&Viseme::Sil)
    );
}

fn sequence_between(mouth: &LipSync, a: f32, b: f32) -> Vec<Viseme> {
    let mut out: Vec<Viseme> = Vec::new();
    let mut t = a;
    while t < b {
        let v = mouth.at(t).dominant();
        if out.last() != Some(&v) {
            out.push(v);
        }
        t += 0.01;
    }
    out
}

#[test]
fn a_quieter_voice_opens_the_mouth_less() {
    let env = two_phrase_envelope(0.2);
    let mouth = LipSync::new("아아아. 아아아", "ko", 3.0, Some(&env));
    let peak = |a: f32, b: f32| {
        (0..90)
            .map(|i| mouth.at(a + (b - a) * i as f32 / 90.0).get(Viseme::Aa))
            .fold(0.0, f32::max)
    };
    let (loud, quiet) = (peak(0.1, 1.0), peak(2.0, 2.9));
    assert!(loud > 0.9, "{loud}");
    assert!(quiet < 0.6 && quiet > 0.2, "{quiet}");
}

#[test]
fn weights_never_jump_between_frames_and_always_sum_to_one() {
    let bound = MAX_CHANGE_PER_SECOND * FRAME + 1e-4;
    assert!(bound < 0.35, "the ramp itself is gentle: {bound}");
    let env = two_phrase_envelope(0.5);
    let lines: [(&str, &str, f32, Option<&Envelope>); 6] = [
        ("아이우에오", "ko", 2.5, None),
        ("엄마, 밥 먹었어? 빨리 와!", "ko", 1.2, None),
        ("Mommy, I'm home… did you miss me?", "en", 1.5, None),
        ("안녕하세요. 반가워요", "ko", 3.0, Some(&env)),
        ("봐봐봐봐봐봐봐봐봐봐", "ko", 0.8, None),
        ("Mamma mia", "it", 0.3, None),
    ];
    for (text, lang, seconds, env) in lines {
        let mouth = LipSync::new(text, lang, seconds, env);
        let step = largest_step(&mouth);
        assert!(step <= bound, "{text}: {step} > {bound}");
        assert!(step > 0.05, "{text}: the mouth moves at all");
        for i in 0..=100 {
            assert_sums_to_one(&mouth.at(seconds * i as f32 / 100.0));
        }
    }
}

#[test]
fn the_mouth_rests_before_and_after_the_line_and_for_empty_ones() {
    let mouth = LipSync::new("엄마", "ko", 0.6, None);
    for t in [-1.0, 0.0, 0.6, 5.0] {
        assert_eq!(mouth.at(t), VisemeWeights::REST, "{t}");
    }
    for (text, seconds) in [("", 1.0), ("…", 1.0), ("엄마", 0.0), ("엄마", -1.0)] {
        let mouth = LipSync::new(text, "ko", seconds, None);
        assert!(mouth.spans().iter().all(|s| s.mouth == VisemeWeights::REST));
        assert_eq!(mouth.at(0.3), VisemeWeights::REST, "{text:?} {seconds}");
    }
    let silent_clip = Envelope::from_rms(1.0 / 60.0, vec![0.0; 60]);
    let mouth = LipSync::new("엄마", "ko", 1.0, Some(&silent_clip));
    assert_eq!(mouth.at(0.5), VisemeWeights::REST);
}

#[test]
fn the_same_line_gives_the_same_mouth() {
    let env = two_phrase_envelope(0.7);
    let a = LipSync::new("안녕하세요. 반가워요", "ko", 3.0, Some(&env));
    let b = LipSync::new("안녕하세요. 반가워요", "ko", 3.0, Some(&env.clone()));
    assert_eq!(a.spans(), b.spans());
    for i in 0..300 {
        let t = i as f32 * 0.01;
        assert_eq!(a.at(t), b.at(t));
    }
}
