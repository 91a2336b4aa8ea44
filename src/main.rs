use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, Parser, Subcommand};
use piao::check::{self, Finding, Severity};
use piao::content::model::RevisionKind;
use piao::content::snapshot;
use piao::format;
use piao::lifecycle::approve::{self, Refusal, Request};
use piao::lifecycle::next::{self, NewEdition};
use piao::render::assets::Templates;
use piao::upload::Upload;
use piao::{Edition, Failure, Options, Product};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// clap writes its help and errors in English: the headings, usages and value names are set
/// here in Italian, and errors are rewritten by [`usage_error`].
const HELP: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// The planner's steps, as the README's «Il ciclo di vita del piano» tells them.
const LIFE_CYCLE: &str = "\
Il ciclo di vita del piano:
  1. Approvazione: dopo la delibera, «piao approva --atto \"Delibera di Giunta n. … del …\" --data AAAA-MM-GG»
     registra l'edizione in vigore in content/approvato/AAAA-MM-GG/ e riscrive i contenuti in forma
     consolidata (senza segni di revisione).
  2. Aggiornamento: si modificano direttamente valori, obiettivi e testi; «piao build» confronta i
     contenuti con l'ultima edizione approvata e pubblica ogni differenza come modifica (il vecchio
     barrato, il nuovo evidenziato, con le cifre ricalcolate per effetto).
  3. Motivi: ogni modifica ha il suo motivo in content/motivi.json, con la chiave che «piao differenze»
     indica (\"OS 1.4/peso\", \"personale_aree/istruttori/staff\", \"03-organizzazione/04-formazione.md\");
     una modifica senza motivo è un avviso (un errore con --strict).
  4. Revisione: «piao differenze» (o «--json») elenca le modifiche per chi le esamina prima della Giunta;
     dopo la delibera si torna al passo 1.
  5. Nuovo piano: «piao nuova-edizione --periodo 2026-2028 --destinazione CARTELLA» avvia il piano
     successivo dall'ultima edizione approvata, con gli anni spostati e i nuovi target da indicare.";

/// What `piao nuova-edizione --help` explains after the options: what the command changes,
/// what it leaves to the planner, and what it refuses.
const NEW_EDITION: &str = "\
Copia l'edizione approvata (l'ultima in approvato/ della cartella dei contenuti, o quella
indicata con --da) nella cartella di destinazione, che deve essere nuova o vuota, e vi
aggiorna:
  - documento.json: periodo, edizione e data; tolti gli atti dell'edizione precedente e l'atto
    di approvazione (resta l'organo); il nome del PDF prende il nuovo periodo;
  - i target degli obiettivi strategici: tolti gli anni usciti dal periodo, aggiunti vuoti
    (null) gli anni entrati;
  - i target degli obiettivi operativi, che valevano per il primo anno uscito: lasciati vuoti.
Ogni target vuoto è un avviso di piao build e piao check (un errore con --strict) e si stampa
«da definire» finché non è indicato. Gli altri file restano identici; quelli che nominano
ancora gli anni usciti dal periodo (testi, tabelle per anno) sono elencati, da rivedere a mano.
L'edizione di partenza non deve contenere revisioni: approvarla prima con piao approva.";

/// piao: compila il PIAO in un sito HTML accessibile.
#[derive(Parser)]
#[command(
    name = "piao",
    version,
    about = "Compila il PIAO (sito HTML e PDF) a partire dai contenuti in Markdown e JSON",
    help_template = HELP,
    override_usage = "piao <COMANDO> [OPZIONI]",
    subcommand_help_heading = "Comandi",
    subcommand_value_name = "COMANDO",
    next_help_heading = "Opzioni",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = LIFE_CYCLE
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Mostra questo aiuto (dopo un comando: l'aiuto del comando).
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Mostra la versione.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// Valida i contenuti, esegue le verifiche e pubblica il sito e il PDF nella cartella di uscita.
    #[command(override_usage = "piao build [OPZIONI]", help_template = HELP, next_help_heading = "Opzioni")]
    Build {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        build: BuildArgs,
        /// Cartella di uscita (predefinita: output), sostituita solo a compilazione riuscita e
        /// solo se vuota o generata da piao.
        #[arg(
            long,
            value_name = "CARTELLA",
            default_value = "output",
            hide_default_value = true
        )]
        out: PathBuf,
    },
    /// Anteprima locale su 127.0.0.1: ricompila a ogni salvataggio e aggiorna le pagine aperte.
    #[command(override_usage = "piao serve [OPZIONI]", help_template = HELP, next_help_heading = "Opzioni")]
    Serve {
        #[command(flatten)]
        common: Common,
        /// Porta su cui ascoltare (predefinita: 8000; 0: una porta libera qualsiasi).
        #[arg(
            long = "porta",
            value_name = "NUMERO",
            default_value_t = 8000,
            hide_default_value = true
        )]
        port: u16,
        /// Cartella dei modelli da osservare e usare al posto di quelli inclusi nel programma
        /// (predefinita: templates, se esiste).
        #[arg(
            long,
            value_name = "CARTELLA",
            default_value = "templates",
            hide_default_value = true
        )]
        templates: PathBuf,
    },
    /// Valida i contenuti, esegue le verifiche e compone sito e PDF in memoria, senza scrivere nulla.
    #[command(override_usage = "piao check [OPZIONI]", help_template = HELP, next_help_heading = "Opzioni")]
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Elenca le modifiche rispetto all'edizione approvata (raggruppate come nel Prospetto delle
    /// modifiche), con i motivi e le cifre ricalcolate per effetto, e quelle ancora senza motivo.
    #[command(override_usage = "piao differenze [OPZIONI]", help_template = HELP, next_help_heading = "Opzioni")]
    Differenze {
        #[command(flatten)]
        folder: Folder,
        /// Edizione approvata con cui confrontare: una cartella di content/approvato/
        /// (predefinita: l'ultima).
        #[arg(long = "da", value_name = "CARTELLA")]
        from: Option<PathBuf>,
        /// Scrive l'elenco in JSON invece che come testo.
        #[arg(long)]
        json: bool,
    },
    /// Registra l'edizione in vigore come approvata: consolida i contenuti e ne conserva una copia.
    #[command(
        override_usage = "piao approva --atto ATTO --data AAAA-MM-GG [OPZIONI]",
        help_template = HELP,
        next_help_heading = "Opzioni",
        long_about = "Registra l'edizione in vigore come approvata dall'atto indicato.\n\n\
            Rifiuta contenuti con errori o differenze non decise (come check --strict, in entrambe \
            le edizioni). Poi riscrive i file dei contenuti nella forma consolidata, mantenendone \
            l'impaginazione: le revisioni diventano i valori in vigore, le modifiche nei testi sono \
            risolte, gli obiettivi e gli indicatori eliminati sono tolti, le rettifiche non servono \
            più; registra l'atto in documento.json e svuota motivi.json. Una copia dei contenuti \
            consolidati resta in approvato/AAAA-MM-GG/, con l'atto in approvazione.json.\n\n\
            Dopo l'approvazione si modificano direttamente i valori e i testi: piao build mostra \
            le modifiche rispetto all'edizione approvata, con i motivi scritti in motivi.json."
    )]
    Approva {
        #[command(flatten)]
        folder: Folder,
        /// L'atto che approva l'edizione, come va citato («Delibera di Giunta n. 45 del 15.07.2025»).
        #[arg(long = "atto", value_name = "ATTO")]
        act: String,
        /// La data dell'atto, AAAA-MM-GG: è anche il nome della cartella dell'edizione approvata.
        #[arg(long = "data", value_name = "AAAA-MM-GG")]
        date: String,
    },
    /// Avvia il piano successivo dall'ultima edizione approvata, in una nuova cartella.
    #[command(
        name = "nuova-edizione",
        override_usage = "piao nuova-edizione --periodo AAAA-AAAA --destinazione CARTELLA [OPZIONI]",
        help_template = HELP,
        after_help = NEW_EDITION,
        next_help_heading = "Opzioni"
    )]
    NuovaEdizione {
        /// Il periodo del nuovo piano, come "2026-2028": inizia dopo quello di partenza.
        #[arg(long = "periodo", value_name = "AAAA-AAAA")]
        period: String,
        /// La cartella dei contenuti del nuovo piano, da creare (o vuota).
        #[arg(long = "destinazione", value_name = "CARTELLA")]
        destination: PathBuf,
        /// «Approvazione» (predefinita: il piano approvato entro gennaio) o «Aggiornamento».
        #[arg(
            long = "edizione",
            value_name = "EDIZIONE",
            value_enum,
            default_value = "Approvazione",
            hide_default_value = true,
            hide_possible_values = true
        )]
        edition: NewEdition,
        /// La data della nuova edizione, AAAA-MM-GG (predefinita: oggi).
        #[arg(long = "data", value_name = "AAAA-MM-GG")]
        date: Option<String>,
        /// L'edizione da cui partire, se non l'ultima approvata: una cartella dei contenuti
        /// o di un'edizione in approvato/.
        #[arg(long = "da", value_name = "CARTELLA")]
        from: Option<PathBuf>,
        #[command(flatten)]
        folder: Folder,
    },
}

