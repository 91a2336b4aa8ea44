//! What piao tells the office when something is wrong, in Italian. A problem in the content or
//! in a template is a [`Diagnostic`] at a [`Location`] (file, line, column), so a planner can
//! open the file and fix it without reading Rust. A problem of the machine (a folder that
//! cannot be written, a port in use) is a [`SystemError`]: it has no place in the content and
//! does not pretend to have one.

pub mod hints;
mod io;
mod json;
pub mod panic;
mod template;

pub use hints::number_in_list as number_hint_in_list;
pub use io::reason as io_reason;

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file of the content or of the templates; line and column are 1-based, columns
/// counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Location {
    pub fn new(file: &Path, line: usize, column: usize) -> Self {
        Location {
            file: file.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The first character of a file: where a problem with the whole file (missing,
    /// misnamed, in the wrong folder) is shown.
    pub fn start_of(file: &Path) -> Self {
        Self::new(file, 1, 1)
    }

    /// The character at byte `offset` of `text`, the content of `file`.
    pub fn in_text(file: &Path, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Self::new(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A problem found in the content or a template, located as precisely as the source allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub at: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn new(at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            at,
            message: message.into(),
        }
    }

    /// A problem with a whole file: it points at its first character.
    pub fn at_file(file: &Path, message: impl Into<String>) -> Self {
        Self::new(Location::start_of(file), message)
    }

    /// A serde_json error in `text`, the content of `file`, as an Italian diagnostic: at the
    /// character serde stopped at, or, for a common mistake (a decimal comma, a thousands
    /// separator, a missing or typographic quote), at the mistake with a hint on the fix.
    pub fn from_json(file: &Path, text: &str, err: &serde_json::Error) -> Self {
        // A typed reading can stop at a field before the syntax error that made it: in
        // `"titolo: "x"` the field `titolo: ` is unknown. A file that is not JSON at all is
        // told so first.
        let syntax = (!err.is_syntax())
            .then(|| serde_json::from_str::<serde::de::IgnoredAny>(text).err())
            .flatten()
            .filter(|e| e.is_syntax() || e.is_eof());
        let err = syntax.as_ref().unwrap_or(err);
        let raw = err.to_string();
        let offset = json::error_offset(text, err.line(), err.column());
        let bare = raw
            .rsplit_once(" at line ")
            .map_or(raw.as_str(), |(m, _)| m);
        let message = json::translate(&raw);
        if err.is_syntax()
            && let Some((at, hint)) = hints::syntax(text, offset, bare)
        {
            return Self::new(Location::in_text(file, text, at), hint);
        }
        let message = match hints::data(bare) {
            Some(hint) => format!("{message}: {hint}"),
            None => message,
        };
        Self::new(Location::in_text(file, text, offset), message)
    }

    /// A tera error in the template `file` (a page of the content or a site template), at the
    /// position tera reports when it reports one.
    pub fn from_tera(file: &Path, err: &tera::Error) -> Self {
        let (position, message) = template::translate(err);
        let at = match position {
            Some((line, column)) => Location::new(file, line, column),
            None => Location::start_of(file),
        };
        Self::new(at, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// The machine refused something piao needed: reading or writing a file or folder, a port.
#[derive(Debug)]
pub struct SystemError {
    /// What piao was doing, in Italian: «scrittura non riuscita», «porta 8000 non disponibile».
    pub action: String,
    /// The file or folder concerned, if any.
    pub path: Option<PathBuf>,
    pub cause: std::io::Error,
}

impl SystemError {
    pub fn at(action: impl Into<String>, path: &Path, cause: std::io::Error) -> Self {
        SystemError {
            action: action.into(),
            path: Some(path.to_path_buf()),
            cause,
        }
    }

    /// A folder walk that failed at an entry (the one walkdir names, else `root`).
    pub fn walking(action: impl Into<String>, root: &Path, e: walkdir::Error) -> Self {
        let path = e.path().unwrap_or(root).to_path_buf();
        let cause = e
            .into_io_error()
            .unwrap_or_else(|| std::io::ErrorKind::Other.into());
        SystemError::at(action, &path, cause)
    }

    pub fn new(action: impl Into<String>, cause: std::io::Error) -> Self {
        SystemError {
            action: action.into(),
            path: None,
            cause,
        }
    }
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{}: {}", self.action, p.display())?,
            None => write!(f, "{}", self.action)?,
        }
        write!(f, ": {}", io::reason(&self.cause))
    }
}

impl std::error::Error for SystemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

/// Why a step stopped: the content (or a template), or the machine.
#[derive(Debug)]
pub enum Error {
    Content(Diagnostic),
    System(SystemError),
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Content(d)
    }
}

impl From<SystemError> for Error {
    fn from(e: SystemError) -> Self {
        Error::System(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(d) => d.fmt(f),
            Error::System(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

/// Byte offset → (line, column), both 1-based, columns counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("àb\ncd", 2), (1, 2));
        // Inside a character: the character itself.
        assert_eq!(line_col("àb", 1), (1, 1));
        assert_eq!(line_col("ab", 99), (1, 3));
    }

    #[test]
    fn system_errors_have_no_fake_location() {
        let e = SystemError::new(
            "porta 8000 non disponibile",
            std::io::Error::from(std::io::ErrorKind::AddrInUse),
        );
        assert_eq!(
            e.to_string(),
            "porta 8000 non disponibile: indirizzo già in uso"
        );
        let e = SystemError::at(
            "scrittura non riuscita",
            Path::new("output/index.html"),
            std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(
            e.to_string(),
            "scrittura non riuscita: output/index.html: permesso negato"
        );
    }
}
