//! The small formula language of computed columns, computed rows, derived quantities and
//! checks: `+ - * /`, parentheses, decimal numbers, references such as `tabella.riga.colonna`
//! or `nome`, the functions `somma`, `min`, `max`, `arrotonda`, and one comparison
//! (`<= < >= > == !=`) in checks. Everything is `Decimal`: no float ever touches a figure.

use crate::content::jsonpos::{JsonFile, Step};
use crate::diag::{Diagnostic, Location};
use crate::format;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt;
use std::str::FromStr;

/// How deeply a formula may nest: parentheses, function calls and minus signs one inside the
/// other, and operations chained one after the other (`a + b + c` is `(a + b) + c`, one
/// operation inside the other). Parsing and evaluating recurse once per level, so without a
/// bound ten thousand `(` overflow the stack and abort piao (and the preview with it). The
/// real document needs about ten levels; 64 leaves room for any formula a person writes, and
/// keeps the deepest recursion far below the stack of any thread.
pub const MAX_DEPTH: usize = 64;

/// A parsed formula. Every node carries the byte offset in the formula of the text it comes
/// from, so an error found while evaluating points at its place.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal, usize),
    /// A reference, with its byte offset in the formula.
    Ref(String, usize),
    /// A minus sign, at its offset.
    Neg(Box<Expr>, usize),
    /// An operation, with the offset of its operator.
    Bin(BinOp, Box<Expr>, Box<Expr>, usize),
    Call(String, Vec<Expr>, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
    Ne,
}

impl Cmp {
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Le => "<=",
            Cmp::Lt => "<",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
        }
    }

    pub fn holds(self, a: Decimal, b: Decimal) -> bool {
        match self {
            Cmp::Le => a <= b,
            Cmp::Lt => a < b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
        }
    }
}

/// A comparison between two expressions, as a check states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub left: Expr,
    pub cmp: Cmp,
    pub right: Expr,
}

/// A problem in a formula, at a byte offset of the formula text (always a character boundary
/// within it, or its length for "the formula ends too early").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    pub offset: usize,
    pub kind: FormulaErrorKind,
}

/// What went wrong, so callers decide on the kind and never on the wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormulaErrorKind {
    /// The formula cannot be read, or names what does not exist: the Italian explanation.
    Invalid(String),
    /// A referenced cell holds no figure (blank, `-`), or a pattern finds none: a computed
    /// cell over it stays blank, a quantity cannot be computed.
    Missing(String),
    /// A division by zero: a figure that does not exist, never printed as one.
    DivisionByZero,
    /// A result beyond what exact decimals can hold.
    Overflow,
}

impl FormulaError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        FormulaError {
            offset,
            kind: FormulaErrorKind::Invalid(message.into()),
        }
    }

    fn of(offset: usize, kind: FormulaErrorKind) -> Self {
        FormulaError { offset, kind }
    }

    /// Where the formula's character at the error is, for a formula written as the JSON
    /// string at `path` of `file`.
    pub fn location(&self, file: &JsonFile, path: &[Step<'_>]) -> Location {
        file.at_offset(file.string_offset(path, self.offset))
    }

    /// The error inside the JSON string at `path` of `file`, pointing at the formula's
    /// character.
    pub fn located(&self, file: &JsonFile, path: &[Step<'_>]) -> Diagnostic {
        Diagnostic::new(self.location(file, path), format!("formula: {}", self.kind))
    }
}

/// Parses the formula written at `path` of `file`; an error points into it.
pub fn parse_at(file: &JsonFile, path: &[Step<'_>], src: &str) -> Result<Expr, Diagnostic> {
    parse(src).map_err(|e| e.located(file, path))
}

impl fmt::Display for FormulaErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormulaErrorKind::Invalid(m) | FormulaErrorKind::Missing(m) => f.write_str(m),
            FormulaErrorKind::DivisionByZero => f.write_str("divisione per zero"),
            FormulaErrorKind::Overflow => {
                f.write_str("risultato fuori dall'intervallo dei numeri decimali")
            }
        }
    }
}

/// In a reference, the id of the row being computed: a column or a cell may read the row of
/// the same id in another table (`costo_personale.{riga}.costo_unitario`), and a check may
/// compare two tables row by row (`a.{riga}.x == b.{riga}.y`), so a figure is typed in one
/// table only and the others follow it.
pub const ROW: &str = "{riga}";

