//! The small formula language of computed columns, computed rows, derived quantities and
//! checks: `+ - * /`, parentheses, decimal numbers, references such as `tabella.riga.colonna`
//! or `nome`, the functions `somma`, `min`, `max`, `arrotonda`, and one comparison
//! (`<= < >= > == !=`) in checks. Everything is `Decimal`: no float ever touches a figure.

use crate::content::jsonpos::{JsonFile, Step};
use crate::diag::Diagnostic;
use crate::format;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    /// A reference, with its byte offset in the formula.
    Ref(String, usize),
    Neg(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
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

/// A problem in a formula, at a byte offset of the formula text.
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
    /// A division by zero: a figure that has no meaning here (a total row shows "-").
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
}

impl FormulaError {
    /// The error inside the JSON string at `path` of `file`, pointing at the formula's
    /// character.
    pub fn located(&self, file: &JsonFile, path: &[Step<'_>]) -> Diagnostic {
        let start = file.offset(path) + 1 + self.offset;
        Diagnostic::new(file.at_offset(start), format!("formula: {}", self.kind))
    }
}

/// Parses the formula written at `path` of `file`; an error points into it.
pub fn parse_at(file: &JsonFile, path: &[Step<'_>], src: &str) -> Result<Expr, Diagnostic> {
    parse(src).map_err(|e| e.located(file, path))
}

impl fmt::Display for FormulaErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormulaErrorKind::Invalid(m) => f.write_str(m),
            FormulaErrorKind::DivisionByZero => f.write_str("divisione per zero"),
            FormulaErrorKind::Overflow => {
                f.write_str("risultato fuori dall'intervallo dei numeri decimali")
            }
        }
    }
}