/// The content folder: an option of every command.
#[derive(Args)]
struct Folder {
    /// Cartella dei contenuti (predefinita: content).
    #[arg(
        long,
        value_name = "CARTELLA",
        default_value = "content",
        hide_default_value = true
    )]
    content: PathBuf,
}

#[derive(Args)]
struct Common {
    #[command(flatten)]
    folder: Folder,
    /// Tratta gli avvisi come errori.
    #[arg(long)]
    strict: bool,
    /// Edizione: «modifiche» (predefinita: come pubblicata, con le revisioni dell'aggiornamento
    /// evidenziate) o «consolidata» (il testo in vigore, senza segni di revisione).
    #[arg(
        long = "edizione",
        value_name = "EDIZIONE",
        value_enum,
        default_value = "modifiche",
        hide_default_value = true,
        hide_possible_values = true
    )]
    edition: Edition,
}

#[derive(Args)]
struct BuildArgs {
    /// Produce solo il sito («html») o solo il PDF («pdf»); l'altro resta quello precedente.
    #[arg(
        long = "solo",
        value_name = "PRODOTTO",
        value_enum,
        hide_possible_values = true
    )]
    only: Option<Product>,
    /// Scrive anche un unico archivio zip della cartella da pubblicare, per i CMS che lo
    /// accettano (solo con sito e PDF insieme).
    #[arg(long, conflicts_with = "only")]
    zip: bool,
}

