//! CriticMarkup, the notation of the update's revisions in prose: `{~~old~>new~~}`,
//! `{++inserted++}`, `{--deleted--}`, each optionally followed by `{>>reason<<}`. One scanner
//! reads it; the list of revisions, the consolidated text and the marked-up text (for the site
//! and for print, each with its own marks) are folds over what it finds.

/// How a comment says what a revision is inferred from: `{>>dedotta: grassetto<<}`.
const INFERRED: &str = "dedotta:";

/// A revision found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte offset of its opening brace in the text.
    pub offset: usize,
    /// The struck text (empty for an insertion), trimmed, as Markdown.
    pub old: String,
    /// The text in force (empty for a deletion), trimmed, as Markdown.
    pub new: String,
    /// The reason given right after it (empty when none).
    pub reason: String,
    /// `{>>dedotta: segno<<}` after it: the indirect sign of the published act the revision is
    /// read from (empty when the act shows it outright). Never published, only reported.
    pub inferred: String,
}

/// A piece of a text with CriticMarkup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Plain(&'a str),
    Substitution {
        offset: usize,
        old: &'a str,
        new: &'a str,
    },
    Insertion {
        offset: usize,
        text: &'a str,
    },
    Deletion {
        offset: usize,
        text: &'a str,
    },
    Comment {
        text: &'a str,
    },
    /// `{>>dedotta: segno<<}`: what the revision before it is inferred from.
    Inferred {
        sign: &'a str,
    },
}

/// A place in a text where its markup is wrong, with what was expected, in Italian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the text.
    pub offset: usize,
    pub message: String,
}

impl Problem {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        Problem {
            offset,
            message: message.into(),
        }
    }
}

/// The marks of CriticMarkup, as [`check`] reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Open(Kind),
    Close(Kind),
    /// `~>`, between the old and the new text of a substitution.
    Arrow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Substitution,
    Insertion,
    Deletion,
    Comment,
    /// `{== ==}`: a highlight, which piao does not support.
    Highlight,
}

impl Kind {
    fn open(self) -> &'static str {
        match self {
            Kind::Substitution => "{~~",
            Kind::Insertion => "{++",
            Kind::Deletion => "{--",
            Kind::Comment => "{>>",
            Kind::Highlight => "{==",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Kind::Substitution => "~~}",
            Kind::Insertion => "++}",
            Kind::Deletion => "--}",
            Kind::Comment => "<<}",
            Kind::Highlight => "==}",
        }
    }

    /// The revision being read, as a message names it.
    fn opened(self) -> &'static str {
        match self {
            Kind::Substitution => "la sostituzione aperta",
            Kind::Insertion => "l'inserimento aperto",
            Kind::Deletion => "l'eliminazione aperta",
            Kind::Comment => "il motivo aperto",
            Kind::Highlight => "l'evidenziazione aperta",
        }
    }

    const ALL: [Kind; 5] = [
        Kind::Substitution,
        Kind::Insertion,
        Kind::Deletion,
        Kind::Comment,
        Kind::Highlight,
    ];
}

/// The CriticMarkup token at the start of `s`, with its length in bytes.
fn token_at(s: &[u8]) -> Option<(Token, usize)> {
    let head = s.get(..3)?;
    for kind in Kind::ALL {
        if head == kind.open().as_bytes() {
            return Some((Token::Open(kind), 3));
        }
        if head == kind.close().as_bytes() {
            return Some((Token::Close(kind), 3));
        }
    }
    None
}

/// The most revisions, and the most reasons, one text may have: far beyond a real update (the
/// busiest text of the PIAO has nine), and few enough that the Prospetto and the notes of a
/// page stay cheap to typeset (each revision is a row of the Prospetto, each reason a note).
pub const MAX_REVISIONS: usize = 500;