/// What references resolve to while evaluating.
pub trait Env {
    /// The value of a plain reference (`a`, `t.r.c`).
    fn value(&self, name: &str) -> Result<Decimal, String>;
    /// The values matched by a reference with `*` (only inside `somma`).
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, String>;
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

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, FormulaError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        let start = i;
        match c {
            ' ' | '\t' | '\n' => i += 1,
            '0'..='9' => {
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                let text = &src[start..i];
                let n = Decimal::from_str(text).map_err(|_| FormulaError::new(start, format!("numero non valido «{text}»: usare il punto per i decimali, senza separatori delle migliaia")))?;
                out.push((Tok::Num(n), start));
            }
            'a'..='z' | '_' => {
                // `*` belongs to a name only as a pattern right after `.` or `_`
                // (`t.*.c`, `pavia_*`); anywhere else it multiplies.
                while i < b.len()
                    && (b[i].is_ascii_lowercase()
                        || b[i].is_ascii_digit()
                        || matches!(b[i], b'_' | b'.')
                        || (b[i] == b'*' && matches!(b[i - 1], b'.' | b'_')))
                {
                    i += 1;
                }
                out.push((Tok::Name(src[start..i].to_string()), start));
            }
            '+' | '-' | '*' | '/' => {
                out.push((Tok::Op(c), start));
                i += 1;
            }
            '(' => {
                out.push((Tok::Open, start));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, start));
                i += 1;
            }
            ',' => {
                out.push((Tok::Comma, start));
                i += 1;
            }
            '<' | '>' | '=' | '!' => {
                let two = src.get(i..i + 2).unwrap_or("");
                let (cmp, len) = match (c, two) {
                    (_, "<=") => (Cmp::Le, 2),
                    (_, ">=") => (Cmp::Ge, 2),
                    (_, "==") => (Cmp::Eq, 2),
                    (_, "!=") => (Cmp::Ne, 2),
                    ('<', _) => (Cmp::Lt, 1),
                    ('>', _) => (Cmp::Gt, 1),
                    _ => {
                        return Err(FormulaError::new(
                            start,
                            format!("operatore non valido «{c}»: usare ==, !=, <, <=, >, >="),
                        ));
                    }
                };
                out.push((Tok::Cmp(cmp), start));
                i += len;
            }
            other => {
                return Err(FormulaError::new(
                    start,
                    format!("carattere non ammesso «{other}» in una formula"),
                ));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, o)| *o)
    }
    fn expr(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.term()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.term()?;
            left = Expr::Bin(
                if op == '+' { BinOp::Add } else { BinOp::Sub },
                Box::new(left),
                Box::new(right),
            );
        }
        Ok(left)
    }
    fn term(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::Bin(
                if op == '*' { BinOp::Mul } else { BinOp::Div },
                Box::new(left),
                Box::new(right),
            );
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if self.peek() == Some(&Tok::Op('-')) {
            self.pos += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let at = self.offset();
        match self.toks.get(self.pos).cloned() {
            Some((Tok::Num(n), _)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some((Tok::Name(name), _)) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::Open) {
                    self.pos += 1;
                    let mut args = Vec::new();
                    if self.peek() != Some(&Tok::Close) {
                        loop {
                            args.push(self.expr()?);
                            if self.peek() == Some(&Tok::Comma) {
                                self.pos += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.expect_close()?;
                    Ok(Expr::Call(name, args, at))
                } else {
                    Ok(Expr::Ref(name, at))
                }
            }
            Some((Tok::Open, _)) => {
                self.pos += 1;
                let e = self.expr()?;
                self.expect_close()?;
                Ok(e)
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
    })
}

/// Parses an arithmetic formula.
pub fn parse(src: &str) -> Result<Expr, FormulaError> {
    let mut p = parser(src)?;
    let e = p.expr()?;
    p.finish()?;
    Ok(e)
}

/// Parses a check: two formulas and a comparison.
pub fn parse_condition(src: &str) -> Result<Condition, FormulaError> {
    let mut p = parser(src)?;
    let left = p.expr()?;
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
    let right = p.expr()?;
    p.finish()?;
    Ok(Condition { left, cmp, right })
}

impl Expr {
    /// Evaluates with exact decimals; a division by zero or an unknown reference is an error
    /// at its place in the formula.
    pub fn eval(&self, env: &dyn Env) -> Result<Decimal, FormulaError> {
        match self {
            Expr::Num(n) => Ok(*n),
            Expr::Ref(name, at) => {
                if name.contains('*') {
                    return Err(FormulaError::new(
                        *at,
                        format!("«{name}» indica più valori: usarlo dentro somma(..)"),
                    ));
                }
                env.value(name).map_err(|m| FormulaError::new(*at, m))
            }
            Expr::Neg(e) => Ok(-e.eval(env)?),
            Expr::Bin(op, a, b) => {
                let (x, y) = (a.eval(env)?, b.eval(env)?);
                match op {
                    BinOp::Add => x.checked_add(y),
                    BinOp::Sub => x.checked_sub(y),
                    BinOp::Mul => x.checked_mul(y),
                    BinOp::Div if y.is_zero() => {
                        return Err(FormulaError::of(
                            b.offset(),
                            FormulaErrorKind::DivisionByZero,
                        ));
                    }
                    BinOp::Div => x.checked_div(y),
                }
                .ok_or_else(|| FormulaError::of(a.offset(), FormulaErrorKind::Overflow))
            }
            Expr::Call(name, args, at) => {
                let fail = |m: &str| FormulaError::new(*at, m.to_string());
                match name.as_str() {
                    "somma" => {
                        let overflow = || FormulaError::of(*at, FormulaErrorKind::Overflow);
                        let mut total = Decimal::ZERO;
                        for a in args {
                            let values = match a {
                                Expr::Ref(p, at) if p.contains('*') => {
                                    env.values(p).map_err(|m| FormulaError::new(*at, m))?
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

    fn offset(&self) -> usize {
        match self {
            Expr::Ref(_, at) | Expr::Call(_, _, at) => *at,
            Expr::Neg(e) => e.offset(),
            Expr::Bin(_, a, _) => a.offset(),
            Expr::Num(_) => 0,
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
            Expr::Neg(e) => e.collect_refs(out),
            Expr::Bin(_, a, b) => {
                a.collect_refs(out);
                b.collect_refs(out);
            }
            Expr::Call(_, args, _) => args.iter().for_each(|a| a.collect_refs(out)),
            Expr::Num(_) => {}
        }
    }
}

/// Matches `pavia_*` against `pavia_2019`: `*` stands for any run of characters.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len()).any(|i| glob_match(tail, &text[head.len() + i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Vars(HashMap<&'static str, Decimal>);
    impl Env for Vars {
        fn value(&self, name: &str) -> Result<Decimal, String> {
            self.0
                .get(name)
                .copied()
                .ok_or_else(|| format!("«{name}» sconosciuto"))
        }
        fn values(&self, pattern: &str) -> Result<Vec<Decimal>, String> {
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
        assert_eq!(parse("1 + 1,5").unwrap_err().offset, 5);
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
    }
}
