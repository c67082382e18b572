//! Section names and labels in the languages the templates know.
//!
//! A document's language picks the table; unknown languages fall back to
//! English. A workspace may rename any label per language in `brief.toml`
//! (`[labels.en] bottom-line = "Key points"`): the key is the field name
//! with hyphens. Text direction comes from the language's script.

use std::borrow::Cow;

use serde::Serialize;

/// Declares the label set once: the static tables' shape ([`Words`]), the
/// owned set templates see ([`Labels`]) and the keys `brief.toml` uses.
macro_rules! label_set {
    ($( $(#[doc = $doc:literal])* $field:ident = $key:literal, )*) => {
        /// A built-in table of labels for one language.
        struct Words {
            $( $field: &'static str, )*
            months: [&'static str; 12],
        }

        /// The words a template puts around the analyst's text, in one
        /// language, with the workspace's renamings applied.
        #[derive(Debug, Clone, Serialize)]
        pub(crate) struct Labels {
            $( $(#[doc = $doc])* pub $field: Cow<'static, str>, )*
            /// Month names, January first.
            pub months: [Cow<'static, str>; 12],
        }

        /// The key of every label, as written in `brief.toml`.
        pub(crate) const KEYS: &[&str] = &[$($key),*];

        impl Labels {
            fn from_words(words: &'static Words) -> Labels {
                Labels {
                    $( $field: Cow::Borrowed(words.$field), )*
                    months: words.months.map(Cow::Borrowed),
                }
            }

            /// Renames the label `key`; false if there is no such label.
            pub(crate) fn rename(&mut self, key: &str, text: &str) -> bool {
                match key {
                    $( $key => self.$field = Cow::Owned(text.to_string()), )*
                    _ => return false,
                }
                true
            }
        }
    };
}

label_set! {
    /// The bottom line up front.
    bottom_line = "bottom-line",
    /// The key judgments section.
    key_judgments = "key-judgments",
    /// The background section.
    background = "background",
    /// The developments section.
    developments = "developments",
    /// The key actors section.
    key_actors = "key-actors",
    /// The outlook section.
    outlook = "outlook",
    /// The upcoming dates section.
    upcoming_dates = "upcoming-dates",
    /// The implications section.
    implications = "implications",
    /// The indicators section.
    indicators = "indicators",
    /// The intelligence gaps section.
    gaps = "gaps",
    /// The sources section.
    sources = "sources",
    /// The actor column.
    actor = "actor",
    /// The role column.
    role = "role",
    /// The stance column.
    stance = "stance",
    /// The position column.
    position = "position",
    /// The date column.
    date = "date",
    /// The event column.
    event = "event",
    /// The location column.
    location = "location",
    /// The status column.
    status = "status",
    /// Likelihood, beside a judgment.
    likelihood = "likelihood",
    /// Confidence, beside a judgment.
    confidence = "confidence",
    /// The time frame of an implication.
    horizon = "horizon",
    /// Who wrote the brief.
    analysts = "analysts",
    /// The region covered.
    region = "region",
    /// The tags.
    tags = "tags",
    /// Before the brief's date.
    as_of = "as-of",
    /// "Page" in "Page 1 of 3".
    page = "page",
    /// "of" in "Page 1 of 3".
    of = "of",
    /// An edition's table of contents.
    contents = "contents",
    /// An edition's week ahead.
    week_ahead = "week-ahead",
    /// Events after the week ahead.
    later = "later",
    /// The brief an event of the week ahead comes from.
    from_brief = "from-brief",
    /// A source's grade.
    grade = "grade",
    /// The actors involved in a development or event.
    involved = "involved",
    /// The sources of a development or event.
    reported_by = "reported-by",
    /// The watermark of a draft.
    draft = "draft",
}

const EN: Words = Words {
    bottom_line: "Bottom line",
    key_judgments: "Key judgments",
    background: "Background",
    developments: "Developments",
    key_actors: "Key actors",
    outlook: "Outlook",
    upcoming_dates: "Upcoming dates",
    implications: "Implications",
    indicators: "Indicators to watch",
    gaps: "Intelligence gaps",
    sources: "Sources",
    actor: "Actor",
    role: "Role",
    stance: "Stance",
    position: "Position",
    date: "Date",
    event: "Event",
    location: "Location",
    status: "Status",
    likelihood: "Likelihood",
    confidence: "Confidence",
    horizon: "Horizon",
    analysts: "Analysts",
    region: "Region",
    tags: "Tags",
    as_of: "As of",
    page: "Page",
    of: "of",
    contents: "Contents",
    week_ahead: "Week ahead",
    later: "Later",
    from_brief: "Brief",
    grade: "Grade",
    involved: "Actors",
    reported_by: "Sources",
    draft: "DRAFT",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
};

const FR: Words = Words {
    bottom_line: "L'essentiel",
    key_judgments: "Jugements clés",
    background: "Contexte",
    developments: "Évolutions",
    key_actors: "Acteurs clés",
    outlook: "Perspectives",
    upcoming_dates: "Dates à venir",
    implications: "Conséquences",
    indicators: "Indicateurs à suivre",
    gaps: "Lacunes du renseignement",
    sources: "Sources",
    actor: "Acteur",
    role: "Rôle",
    stance: "Position",
    position: "Déclarations",
    date: "Date",
    event: "Événement",
    location: "Lieu",
    status: "Statut",
    likelihood: "Probabilité",
    confidence: "Confiance",
    horizon: "Horizon",
    analysts: "Analystes",
    region: "Région",
    tags: "Mots-clés",
    as_of: "Au",
    page: "Page",
    of: "sur",
    contents: "Sommaire",
    week_ahead: "La semaine à venir",
    later: "Plus tard",
    from_brief: "Note",
    grade: "Cotation",
    involved: "Acteurs",
    reported_by: "Sources",
    draft: "BROUILLON",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
};

const ES: Words = Words {
    bottom_line: "Conclusión principal",
    key_judgments: "Juicios clave",
    background: "Antecedentes",
    developments: "Acontecimientos",
    key_actors: "Actores clave",
    outlook: "Perspectivas",
    upcoming_dates: "Próximas fechas",
    implications: "Implicaciones",
    indicators: "Indicadores a vigilar",
    gaps: "Lagunas de información",
    sources: "Fuentes",
    actor: "Actor",
    role: "Función",
    stance: "Postura",
    position: "Posición",
    date: "Fecha",
    event: "Evento",
    location: "Lugar",
    status: "Estado",
    likelihood: "Probabilidad",
    confidence: "Confianza",
    horizon: "Horizonte",
    analysts: "Analistas",
    region: "Región",
    tags: "Etiquetas",
    as_of: "A fecha de",
    page: "Página",
    of: "de",
    contents: "Índice",
    week_ahead: "La semana próxima",
    later: "Más adelante",
    from_brief: "Informe",
    grade: "Calificación",
    involved: "Actores",
    reported_by: "Fuentes",
    draft: "BORRADOR",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
};

const DE: Words = Words {
    bottom_line: "Kernaussage",
    key_judgments: "Zentrale Bewertungen",
    background: "Hintergrund",
    developments: "Entwicklungen",
    key_actors: "Zentrale Akteure",
    outlook: "Ausblick",
    upcoming_dates: "Anstehende Termine",
    implications: "Folgen",
    indicators: "Zu beobachtende Indikatoren",
    gaps: "Erkenntnislücken",
    sources: "Quellen",
    actor: "Akteur",
    role: "Rolle",
    stance: "Haltung",
    position: "Position",
    date: "Datum",
    event: "Ereignis",
    location: "Ort",
    status: "Status",
    likelihood: "Wahrscheinlichkeit",
    confidence: "Vertrauen",
    horizon: "Zeithorizont",
    analysts: "Analysten",
    region: "Region",
    tags: "Schlagwörter",
    as_of: "Stand",
    page: "Seite",
    of: "von",
    contents: "Inhalt",
    week_ahead: "Die Woche voraus",
    later: "Später",
    from_brief: "Lagebild",
    grade: "Bewertung",
    involved: "Akteure",
    reported_by: "Quellen",
    draft: "ENTWURF",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
};

const AR: Words = Words {
    bottom_line: "الخلاصة",
    key_judgments: "التقديرات الرئيسية",
    background: "الخلفية",
    developments: "التطورات",
    key_actors: "الأطراف الرئيسية",
    outlook: "التوقعات",
    upcoming_dates: "مواعيد قادمة",
    implications: "التداعيات",
    indicators: "مؤشرات للمتابعة",
    gaps: "ثغرات المعلومات",
    sources: "المصادر",
    actor: "الطرف",
    role: "الدور",
    stance: "الموقف",
    position: "التصريحات",
    date: "التاريخ",
    event: "الحدث",
    location: "المكان",
    status: "الحالة",
    likelihood: "الاحتمال",
    confidence: "درجة الثقة",
    horizon: "الأفق الزمني",
    analysts: "المحللون",
    region: "المنطقة",
    tags: "الوسوم",
    as_of: "حتى تاريخ",
    page: "صفحة",
    of: "من",
    contents: "المحتويات",
    week_ahead: "الأسبوع المقبل",
    later: "لاحقًا",
    from_brief: "الموجز",
    grade: "التقييم",
    involved: "الأطراف",
    reported_by: "المصادر",
    draft: "مسودة",
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
};

/// The built-in labels of a primary language subtag such as `fr`.
pub(crate) fn for_language(primary: &str) -> Labels {
    Labels::from_words(match primary {
        "fr" => &FR,
        "es" => &ES,
        "de" => &DE,
        "ar" => &AR,
        _ => &EN,
    })
}

/// `rtl` for languages written right to left, `ltr` otherwise.
pub(crate) fn direction(primary: &str) -> &'static str {
    match primary {
        "ar" | "arc" | "ckb" | "dv" | "fa" | "he" | "ks" | "ps" | "sd" | "ug" | "ur" | "yi" => {
            "rtl"
        }
        _ => "ltr",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_renamed_by_key() {
        let mut labels = for_language("en");
        assert_eq!(labels.bottom_line, "Bottom line");
        assert!(labels.rename("bottom-line", "Key points"));
        assert_eq!(labels.bottom_line, "Key points");
        assert!(!labels.rename("bottom_line", "x"));
        assert_eq!(for_language("fr").sources, "Sources");
        assert_eq!(for_language("xx").outlook, "Outlook");
        assert!(KEYS.iter().all(|k| labels.rename(k, "x")));
    }
}