/// How the revisions are written, as a positioned error: every opening has its closing, no
/// revision is inside another (the page and the Prospetto would read it differently), a
/// substitution has exactly one `~>`, and no closing or `~>` stands alone. What passes is read
/// the same way by every fold below; what does not would otherwise be published as raw marks.
pub fn check(src: &str) -> Result<(), Problem> {
    let bytes = src.as_bytes();
    // The revision being read: its kind, where it opened, how many `~>` it has.
    let mut open: Option<(Kind, usize, usize)> = None;
    let (mut revisions, mut reasons) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        let (token, len) = match token_at(rest) {
            Some(t) => t,
            None if rest.starts_with(b"~>") => (Token::Arrow, 2),
            None => {
                i += 1;
                continue;
            }
        };
        match (open, token) {
            (_, Token::Open(Kind::Highlight)) => {
                return Err(Problem::new(
                    i,
                    "l'evidenziazione {== ==} di CriticMarkup non è ammessa: le revisioni si scrivono con {~~vecchio~>nuovo~~}, {++inserito++}, {--eliminato--} e il motivo {>>motivo<<}",
                ));
            }
            (None, Token::Open(kind)) => {
                let count = if kind == Kind::Comment {
                    &mut reasons
                } else {
                    &mut revisions
                };
                *count += 1;
                if *count > MAX_REVISIONS {
                    let what = if kind == Kind::Comment {
                        "motivi"
                    } else {
                        "revisioni"
                    };
                    return Err(Problem::new(
                        i,
                        format!(
                            "più di {MAX_REVISIONS} {what} in un solo testo: un aggiornamento così ampio va scritto come testo nuovo"
                        ),
                    ));
                }
                open = Some((kind, i, 0));
            }
            (None, Token::Close(kind)) => {
                return Err(Problem::new(
                    i,
                    format!(
                        "«{}» chiude una revisione mai aperta: manca «{}» prima, oppure il segno va tolto",
                        kind.close(),
                        kind.open()
                    ),
                ));
            }
            (None, Token::Arrow) => {
                return Err(Problem::new(
                    i,
                    "«~>» fuori da una sostituzione: si scrive {~~vecchio~>nuovo~~}",
                ));
            }
            // Reported where the first one opens: either it lacks its closing, or the two are
            // nested; the fix is there in both cases.
            (Some((kind, at, _)), Token::Open(inner)) => {
                return Err(Problem::new(
                    at,
                    format!(
                        "{} qui con «{}» contiene un'altra revisione («{}» più avanti) prima di chiudersi con «{}»: manca la chiusura, oppure le revisioni sono una dentro l'altra, e una revisione non può contenerne un'altra",
                        capitalised(kind.opened()),
                        kind.open(),
                        inner.open(),
                        kind.close()
                    ),
                ));
            }
            (Some((kind, _, arrows)), Token::Close(closing)) if closing == kind => {
                if kind == Kind::Substitution && arrows == 0 {
                    return Err(Problem::new(
                        i,
                        "sostituzione senza «~>»: si scrive {~~vecchio~>nuovo~~}",
                    ));
                }
                open = None;
            }
            (Some((kind, _, _)), Token::Close(closing)) => {
                return Err(Problem::new(
                    i,
                    format!(
                        "«{}» dentro {} con «{}», che si chiude con «{}»",
                        closing.close(),
                        kind.opened(),
                        kind.open(),
                        kind.close()
                    ),
                ));
            }
            (Some((Kind::Substitution, at, 0)), Token::Arrow) => {
                open = Some((Kind::Substitution, at, 1));
            }
            (Some((Kind::Substitution, _, _)), Token::Arrow) => {
                return Err(Problem::new(
                    i,
                    "secondo «~>» nella stessa sostituzione: si scrive {~~vecchio~>nuovo~~}",
                ));
            }
            (Some((kind, _, _)), Token::Arrow) => {
                return Err(Problem::new(
                    i,
                    format!(
                        "«~>» dentro {} con «{}»: è il segno delle sostituzioni {{~~vecchio~>nuovo~~}}",
                        kind.opened(),
                        kind.open()
                    ),
                ));
            }
        }
        i += len;
    }
    match open {
        Some((kind, at, _)) => Err(Problem::new(
            at,
            format!(
                "manca «{}», che chiude {} qui con «{}»",
                kind.close(),
                kind.opened(),
                kind.open()
            ),
        )),
        None => Ok(()),
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The pieces of `src` in order. An opening without its closing is plain text (the content
/// has passed [`check`], which refuses it; the renderers stay total on any text).
fn scan(src: &str) -> Vec<Piece<'_>> {
    let mut closers = Closers::default();
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    while let Some(found) = src[i..].find('{') {
        let start = i + found;
        let tail = &src[start..];
        let close = match tail.get(..3) {
            Some("{~~") => "~~}",
            Some("{++") => "++}",
            Some("{--") => "--}",
            Some("{>>") => "<<}",
            _ => {
                i = start + 1;
                continue;
            }
        };
        let Some(end) = closers.next(src, close, start + 3).map(|at| at - start - 3) else {
            i = start + 1;
            continue;
        };
        if plain_start < start {
            out.push(Piece::Plain(&src[plain_start..start]));
        }
        let inner = &tail[3..3 + end];
        out.push(match close {
            "~~}" => {
                let (old, new) = inner.split_once("~>").unwrap_or((inner, ""));
                Piece::Substitution {
                    offset: start,
                    old: old.trim(),
                    new: new.trim(),
                }
            }
            "++}" => Piece::Insertion {
                offset: start,
                text: inner.trim(),
            },
            "--}" => Piece::Deletion {
                offset: start,
                text: inner.trim(),
            },
            _ => match inner.trim().strip_prefix(INFERRED) {
                Some(sign) => Piece::Inferred { sign: sign.trim() },
                None => Piece::Comment { text: inner.trim() },
            },
        });
        i = start + 3 + end + 3;
        plain_start = i;
    }
    if plain_start < src.len() {
        out.push(Piece::Plain(&src[plain_start..]));
    }
    out
}

/// Where the next closing mark of each kind is, remembered while reading a text forwards, so
/// a text with many openings and few closings is read in linear time, not once per opening.
#[derive(Default)]
struct Closers {
    /// Per closing mark: the next one found (or none after the offset searched from).
    found: Vec<(&'static str, Option<usize>, usize)>,
}

impl Closers {
    /// The offset of the first `close` at or after `from` in `src`.
    fn next(&mut self, src: &str, close: &'static str, from: usize) -> Option<usize> {
        if let Some((_, at, searched)) = self.found.iter().find(|(c, _, _)| *c == close) {
            match *at {
                Some(at) if at >= from => return Some(at),
                None if from >= *searched => return None,
                _ => {}
            }
        }
        let at = src.get(from..)?.find(close).map(|i| from + i);
        self.found.retain(|(c, _, _)| *c != close);
        self.found.push((close, at, from));
        at
    }
}

/// Every revision of `src`, each with the reason that follows it.
pub fn edits(src: &str) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for piece in scan(src) {
        let (offset, old, new) = match piece {
            Piece::Plain(_) => continue,
            Piece::Substitution { offset, old, new } => (offset, old, new),
            Piece::Insertion { offset, text } => (offset, "", text),
            Piece::Deletion { offset, text } => (offset, text, ""),
            Piece::Comment { text } => {
                if let Some(last) = out.last_mut().filter(|e| e.reason.is_empty()) {
                    last.reason = text.to_string();
                }
                continue;
            }
            Piece::Inferred { sign } => {
                if let Some(last) = out.last_mut().filter(|e| e.inferred.is_empty()) {
                    last.inferred = sign.to_string();
                }
                continue;
            }
        };
        out.push(Edit {
            offset,
            old: old.to_string(),
            new: new.to_string(),
            reason: String::new(),
            inferred: String::new(),
        });
    }
    out
}

/// Every reason written in `src` (`{>>reason<<}`), in order, whether or not it follows a
/// revision: the order in which a renderer meets them.
pub fn reasons(src: &str) -> Vec<&str> {
    scan(src)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Comment { text } => Some(text),
            _ => None,
        })
        .collect()
}

