//! The STIX 2.1 output: a brief (or an edition) as one bundle for
//! threat-intelligence platforms. `docs/stix.md` gives the mapping.
//!
//! - a `report` for the brief: its title, bottom line, date, tags and
//!   sources (as external references), referring to everything below;
//! - an `identity` for the organization, which created every object;
//! - each actor as an `identity`, or as a `threat-actor` when an armed group;
//! - each development, upcoming event, key judgment and implication as a
//!   `note` on the report (and on the actors it involves): STIX has no
//!   object for an event or an analytic judgment, and a note is its object
//!   for context and analysis about others. A judgment's likelihood is the
//!   note's `confidence`, on the DNI scale of STIX 2.1's confidence scales;
//! - the markings: the official TLP 2.0 marking definitions of the OASIS
//!   extension, and a statement marking for a classification banner.
//!
//! Ids are UUIDv5 of the brief's id and the object's place, and times are
//! the brief's date, so the same brief always gives the same bytes.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::ics::PlainMarkup;
use super::{Job, Rendered, Renderer, Subject};
use crate::view::{BriefView, MarkingView};

/// Renders `<id>.stix.json`.
pub(crate) struct StixRenderer;

impl Renderer for StixRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        let mut bundle = Bundle::default();
        match job.subject {
            Subject::Brief(brief) => {
                let view = job.brief_view(brief, &PlainMarkup);
                bundle.brief(&view);
            }
            Subject::Edition(resolved) => {
                let view = job.edition_view(resolved, &PlainMarkup, 3);
                let reports: Vec<String> = view.chapters.iter().map(|c| bundle.brief(c)).collect();
                let time = timestamp(view.date.year, view.date.month, view.date.day);
                let mut report = sdo("report", &format!("edition/{}", view.id), &time);
                let creator = view.organization.as_deref().map(|org| bundle.identity(org));
                if let Some(creator) = creator {
                    report.insert("created_by_ref".into(), creator.into());
                }
                report.insert("name".into(), view.title.clone().into());
                let titles: Vec<&str> = view.chapters.iter().map(|c| c.title.as_str()).collect();
                report.insert(
                    "description".into(),
                    format!(
                        "An edition of {} briefs: {}.",
                        titles.len(),
                        titles.join("; ")
                    )
                    .into(),
                );
                report.insert("report_types".into(), json!(["threat-report"]));
                report.insert("published".into(), time.clone().into());
                report.insert("object_refs".into(), json!(reports));
                if !view.tags.is_empty() {
                    report.insert("labels".into(), json!(view.tags));
                }
                let markings = bundle.markings(&view.marking);
                mark(&mut report, &markings);
                bundle.push(report);
            }
        }
        let mut text = serde_json::to_string_pretty(&bundle.finish(job.id))?;
        text.push('\n');
        Ok(text.into_bytes().into())
    }
}

/// The name whose UUIDv5 (in the URL namespace) is the namespace of
/// every id this output makes.
const NAMESPACE_NAME: &str = "urn:brief:stix";

/// The TLP 2.0 extension of STIX 2.1 (OASIS), which defines the markings.
const TLP_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The official marking definition of each TLP 2.0 label, as published by
/// OASIS (cti-stix-common-objects): its id and its `tlp_2_0` value.
fn tlp_marking(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "clear" => (
            "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            "clear",
        ),
        "green" => (
            "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            "green",
        ),
        "amber" => (
            "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            "amber",
        ),
        "amber+strict" => (
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            "amber+strict",
        ),
        "red" => (
            "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
            "red",
        ),
        _ => return None,
    })
}

/// The creation time of the objects every brief of a workspace shares (the
/// organization's identity, a classification's statement marking), fixed
/// so that each is one and the same object in every bundle.
const SHARED_TIME: &str = "1970-01-01T00:00:00.000Z";

