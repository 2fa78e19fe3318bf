//! `reunion bench --peers`: our pieces beside what people would otherwise use, in one
//! run on the same machine, as ratios.
//!
//! * **The director against Yarn Spinner** (the `yarnspinner` crate's compiler and
//!   runtime, no Bevy). The reference story is played once by the autopilot; the cues
//!   it gave become a Yarn script: each line a Yarn line (speaker and text), every wait,
//!   pause, transition and world cue a command (`<<wait_for ...>>`, `<<pause 2>>`,
//!   `<<go heaven_room LeadByHand 12>>`), variables `<<set>>`. Yarn then runs that
//!   script to its end, commands answered at once, while the director plays the story
//!   frame by frame at 90 Hz. Compared: the cost of the step that gives a line, the
//!   whole dialogue per line, and steps per second.
//! * **A place against Bevy's `DynamicWorld`** (`bevy_world_serialization`): a place of
//!   the story is spawned and despawned by `spawn_place`; the same entities (their
//!   names, transforms, visibility, parents, meshes and materials, and what our markers
//!   say) are written in Bevy's RON world format, then read back, spawned with
//!   `DynamicWorld::write_to_world` and despawned. Compared: reading the file, spawning
//!   and despawning, each and together.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bevy::asset::uuid::Uuid;
use bevy::ecs::entity::EntityHashMap;
use bevy::ecs::system::RunSystemOnce;
use bevy::prelude::*;
use bevy::world_serialization::serde::WorldDeserializer;
use bevy::world_serialization::{DynamicWorld, DynamicWorldBuilder};
use reunion_stage::components::PlaceScoped;
use reunion_stage::place::spawn_place;
use reunion_stage::shapes::Kit;
use reunion_story::story::{PlaceId, Story};

use crate::bench::{Row, row, stats};

/// Every peer figure, as rows.
pub(crate) fn rows(story: &Arc<Story>, folder: &Path, file: &Path, reps: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    eprintln!("bench: the director against Yarn Spinner…");
    #[cfg(feature = "yarn-peer")]
    match director_against_yarn(story, reps) {
        Ok(r) => rows.extend(r),
        Err(e) => eprintln!("warning: Yarn Spinner not measured: {e}"),
    }
    #[cfg(not(feature = "yarn-peer"))]
    eprintln!(
        "warning: Yarn Spinner not measured: build with `--features yarn-peer` (it rebuilds Bevy)"
    );
    eprintln!("bench: a place against Bevy's DynamicWorld…");
    match place_against_dynamic_world(story, folder, file, reps) {
        Ok(r) => rows.extend(r),
        Err(e) => eprintln!("warning: DynamicWorld not measured: {e}"),
    }
    rows
}

/// Which is faster, and by how much.
fn ratio_note(ours: f64, theirs: f64) -> String {
    if ours <= theirs {
        format!("ours {:.2}× faster", theirs / ours.max(1e-12))
    } else {
        format!("ours {:.2}× slower", ours / theirs.max(1e-12))
    }
}

// ---------------------------------------------------------------------------------
// The director against Yarn Spinner (with the `yarn-peer` feature).

#[cfg(feature = "yarn-peer")]
mod yarn {
    use super::*;
    use crate::bench::ms;
    use reunion_story::director::Cue;
    use reunion_story::participant::Autopilot;
    use reunion_story::session::Session;
    use reunion_story::story::NodeKind;

    /// One run of the director through the story: every step, which of them gave a line.
    struct DirectorRun {
        steps: Vec<Duration>,
        line_steps: Vec<Duration>,
        /// The cues in order (for the Yarn script).
        cues: Vec<Cue>,
        /// Each node the director came to, in order, and when (cue index).
        nodes: Vec<(usize, reunion_story::story::NodeId)>,
    }

