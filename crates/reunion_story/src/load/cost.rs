//! What each place costs to draw, against the budget of a standalone headset
//! (`DESIGN.md`): under [`DRAW_CALL_BUDGET`] draw calls and [`TRIANGLE_BUDGET`]
//! triangles per eye, and (our choice) [`TEXTURE_BUDGET_BYTES`] of textures in GPU
//! memory. A place over any of them gets one warning, at its entry in `places`, with
//! every number.
//!
//! Counted: the glTF models the place shows (its environment, each model thing as
//! often as it is placed, hidden ones too since they appear, and the models of the
//! actors it places), each primitive a draw call, each texture image once however often
//! its file is placed. Not counted: the procedural things and surroundings and the
//! built-in avatar, whose meshes the stage builds at run time; they are a few dozen
//! simple shapes.

use std::path::PathBuf;

use super::Compiler;
use super::scene_models::Cost;
use crate::spans::{field, key};
use crate::story::*;

/// Draw calls per eye a standalone headset can afford.
pub const DRAW_CALL_BUDGET: u64 = 100;
/// Triangles per eye a standalone headset can afford.
pub const TRIANGLE_BUDGET: u64 = 300_000;
/// GPU memory for a place's textures: a quarter of what a standalone headset leaves an
/// app, so the next place can be loading while this one plays.
pub const TEXTURE_BUDGET_BYTES: u64 = 256 * 1024 * 1024;

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / (1024.0 * 1024.0))
}

impl Compiler<'_> {
    /// The place's models against the headset budget: a warning when over.
    pub(super) fn check_place_cost(&mut self, place: &Place) {
        let mut total = Cost::default();
        let mut textured: Vec<PathBuf> = Vec::new();
        let mut add = |file: &PathBuf, cost: Cost| {
            total.triangles = total.triangles.saturating_add(cost.triangles);
            total.draw_calls = total.draw_calls.saturating_add(cost.draw_calls);
            if !textured.contains(file) {
                textured.push(file.clone());
                total.texture_bytes = total.texture_bytes.saturating_add(cost.texture_bytes);
            }
        };
        let scene_cost = |c: &Self, file: &PathBuf| {
            c.scene_models
                .get(file)
                .and_then(|m| m.as_ref())
                .map(|m| m.cost)
        };
        if let Some(file) = place.environment.model_file()
            && let Some(cost) = scene_cost(self, file)
        {
            add(file, cost);
        }
        for thing in &place.things {
            let cost = match &thing.kind {
                ThingKind::Model { file } => scene_cost(self, file).map(|c| (file.clone(), c)),
                ThingKind::Actor(a) => {
                    let file = self
                        .file
                        .cast
                        .0
                        .get(a.index())
                        .and_then(|(_, entry)| entry.model.as_ref())
                        .and_then(|m| super::check_relative_path(&m.file).ok());
                    file.and_then(|f| self.cast_model_cost(&f).map(|c| (f, c)))
                }
                _ => None,
            };
            if let Some((file, cost)) = cost {
                add(&file, cost);
            }
        }
        let over_triangles = total.triangles > TRIANGLE_BUDGET;
        let over_draws = total.draw_calls > DRAW_CALL_BUDGET;
        let over_textures = total.texture_bytes > TEXTURE_BUDGET_BYTES;
        if !(over_triangles || over_draws || over_textures) {
            return;
        }
        let mark = |over: bool| if over { ", over" } else { "" };
        let message = format!(
            "place `{}` costs more than a standalone headset can draw: its models have {} triangles (budget {} per eye{}), {} draw calls (budget {}{}) and {} of textures (budget {}{})",
            place.id,
            thousands(total.triangles),
            thousands(TRIANGLE_BUDGET),
            mark(over_triangles),
            total.draw_calls,
            DRAW_CALL_BUDGET,
            mark(over_draws),
            megabytes(total.texture_bytes),
            megabytes(TEXTURE_BUDGET_BYTES),
            mark(over_textures),
        );
        self.warn(&[field("places"), key(&place.id)], message).hint = Some(
            "simplify meshes (Blender's Decimate), join parts that share a material, use smaller textures; procedural things and the built-in avatar are not counted".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_numbers_are_grouped_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(300_000), "300,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(megabytes(TEXTURE_BUDGET_BYTES), "256 MB");
    }
}