/// A likelihood's level (0 = almost no chance .. 6 = almost certain) as a
/// STIX confidence: the DNI scale's values in STIX 2.1's confidence scales.
const DNI_CONFIDENCE: [u8; 7] = [5, 15, 30, 50, 70, 85, 95];

/// The id of an object of `kind`, from a name unique to it.
fn id(kind: &str, name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, NAMESPACE_NAME.as_bytes());
    let name = format!("{kind}/{name}");
    format!("{kind}--{}", Uuid::new_v5(&namespace, name.as_bytes()))
}

/// A STIX timestamp for a day, at midnight UTC.
fn timestamp(year: i32, month: u8, day: Option<u8>) -> String {
    format!("{year:04}-{month:02}-{:02}T00:00:00.000Z", day.unwrap_or(1))
}

/// The common properties of a domain object.
fn sdo(kind: &str, name: &str, time: &str) -> Map<String, Value> {
    let mut object = Map::new();
    object.insert("type".into(), kind.into());
    object.insert("spec_version".into(), "2.1".into());
    object.insert("id".into(), id(kind, name).into());
    object.insert("created".into(), time.into());
    object.insert("modified".into(), time.into());
    object
}

/// Adds the markings to an object, if any.
fn mark(object: &mut Map<String, Value>, markings: &[String]) {
    if !markings.is_empty() {
        object.insert("object_marking_refs".into(), json!(markings));
    }
}

/// The objects of a bundle, each once.
#[derive(Default)]
struct Bundle {
    objects: Vec<Value>,
    ids: HashSet<String>,
}

impl Bundle {
    /// Adds an object unless one with its id is there; returns its id.
    fn push(&mut self, object: Map<String, Value>) -> String {
        let id = object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if self.ids.insert(id.clone()) {
            self.objects.push(Value::Object(object));
        }
        id
    }

    /// The bundle, named after the document.
    fn finish(self, name: &str) -> Value {
        json!({
            "type": "bundle",
            "id": id("bundle", name),
            "objects": self.objects,
        })
    }

    /// The identity of the organization: the same object for all its
    /// briefs, so its times are fixed (`SHARED_TIME`).
    fn identity(&mut self, organization: &str) -> String {
        let mut identity = sdo(
            "identity",
            &format!("organization/{organization}"),
            SHARED_TIME,
        );
        identity.insert("name".into(), organization.into());
        identity.insert("identity_class".into(), "organization".into());
        self.push(identity)
    }

