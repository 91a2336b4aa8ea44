use clap::{Args, Parser, Subcommand};
use piao::check::{Finding, Severity};
use piao::render::assets::Templates;
use piao::{Edition, Failure, Options, Product};
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
    /// Valida i contenuti, esegue le verifiche e pubblica il sito nella cartella di uscita.
    Build {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        build: BuildArgs,
        /// Cartella di uscita (sostituita solo a compilazione riuscita).
        #[arg(long, default_value = "output")]
        out: PathBuf,
    },
    /// Anteprima locale su 127.0.0.1: ricompila a ogni salvataggio e aggiorna le pagine aperte.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Porta su cui ascoltare (0: una porta libera qualsiasi).
        #[arg(long = "porta", default_value_t = 8000)]
        port: u16,
        /// Cartella dei modelli da osservare e usare al posto di quelli inclusi nel programma.
        #[arg(long, default_value = "templates")]
        templates: PathBuf,
    },
    /// Valida i contenuti ed esegue le verifiche senza scrivere nulla.
    Check {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args)]
struct Common {
    /// Cartella dei contenuti.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Tratta gli avvisi come errori.
    #[arg(long)]
    strict: bool,
    /// Edizione: «modifiche» (come pubblicata, con le revisioni dell'aggiornamento evidenziate)
    /// o «consolidata» (il testo in vigore, senza segni di revisione).
    #[arg(long = "edizione", value_enum, default_value = "modifiche")]
    edition: Edition,
}

#[derive(Args)]
struct BuildArgs {
    /// Produce solo il sito («html») o solo il PDF («pdf»); l'altro resta quello precedente.
    #[arg(long = "solo", value_enum)]
    only: Option<Product>,
}

impl Common {
    fn options(&self, only: Option<Product>) -> Options {
        Options {
            strict: self.strict,
            edition: self.edition,
            only,
            templates: Templates::Embedded,
        }
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { common, build, out } => {
            let result = piao::build(&common.content, &out, &common.options(build.only));
            report(result, Some(&out))
        }
        // Checking validates the content and the site; typesetting is the PDF build's job.
        Command::Check { common } => {
            let result = piao::compile(&common.content, &common.options(Some(Product::Html)));
            report(result, None)
        }
        Command::Serve {
            common,
            port,
            templates,
        } => serve(&common, port, templates),
    }
}

fn serve(common: &Common, port: u16, templates: PathBuf) -> ExitCode {
    // Without a templates folder (an installed binary) the embedded ones are used.
    let templates = if templates.is_dir() {
        Templates::Folder(templates)
    } else {
        Templates::Embedded
    };
    let opts = piao::serve::ServeOptions {
        content: common.content.clone(),
        port,
        options: Options {
            templates,
            ..common.options(None)
        },
        limits: piao::serve::Limits::default(),
    };
    match piao::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("errore: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What a build (`out`: where it publishes) or a check tells the office.
fn report(result: Result<piao::Outcome, Failure>, out: Option<&PathBuf>) -> ExitCode {
    match result {
        Ok(outcome) => {
            print_findings(&outcome.findings);
            let r = &outcome.report;
            let summary = format!(
                "{} pagine, {} tabelle, {} grandezze calcolate, {} modifiche dell'aggiornamento; verifiche: {} superate, {} avvisi, {} accettate",
                outcome.pages,
                outcome.computed.tables.len(),
                outcome.computed.quantities.len(),
                outcome.amendments.len(),
                r.passed,
                r.warnings,
                r.accepted
            );
            match out {
                Some(out) => println!("Sito pubblicato in {}: {summary}.", out.display()),
                None => println!("Contenuti validi: {summary}."),
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            match failure {
                Failure::Content(diag) => eprintln!("errore: {diag}"),
                Failure::System(e) => eprintln!("errore: {e}"),
                Failure::Checks(findings) => {
                    print_findings(&findings);
                    let errors = findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count();
                    eprintln!(
                        "{errors} verifiche non superate: correggere i dati o motivarne l'accettazione."
                    );
                }
            }
            if out.is_some() {
                eprintln!("La cartella di uscita precedente non è stata modificata.");
            }
            ExitCode::FAILURE
        }
    }
}

fn print_findings(findings: &[Finding]) {
    for f in findings {
        eprintln!("{}: {}", f.severity.label(), f.diag);
    }
}
