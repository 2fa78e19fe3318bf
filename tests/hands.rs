//! The participant's hands, headless, through the hand model: every test moves the
//! hand and head entities exactly as the XR input and the flat emulation do, and
//! watches what reaches the director.

use bevy::prelude::*;
use reunion_hands::candles::{BLOW_REACH, FLAME_HEIGHT, Lit};
use reunion_hands::grip::{GripChange, GripLatch};
use reunion_hands::prelude::*;
use reunion_hands::props::{CANDLE_GRIP_HEIGHT, Falling, InHand};
use reunion_stage::components::CandleSlot;
use reunion_stage::prelude::*;
use reunion_stage::transition::TransitionView;
use reunion_story::director::{Cue, OperatorCommand, Phase, StoryEvent};
use reunion_story::format::TouchZone;

use crate::app::{autopilot_app, run_until};
use crate::{golden, lines};

/// What the world reported to the director, and every cue, in order.
#[derive(Resource, Default)]
struct Seen {
    events: Vec<StoryEvent>,
    cues: Vec<Cue>,
    haptics: usize,
}

fn watch(
    mut reports: MessageReader<ReportStoryEvent>,
    mut cues: MessageReader<CueIssued>,
    mut haptics: MessageReader<HapticRequest>,
    mut seen: ResMut<Seen>,
) {
    seen.events.extend(reports.read().map(|r| r.0.clone()));
    seen.cues.extend(cues.read().map(|c| c.0.clone()));
    seen.haptics += haptics.read().count();
}

/// Records what reaches the director, and readies the app.
fn watched(mut app: App) -> App {
    app.init_resource::<Seen>().add_systems(
        Update,
        watch
            .after(HandsSystems::Interact)
            .before(StageSystems::Director),
    );
    app.finish();
    app.cleanup();
    app
}

/// The reference story with nobody acting: only what a test does with the hands.
fn live_app() -> App {
    let mut app = crate::live_headless_app();
    app.add_plugins((reunion_hands::HandsPlugin, reunion_avatar::AvatarPlugin))
        // The test moves the hands: nothing else does.
        .insert_resource(HandInput::Scripted);
    watched(app)
}

fn node_is(w: &World, name: &str) -> bool {
    w.get_resource::<StorySession>().is_some_and(|s| {
        let d = &s.session.director;
        s.story().node(d.node()).id == name
    })
}

/// Jumps the director to `node` and lets the fade finish.
fn jump(app: &mut App, node: &str) {
    assert!(
        run_until(app, 90 * 5, |w| w.get_resource::<StorySession>().is_some()),
        "the story did not start"
    );
    let id = app
        .world()
        .resource::<StorySession>()
        .story()
        .node_id(node)
        .expect("node");
    app.world_mut()
        .write_message(OperatorRequest(OperatorCommand::JumpTo(id)));
    assert!(
        run_until(app, 90 * 10, |w| w
            .resource::<TransitionView>()
            .active
            .is_none()
            && w.resource::<StorySession>().session.director.node() >= id),
        "the jump to `{node}` never finished"
    );
}

fn steps(app: &mut App, n: u32) {
    for _ in 0..n {
        app.update();
    }
}

fn hand(app: &mut App, side: HandSide) -> Entity {
    let mut q = app.world_mut().query::<(Entity, &ParticipantHand)>();
    q.iter(app.world())
        .find(|(_, h)| h.side == side)
        .map(|(e, _)| e)
        .expect("the hands exist")
}

/// Puts a hand somewhere with a grip, as an input would.
fn set_hand(app: &mut App, side: HandSide, at: Vec3, grip: f32) {
    let e = hand(app, side);
    let mut entity = app.world_mut().entity_mut(e);
    entity.get_mut::<Transform>().expect("pose").translation = at;
    let mut h = entity.get_mut::<ParticipantHand>().expect("hand");
    h.grip = grip;
    h.tracking = Tracking::Tracked;
}

/// Holds a hand in place with a grip for `n` frames.
fn hold_hand_at(app: &mut App, side: HandSide, at: impl Fn(&mut App) -> Vec3, grip: f32, n: u32) {
    for _ in 0..n {
        let p = at(app);
        set_hand(app, side, p, grip);
        app.update();
    }
}

fn palm(app: &mut App) -> Vec3 {
    let mut q = app.world_mut().query::<(&OfferingHand, &GlobalTransform)>();
    q.iter(app.world())
        .next()
        .map(|(_, g)| g.translation())
        .expect("her palm")
}