/// `name` with every `{riga}` segment replaced by the row id `row`.
pub fn for_row(name: &str, row: &str) -> String {
    name.replace(ROW, row)
}

/// An environment read for one row: `{riga}` in a reference is that row's id.
pub struct ForRow<'a> {
    pub inner: &'a dyn Env,
    pub row: &'a str,
}

impl Env for ForRow<'_> {
    fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
        self.inner.value(&for_row(name, self.row))
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
        self.inner.values(&for_row(pattern, self.row))
    }
}

/// What references resolve to while evaluating. A reference that names nothing is
/// [`FormulaErrorKind::Invalid`]; one that names a cell without a figure is
/// [`FormulaErrorKind::Missing`].
pub trait Env {
    /// The value of a plain reference (`a`, `t.r.c`).
    fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind>;
    /// The figures matched by a reference with `*` (only inside `somma`); cells without a
    /// figure are left out.
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind>;
}

/// The sum of `values`, or `None` when it leaves the range of exact decimals (where `Sum`
/// for `Decimal` would panic).
pub fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Name(String),
    Op(char),
    Cmp(Cmp),
    Open,
    Close,
    Comma,
}

/// A piece of the formula quoted in a message: control characters by their code, and at most
/// 40 characters, so a message stays readable whatever the content holds.
fn quoted(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.push_str(&format!("U+{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, FormulaError> {
    let b = src.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let mut out = Vec::new();
    let mut i = 0;
    // Every branch consumes ASCII bytes only, so `i` always stays on a character boundary.
    while let Some(byte) = at(i) {
        let start = i;
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'0'..=b'9' => {
                while at(i).is_some_and(|c| c.is_ascii_digit() || c == b'.') {
                    i += 1;
                }
                let text = src.get(start..i).unwrap_or_default();
                let n = Decimal::from_str(text).map_err(|_| {
                    FormulaError::new(
                        start,
                        format!(
                            "numero non valido «{}»: usare il punto per i decimali, senza separatori delle migliaia, al massimo 28 cifre",
                            quoted(text)
                        ),
                    )
                })?;
                out.push((Tok::Num(n), start));
            }
            b'a'..=b'z' | b'_' => {
                // `*` belongs to a name only as a pattern right after `.` or `_`
                // (`t.*.c`, `pavia_*`); anywhere else it multiplies.
                while let Some(c) = at(i) {
                    let pattern = c == b'*' && i > start && matches!(at(i - 1), Some(b'.' | b'_'));
                    // `{riga}` stands for the current row's id, as a whole segment
                    // (`cessazioni.{riga}.anno_1`): see [`ROW`].
                    if c == b'{'
                        && at(i - 1) == Some(b'.')
                        && src.get(i..).is_some_and(|r| r.starts_with(ROW))
                    {
                        i += ROW.len();
                        continue;
                    }
                    if c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || c == b'_'
                        || c == b'.'
                        || pattern
                    {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let name = src.get(start..i).unwrap_or_default().to_string();
                out.push((Tok::Name(name), start));
            }
            b'+' | b'-' | b'*' | b'/' => {
                out.push((Tok::Op(char::from(byte)), start));
                i += 1;
            }
            b'(' => {
                out.push((Tok::Open, start));
                i += 1;
            }
            b')' => {
                out.push((Tok::Close, start));
                i += 1;
            }
            b',' => {
                out.push((Tok::Comma, start));
                i += 1;
            }
            b'<' | b'>' | b'=' | b'!' => {
                let (cmp, len) = match (byte, at(i + 1)) {
                    (b'<', Some(b'=')) => (Cmp::Le, 2),
                    (b'>', Some(b'=')) => (Cmp::Ge, 2),
                    (b'=', Some(b'=')) => (Cmp::Eq, 2),
                    (b'!', Some(b'=')) => (Cmp::Ne, 2),
                    (b'<', _) => (Cmp::Lt, 1),
                    (b'>', _) => (Cmp::Gt, 1),
                    _ => {
                        return Err(FormulaError::new(
                            start,
                            format!(
                                "operatore non valido «{}»: usare ==, !=, <, <=, >, >=",
                                char::from(byte)
                            ),
                        ));
                    }
                };
                out.push((Tok::Cmp(cmp), start));
                i += len;
            }
            b'.' => {
                return Err(FormulaError::new(
                    start,
                    "«.» fuori da un numero o da un nome: un numero comincia con una cifra (0.5, non .5)",
                ));
            }
            b'A'..=b'Z' => {
                return Err(FormulaError::new(
                    start,
                    format!(
                        "lettera maiuscola «{}» in una formula: i nomi usano lettere minuscole, cifre e _",
                        char::from(byte)
                    ),
                ));
            }
            _ => {
                let c = src
                    .get(start..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(FormulaError::new(
                    start,
                    format!(
                        "carattere non ammesso «{}» in una formula",
                        quoted(&c.to_string())
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// An expression being parsed, with the height of its tree.
type Parsed = (Expr, usize);

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
    /// Parentheses, calls and minus signs open around the current token.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, o)| *o)
    }
    /// Runs `inner` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        at: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, FormulaError>,
    ) -> Result<T, FormulaError> {
        if self.depth >= MAX_DEPTH {
            return Err(FormulaError::new(
                at,
                format!(
                    "troppi livelli annidati: al massimo {MAX_DEPTH} tra parentesi, funzioni e segni meno uno dentro l'altro"
                ),
            ));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }
    /// The height of a node over children of height `below`, refusing trees taller than
    /// [`MAX_DEPTH`] (long chains of operations), which evaluation would recurse through.
    fn taller(&self, below: usize, at: usize) -> Result<usize, FormulaError> {
        let height = below.saturating_add(1);
        if height > MAX_DEPTH {
            return Err(FormulaError::new(
                at,
                format!(
                    "troppe operazioni concatenate: al massimo {MAX_DEPTH} livelli di operazioni, in fila o una dentro l'altra; per sommare molti valori usare somma(..), oppure dividere il calcolo in più grandezze"
                ),
            ));
        }
        Ok(height)
    }
    fn expr(&mut self) -> Result<Parsed, FormulaError> {
        let (mut left, mut height) = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            let at = self.offset();
            self.pos += 1;
            let (right, h) = self.term()?;
            height = self.taller(height.max(h), at)?;
            let op = if op == '+' { BinOp::Add } else { BinOp::Sub };
            left = Expr::Bin(op, Box::new(left), Box::new(right), at);
        }
        Ok((left, height))
    }
    fn term(&mut self) -> Result<Parsed, FormulaError> {
        let (mut left, mut height) = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            let at = self.offset();
            self.pos += 1;
            let (right, h) = self.unary()?;
            height = self.taller(height.max(h), at)?;
            let op = if op == '*' { BinOp::Mul } else { BinOp::Div };
            left = Expr::Bin(op, Box::new(left), Box::new(right), at);
        }
        Ok((left, height))
    }
    fn unary(&mut self) -> Result<Parsed, FormulaError> {
        if self.peek() == Some(&Tok::Op('-')) {
            let at = self.offset();
            self.pos += 1;
            let (inner, h) = self.nested(at, Self::unary)?;
            let height = self.taller(h, at)?;
            return Ok((Expr::Neg(Box::new(inner), at), height));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Parsed, FormulaError> {
        let at = self.offset();
        match self.toks.get(self.pos).cloned() {
            Some((Tok::Num(n), _)) => {
                self.pos += 1;
                Ok((Expr::Num(n, at), 1))
            }
            Some((Tok::Name(name), _)) => {
                self.pos += 1;
                if self.peek() != Some(&Tok::Open) {
                    return Ok((Expr::Ref(name, at), 1));
                }
                self.pos += 1;
                let (args, h) = self.nested(at, |p| {
                    let mut args = Vec::new();
                    let mut height = 0;
                    if p.peek() != Some(&Tok::Close) {
                        loop {
                            let (arg, h) = p.expr()?;
                            args.push(arg);
                            height = height.max(h);
                            if p.peek() == Some(&Tok::Comma) {
                                p.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    p.expect_close()?;
                    Ok((args, height))
                })?;
                let height = self.taller(h, at)?;
                Ok((Expr::Call(name, args, at), height))
            }
            Some((Tok::Open, _)) => {
                self.pos += 1;
                self.nested(at, |p| {
                    let inner = p.expr()?;
                    p.expect_close()?;
                    Ok(inner)
                })
            }
            _ => Err(FormulaError::new(
                at,
                "atteso un numero, un riferimento o una parentesi",
            )),
        }
    }
    fn expect_close(&mut self) -> Result<(), FormulaError> {
        if self.peek() == Some(&Tok::Close) {
            self.pos += 1;
            Ok(())
        } else {
            Err(FormulaError::new(
                self.offset(),
                "attesa una parentesi chiusa «)»",
            ))
        }
    }
    fn finish(&self) -> Result<(), FormulaError> {
        match self.peek() {
            None => Ok(()),
            Some(Tok::Comma) => Err(FormulaError::new(
                self.offset(),
                "virgola fuori da una funzione: nei numeri i decimali vanno dopo il punto (1.5, non 1,5)",
            )),
            Some(_) => Err(FormulaError::new(
                self.offset(),
                "testo in eccesso dopo la fine della formula",
            )),
        }
    }
}

fn parser(src: &str) -> Result<Parser, FormulaError> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(FormulaError::new(0, "formula vuota"));
    }
    Ok(Parser {
        toks,
        pos: 0,
        end: src.len(),
        depth: 0,
    })
}

/// Parses an arithmetic formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let mut p = parser(src)?;
    let (e, _) = p.expr()?;
    p.finish()?;
    Ok(e)
}

/// Parses a check: two formulas and a comparison.
pub fn parse_condition(src: &str) -> Result<Condition, FormulaError> {
    let mut p = parser(src)?;
    let (left, _) = p.expr()?;
    let cmp = match p.peek() {
        Some(Tok::Cmp(c)) => *c,
        _ => {
            return Err(FormulaError::new(
                p.offset(),
                "attesa una comparazione (==, !=, <, <=, >, >=)",
            ));
        }
    };
    p.pos += 1;
    let (right, _) = p.expr()?;
    p.finish()?;
    Ok(Condition { left, cmp, right })
}

impl Expr {
    /// Evaluates with exact, checked decimals; a division by zero, a result out of range or an
    /// unknown reference is an error at its place in the formula. Recursion is bounded by
    /// [`MAX_DEPTH`], which the parser enforces.
    pub fn eval(&self, env: &dyn Env) -> Result<Decimal, FormulaError> {
        match self {
            Expr::Num(n, _) => Ok(*n),
            Expr::Ref(name, at) => {
                if name.contains('*') {
                    return Err(FormulaError::new(
                        *at,
                        format!("«{name}» indica più valori: usarlo dentro somma(..)"),
                    ));
                }
                env.value(name).map_err(|k| FormulaError::of(*at, k))
            }
            // A decimal's negation only flips its sign: it cannot leave the range.
            Expr::Neg(e, _) => Ok(-e.eval(env)?),
            Expr::Bin(op, a, b, at) => {
                let (x, y) = (a.eval(env)?, b.eval(env)?);
                match op {
                    BinOp::Add => x.checked_add(y),
                    BinOp::Sub => x.checked_sub(y),
                    BinOp::Mul => x.checked_mul(y),
                    BinOp::Div if y.is_zero() => {
                        return Err(FormulaError::of(
                            b.start(),
                            FormulaErrorKind::DivisionByZero,
                        ));
                    }
                    BinOp::Div => x.checked_div(y),
                }
                .ok_or_else(|| FormulaError::of(*at, FormulaErrorKind::Overflow))
            }
            Expr::Call(name, args, at) => {
                let fail = |m: &str| FormulaError::new(*at, m.to_string());
                match name.as_str() {
                    "somma" => {
                        if args.is_empty() {
                            return Err(fail("somma(..) vuole almeno un valore"));
                        }
                        let overflow = || FormulaError::of(*at, FormulaErrorKind::Overflow);
                        let mut total = Decimal::ZERO;
                        for a in args {
                            let values = match a {
                                Expr::Ref(p, at) if p.contains('*') => {
                                    let found =
                                        env.values(p).map_err(|k| FormulaError::of(*at, k))?;
                                    if found.is_empty() {
                                        return Err(FormulaError::of(
                                            *at,
                                            FormulaErrorKind::Missing(format!(
                                                "«{p}» non trova nessun valore numerico da sommare"
                                            )),
                                        ));
                                    }
                                    found
                                }
                                other => vec![other.eval(env)?],
                            };
                            for v in values {
                                total = total.checked_add(v).ok_or_else(overflow)?;
                            }
                        }
                        Ok(total)
                    }
                    "min" | "max" => {
                        let values = args
                            .iter()
                            .map(|a| a.eval(env))
                            .collect::<Result<Vec<_>, _>>()?;
                        let pick = if name == "min" {
                            values.iter().min()
                        } else {
                            values.iter().max()
                        };
                        pick.copied()
                            .ok_or_else(|| fail(&format!("{name}(..) vuole almeno un valore")))
                    }
                    "arrotonda" => match args.as_slice() {
                        [x, n] => {
                            let places = n.eval(env)?;
                            let places = places
                                .to_u32()
                                .filter(|p| *p <= 10 && Decimal::from(*p) == places)
                                .ok_or_else(|| {
                                    fail("arrotonda(x, n): n deve essere un intero da 0 a 10")
                                })?;
                            Ok(format::round(x.eval(env)?, places))
                        }
                        _ => Err(fail(
                            "arrotonda vuole due argomenti: arrotonda(valore, decimali)",
                        )),
                    },
                    other => Err(fail(&format!(
                        "funzione «{other}» inesistente: usare somma, min, max o arrotonda"
                    ))),
                }
            }
        }
    }

    /// Offset of the expression's first character (of its leftmost operand).
    fn start(&self) -> usize {
        match self {
            Expr::Bin(_, a, _, _) => a.start(),
            Expr::Num(_, at) | Expr::Ref(_, at) | Expr::Neg(_, at) | Expr::Call(_, _, at) => *at,
        }
    }

    /// The reference that is the whole divisor of a division and starts at `offset` (where
    /// a division by zero is reported): `dipendenti` in `a / dipendenti * 100`, nothing in
    /// `a / (b - c)`.
    pub fn divisor_at(&self, offset: usize) -> Option<&str> {
        match self {
            Expr::Bin(op, a, b, _) => {
                if let (BinOp::Div, Expr::Ref(name, at)) = (op, &**b)
                    && *at == offset
                {
                    return Some(name);
                }
                a.divisor_at(offset).or_else(|| b.divisor_at(offset))
            }
            Expr::Neg(e, _) => e.divisor_at(offset),
            Expr::Call(_, args, _) => args.iter().find_map(|a| a.divisor_at(offset)),
            Expr::Num(..) | Expr::Ref(..) => None,
        }
    }

    /// Every reference the formula makes (for dependency checks).
    pub fn refs(&self) -> Vec<(&str, usize)> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<(&'a str, usize)>) {
        match self {
            Expr::Ref(n, at) => out.push((n, *at)),
            Expr::Neg(e, _) => e.collect_refs(out),
            Expr::Bin(_, a, b, _) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
            Expr::Call(_, args, _) => args.iter().for_each(|a| a.collect_refs(out)),
            Expr::Num(..) => {}
        }
    }
}

/// Matches `pavia_*` against `pavia_2019`: `*` stands for any run of characters. Greedy with
/// one backtracking point, so a pattern of many `*` costs at most the product of the two
/// lengths (a recursive match would take exponential time).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // After the last `*` seen: where the pattern resumes and the text it was tried at.
    let mut retry: Option<(usize, usize)> = None;
    while let Some(&c) = t.get(ti) {
        match p.get(pi) {
            Some(b'*') => {
                pi += 1;
                retry = Some((pi, ti));
            }
            Some(&q) if q == c => {
                pi += 1;
                ti += 1;
            }
            _ => match retry {
                Some((rp, rt)) => {
                    pi = rp;
                    ti = rt + 1;
                    retry = Some((rp, rt + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Vars(HashMap<&'static str, Decimal>);
    impl Env for Vars {
        fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
            self.0
                .get(name)
                .copied()
                .ok_or_else(|| FormulaErrorKind::Invalid(format!("«{name}» sconosciuto")))
        }
        fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
            Ok(self
                .0
                .iter()
                .filter(|(k, _)| glob_match(pattern, k))
                .map(|(_, v)| *v)
                .collect())
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn vars() -> Vars {
        Vars(HashMap::from([
            ("t.a.x", d("106")),
            ("t.b.x", d("155")),
            ("pv_2019", d("1")),
            ("pv_2020", d("3")),
            ("mn_2019", d("7")),
        ]))
    }

    #[test]
    fn evaluates_with_precedence_and_exact_decimals() {
        let e = parse("t.a.x / t.b.x*100").unwrap();
        assert_eq!(format::number(e.eval(&vars()).unwrap(), 1), "68,4");
        assert_eq!(
            parse("1 + 2 * 3 - (4 - 1)").unwrap().eval(&vars()).unwrap(),
            d("4")
        );
        assert_eq!(parse("0.1 + 0.2").unwrap().eval(&vars()).unwrap(), d("0.3"));
        assert_eq!(parse("-2 * -3").unwrap().eval(&vars()).unwrap(), d("6"));
    }

    #[test]
    fn the_row_placeholder_is_a_whole_segment_of_a_reference() {
        let e = parse("cessazioni.{riga}.anno_1 * t.r.{riga}").unwrap();
        let names: Vec<&str> = e.refs().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["cessazioni.{riga}.anno_1", "t.r.{riga}"]);
        assert_eq!(
            for_row(names[0], "istruttori"),
            "cessazioni.istruttori.anno_1"
        );
        // Only `{riga}`, and only after a dot: anything else is not a reference.
        for bad in [
            "t.{rig}.c",
            "t.{riga.c",
            "{riga}.c",
            "t{riga}.c",
            "t.{RIGA}.c",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let env = ForRow {
            inner: &vars(),
            row: "a",
        };
        assert_eq!(parse("t.{riga}.x").unwrap().eval(&env).unwrap(), d("106"));
    }

    #[test]
    fn functions() {
        assert_eq!(parse("somma(pv_*)").unwrap().eval(&vars()).unwrap(), d("4"));
        assert_eq!(
            parse("somma(pv_*, mn_2019, 1)")
                .unwrap()
                .eval(&vars())
                .unwrap(),
            d("12")
        );
        assert_eq!(
            parse("arrotonda(2.345, 2)").unwrap().eval(&vars()).unwrap(),
            d("2.35")
        );
        assert_eq!(
            parse("max(1, 5, 3) - min(4, 2)")
                .unwrap()
                .eval(&vars())
                .unwrap(),
            d("3")
        );
    }

    #[test]
    fn errors_point_into_the_formula() {
        assert_eq!(parse("t.a.x + ").unwrap_err().offset, 8);
        let e = parse("t.a.x / (1 - 1)").unwrap().eval(&vars()).unwrap_err();
        assert_eq!(e.kind, FormulaErrorKind::DivisionByZero);
        assert_eq!(e.kind.to_string(), "divisione per zero");
        let e = parse("t.a.x + t.z.x").unwrap().eval(&vars()).unwrap_err();
        assert_eq!(e.offset, 8);
        let e = parse("1 + 1,5").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(e.kind.to_string().contains("(1.5, non 1,5)"), "{}", e.kind);
        let e = parse("a * .5").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(e.kind.to_string().contains("0.5, non .5"), "{}", e.kind);
        assert_eq!(
            parse("pv_* + 1").unwrap().eval(&vars()).unwrap_err().offset,
            0
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let big = "79228162514264337593543950335";
        let e = parse(&format!("somma({big}, {big})"))
            .unwrap()
            .eval(&vars())
            .unwrap_err();
        assert_eq!(e.kind, FormulaErrorKind::Overflow);
        let e = parse(&format!("{big} * 10"))
            .unwrap()
            .eval(&vars())
            .unwrap_err();
        assert_eq!(e.kind, FormulaErrorKind::Overflow);
    }

    #[test]
    fn conditions() {
        let c = parse_condition("t.a.x <= t.b.x").unwrap();
        assert!(c.cmp.holds(
            c.left.eval(&vars()).unwrap(),
            c.right.eval(&vars()).unwrap()
        ));
        assert!(parse_condition("t.a.x").is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("pavia_*", "pavia_2019"));
        assert!(glob_match("*_2019", "pavia_2019"));
        assert!(!glob_match("pavia_*", "mantova_2019"));
        assert!(glob_match("*", "x"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a_*_c", "a_b_b_c"));
        assert!(!glob_match("a_*_c", "a_b_b_d"));
        assert!(glob_match("a**", "a"));
        assert!(!glob_match("", "a"));
        assert!(glob_match("è_*", "è_1"));
    }

    #[test]
    fn a_pattern_of_many_stars_is_matched_in_linear_time() {
        // A recursive matcher takes exponential time here; this one answers at once.
        let pattern = format!("{}x", "*_".repeat(40));
        let text = "_".repeat(200);
        let started = std::time::Instant::now();
        assert!(!glob_match(&pattern, &text));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn a_non_ascii_character_is_named_whole_at_its_offset() {
        let e = parse("importo / importò * 100").unwrap_err();
        assert_eq!(e.offset, "importo / import".len());
        assert_eq!(
            e.kind.to_string(),
            "carattere non ammesso «ò» in una formula"
        );
        let e = parse("a × b").unwrap_err();
        assert_eq!(
            e.kind.to_string(),
            "carattere non ammesso «×» in una formula"
        );
        let e = parse("a\u{7}b").unwrap_err();
        assert_eq!(
            e.kind.to_string(),
            "carattere non ammesso «U+0007» in una formula"
        );
        let e = parse("Importo").unwrap_err();
        assert!(e.kind.to_string().contains("maiuscola «I»"), "{}", e.kind);
    }

    #[test]
    fn nesting_is_limited_in_every_recursive_form() {
        let deep =
            |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        // Each wrapper with the levels it opens.
        let wrappers = [
            ("(", ")", 1),
            ("-", "", 1),
            ("somma(", ")", 1),
            ("-(", ")", 2),
            ("max(1, ", ")", 1),
        ];
        for (open, close, levels) in wrappers {
            assert!(
                parse(&deep(open, close, MAX_DEPTH / levels - 1)).is_ok(),
                "{open}"
            );
            for n in [MAX_DEPTH + 1, 10_000] {
                let e = parse(&deep(open, close, n)).unwrap_err();
                assert!(
                    e.kind.to_string().contains("al massimo 64"),
                    "{open}: {}",
                    e.kind
                );
                assert!(e.offset < open.len() * n, "{open}");
            }
        }
        // Long chains build a tree as deep as they are long, which evaluation recurses.
        let chain = |n: usize| vec!["1"; n].join(" + ");
        assert_eq!(
            parse(&chain(MAX_DEPTH)).unwrap().eval(&vars()).unwrap(),
            d("64")
        );
        let e = parse(&chain(100_000)).unwrap_err();
        assert!(e.kind.to_string().contains("somma(..)"), "{}", e.kind);
        assert_eq!(e.offset, "1 + ".len() * MAX_DEPTH - 2);
        // Flat lists are not nested: a sum of many values is fine.
        let many = format!("somma({})", vec!["1"; 100_000].join(", "));
        assert_eq!(parse(&many).unwrap().eval(&vars()).unwrap(), d("100000"));
    }

    #[test]
    fn evaluation_errors_point_at_their_operand() {
        let e = parse("t.a.x / 0").unwrap().eval(&vars()).unwrap_err();
        assert_eq!((e.offset, e.kind), (8, FormulaErrorKind::DivisionByZero));
        let e = parse("t.a.x / -(1 - 1)")
            .unwrap()
            .eval(&vars())
            .unwrap_err();
        assert_eq!(e.offset, 8);
        let big = "79228162514264337593543950335";
        let e = parse(&format!("1 + {big} * 2"))
            .unwrap()
            .eval(&vars())
            .unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (4 + big.len() + 1, FormulaErrorKind::Overflow)
        );
        let e = parse("somma()").unwrap().eval(&vars()).unwrap_err();
        assert_eq!(e.kind.to_string(), "somma(..) vuole almeno un valore");
        let e = parse("1 + somma(zz_*)").unwrap().eval(&vars()).unwrap_err();
        assert_eq!(e.offset, 10);
        assert!(matches!(e.kind, FormulaErrorKind::Missing(_)), "{e:?}");
    }

    #[test]
    fn the_divisor_is_named_only_when_it_is_a_reference() {
        let e = parse("a / dipendenti * 100").unwrap();
        assert_eq!(e.divisor_at(4), Some("dipendenti"));
        assert_eq!(e.divisor_at(0), None);
        let e = parse("a / (b - c)").unwrap();
        assert_eq!(e.divisor_at(5), None);
        let e = parse("max(1, -(x / (y)))").unwrap();
        assert_eq!(e.divisor_at(14), Some("y"));
    }

    #[test]
    fn checked_sums() {
        let big = Decimal::MAX;
        assert_eq!(checked_sum([d("1"), d("2.5")]), Some(d("3.5")));
        assert_eq!(checked_sum([]), Some(Decimal::ZERO));
        assert_eq!(checked_sum([big, d("1")]), None);
        assert_eq!(checked_sum([big, -big, big]), Some(big));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;
        use proptest::sample::select;

        /// Values that stress the arithmetic: zero, the extremes, the tiniest step.
        fn env() -> Vars {
            Vars(HashMap::from([
                ("a", d("1.5")),
                ("z", Decimal::ZERO),
                ("m", Decimal::MAX),
                ("n", Decimal::MIN),
                ("e", Decimal::new(1, 28)),
                ("pv_1", Decimal::MAX),
                ("pv_2", Decimal::MAX),
            ]))
        }

        /// Formulas over those values, nested arbitrarily.
        fn formula() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                "[0-9]{1,32}(\\.[0-9]{0,32})?",
                select(vec!["a", "z", "m", "n", "e", "pv_*", "zz", "t.*.c"]).prop_map(String::from),
            ];
            leaf.prop_recursive(12, 256, 6, |inner| {
                prop_oneof![
                    (
                        inner.clone(),
                        select(vec!["+", "-", "*", "/"]),
                        inner.clone()
                    )
                        .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
                    inner.clone().prop_map(|a| format!("({a})")),
                    inner.clone().prop_map(|a| format!("-{a}")),
                    (
                        select(vec!["somma", "min", "max", "arrotonda", "boh"]),
                        prop::collection::vec(inner, 0..4)
                    )
                        .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
                ]
            })
        }

        fn check_offset(src: &str, e: &FormulaError) {
            assert!(e.offset <= src.len(), "{src:?}: {e:?}");
            assert!(src.is_char_boundary(e.offset), "{src:?}: {e:?}");
        }

        /// Parses and evaluates `src`; any error must point inside it.
        fn parse_and_evaluate_within(src: &str) {
            match parse(src) {
                Ok(expr) => {
                    if let Err(e) = expr.eval(&env()) {
                        check_offset(src, &e);
                    }
                }
                Err(e) => check_offset(src, &e),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn any_text_parses_or_fails_within_it(src in "(?s).{0,80}") {
                for e in [parse(&src).err(), parse_condition(&src).err()].into_iter().flatten() {
                    check_offset(&src, &e);
                }
            }

            #[test]
            fn formula_like_text_never_panics(src in "[a-z_.*0-9+\\-*/(), <>=!]{0,120}") {
                parse_and_evaluate_within(&src);
            }

            #[test]
            fn nested_formulas_evaluate_or_fail_within_them(src in formula()) {
                parse_and_evaluate_within(&src);
            }

            #[test]
            fn deep_nesting_is_refused_not_overflowed(
                n in 0usize..3000,
                open in select(vec!["(", "-", "somma(", "-(", "min(1,", "arrotonda("]),
                chain in 0usize..3000,
            ) {
                let close = match open {
                    "-" => "",
                    "arrotonda(" => ", 2)",
                    _ => ")",
                };
                let src = format!("{}{}{}", open.repeat(n), vec!["a"; chain.max(1)].join("*"), close.repeat(n));
                match parse(&src) {
                    Ok(expr) => {
                        prop_assert!(n <= MAX_DEPTH && chain <= MAX_DEPTH);
                        if let Err(e) = expr.eval(&env()) {
                            check_offset(&src, &e);
                        }
                    }
                    Err(e) => check_offset(&src, &e),
                }
            }

            #[test]
            fn globs_never_panic(pattern in "[a-z_*è]{0,12}", text in "[a-z_è]{0,12}") {
                let _ = glob_match(&pattern, &text);
                prop_assert!(glob_match(&text, &text));
            }
        }
    }
}
