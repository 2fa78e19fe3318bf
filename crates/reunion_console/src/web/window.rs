//! The web console's address and QR code in the desktop window, so a tablet opens the
//! page by its camera. Shown until a page has connected with the code, then behind a
//! folded header (the participant may see the window when playing flat-screen).

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::WebConsole;
use super::access::qr_modules;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(EguiPrimaryContextPass, show_tablet_code);
}

/// The QR code's module size in points.
const MODULE: f32 = 4.0;

/// The page's address and its QR code, in a small window at the bottom left.
fn show_tablet_code(
    mut contexts: EguiContexts,
    web: Res<WebConsole>,
    mut qr: Local<Option<(String, usize, Vec<bool>)>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let url = web.0.page_url();
    if qr.as_ref().is_none_or(|(u, ..)| *u != url) {
        *qr = qr_modules(&url).map(|(w, dark)| (url.clone(), w, dark));
    }
    let connected = web
        .0
        .shared
        .connected
        .load(std::sync::atomic::Ordering::SeqCst);
    egui::Window::new("Facilitator's tablet")
        .anchor(egui::Align2::LEFT_BOTTOM, [10.0, -10.0])
        .resizable(false)
        .collapsible(true)
        .show(ctx, |ui| {
            let draw = |ui: &mut egui::Ui| {
                ui.label("Scan with the tablet's camera, or open:");
                ui.label(egui::RichText::new(&url).monospace());
                if let Some((_, width, dark)) = qr.as_ref() {
                    draw_qr(ui, *width, dark);
                }
            };
            if connected {
                ui.label("a tablet is connected");
                egui::CollapsingHeader::new("address and QR code")
                    .default_open(false)
                    .show(ui, draw);
            } else {
                draw(ui);
            }
        });
    Ok(())
}

/// A QR code's modules, dark on white with the standard's quiet zone of four modules.
fn draw_qr(ui: &mut egui::Ui, width: usize, dark: &[bool]) {
    let quiet = 4.0 * MODULE;
    let side = width as f32 * MODULE + 2.0 * quiet;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = ((i % width) as f32, (i / width) as f32);
        let min = rect.min + egui::vec2(quiet + x * MODULE, quiet + y * MODULE);
        painter.rect_filled(
            egui::Rect::from_min_size(min, egui::vec2(MODULE, MODULE)),
            0.0,
            egui::Color32::BLACK,
        );
    }
}