fn count(seen: &Seen, f: impl Fn(&StoryEvent) -> bool) -> usize {
    seen.events.iter().filter(|e| f(e)).count()
}

fn held(app: &App) -> usize {
    count(app.world().resource::<Seen>(), |e| {
        matches!(e, StoryEvent::HandHeld(_))
    })
}

fn released(app: &App) -> usize {
    count(app.world().resource::<Seen>(), |e| {
        matches!(e, StoryEvent::HandReleased)
    })
}

/// At her offered hand, arm out, walked up to within reach.
fn app_with_her_hand_offered() -> App {
    let mut app = live_app();
    jump(&mut app, "hold_hand");
    assert!(
        run_until(&mut app, 90 * 20, |w| w.resource::<Offers>().0.len() == 1),
        "she never offered her hand"
    );
    // She walks up and reaches out.
    steps(&mut app, 90 * 5);
    app
}

#[test]
fn jittery_grip_values_do_not_flicker_the_latch() {
    let mut l = GripLatch::default();
    assert_eq!(l.update(0.9, true, 0.011), Some(GripChange::Closed));
    for i in 0..500 {
        let g = 0.55 + 0.15 * ((i as f32) * 1.7).sin();
        assert_eq!(l.update(g, true, 0.011), None);
    }
    assert!(l.is_closed());
    assert_eq!(l.update(0.2, true, 0.011), Some(GripChange::Opened));
}

#[test]
fn a_short_tracking_loss_keeps_the_grip_a_long_one_opens_it() {
    let mut l = GripLatch::default();
    l.update(1.0, true, 0.011);
    for _ in 0..30 {
        assert_eq!(l.update(0.0, false, 0.011), None);
    }
    assert!(l.is_closed());
    l.update(1.0, true, 0.011);
    let opened = (0..60).any(|_| l.update(0.0, false, 0.011) == Some(GripChange::Opened));
    assert!(opened && !l.is_closed());
}

#[test]
fn her_hand_is_held_only_within_reach_and_with_a_grip() {
    let mut app = app_with_her_hand_offered();
    // She came to her mother: within arm's length.
    let head = {
        let mut q = app
            .world_mut()
            .query_filtered::<&GlobalTransform, With<ParticipantHead>>();
        q.single(app.world()).expect("head").translation()
    };
    let p = palm(&mut app);
    assert!(
        p.with_y(0.0).distance(head.with_y(0.0)) < 1.3,
        "she stays out of reach: palm {p}, head {head}"
    );
    // A fist far from her hand takes nothing.
    hold_hand_at(
        &mut app,
        HandSide::Right,
        |a| palm(a) + Vec3::X * 0.35,
        1.0,
        30,
    );
    hold_hand_at(
        &mut app,
        HandSide::Right,
        |a| palm(a) + Vec3::X * 0.35,
        0.0,
        10,
    );
    assert_eq!(held(&app), 0, "a grip out of reach");
    // An open hand at hers takes nothing either.
    hold_hand_at(&mut app, HandSide::Right, palm, 0.0, 30);
    assert_eq!(held(&app), 0, "an open hand");
    // Closing it there does.
    hold_hand_at(&mut app, HandSide::Right, palm, 1.0, 10);
    assert_eq!(held(&app), 1);
    let s = app.world().resource::<StorySession>();
    assert!(s.session.stand_in.holding().is_some());
    assert_eq!(
        app.world().resource::<HandHold>().held.map(|h| h.side),
        Some(HandSide::Right)
    );
    // The story goes on from the wait.
    assert!(run_until(&mut app, 90 * 3, |w| node_is(w, "afraid")
        || node_is(w, "holding")));
}