/// A command line clap refused, in Italian: what was wrong and what is accepted.
fn usage_error(e: &clap::Error) -> String {
    let text = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(list)) => list.join(", "),
        _ => String::new(),
    };
    let argument = text(ContextKind::InvalidArg);
    let argument = argument
        .split_once(' ')
        .map_or(argument.as_str(), |(name, _)| name);
    let value = text(ContextKind::InvalidValue);
    let valid = text(ContextKind::ValidValue);
    let mut message = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "comando sconosciuto «{}»: i comandi sono build, check, serve, differenze, approva e nuova-edizione",
            text(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => {
            format!("opzione sconosciuta «{argument}» per questo comando")
        }
        ErrorKind::InvalidValue if valid.is_empty() => {
            format!("manca il valore di {argument}")
        }
        ErrorKind::InvalidValue => {
            format!("valore non valido «{value}» per {argument}: valori ammessi: {valid}")
        }
        ErrorKind::ValueValidation if argument == "--porta" => {
            format!("valore non valido «{value}» per --porta: atteso un numero da 0 a 65535")
        }
        ErrorKind::ValueValidation => format!("valore non valido «{value}» per {argument}"),
        ErrorKind::ArgumentConflict if argument == "--zip" || argument.starts_with("--solo") => {
            "--zip archivia l'intera cartella da pubblicare, sito e PDF: non si usa con --solo"
                .to_string()
        }
        ErrorKind::ArgumentConflict => format!("opzione «{argument}» ripetuta o incompatibile"),
        ErrorKind::MissingRequiredArgument => {
            let listed = match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(list)) => list.clone(),
                Some(ContextValue::String(s)) => vec![s.clone()],
                _ => Vec::new(),
            };
            // `--periodo <AAAA-AAAA>`: the option's name, without its value's.
            let missing: Vec<&str> = listed
                .iter()
                .map(|a| a.split_once(' ').map_or(a.as_str(), |(name, _)| name))
                .collect();
            format!("manca l'opzione {}", missing.join(", "))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "manca il comando: piao build, check, serve, differenze, approva o nuova-edizione"
                .to_string()
        }
        _ => "riga di comando non valida".to_string(),
    };
    let suggested = text(ContextKind::SuggestedSubcommand) + &text(ContextKind::SuggestedArg);
    if !suggested.is_empty() {
        message.push_str(&format!(" (forse «{suggested}»?)"));
    }
    message
}