    fn director_run(story: &Arc<Story>) -> DirectorRun {
        let mut session =
            Session::new(Arc::clone(story)).with_participant(Box::new(Autopilot::new()));
        let mut cues = session.start();
        let mut run = DirectorRun {
            steps: Vec::new(),
            line_steps: Vec::new(),
            cues: Vec::new(),
            nodes: vec![(0, session.director.node())],
        };
        run.cues.append(&mut cues);
        for _ in 0..90 * 3600 {
            if session.director.is_ended() || session.stuck().is_some() {
                break;
            }
            let said = session.transcript.len();
            let before = session.director.node();
            let t = Instant::now();
            let mut cues = session.step(1.0 / 90.0, []);
            let took = t.elapsed();
            run.steps.push(took);
            if session.transcript.len() > said {
                run.line_steps.push(took);
            }
            if session.director.node() != before {
                run.nodes.push((run.cues.len(), session.director.node()));
            }
            run.cues.append(&mut cues);
        }
        run
    }

    /// A word safe in a Yarn command: letters, digits and `_`, the rest as `_`.
    fn word(s: &str) -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }

    /// Line text as Yarn reads it: its markup characters escaped, on one line.
    fn yarn_text(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '\n' | '\r' => out.push(' '),
                '\\' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '/' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        out
    }

    /// The story as the director played it, as one Yarn node: lines as lines, everything
    /// else as commands, variables as Yarn variables.
    fn yarn_script(story: &Story, run: &DirectorRun) -> String {
        use reunion_story::format::Value;
        let value = |v: &Value| match v {
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Text(t) => format!("\"{}\"", word(t)),
        };
        let mut out = String::from("title: Start\n---\n");
        for var in &story.variables {
            out.push_str(&format!(
                "<<declare ${} = {}>>\n",
                word(&var.id),
                value(&var.initial)
            ));
        }
        let mut nodes = run.nodes.iter().peekable();
        for (i, cue) in run.cues.iter().enumerate() {
            // Pauses are the director's own time: a command, as a game would wait.
            while let Some((_, node)) = nodes.next_if(|(at, _)| *at <= i) {
                if let NodeKind::Pause { seconds, .. } = &story.node(*node).kind {
                    out.push_str(&format!("<<pause {seconds}>>\n"));
                }
            }
            let line = match cue {
                Cue::Say { node, speaker, .. } => {
                    let Some(l) = story.line(*node) else { continue };
                    let name = word(&story.actor(*speaker).name[0]);
                    let mut s = format!("{name}: {}\n", yarn_text(&l.text[0]));
                    if l.pause > 0.0 {
                        s.push_str(&format!("<<pause {}>>\n", l.pause));
                    }
                    s
                }
                Cue::Waiting { node, timeout } => format!(
                    "<<wait_for {} {}>>\n",
                    word(&story.node(*node).id),
                    timeout.unwrap_or(0.0)
                ),
                Cue::StartTransition { place, transition } => format!(
                    "<<go {} {} {}>>\n",
                    word(&story.place(*place).id),
                    word(
                        &format!("{transition:?}")
                            .split(['{', ' '])
                            .next()
                            .unwrap_or("")
                            .to_owned()
                    ),
                    transition.seconds()
                ),
                Cue::EnterPlace { place } => {
                    format!("<<enter {}>>\n", word(&story.place(*place).id))
                }
                Cue::TransitionEnded { place } => {
                    format!("<<arrived {}>>\n", word(&story.place(*place).id))
                }
                Cue::Gesture(a, g) => format!("<<gesture {} {g:?}>>\n", word(&story.actor(*a).id)),
                Cue::Expression(a, e) => {
                    format!("<<expression {} {e:?}>>\n", word(&story.actor(*a).id))
                }
                Cue::LookAt(a, _) => format!("<<look {}>>\n", word(&story.actor(*a).id)),
                Cue::World(w) => format!("<<world {}>>\n", word(&format!("{w:?}"))),
                Cue::VarSet { var, value: v } => format!(
                    "<<set ${} to {}>>\n",
                    word(&story.variables[var.index()].id),
                    value(v)
                ),
                // The aftercare's words are shown as a line is (the director's
                // transcript counts them as one).
                Cue::Ended { node } => match &story.node(*node).kind {
                    NodeKind::End {
                        aftercare: Some(text),
                    } => format!(
                        "aftercare: {}\n<<end>>\n",
                        yarn_text(text.first().map_or("", String::as_str))
                    ),
                    _ => "<<end>>\n".into(),
                },
                _ => continue,
            };
            out.push_str(&line);
        }
        out.push_str("===\n");
        out
    }

    /// One run of Yarn through the script: every `continue_`, which of them gave a line.
    struct YarnRun {
        steps: Vec<Duration>,
        line_steps: Vec<Duration>,
        commands: usize,
    }

    fn yarn_run(
        program: &yarnspinner::core::Program,
        strings: &[(yarnspinner::core::LineId, String)],
    ) -> Result<YarnRun, String> {
        use yarnspinner::runtime::{
            Dialogue, DialogueEvent, MemoryVariableStorage, StringTableTextProvider,
        };
        let mut text = StringTableTextProvider::new();
        text.extend_base_language(strings.iter().cloned());
        let mut dialogue = Dialogue::new(Box::new(MemoryVariableStorage::new()), Box::new(text));
        dialogue.add_program(program.clone());
        dialogue.set_node("Start").map_err(|e| e.to_string())?;
        let mut run = YarnRun {
            steps: Vec::new(),
            line_steps: Vec::new(),
            commands: 0,
        };
        loop {
            let t = Instant::now();
            let events = dialogue.continue_().map_err(|e| e.to_string())?;
            let took = t.elapsed();
            run.steps.push(took);
            let mut done = false;
            for e in &events {
                match e {
                    DialogueEvent::Line(line) => {
                        std::hint::black_box(&line.text);
                        run.line_steps.push(took);
                    }
                    DialogueEvent::Command(_) => run.commands += 1,
                    DialogueEvent::DialogueComplete => done = true,
                    _ => {}
                }
            }
            if done || !dialogue.is_active() {
                break;
            }
            if run.steps.len() > 1_000_000 {
                return Err("the Yarn dialogue did not end".into());
            }
        }
        Ok(run)
    }

    pub(super) fn director_against_yarn(
        story: &Arc<Story>,
        reps: usize,
    ) -> Result<Vec<Row>, String> {
        use yarnspinner::compiler::{Compiler, File};
        let first = director_run(story);
        let lines = first.line_steps.len();
        let script = yarn_script(story, &first);
        // For a look at the dialogue Yarn runs.
        if let Some(path) = std::env::var_os("REUNION_YARN_SCRIPT") {
            let _ = std::fs::write(path, &script);
        }
        let t = Instant::now();
        let compilation = Compiler::new()
            .add_file(File {
                file_name: "story.yarn".into(),
                source: script.clone(),
            })
            .compile()
            .map_err(|e| format!("the Yarn script does not compile: {e}"))?;
        let compile = t.elapsed();
        let program = compilation
            .program
            .ok_or("the Yarn compiler gave no program")?;
        let strings: Vec<_> = compilation
            .string_table
            .into_iter()
            .map(|(id, info)| (id, info.text))
            .collect();

        // Both, `reps` times, interleaved, so the machine's load falls on both alike.
        let (mut ours_steps, mut ours_lines, mut ours_total) = (Vec::new(), Vec::new(), Vec::new());
        let (mut yarn_steps, mut yarn_lines, mut yarn_total) = (Vec::new(), Vec::new(), Vec::new());
        let mut yarn_said = 0;
        let mut commands = 0;
        for _ in 0..reps.max(1) {
            let ours = director_run(story);
            ours_total.push(ours.steps.iter().sum::<Duration>());
            ours_steps.extend(ours.steps);
            ours_lines.extend(ours.line_steps);
            let yarn = yarn_run(&program, &strings)?;
            yarn_said = yarn.line_steps.len();
            commands = yarn.commands;
            yarn_total.push(yarn.steps.iter().sum::<Duration>());
            yarn_steps.extend(yarn.steps);
            yarn_lines.extend(yarn.line_steps);
        }
        if yarn_said != lines {
            return Err(format!(
                "Yarn said {yarn_said} lines, the director {lines}: not the same dialogue"
            ));
        }
        let (our_line, our_line_p99) = stats(ours_lines);
        let (their_line, their_line_p99) = stats(yarn_lines);
        let per_line = |totals: &[Duration]| {
            totals.iter().map(|d| ms(*d)).sum::<f64>() / totals.len() as f64 / lines.max(1) as f64
        };
        let (our_whole, their_whole) = (per_line(&ours_total), per_line(&yarn_total));
        let per_second = |steps: &[Duration]| {
            steps.len() as f64 / steps.iter().sum::<Duration>().as_secs_f64().max(1e-12)
        };
        let (our_rate, their_rate) = (per_second(&ours_steps), per_second(&yarn_steps));
        Ok(vec![
            row(
                "peer: a line, director ÷ Yarn Spinner",
                our_line / their_line.max(1e-12),
                "×",
                None,
                format!(
                    "the step that gives a line: ours {:.4} ms (p99 {our_line_p99:.4}), Yarn's continue_ {:.4} ms (p99 {their_line_p99:.4}); {}; {lines} lines",
                    our_line,
                    their_line,
                    ratio_note(our_line, their_line)
                ),
            ),
            row(
                "peer: whole dialogue per line, director ÷ Yarn",
                our_whole / their_whole.max(1e-12),
                "×",
                None,
                format!(
                    "ours {our_whole:.4} ms a line stepping at 90 Hz ({} steps a run), Yarn {their_whole:.4} ms a line ({} continue_ calls, {commands} commands answered at once); {}",
                    ours_steps.len() / reps.max(1),
                    yarn_steps.len() / reps.max(1),
                    ratio_note(our_whole, their_whole)
                ),
            ),
            row(
                "peer: steps per second, director ÷ Yarn",
                our_rate / their_rate.max(1e-12),
                "×",
                None,
                format!(
                    "ours {our_rate:.0} steps/s (1/90 s frames), Yarn {their_rate:.0} continue_/s; Yarn compiled the script ({} bytes) in {:.1} ms",
                    script.len(),
                    ms(compile)
                ),
            ),
        ])
    }
}
#[cfg(feature = "yarn-peer")]
use yarn::director_against_yarn;

