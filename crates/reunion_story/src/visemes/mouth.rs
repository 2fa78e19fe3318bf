//! The seven mouth shapes and a blend of them.

/// A mouth shape: VRM's five vowels (the Japanese あいうえお, which Korean's vowels
/// fall onto), closed lips and rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Viseme {
    /// Rest: lips together, relaxed (silence).
    Sil,
    /// Lips pressed together: p, b, m; ㅁ ㅂ ㅍ.
    Pp,
    /// Open: the a of "father"; ㅏ.
    Aa,
    /// Spread, nearly closed: the i of "machine"; ㅣ.
    Ih,
    /// Rounded, small: the u of "rule"; ㅜ.
    Ou,
    /// Spread, half open: the e of "bed"; ㅔ ㅐ.
    Ee,
    /// Rounded, open: the o of "more"; ㅗ.
    Oh,
}

impl Viseme {
    pub const ALL: [Viseme; 7] = [
        Viseme::Sil,
        Viseme::Pp,
        Viseme::Aa,
        Viseme::Ih,
        Viseme::Ou,
        Viseme::Ee,
        Viseme::Oh,
    ];

    /// The shapes that open the mouth (all but rest and closed lips).
    pub const VOWELS: [Viseme; 5] = [Viseme::Aa, Viseme::Ih, Viseme::Ou, Viseme::Ee, Viseme::Oh];

    /// Our name: `sil`, `pp`, `aa`, `ih`, `ou`, `ee`, `oh`.
    pub fn name(self) -> &'static str {
        ["sil", "pp", "aa", "ih", "ou", "ee", "oh"][self as usize]
    }
}

/// How much of each shape the mouth shows; the weights add up to 1 (rest takes what
/// the others leave).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VisemeWeights(pub [f32; 7]);

impl VisemeWeights {
    /// The mouth at rest.
    pub const REST: VisemeWeights = VisemeWeights([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);

    /// Only this shape.
    pub fn only(v: Viseme) -> VisemeWeights {
        let mut w = [0.0; 7];
        w[v as usize] = 1.0;
        VisemeWeights(w)
    }

    /// A blend of shapes; whatever the weights leave below 1 goes to rest.
    pub fn blend(parts: &[(Viseme, f32)]) -> VisemeWeights {
        let mut w = [0.0; 7];
        for &(v, x) in parts {
            w[v as usize] += x;
        }
        w[Viseme::Sil as usize] += 1.0 - w.iter().sum::<f32>();
        VisemeWeights(w)
    }

    pub fn get(&self, v: Viseme) -> f32 {
        self.0[v as usize]
    }

    /// The shape with the most weight (the first of equals).
    pub fn dominant(&self) -> Viseme {
        let mut best = Viseme::Sil;
        for v in Viseme::ALL {
            if self.get(v) > self.get(best) {
                best = v;
            }
        }
        best
    }

    /// How open the mouth is: the weight of the vowel shapes together.
    pub fn openness(&self) -> f32 {
        Viseme::VOWELS.iter().map(|&v| self.get(v)).sum()
    }

    /// `self` towards `other` by `t` (0 is `self`).
    pub fn lerp(&self, other: &VisemeWeights, t: f32) -> VisemeWeights {
        let mut w = self.0;
        for (a, b) in w.iter_mut().zip(other.0) {
            *a += (b - *a) * t;
        }
        VisemeWeights(w)
    }
}

impl std::ops::Index<Viseme> for VisemeWeights {
    type Output = f32;
    fn index(&self, v: Viseme) -> &f32 {
        &self.0[v as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blends_fill_up_with_rest_and_name_their_dominant_shape() {
        let eo = VisemeWeights::blend(&[(Viseme::Oh, 0.6), (Viseme::Aa, 0.4)]);
        assert_eq!(eo.get(Viseme::Sil), 0.0);
        assert_eq!(eo.dominant(), Viseme::Oh);
        let small = VisemeWeights::blend(&[(Viseme::Ih, 0.6)]);
        assert!((small[Viseme::Sil] - 0.4).abs() < 1e-6);
        assert!((small.openness() - 0.6).abs() < 1e-6);
        assert_eq!(VisemeWeights::REST.dominant(), Viseme::Sil);
        let half = VisemeWeights::REST.lerp(&VisemeWeights::only(Viseme::Pp), 0.5);
        assert_eq!(half.0[..2], [0.5, 0.5]);
        let names: Vec<&str> = Viseme::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(names, ["sil", "pp", "aa", "ih", "ou", "ee", "oh"]);
    }
}