#[test]
fn a_held_hand_survives_jitter_and_a_moment_of_lost_tracking_and_opens_to_let_go() {
    let mut app = app_with_her_hand_offered();
    hold_hand_at(&mut app, HandSide::Right, palm, 1.0, 10);
    assert_eq!(held(&app), 1);
    let right = hand(&mut app, HandSide::Right);
    let base = palm(&mut app);
    // Tracking noise: the grip wavers between 0.4 and 0.7, the hand shakes by a cm.
    let mut seed = 7u32;
    let mut rnd = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (seed >> 8) as f32 / (1u32 << 24) as f32
    };
    for i in 0..300 {
        let grip = 0.4 + 0.3 * rnd();
        let shake = Vec3::new(rnd() - 0.5, rnd() - 0.5, rnd() - 0.5) * 0.02;
        set_hand(&mut app, HandSide::Right, base + shake, grip);
        if (100..130).contains(&i) {
            app.world_mut()
                .get_mut::<ParticipantHand>(right)
                .expect("hand")
                .tracking = Tracking::Lost;
        }
        app.update();
    }
    assert_eq!(released(&app), 0, "jitter let go of her hand");
    assert_eq!(held(&app), 1);
    hold_hand_at(&mut app, HandSide::Right, |_| base, 0.1, 5);
    assert_eq!(released(&app), 1, "an open hand lets go");
    assert!(
        app.world()
            .resource::<StorySession>()
            .session
            .stand_in
            .holding()
            .is_none()
    );
}

#[test]
fn letting_go_during_the_lead_pauses_it_until_her_hand_is_taken_again() {
    let mut app = app_with_her_hand_offered();
    let follow = |a: &mut App| {
        let p = palm(a);
        let h = hand(a, HandSide::Right);
        // Once held her hand follows ours: keep ours where it is.
        let held = a.world().resource::<HandHold>().held.is_some();
        if held {
            a.world().get::<Transform>(h).expect("pose").translation
        } else {
            p
        }
    };
    hold_hand_at(&mut app, HandSide::Right, follow, 1.0, 10);
    assert_eq!(held(&app), 1);
    let leading = |w: &World| {
        matches!(
            w.resource::<StorySession>().session.director.phase(),
            Phase::Transition { .. }
        )
    };
    for _ in 0..(90 * 30) {
        if leading(app.world()) {
            break;
        }
        hold_hand_at(&mut app, HandSide::Right, follow, 1.0, 1);
    }
    assert!(leading(app.world()), "the lead never began");
    hold_hand_at(&mut app, HandSide::Right, follow, 1.0, 90);
    let remaining = |a: &App| match a
        .world()
        .resource::<StorySession>()
        .session
        .director
        .phase()
    {
        Phase::Transition { remaining, .. } => *remaining,
        _ => -1.0,
    };
    // Let go: the lead stops, and she offers her hand again.
    hold_hand_at(&mut app, HandSide::Right, follow, 0.0, 5);
    assert_eq!(released(&app), 1);
    let paused_at = remaining(&app);
    steps(&mut app, 90 * 2);
    assert!(
        (remaining(&app) - paused_at).abs() < 1e-6,
        "the lead went on without her hand: {paused_at} then {}",
        remaining(&app)
    );
    let seen = app.world().resource::<Seen>();
    assert!(seen.cues.iter().any(|c| matches!(c, Cue::LeadPaused(_))));
    // Take it again: the lead goes on.
    hold_hand_at(&mut app, HandSide::Right, palm, 0.0, 20);
    hold_hand_at(&mut app, HandSide::Right, palm, 1.0, 10);
    assert_eq!(held(&app), 2);
    let before = remaining(&app);
    hold_hand_at(&mut app, HandSide::Right, follow, 1.0, 90);
    assert!(remaining(&app) < before - 0.5, "the lead did not go on");
}

#[test]
fn a_hand_not_taken_again_during_the_lead_is_waited_for_then_the_lead_goes_on() {
    use reunion_story::director::LEAD_WAITS_FOR_HAND;
    use reunion_story::story::WorldCue;
    let mut app = app_with_her_hand_offered();
    hold_hand_at(&mut app, HandSide::Right, palm, 1.0, 10);
    assert_eq!(held(&app), 1);
    let leading = |w: &World| {
        matches!(
            w.resource::<StorySession>().session.director.phase(),
            Phase::Transition { .. }
        )
    };
    assert!(
        run_until(&mut app, 90 * 30, leading),
        "the lead never began"
    );
    steps(&mut app, 90);
    // Let go, and rest the hand far from hers: nobody takes it again.
    hold_hand_at(
        &mut app,
        HandSide::Right,
        |_| Vec3::new(0.6, 0.2, 2.0),
        0.0,
        5,
    );
    assert_eq!(released(&app), 1);
    let offers = |a: &App| a.world().resource::<Offers>().0.len();
    let wait = (LEAD_WAITS_FOR_HAND as f32 * 90.0) as u32;
    steps(&mut app, wait - 90);
    assert!(
        leading(app.world()),
        "the lead ended while she waited for the hand"
    );
    assert_eq!(offers(&app), 1, "she stopped holding out her hand too soon");
    // She lowers it, and they arrive.
    steps(&mut app, 180);
    assert_eq!(offers(&app), 0, "she still holds out her hand");
    let seen = app.world().resource::<Seen>();
    assert!(
        seen.cues
            .iter()
            .any(|c| matches!(c, Cue::World(WorldCue::LetGo(_)))),
        "no LetGo cue"
    );
    assert!(
        run_until(&mut app, 90 * 20, |w| !leading(w)),
        "the lead never ended"
    );
    assert_eq!(held(&app), 1, "her hand was taken again by itself");
}