    /// The marking definitions of a marking, added to the bundle; their ids.
    fn markings(&mut self, marking: &MarkingView) -> Vec<String> {
        let mut refs = Vec::new();
        if let Some((id, level)) = marking.tlp.as_ref().and_then(|t| tlp_marking(t.name)) {
            let mut definition = Map::new();
            definition.insert("type".into(), "marking-definition".into());
            definition.insert("spec_version".into(), "2.1".into());
            definition.insert("id".into(), id.into());
            definition.insert("created".into(), "2022-10-01T00:00:00.000Z".into());
            definition.insert(
                "name".into(),
                format!("TLP:{}", level.to_uppercase()).into(),
            );
            definition.insert(
                "extensions".into(),
                json!({ TLP_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": level } }),
            );
            refs.push(self.push(definition));
        }
        if let Some(classification) = &marking.classification {
            let mut definition = Map::new();
            definition.insert("type".into(), "marking-definition".into());
            definition.insert("spec_version".into(), "2.1".into());
            definition.insert(
                "id".into(),
                id("marking-definition", &format!("statement/{classification}")).into(),
            );
            definition.insert("created".into(), SHARED_TIME.into());
            definition.insert("name".into(), classification.clone().into());
            definition.insert("definition_type".into(), "statement".into());
            definition.insert("definition".into(), json!({ "statement": classification }));
            refs.push(self.push(definition));
        }
        refs
    }

    /// A brief's objects; returns its report's id.
    fn brief(&mut self, view: &BriefView) -> String {
        let time = timestamp(view.date.year, view.date.month, view.date.day);
        let markings = self.markings(&view.marking);
        let creator = view.organization.as_deref().map(|org| self.identity(org));
        let brief = view.id.as_str();
        let report_id = id("report", &format!("brief/{brief}"));
        let sources: HashMap<usize, Value> = view
            .sources
            .iter()
            .map(|s| {
                let mut reference = Map::new();
                reference.insert("source_name".into(), s.name.clone().into());
                // (STIX asks for more than a name: the source's id.)
                reference.insert("external_id".into(), s.id.clone().into());
                let mut about = Vec::new();
                if let Some(title) = &s.title {
                    about.push(title.clone());
                }
                if let Some(date) = &s.date {
                    about.push(date.text.clone());
                }
                if let (Some(grade), Some(meaning)) = (&s.grade, &s.grade_meaning) {
                    about.push(format!("Admiralty grade {grade} ({meaning})"));
                }
                if !about.is_empty() {
                    reference.insert("description".into(), about.join(", ").into());
                }
                if let Some(url) = &s.url {
                    reference.insert("url".into(), url.clone().into());
                }
                (s.n, Value::Object(reference))
            })
            .collect();
        let cited = |cites: &[crate::view::CiteView]| -> Vec<Value> {
            cites
                .iter()
                .filter_map(|c| sources.get(&c.n).cloned())
                .collect()
        };
        let common = |object: &mut Map<String, Value>| {
            if let Some(creator) = &creator {
                object.insert("created_by_ref".into(), creator.clone().into());
            }
            object.insert("lang".into(), view.language.clone().into());
            mark(object, &markings);
        };

        let mut refs: Vec<String> = Vec::new();
        let mut actors: HashMap<&str, String> = HashMap::new();
        for actor in &view.actors {
            let name = format!("brief/{brief}/actor/{}", actor.id);
            let armed = actor.kind == Some("armed-group");
            let mut object = sdo(
                if armed { "threat-actor" } else { "identity" },
                &name,
                &time,
            );
            common(&mut object);
            object.insert("name".into(), actor.name.clone().into());
            let mut about = Vec::new();
            if let Some(role) = &actor.role {
                about.push(role.clone());
            }
            if let Some(stance) = &actor.stance_text {
                about.push(stance.clone());
            }
            if let Some(position) = &actor.position {
                about.push(position.0.clone());
            }
            if let Some(quote) = &actor.quote {
                about.push(format!("\u{201c}{quote}\u{201d}"));
            }
            if !about.is_empty() {
                object.insert("description".into(), about.join("\n\n").into());
            }
            if !armed {
                let class = match actor.kind {
                    Some("person") => "individual",
                    Some("state" | "government" | "organization" | "media") => "organization",
                    _ => "unknown",
                };
                object.insert("identity_class".into(), class.into());
                if matches!(actor.kind, Some("state" | "government")) {
                    object.insert("sectors".into(), json!(["government-national"]));
                }
            }
            if let Some(stance) = actor.stance {
                object.insert("labels".into(), json!([format!("stance-{stance}")]));
            }
            let references = cited(&actor.sources);
            if !references.is_empty() {
                object.insert("external_references".into(), json!(references));
            }
            let actor_id = self.push(object);
            actors.insert(actor.id.as_str(), actor_id.clone());
            refs.push(actor_id);
        }

        // Notes: on the report, and on the actors they involve.
        let mut note = |key: String,
                        abstract_: String,
                        content: String,
                        labels: Vec<String>,
                        involved: &[crate::view::ActorRef],
                        cites: &[crate::view::CiteView],
                        confidence: Option<u8>|
         -> String {
            let mut object = sdo("note", &format!("brief/{brief}/{key}"), &time);
            common(&mut object);
            object.insert("abstract".into(), abstract_.into());
            object.insert("content".into(), content.into());
            if !view.analysts.is_empty() {
                object.insert("authors".into(), json!(view.analysts));
            }
            let mut on = vec![report_id.clone()];
            on.extend(
                involved
                    .iter()
                    .filter_map(|a| actors.get(a.id.as_str()).cloned()),
            );
            object.insert("object_refs".into(), json!(on));
            object.insert("labels".into(), json!(labels));
            if let Some(confidence) = confidence {
                object.insert("confidence".into(), confidence.into());
            }
            let references = cited(cites);
            if !references.is_empty() {
                object.insert("external_references".into(), json!(references));
            }
            self.push(object)
        };
        for (n, judgment) in view.key_judgments.iter().enumerate() {
            let mut labels = vec!["key-judgment".to_string()];
            if let Some(l) = &judgment.likelihood {
                labels.push(format!("likelihood-{}", l.term.replace('_', "-")));
            }
            if let Some(c) = judgment.confidence {
                labels.push(format!("analytic-confidence-{c}"));
            }
            refs.push(note(
                format!("judgment/{}", n + 1),
                format!("Key judgment {}", n + 1),
                judgment.text.0.clone(),
                labels,
                &[],
                &[],
                judgment
                    .likelihood
                    .as_ref()
                    .and_then(|l| DNI_CONFIDENCE.get(l.level).copied()),
            ));
        }
        for (n, development) in view.developments.iter().enumerate() {
            let content = development
                .detail
                .as_ref()
                .map_or_else(|| development.title.clone(), |d| d.0.clone());
            refs.push(note(
                format!("development/{}", n + 1),
                format!("{}: {}", development.date.text, development.title),
                content,
                vec!["development".to_string()],
                &development.actors,
                &development.sources,
                None,
            ));
        }
        for event in &view.upcoming {
            let mut content = vec![event.title.clone()];
            if let Some(location) = &event.location {
                content.push(location.clone());
            }
            content.push(event.status_text.clone());
            let mut content = content.join(". ");
            if let Some(significance) = &event.significance {
                content.push_str("\n\n");
                content.push_str(&significance.0);
            }
            refs.push(note(
                format!("upcoming/{}", event.uid),
                format!("{}: {}", event.when, event.title),
                content,
                vec!["upcoming-event".to_string(), event.status.to_string()],
                &event.actors,
                &event.sources,
                None,
            ));
        }
        for (n, implication) in view.implications.iter().enumerate() {
            let mut labels = vec!["implication".to_string()];
            if let Some(l) = &implication.likelihood {
                labels.push(format!("likelihood-{}", l.term.replace('_', "-")));
            }
            let mut content = implication.text.0.clone();
            if let Some(horizon) = &implication.horizon {
                content.push_str(&format!("\n\nHorizon: {horizon}"));
            }
            refs.push(note(
                format!("implication/{}", n + 1),
                implication.area.clone(),
                content,
                labels,
                &[],
                &[],
                implication
                    .likelihood
                    .as_ref()
                    .and_then(|l| DNI_CONFIDENCE.get(l.level).copied()),
            ));
        }

        let mut report = sdo("report", &format!("brief/{brief}"), &time);
        common(&mut report);
        report.insert("name".into(), view.title.clone().into());
        report.insert("description".into(), view.summary.0.clone().into());
        report.insert("report_types".into(), json!(["threat-report"]));
        report.insert("published".into(), time.clone().into());
        report.insert("object_refs".into(), json!(refs));
        if !view.tags.is_empty() {
            report.insert("labels".into(), json!(view.tags));
        }
        // The sources in their order, so that the text's [n] is the n-th;
        // then the brief's own id.
        let mut references: Vec<Value> = view
            .sources
            .iter()
            .filter_map(|s| sources.get(&s.n).cloned())
            .collect();
        references.push(json!({ "source_name": "brief", "external_id": brief }));
        report.insert("external_references".into(), json!(references));
        self.push(report)
    }
}