// ---------------------------------------------------------------------------------
// A place against Bevy's DynamicWorld.

/// What our markers say of an entity of a place, as a reflected component Bevy's world
/// format can carry (ours are not reflected: their ids are `reunion_story`'s).
#[derive(Component, Reflect, Default, Clone)]
#[reflect(Component, Default)]
struct PlaceMark {
    place: u16,
    /// The thing's index in its scene, or -1 for a part.
    thing: i32,
    name: String,
    bounds_min: Vec3,
    bounds_max: Vec3,
}

/// The place of the story with the most things.
fn biggest_place(story: &Story) -> Option<PlaceId> {
    story
        .places
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| p.things.len())
        .map(|(i, _)| PlaceId(i as u16))
}

fn spawn_ours(world: &mut World, story: &Arc<Story>, place: PlaceId) -> Result<(), String> {
    let story = Arc::clone(story);
    world
        .run_system_once(move |mut commands: Commands, mut kit: Option<Kit>| {
            spawn_place(&mut commands, &story, place, kit.as_mut());
        })
        .map_err(|e| e.to_string())
}

/// Despawns what is on stage of `place`, as leaving it does (each root, with its parts).
fn despawn_ours(world: &mut World) -> usize {
    let roots: Vec<Entity> = world
        .query_filtered::<Entity, (With<PlaceScoped>, Without<ChildOf>)>()
        .iter(world)
        .collect();
    for e in &roots {
        world.despawn(*e);
    }
    roots.len()
}