/// In the heaven room, at the candles.
fn app_at_the_candles() -> App {
    let mut app = live_app();
    jump(&mut app, "candles_ask");
    assert!(
        run_until(&mut app, 90 * 5, |w| node_is(w, "wait_candles")),
        "never waited for the candles"
    );
    assert_eq!(sockets(&mut app).len(), 7);
    assert_eq!(free_candles(&mut app).len(), 7);
    app
}

/// The cake's sockets, in index order, where they are.
fn sockets(app: &mut App) -> Vec<(u16, Vec3)> {
    let mut q = app.world_mut().query::<(&Socket, &GlobalTransform)>();
    let mut v: Vec<_> = q
        .iter(app.world())
        .map(|(s, g)| (s.index, g.translation()))
        .collect();
    v.sort_by_key(|s| s.0);
    v
}

/// Candles not in the cake, in scene order: entity and base.
fn free_candles(app: &mut App) -> Vec<(Entity, Vec3)> {
    let mut q = app
        .world_mut()
        .query_filtered::<(Entity, &CandleSlot, &Transform), Without<Socketed>>();
    let mut v: Vec<_> = q
        .iter(app.world())
        .map(|(e, c, t)| (e, c.0, t.translation))
        .collect();
    v.sort_by_key(|c| c.1);
    v.into_iter().map(|(e, _, t)| (e, t)).collect()
}

/// Picks up the candle whose base is at `base` and lets go of it with its base at `to`.
fn carry_candle(app: &mut App, base: Vec3, to: Vec3) {
    let grip = Vec3::Y * CANDLE_GRIP_HEIGHT;
    hold_hand_at(app, HandSide::Right, |_| base + grip, 0.0, 3);
    hold_hand_at(app, HandSide::Right, |_| base + grip, 1.0, 5);
    for k in 1..=20 {
        let at = (base + grip).lerp(to + grip, k as f32 / 20.0);
        hold_hand_at(app, HandSide::Right, |_| at, 1.0, 1);
    }
    hold_hand_at(app, HandSide::Right, |_| to + grip, 0.0, 5);
    // Take the hand away.
    hold_hand_at(
        app,
        HandSide::Right,
        |_| to + grip + Vec3::new(0.0, 0.2, 0.2),
        0.0,
        3,
    );
}

fn placed(app: &App) -> Vec<u8> {
    app.world()
        .resource::<Seen>()
        .events
        .iter()
        .filter_map(|e| match e {
            StoryEvent::CandlePlaced(i) => Some(*i),
            _ => None,
        })
        .collect()
}

fn all_placed(app: &App) -> usize {
    count(app.world().resource::<Seen>(), |e| {
        matches!(e, StoryEvent::AllCandlesPlaced)
    })
}