/// The text in force: substitutions and insertions keep their new text, deletions and
/// reasons disappear. This is the consolidated edition of a Markdown fragment.
pub fn consolidate(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for piece in scan(src) {
        match piece {
            Piece::Plain(t) => out.push_str(t),
            Piece::Substitution { new, .. } => out.push_str(new),
            Piece::Insertion { text, .. } => out.push_str(text),
            Piece::Deletion { .. } | Piece::Comment { .. } | Piece::Inferred { .. } => {}
        }
    }
    out
}

/// How a renderer tags revised text inside Markdown: the site with text a screen reader
/// announces, print with bare tags it turns into its own runs.
#[derive(Debug, Clone, Copy)]
pub struct Marks {
    pub del_open: &'static str,
    pub ins_open: &'static str,
}

/// Rewrites CriticMarkup into inline HTML tags (`marks`, closed by `</del>` and `</ins>`);
/// `reason` turns each `{>>reason<<}` into the Markdown or HTML that refers to it.
pub fn mark_up(src: &str, marks: &Marks, reason: &mut dyn FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(src.len());
    for piece in scan(src) {
        match piece {
            Piece::Plain(t) => out.push_str(t),
            Piece::Substitution { old, new, .. } => out.push_str(&format!(
                "{}{old}</del> {}{new}</ins>",
                marks.del_open, marks.ins_open
            )),
            Piece::Insertion { text, .. } => {
                out.push_str(&format!("{}{text}</ins>", marks.ins_open))
            }
            Piece::Deletion { text, .. } => {
                out.push_str(&format!("{}{text}</del>", marks.del_open))
            }
            Piece::Comment { text } => out.push_str(&reason(text)),
            // Reported to the reviewers, never published.
            Piece::Inferred { .. } => {}
        }
    }
    out
}