impl Common {
    fn options(&self, only: Option<Product>) -> Options {
        Options {
            strict: self.strict,
            edition: self.edition,
            only,
            templates: Templates::Embedded,
            zip: false,
            approved: None,
        }
    }
}

fn main() -> ExitCode {
    // No content should make piao panic; if a defect does, the office reads it in Italian,
    // with what a developer needs to find it.
    std::panic::set_hook(Box::new(|info| {
        let what = piao::diag::panic::cause(info.payload()).unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("errore interno di piao, da segnalare a chi lo sviluppa: {what}{at}");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("errore: {}", usage_error(&e));
            eprintln!("Per l'elenco dei comandi e delle opzioni: piao --help");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build { common, build, out } => {
            let options = Options {
                zip: build.zip,
                ..common.options(build.only)
            };
            let result = piao::build(&common.folder.content, &out, &options);
            report(result, Some(&out))
        }
        // Checking compiles both products in memory, so it refuses exactly what a build
        // refuses (the typesetter included); it only does not write them.
        Command::Check { common } => {
            let result = piao::compile(&common.folder.content, &common.options(None));
            report(result, None)
        }
        Command::Serve {
            common,
            port,
            templates,
        } => serve(&common, port, templates),
        Command::Differenze { folder, from, json } => differences(&folder.content, from, json),
        Command::Approva { folder, act, date } => approve(folder.content, act, date),
        Command::NuovaEdizione {
            period,
            destination,
            edition,
            date,
            from,
            folder,
        } => new_edition(&next::Request {
            content: folder.content,
            from,
            destination,
            period,
            edition,
            date,
        }),
    }
}

/// `piao differenze`: the list of changes, or why it cannot be made.
fn differences(content: &Path, from: Option<PathBuf>, json: bool) -> ExitCode {
    let options = Options {
        approved: from,
        // The listing needs the view only; the print coverage is checked by build and check.
        only: Some(Product::Html),
        ..Options::default()
    };
    match piao::differences::differences(content, &options) {
        Ok(d) => {
            let lines = if json { vec![d.json()] } else { d.terminal() };
            // A reader that stops early (`| head`) is not an error.
            let mut out = std::io::stdout().lock();
            for line in lines {
                if writeln!(out, "{line}").is_err() {
                    break;
                }
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report(Err(failure), None),
    }
}

/// `piao approva`: what was consolidated and where the approved edition is, or why nothing was.
fn approve(content: PathBuf, act: String, date: String) -> ExitCode {
    let request = Request { content, act, date };
    let done = match approve::approve(&request) {
        Ok(done) => done,
        Err(refusal) => {
            if let Refusal::Content { failure, .. } | Refusal::Verification(failure) = &refusal {
                print_failure(failure);
            }
            eprintln!("errore: {refusal}");
            eprintln!("Nessun file dei contenuti è stato modificato.");
            return ExitCode::FAILURE;
        }
    };
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_string()
        } else {
            format!("{n} file")
        }
    };
    println!(
        "Edizione approvata con «{}» del {}.",
        request.act.trim(),
        piao::content::date::Date::parse_iso(&request.date)
            .map_or(request.date.clone(), |d| format::date(&d))
    );
    println!(
        "Contenuti riscritti in forma consolidata: {}.",
        files(done.consolidated.len())
    );
    if !done.removed.is_empty() {
        let names: Vec<String> = done
            .removed
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        println!(
            "Obiettivi eliminati dall'aggiornamento, tolti dai contenuti: {} ({}).",
            done.removed.len(),
            names.join(", ")
        );
    }
    if done.eliminated > 0 {
        println!(
            "Indicatori eliminati dall'aggiornamento, tolti dalle schede: {}.",
            done.eliminated
        );
    }
    println!(
        "Edizione approvata conservata in {} (l'atto in {}).",
        done.snapshot.display(),
        snapshot::APPROVAL
    );
    println!(
        "Prossimo passo: modificare direttamente i valori e i testi, senza segni di revisione; \
         piao build mostrerà le modifiche rispetto all'edizione approvata; i motivi di ciascuna \
         modifica vanno scritti in {}.",
        request.content.join(snapshot::MOTIVES).display()
    );
    ExitCode::SUCCESS
}

/// Why a run of the pipeline stopped, as `build` and `check` print it.
fn print_failure(failure: &Failure) {
    match failure {
        Failure::Content(diag) => eprintln!("errore: {diag}"),
        Failure::System(e) => eprintln!("errore: {e}"),
        Failure::Refused(r) => eprintln!("errore: {r}"),
        Failure::Checks(findings) => print_findings(findings),
    }
}

/// `piao nuova-edizione`: what was written, what the planner still has to fill or review,
/// and the next step.
fn new_edition(request: &next::Request) -> ExitCode {
    let s = match next::start(request) {
        Ok(started) => started,
        Err(e) => {
            eprintln!("errore: {e}");
            eprintln!("Nessun file è stato scritto.");
            return ExitCode::FAILURE;
        }
    };
    let dest = s.destination.display();
    println!(
        "Nuova edizione {} {} (data {}) in {dest}: {} file, dall'edizione {} in {}.",
        s.edition.name(),
        s.new_period,
        s.date,
        s.files,
        s.old_period,
        s.source.display()
    );
    println!(
        "documento.json: periodo {}, edizione «{}», data {}; tolti gli atti e l'atto di approvazione dell'edizione precedente.",
        s.new_period,
        s.edition.name(),
        s.date
    );
    match &s.pdf_file {
        Some((old, new)) => println!("Nome del PDF: {new} (era {old})."),
        None => println!(
            "Nome del PDF invariato: non contiene il periodo {}; cambiarlo in documento.json se serve.",
            s.old_period
        ),
    }
    let (strategic, operational) = (s.pending_strategic.len(), s.pending_operational.len());
    println!(
        "Obiettivi strategici: tolti {} target degli anni usciti dal periodo; {strategic} target da indicare per gli anni nuovi (null).",
        s.dropped
    );
    println!(
        "Obiettivi operativi: {operational} target da indicare (null): valevano per il {}, primo anno del periodo precedente; ora si riferiscono al {}.",
        s.old_period.target_year(),
        s.new_period.target_year()
    );
    let lengths = (s.old_period.years().count(), s.new_period.years().count());
    if lengths.0 != lengths.1 {
        println!(
            "Il nuovo periodo ha {} anni, il precedente {}: gli anni in comune mantengono i loro target, gli altri sono da indicare.",
            lengths.1, lengths.0
        );
    }
    let total = strategic + operational;
    if total > 0 {
        println!(
            "Da completare: {total} target, ciascuno segnalato come avviso da piao build e piao check (errore con --strict) e stampato «da definire» finché non è indicato."
        );
    }
    if !s.to_review.is_empty() {
        let files = match s.to_review.len() {
            1 => "1 file che nomina".to_string(),
            n => format!("{n} file che nominano"),
        };
        println!(
            "Da rivedere a mano ({files} ancora {}: testi e tabelle per anno non si spostano da soli):",
            s.leaving.join(", ")
        );
        for f in &s.to_review {
            println!("  - {}", f.display());
        }
    }
    println!("Passo successivo: piao build --content {dest}");
    ExitCode::SUCCESS
}

fn serve(common: &Common, port: u16, templates: PathBuf) -> ExitCode {
    // Without a templates folder (an installed binary) the embedded ones are used.
    let templates = if templates.is_dir() {
        Templates::Folder(templates)
    } else {
        Templates::Embedded
    };
    let opts = piao::serve::ServeOptions {
        content: common.folder.content.clone(),
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

/// What a build (`out`: where it publishes) or a check tells the office. Warnings come
/// first and errors last, so that what stopped the run is what the terminal shows at the end.
fn report(result: Result<piao::Outcome, Failure>, out: Option<&PathBuf>) -> ExitCode {
    match result {
        Ok(outcome) => {
            print_findings(&outcome.findings);
            if let Some(why) = &outcome.uncompacted {
                eprintln!("avviso: {why}");
            }
            let r = &outcome.report;
            let count = |kind| outcome.amendments.iter().filter(|a| a.kind == kind).count();
            let summary = format!(
                "{} pagine, {} tabelle, {} grandezze calcolate, {} modifiche dell'aggiornamento, {} conseguenze e {} rettifiche; verifiche: {} superate, {} avvisi, {} accettate",
                outcome.pages,
                outcome.computed.tables.len(),
                outcome.computed.quantities.len(),
                count(RevisionKind::Update),
                count(RevisionKind::Consequence),
                count(RevisionKind::Correction),
                r.passed,
                r.warnings,
                r.accepted
            );
            match out {
                Some(out) => {
                    let site = out.join(piao::address::SITE);
                    let report = out.join(piao::address::reviewed(piao::address::CHECKS));
                    println!("Sito pubblicato in {}: {summary}.", site.display());
                    if let Some(upload) = &outcome.upload {
                        print_upload(upload);
                    }
                    println!(
                        "Rapporto delle verifiche, per chi rivede (non va pubblicato): {}.",
                        report.display()
                    );
                }
                None => println!("Contenuti validi: {summary}."),
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            match failure {
                Failure::Content(diag) => eprintln!("errore: {diag}"),
                Failure::System(e) => eprintln!("errore: {e}"),
                Failure::Refused(r) => {
                    eprintln!("errore: {r}");
                    eprintln!("Nessun file è stato modificato.");
                    return ExitCode::FAILURE;
                }
                Failure::Checks(findings) => {
                    print_findings(&findings);
                    let errors = findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count();
                    let failed = if errors == 1 {
                        "1 verifica non superata".to_string()
                    } else {
                        format!("{errors} verifiche non superate")
                    };
                    eprintln!("{failed}: correggere i dati o motivarne l'accettazione.");
                }
            }
            if out.is_some() {
                eprintln!("La cartella di uscita precedente non è stata modificata.");
            }
            ExitCode::FAILURE
        }
    }
}

/// What to upload, and where: the published folder for Amministrazione Trasparente (with
/// the PDF and the open data inside it), the archive when asked, the Portale PIAO record.
fn print_upload(upload: &Upload) {
    let missing = &upload.portal_missing;
    let files = |n: usize| {
        if n == 1 {
            "1 file".to_string()
        } else {
            format!("{n} file")
        }
    };
    println!(
        "Da caricare in Amministrazione Trasparente: la cartella {} ({}, {}), che contiene:",
        upload.site.path.display(),
        files(upload.site.files),
        format::size(upload.site.bytes)
    );
    let inside = |what: &str, item: &Option<piao::upload::Item>, count: bool| {
        if let Some(item) = item {
            let files = if count {
                format!("{}, ", files(item.files))
            } else {
                String::new()
            };
            println!(
                "  - {what}: {} ({files}{})",
                item.path.display(),
                format::size(item.bytes)
            );
        }
    };
    inside("il documento in PDF", &upload.pdf, false);
    inside("i dati aperti", &upload.data, true);
    inside("l'indice della ricerca", &upload.search, true);
    if let Some(archive) = &upload.archive {
        println!(
            "La stessa cartella in un unico archivio: {} ({}).",
            archive.path.display(),
            format::size(archive.bytes)
        );
    }
    if let Some(portal) = &upload.portal {
        if missing.is_empty() {
            println!("Scheda per il Portale PIAO: {}.", portal.path.display());
        } else {
            println!(
                "Scheda per il Portale PIAO: {} (mancano: {}; da indicare in documento.json).",
                portal.path.display(),
                missing.join(", ")
            );
        }
    }
}

/// Warnings and accepted violations, their count, then the errors (see [`check::terminal`]).
fn print_findings(findings: &[Finding]) {
    for line in check::terminal(findings) {
        eprintln!("{line}");
    }
}
