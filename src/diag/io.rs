//! Operating-system errors in Italian. The OS speaks English ("Permission denied"); the office
//! reads Italian, so the common kinds are named here and the rest keep their code.

use std::io::{Error, ErrorKind};

/// Why an I/O operation failed, in Italian.
pub fn reason(e: &Error) -> String {
    let known = match e.kind() {
        ErrorKind::NotFound => "non esiste",
        ErrorKind::PermissionDenied => "permesso negato",
        ErrorKind::AlreadyExists => "esiste già",
        ErrorKind::AddrInUse => "indirizzo già in uso",
        ErrorKind::AddrNotAvailable => "indirizzo non disponibile",
        ErrorKind::NotADirectory => "non è una cartella",
        ErrorKind::IsADirectory => "è una cartella",
        ErrorKind::DirectoryNotEmpty => "la cartella non è vuota",
        ErrorKind::ReadOnlyFilesystem => "il disco è in sola lettura",
        ErrorKind::StorageFull => "il disco è pieno",
        ErrorKind::QuotaExceeded => "spazio disponibile esaurito",
        ErrorKind::FileTooLarge => "file troppo grande",
        ErrorKind::InvalidData => "dati non validi",
        ErrorKind::Interrupted => "operazione interrotta",
        ErrorKind::TimedOut => "tempo scaduto",
        ErrorKind::CrossesDevices => "spostamento tra dischi diversi non ammesso",
        ErrorKind::InvalidFilename => "nome di file non valido",
        _ => "",
    };
    match (known, e.raw_os_error()) {
        ("", Some(code)) => format!("errore del sistema operativo (codice {code})"),
        ("", None) => "errore del sistema operativo".to_string(),
        (text, _) => text.to_string(),
    }
}