/// CriticMarkup with the given marks, each reason a Markdown footnote «Motivo della modifica»
/// (prose pages, where reasons are notes like any other).
pub fn mark_up_with_footnotes(src: &str, marks: &Marks) -> String {
    let mut notes = Vec::new();
    let mut out = mark_up(src, marks, &mut |reason| {
        notes.push(reason.to_string());
        format!("[^piao-motivo-{}]", notes.len())
    });
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!(
            "\n\n[^piao-motivo-{}]: Motivo della modifica: {}\n",
            i + 1,
            note
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BARE: Marks = Marks {
        del_open: "<del>",
        ins_open: "<ins>",
    };

    #[test]
    fn finds_each_kind_with_its_reason_and_offset() {
        let e = edits(
            "n. {~~7~>**6**~~}{>>Aggiornamento<<} unità {++nuovo++} {--vecchio--}{>>tolto<<}",
        );
        assert_eq!(e.len(), 3);
        assert_eq!(
            (e[0].offset, e[0].old.as_str(), e[0].new.as_str()),
            (3, "7", "**6**")
        );
        assert_eq!(e[0].reason, "Aggiornamento");
        assert_eq!(
            (e[1].old.as_str(), e[1].new.as_str(), e[1].reason.as_str()),
            ("", "nuovo", "")
        );
        assert_eq!(
            (e[2].old.as_str(), e[2].new.as_str(), e[2].reason.as_str()),
            ("vecchio", "", "tolto")
        );
    }

    #[test]
    fn a_reason_attaches_only_to_a_revision_without_one() {
        let e = edits("{++a++}{>>uno<<}{>>due<<}");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].reason, "uno");
        assert_eq!(reasons("{++a++}{>> uno <<}{>>due<<}"), ["uno", "due"]);
    }

    #[test]
    fn an_inferred_revision_says_so_and_the_sign_is_never_published() {
        let src = "a {++b++}{>>motivo<<}{>>dedotta: solo il grassetto<<} c {~~1~>2~~}";
        let e = edits(src);
        assert_eq!(e[0].reason, "motivo");
        assert_eq!(e[0].inferred, "solo il grassetto");
        assert_eq!(e[1].inferred, "");
        assert_eq!(reasons(src), ["motivo"]);
        assert_eq!(consolidate(src), "a b c 2");
        assert!(!mark_up(src, &BARE, &mut |r| format!("[{r}]")).contains("grassetto"));
    }

    #[test]
    fn unclosed_or_foreign_braces_are_text() {
        assert!(edits("{~~7~>6 senza chiusura e {x} e {{ dati }}").is_empty());
        assert_eq!(consolidate("a {~~7~>6 b"), "a {~~7~>6 b");
        assert_eq!(mark_up("{x}", &BARE, &mut |_| String::new()), "{x}");
    }

    #[test]
    fn consolidation_keeps_the_text_in_force() {
        assert_eq!(
            consolidate("n. {~~7~>6~~}{>>motivo<<} unità, {++nuove++} {--vecchie--}."),
            "n. 6 unità, nuove ."
        );
    }

    #[test]
    fn marked_up_text_and_footnotes() {
        let out = mark_up_with_footnotes("n. {~~7~>**6**~~}{>>Aggiornamento<<} unità", &BARE);
        assert!(out.starts_with("n. <del>7</del> <ins>**6**</ins>[^piao-motivo-1] unità"));
        assert!(out.ends_with("[^piao-motivo-1]: Motivo della modifica: Aggiornamento\n"));
    }

    /// Where `check` finds the problem, and the start of its message.
    #[track_caller]
    fn problem(src: &str) -> (usize, String) {
        let p = check(src).unwrap_err();
        (p.offset, p.message)
    }

    #[test]
    fn well_formed_revisions_pass() {
        for ok in [
            "",
            "testo {senza} marche ~ > { ~",
            "{~~7~>6~~}{>>motivo<<} e {++nuovo++}{>>m<<} e {--vecchio--}",
            "{~~~>nuovo~~} {~~vecchio~>~~}",
            "{{ dati.x.y.z }} {% if a %}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn an_opening_without_its_closing_is_an_error_at_the_opening() {
        let (at, msg) = problem("n. {~~sette~>otto e poi basta");
        assert_eq!(at, 3);
        assert!(msg.starts_with("manca «~~}»"), "{msg}");
        let (at, msg) = problem("a {++inserito senza fine");
        assert_eq!((at, msg.contains("«++}»")), (2, true), "{msg}");
        assert_eq!(problem("{>>motivo").0, 0);
    }

    #[test]
    fn a_stray_closing_or_arrow_is_an_error_where_it_is() {
        let (at, msg) = problem("testo ++} altro");
        assert_eq!(at, 6);
        assert!(msg.contains("mai aperta"), "{msg}");
        let (at, msg) = problem("da 7 ~> 6");
        assert_eq!(at, 5);
        assert!(msg.contains("fuori da una sostituzione"), "{msg}");
        assert_eq!(problem("{++a--}b++}").0, 4);
        assert_eq!(problem("{++a~>b++}").0, 4);
    }

    #[test]
    fn nested_revisions_are_an_error_at_the_inner_one() {
        // At the outer one: it lacks its closing, or it holds the other.
        let (at, msg) = problem("n. {~~a {++b++} ~>c~~}");
        assert_eq!(at, 3);
        assert!(msg.starts_with("La sostituzione aperta qui con «{~~» contiene un'altra revisione («{++» più avanti)"), "{msg}");
        assert_eq!(problem("{++x{>>r<<}++}").0, 0);
        assert_eq!(problem("a {~~sette~>otto e poi {~~7~>6~~}").0, 2);
    }

    #[test]
    fn a_substitution_has_exactly_one_arrow() {
        assert!(problem("{~~a~~}").1.contains("senza «~>»"));
        assert_eq!(problem("{~~a~>b~>c~~}").0, 7);
    }

    #[test]
    fn highlights_are_not_supported() {
        assert!(problem("{==evidenza==}").1.contains("non è ammessa"));
    }

    #[test]
    fn too_many_revisions_in_one_text() {
        let ok = "{++a++} ".repeat(MAX_REVISIONS);
        assert_eq!(check(&ok), Ok(()));
        let (at, msg) = problem(&format!("{ok}{{--b--}}"));
        assert_eq!(at, ok.len());
        assert!(msg.contains("revisioni"), "{msg}");
        let reasons = "{>>m<<} ".repeat(MAX_REVISIONS + 1);
        assert!(problem(&reasons).1.contains("motivi"));
    }

    #[test]
    fn many_unclosed_openings_are_read_in_linear_time() {
        let src = "{++".repeat(200_000) + "fine";
        let start = std::time::Instant::now();
        assert_eq!(consolidate(&src), src);
        assert!(edits(&src).is_empty());
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        // The closings found are still the first ones after each opening.
        assert_eq!(consolidate("{++a {++b++} c++}"), "a {++b c++}");
    }

    #[test]
    fn multibyte_text_around_marks() {
        let e = edits("Età {++più++} è");
        assert_eq!(e[0].offset, "Età ".len());
        assert_eq!(consolidate("Età {++più++} è"), "Età più è");
    }
}
