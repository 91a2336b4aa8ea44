//! A caught panic (a defect of piao or of a library, never of the content) in words for the
//! office: the preview reports one and goes on, the command line prints one before it ends.

use std::any::Any;

/// The text a panic carried, if it carried text (`panic!` with a literal or a format).
pub fn cause(payload: &(dyn Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

/// The message for a panic caught during `doing` (a noun phrase: «compilazione del sito»).
pub fn internal_error(doing: &str, payload: &(dyn Any + Send)) -> String {
    let cause = cause(payload).unwrap_or_else(|| "causa non indicata".to_string());
    format!(
        "errore interno di piao durante la {doing} ({cause}): segnalarlo agli sviluppatori insieme alla modifica che lo provoca"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_italian_message_with_its_cause() {
        let text = std::panic::catch_unwind(|| panic!("Addition overflowed")).unwrap_err();
        assert_eq!(
            internal_error("compilazione del sito", text.as_ref()),
            "errore interno di piao durante la compilazione del sito (Addition overflowed): \
             segnalarlo agli sviluppatori insieme alla modifica che lo provoca"
        );
        let formatted =
            std::panic::catch_unwind(|| panic!("{} colonne", 4294967295u64)).unwrap_err();
        assert!(internal_error("x", formatted.as_ref()).contains("(4294967295 colonne)"));
        let other = std::panic::catch_unwind(|| std::panic::panic_any(7)).unwrap_err();
        assert!(internal_error("x", other.as_ref()).contains("(causa non indicata)"));
        assert_eq!(cause(other.as_ref()), None);
    }
}
