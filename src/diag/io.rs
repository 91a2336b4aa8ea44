//! Operating-system errors in Italian. The OS speaks English ("Permission denied"); the office
//! reads Italian, so the common kinds are named here and the rest keep their code.

use std::io::{Error, ErrorKind};

/// The codes std has no stable kind for (Linux numbering).
fn by_code(code: Option<i32>) -> &'static str {
    match code {
        // ELOOP: a symbolic link that points, directly or not, to itself.
        Some(40) if cfg!(target_os = "linux") => {
            "troppi collegamenti simbolici in sequenza (un ciclo)"
        }
        // ENAMETOOLONG
        Some(36) if cfg!(target_os = "linux") => "nome di file troppo lungo",
        _ => "",
    }
}

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
        ErrorKind::ResourceBusy => {
            "risorsa occupata (in uso da un altro programma o punto di montaggio)"
        }
        ErrorKind::ExecutableFileBusy => "file in uso da un programma in esecuzione",
        ErrorKind::TooManyLinks => "troppi collegamenti al file",
        ErrorKind::NotSeekable => "il file non consente l'accesso diretto",
        ErrorKind::Unsupported => "operazione non supportata da questo sistema",
        ErrorKind::OutOfMemory => "memoria esaurita",
        ErrorKind::WriteZero | ErrorKind::UnexpectedEof => "scrittura o lettura incompleta",
        ErrorKind::StaleNetworkFileHandle => "file di rete non più disponibile",
        ErrorKind::ConnectionRefused => "connessione rifiutata",
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::BrokenPipe => {
            "connessione interrotta"
        }
        _ => by_code(e.raw_os_error()),
    };
    match (known, e.raw_os_error()) {
        ("", Some(code)) => format!("errore del sistema operativo (codice {code})"),
        ("", None) => "errore del sistema operativo".to_string(),
        (text, _) => text.to_string(),
    }
}