/// The place's entities, with their meshes and materials named by UUID (as a world
/// file names shared assets) and our markers as a [`PlaceMark`], as Bevy's RON.
fn place_as_world_file(world: &mut World, place: PlaceId) -> Result<(String, usize), String> {
    let entities: Vec<Entity> = world
        .query::<(Entity, &PlaceScoped)>()
        .iter(world)
        .filter(|(_, p)| p.0 == place)
        .map(|(e, _)| e)
        .collect();
    let mut meshes: std::collections::HashMap<AssetId<Mesh>, Handle<Mesh>> = default();
    let mut materials: std::collections::HashMap<
        AssetId<StandardMaterial>,
        Handle<StandardMaterial>,
    > = default();
    let mut next = 1u128;
    for &e in &entities {
        let mark = {
            let thing = world.get::<reunion_stage::components::ThingRef>(e);
            let bounds = world.get::<reunion_stage::components::Bounds>(e);
            PlaceMark {
                place: place.0,
                thing: thing.map_or(-1, |t| i32::from(t.0.index)),
                name: world
                    .get::<Name>(e)
                    .map_or(String::new(), |n| n.to_string()),
                bounds_min: bounds.map_or(Vec3::ZERO, |b| b.min),
                bounds_max: bounds.map_or(Vec3::ZERO, |b| b.max),
            }
        };
        world.entity_mut(e).insert(mark);
        if let Some(mesh) = world.get::<Mesh3d>(e).map(|m| m.0.clone()) {
            let named = meshes.entry(mesh.id()).or_insert_with(|| {
                next += 1;
                Handle::Uuid(Uuid::from_u128(next), default())
            });
            let named = named.clone();
            let asset = world.resource::<Assets<Mesh>>().get(&mesh).cloned();
            if let Some(asset) = asset {
                let _ = world
                    .resource_mut::<Assets<Mesh>>()
                    .insert(named.id(), asset);
            }
            world.entity_mut(e).insert(Mesh3d(named));
        }
        if let Some(mat) = world
            .get::<MeshMaterial3d<StandardMaterial>>(e)
            .map(|m| m.0.clone())
        {
            let named = materials.entry(mat.id()).or_insert_with(|| {
                next += 1;
                Handle::Uuid(Uuid::from_u128(next), default())
            });
            let named = named.clone();
            let asset = world
                .resource::<Assets<StandardMaterial>>()
                .get(&mat)
                .cloned();
            if let Some(asset) = asset {
                let _ = world
                    .resource_mut::<Assets<StandardMaterial>>()
                    .insert(named.id(), asset);
            }
            world.entity_mut(e).insert(MeshMaterial3d(named));
        }
    }
    let registry = world.resource::<AppTypeRegistry>().clone();
    let registry = registry.read();
    let dynamic = DynamicWorldBuilder::from_world(world, &registry)
        .deny_all_components()
        .allow_component::<Name>()
        .allow_component::<Transform>()
        .allow_component::<Visibility>()
        .allow_component::<ChildOf>()
        .allow_component::<Mesh3d>()
        .allow_component::<MeshMaterial3d<StandardMaterial>>()
        .allow_component::<PlaceMark>()
        .extract_entities(entities.iter().copied())
        .build();
    let text = dynamic
        .serialize(&registry)
        .map_err(|e| format!("cannot write the world file: {e}"))?;
    Ok((text, entities.len()))
}

