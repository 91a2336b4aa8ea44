use clap::{Parser, Subcommand};
use piao::compute::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

/// piao: compila il PIAO in un sito HTML accessibile.
#[derive(Parser)]
#[command(
    name = "piao",
    version,
    about = "Compila il PIAO (sito HTML) a partire dai contenuti in Markdown e JSON"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Valida i contenuti e pubblica il sito nella cartella di uscita.
    Build {
        /// Cartella dei contenuti.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Cartella di uscita (sostituita solo a compilazione riuscita).
        #[arg(long, default_value = "output")]
        out: PathBuf,
    },
    /// Valida i contenuti senza scrivere nulla.
    Check {
        /// Cartella dei contenuti.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (result, out) = match &cli.command {
        Command::Build { content, out } => (piao::build(content, out), Some(out)),
        Command::Check { content } => (piao::compile(content), None),
    };
    match result {
        Ok(outcome) => {
            for f in outcome.findings() {
                let label = match f.severity {
                    Severity::Warning => "avviso",
                    Severity::Error => "errore",
                };
                eprintln!("{label}: {}", f.diag);
            }
            let summary = format!(
                "{} pagine, {} tabelle, {} modifiche dell'aggiornamento, {} avvisi",
                outcome.pages,
                outcome.computed.tables.len(),
                outcome.computed.revisions.len(),
                outcome.findings().len()
            );
            match out {
                Some(out) => println!("Sito pubblicato in {}: {summary}.", out.display()),
                None => println!("Contenuti validi: {summary}."),
            }
            ExitCode::SUCCESS
        }
        Err(diag) => {
            eprintln!("errore: {diag}");
            if out.is_some() {
                eprintln!("La cartella di uscita precedente non è stata modificata.");
            }
            ExitCode::FAILURE
        }
    }
}