#[test]
fn seven_candles_in_any_order_fill_the_cake_and_the_story_goes_on() {
    let mut app = app_at_the_candles();
    let candles = free_candles(&mut app);
    let sockets = sockets(&mut app);
    // Candles and sockets both taken out of order.
    let candle_order = [4, 1, 6, 0, 3, 5, 2];
    let socket_order = [2, 6, 0, 5, 1, 4, 3];
    for (n, (&c, &s)) in candle_order.iter().zip(&socket_order).enumerate() {
        carry_candle(&mut app, candles[c].1, sockets[s].1);
        assert_eq!(placed(&app).len(), n + 1, "candle {c} into socket {s}");
        assert_eq!(all_placed(&app), usize::from(n == 6));
    }
    let mut got = placed(&app);
    got.sort_unstable();
    assert_eq!(got, vec![0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(
        app.world()
            .resource::<StorySession>()
            .session
            .stand_in
            .candles_placed(),
        7
    );
    assert!(free_candles(&mut app).is_empty());
    assert!(
        run_until(&mut app, 90 * 3, |w| node_is(w, "seven")),
        "the wait for the candles was not met"
    );
}

#[test]
fn a_candle_dropped_off_the_cake_rests_where_it_falls_and_does_not_count() {
    let mut app = app_at_the_candles();
    let candles = free_candles(&mut app);
    // Over the table, away from the cake, from 30 cm up.
    let over_table = Vec3::new(-0.35, 0.75, 0.2);
    carry_candle(&mut app, candles[0].1, over_table);
    // Over the floor beside the table.
    carry_candle(&mut app, candles[1].1, Vec3::new(-0.9, 0.8, 0.7));
    steps(&mut app, 90);
    let t = |app: &App, e: Entity| app.world().get::<Transform>(e).expect("pose").translation;
    let on_table = t(&app, candles[0].0);
    let on_floor = t(&app, candles[1].0);
    assert!(
        (on_table.y - 0.45).abs() < 1e-3,
        "on the table top: {on_table}"
    );
    assert!(on_floor.y.abs() < 1e-3, "on the floor: {on_floor}");
    assert!((on_table.with_y(0.0) - over_table.with_y(0.0)).length() < 1e-3);
    for e in [candles[0].0, candles[1].0] {
        assert!(app.world().get::<Falling>(e).is_none());
        assert!(app.world().get::<InHand>(e).is_none());
    }
    assert!(placed(&app).is_empty(), "a dropped candle counted");
    assert_eq!(
        app.world()
            .resource::<StorySession>()
            .session
            .stand_in
            .candles_placed(),
        0
    );
    // It can be picked up again from where it lies, and then it counts.
    let socket = sockets(&mut app)[0].1;
    carry_candle(&mut app, on_table, socket);
    assert_eq!(placed(&app), vec![0]);
}

fn move_head(app: &mut App, at: Vec3) {
    let mut q = app
        .world_mut()
        .query_filtered::<&mut Transform, With<ParticipantHead>>();
    let mut t = q.single_mut(app.world_mut()).expect("head");
    t.translation = at;
}

fn lit(app: &mut App) -> Vec<Vec3> {
    let mut q = app.world_mut().query_filtered::<&Transform, With<Lit>>();
    q.iter(app.world()).map(|t| t.translation).collect()
}

#[test]
fn the_candles_go_out_only_when_the_head_comes_close_for_a_moment() {
    let mut app = app_at_the_candles();
    let candles = free_candles(&mut app);
    for ((_, base), (_, socket)) in candles.iter().zip(sockets(&mut app)) {
        carry_candle(&mut app, *base, socket);
    }
    assert!(
        run_until(&mut app, 90 * 10, |w| {
            w.resource::<StorySession>().session.stand_in.candles_lit()
        }),
        "the candles were never lit"
    );
    let flames = {
        let l = lit(&mut app);
        assert_eq!(l.len(), 7, "every candle in the cake burns");
        l.iter().sum::<Vec3>() / 7.0 + Vec3::Y * FLAME_HEIGHT
    };
    let blown = |app: &App| {
        count(app.world().resource::<Seen>(), |e| {
            matches!(e, StoryEvent::CandlesBlownOut)
        })
    };
    // Kneeling across the table, a metre away: nothing, however long.
    move_head(&mut app, flames + Vec3::new(0.0, 0.3, 0.95));
    steps(&mut app, 90 * 3);
    assert_eq!(blown(&app), 0);
    // A glance in and out, shorter than a breath: nothing.
    move_head(&mut app, flames + Vec3::new(0.0, 0.1, BLOW_REACH * 0.5));
    steps(&mut app, 20);
    move_head(&mut app, flames + Vec3::new(0.0, 0.3, 0.95));
    steps(&mut app, 10);
    assert_eq!(blown(&app), 0);
    // Leaning in and staying: out they go, once.
    move_head(&mut app, flames + Vec3::new(0.0, 0.1, BLOW_REACH * 0.5));
    steps(&mut app, 90);
    assert_eq!(blown(&app), 1);
    assert!(lit(&mut app).is_empty());
    assert!(
        !app.world()
            .resource::<StorySession>()
            .session
            .stand_in
            .candles_lit()
    );
}

fn zone(app: &mut App, which: TouchZone) -> Vec3 {
    let mut q = app.world_mut().query::<(&BodyZone, &GlobalTransform)>();
    q.iter(app.world())
        .find(|(z, _)| z.zone == which)
        .map(|(_, g)| g.translation())
        .expect("the zone")
}

#[test]
fn a_touch_zone_fires_once_per_touch() {
    let mut app = live_app();
    jump(&mut app, "miss_me");
    let touched = |app: &App| {
        count(app.world().resource::<Seen>(), |e| {
            matches!(e, StoryEvent::Touched(_, TouchZone::Head))
        })
    };
    let head = zone(&mut app, TouchZone::Head);
    let away = head + Vec3::new(0.0, 0.3, 0.5);
    hold_hand_at(&mut app, HandSide::Left, |_| away, 0.0, 5);
    assert_eq!(touched(&app), 0);
    // Stroking her head for two seconds is one touch.
    hold_hand_at(
        &mut app,
        HandSide::Left,
        |a| zone(a, TouchZone::Head),
        0.0,
        180,
    );
    assert_eq!(touched(&app), 1);
    hold_hand_at(&mut app, HandSide::Left, |_| away, 0.0, 10);
    hold_hand_at(
        &mut app,
        HandSide::Left,
        |a| zone(a, TouchZone::Head),
        0.0,
        10,
    );
    assert_eq!(touched(&app), 2, "a second touch");
    // An untracked hand touches nothing.
    let left = hand(&mut app, HandSide::Left);
    hold_hand_at(&mut app, HandSide::Left, |_| away, 0.0, 10);
    for _ in 0..30 {
        let at = zone(&mut app, TouchZone::Head);
        set_hand(&mut app, HandSide::Left, at, 0.0);
        app.world_mut()
            .get_mut::<ParticipantHand>(left)
            .expect("hand")
            .tracking = Tracking::Lost;
        app.update();
    }
    assert_eq!(touched(&app), 2);
}

#[test]
fn the_autopilot_finishes_the_story_with_its_hands() {
    let mut app = watched(autopilot_app("en"));
    assert!(
        run_until(&mut app, 90 * 900, |w| w
            .get_resource::<StorySession>()
            .is_some_and(|s| s.session.director.is_ended())),
        "the story did not end"
    );
    let s = app.world().resource::<StorySession>();
    assert!(s.session.performs_in_world());
    let transcript: String = s
        .session
        .transcript
        .iter()
        .map(|l| l.render(s.story(), s.lang) + "\n")
        .collect();
    // The same path through the story as the pure autopilot: every wait met by the
    // hands and head, none by a timeout.
    assert_eq!(lines(&transcript), lines(&golden("en")));
    let seen = app.world().resource::<Seen>();
    let placed = count(seen, |e| matches!(e, StoryEvent::CandlePlaced(_)));
    assert_eq!(placed, 7, "seven candles set by a hand");
    assert_eq!(
        count(seen, |e| matches!(e, StoryEvent::AllCandlesPlaced)),
        1
    );
    assert!(count(seen, |e| matches!(e, StoryEvent::HandHeld(_))) >= 1);
    assert_eq!(count(seen, |e| matches!(e, StoryEvent::CandlesBlownOut)), 1);
    // Taking and letting go of her hand and seven snaps, each felt.
    assert!(seen.haptics >= 8, "haptics: {}", seen.haptics);
}

#[test]
fn an_offered_hand_out_of_the_flat_view_is_pointed_to() {
    use reunion_hands::flat::look_towards;
    let size = Vec2::new(1280.0, 720.0);
    assert_eq!(look_towards(Some(Vec2::new(640.0, 360.0)), size), None);
    assert_eq!(look_towards(Some(Vec2::new(640.0, 650.0)), size), None);
    // At the very edge, behind the hint line: as good as out of view.
    assert_eq!(
        look_towards(Some(Vec2::new(640.0, 705.0)), size),
        Some("look down (↓)")
    );
    assert_eq!(
        look_towards(Some(Vec2::new(640.0, 760.0)), size),
        Some("look down (↓)")
    );
    assert_eq!(
        look_towards(Some(Vec2::new(640.0, -40.0)), size),
        Some("look up (↑)")
    );
    assert_eq!(
        look_towards(Some(Vec2::new(-10.0, 300.0)), size),
        Some("look left (←)")
    );
    assert_eq!(
        look_towards(Some(Vec2::new(1300.0, 300.0)), size),
        Some("look right (→)")
    );
    // Behind the eyes nothing projects.
    assert_eq!(look_towards(None, size), None);
}