fn read_world_file(world: &World, text: &str) -> Result<DynamicWorld, String> {
    use serde::de::DeserializeSeed;
    let registry = world.resource::<AppTypeRegistry>().clone();
    let registry = registry.read();
    let mut server = world.resource::<AssetServer>().clone();
    let mut de = ron::de::Deserializer::from_str(text).map_err(|e| e.to_string())?;
    WorldDeserializer {
        type_registry: &registry,
        load_from_path: &mut server,
    }
    .deserialize(&mut de)
    .map_err(|e| format!("cannot read the world file: {e}"))
}

fn place_against_dynamic_world(
    story: &Arc<Story>,
    folder: &Path,
    file: &Path,
    reps: usize,
) -> Result<Vec<Row>, String> {
    let place = biggest_place(story).ok_or("the story has no place")?;
    let p = story.place(place);
    let scene_text = std::fs::read_to_string(folder.join(&p.file)).map_err(|e| e.to_string())?;
    let mut app = crate::bench::bench_app(folder, file);
    app.register_type::<PlaceMark>()
        .register_type::<Mesh3d>()
        .register_type::<MeshMaterial3d<StandardMaterial>>()
        .register_asset_reflect::<Mesh>()
        .register_asset_reflect::<StandardMaterial>();
    app.finish();
    app.cleanup();
    let world = app.world_mut();

    // Our place once, to write Bevy's file of the same entities.
    spawn_ours(world, story, place)?;
    let (world_text, entities) = place_as_world_file(world, place)?;
    despawn_ours(world);

    let reps = reps.max(5) * 4;
    let (mut our_read, mut our_spawn, mut our_despawn) = (Vec::new(), Vec::new(), Vec::new());
    let (mut bevy_read, mut bevy_spawn, mut bevy_despawn) = (Vec::new(), Vec::new(), Vec::new());
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut spawned = 0;
    for _ in 0..reps {
        // Ours: the scene file read as the loader reads it, then the place spawned from
        // the compiled story and despawned.
        let t = Instant::now();
        let scene: reunion_story::format::SceneFile = options
            .from_str(&scene_text)
            .map_err(|e| format!("{}: {e}", p.file))?;
        our_read.push(t.elapsed());
        std::hint::black_box(scene);
        let t = Instant::now();
        spawn_ours(world, story, place)?;
        our_spawn.push(t.elapsed());
        let t = Instant::now();
        despawn_ours(world);
        our_despawn.push(t.elapsed());

        // Bevy's: the world file read, written into the world, despawned.
        let t = Instant::now();
        let dynamic = read_world_file(world, &world_text)?;
        bevy_read.push(t.elapsed());
        let mut map = EntityHashMap::default();
        let t = Instant::now();
        dynamic
            .write_to_world(world, &mut map)
            .map_err(|e| e.to_string())?;
        bevy_spawn.push(t.elapsed());
        spawned = map.len();
        let t = Instant::now();
        for e in map.values() {
            if let Ok(e) = world.get_entity_mut(*e) {
                e.despawn();
            }
        }
        bevy_despawn.push(t.elapsed());
    }
    if spawned != entities {
        return Err(format!(
            "Bevy spawned {spawned} entities from the file, ours {entities}"
        ));
    }
    let mean = |v: Vec<Duration>| stats(v).0;
    let (or, os, od) = (mean(our_read), mean(our_spawn), mean(our_despawn));
    let (br, bs, bd) = (mean(bevy_read), mean(bevy_spawn), mean(bevy_despawn));
    let (ours, bevys) = (or + os + od, br + bs + bd);
    Ok(vec![
        row(
            &format!("peer: place {}, ours ÷ Bevy's DynamicWorld", p.id),
            ours / bevys.max(1e-12),
            "×",
            None,
            format!(
                "read + spawn + despawn {entities} entities: ours {ours:.3} ms, Bevy's {bevys:.3} ms; {}",
                ratio_note(ours, bevys)
            ),
        ),
        row(
            "peer: reading the file, ours ÷ Bevy's",
            or / br.max(1e-12),
            "×",
            None,
            format!(
                "our {} ({} bytes) {or:.3} ms; Bevy's world RON ({} bytes) {br:.3} ms",
                p.file,
                scene_text.len(),
                world_text.len()
            ),
        ),
        row(
            "peer: spawning, ours ÷ Bevy's",
            os / bs.max(1e-12),
            "×",
            None,
            format!(
                "spawn_place {os:.3} ms (builds its shapes' materials anew); write_to_world {bs:.3} ms"
            ),
        ),
        row(
            "peer: despawning, ours ÷ Bevy's",
            od / bd.max(1e-12),
            "×",
            None,
            format!("ours {od:.3} ms (each root with its parts); Bevy's {bd:.3} ms (each entity)"),
        ),
    ])
}
