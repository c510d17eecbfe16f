//! Statements sent together. sqlx runs SQLite on a thread of its own and hands it every
//! statement and its answer across threads; on a 2-core machine a hand-off costs about as
//! much as the statement (the threads sleep between them), and an intake ran twenty-odd
//! statements. A [`Batch`] joins statements whose answers the caller does not need in
//! between into one query text, which the SQLite driver runs in order in one hand-off
//! (binding `$n` over the whole text). PostgreSQL prepares one statement per query, so
//! there the batch sends its statements one by one, as before.
//!
//! Statements are our own text: parameters are written `$1`, `$2`… in each statement and
//! renumbered when joined; the text holds no `$` anywhere else.

use super::{Engine, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row};

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    Int(i64),
    /// A null text.
    Null,
    /// A null integer (PostgreSQL takes a parameter's type from its binding: a text null
    /// does not go into an integer column through `INSERT … SELECT`).
    NullInt,
    /// A material's bytes, shared with the intake that holds them (never copied).
    Blob(std::sync::Arc<Vec<u8>>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<Option<i64>> for Value {
    fn from(i: Option<i64>) -> Self {
        i.map_or(Value::NullInt, Value::Int)
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Text)
    }
}

/// Statements to run in order, in one call on SQLite (see the module).
#[derive(Debug)]
pub(super) struct Batch {
    engine: Engine,
    statements: Vec<(String, Vec<Value>)>,
}

impl Batch {
    pub(super) fn new(engine: Engine) -> Self {
        Batch {
            engine,
            statements: Vec::new(),
        }
    }

    /// Add a statement whose parameters are numbered from `$1`, with their values.
    pub(super) fn push(&mut self, sql: impl Into<String>, values: Vec<Value>) {
        self.statements.push((sql.into(), values));
    }

    /// The joined text and values (SQLite): each statement's `$n` moved past the values
    /// of the statements before it.
    fn joined(self) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut values = Vec::new();
        for (text, v) in self.statements {
            if !sql.is_empty() {
                sql.push_str(";\n");
            }
            renumber(&text, values.len(), &mut sql);
            values.extend(v);
        }
        (sql, values)
    }

    /// Run the statements in order; the rows any of them return (a `SELECT` or a
    /// `RETURNING`), in order. Tell them apart by their first column's name.
    pub(super) async fn run(self, conn: &mut AnyConnection) -> Result<Vec<AnyRow>> {
        if self.statements.is_empty() {
            return Ok(Vec::new());
        }
        if self.engine == Engine::Sqlite {
            let (sql, values) = self.joined();
            let q = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &values);
            return Ok(q.fetch_all(&mut *conn).await?);
        }
        let mut rows = Vec::new();
        for (sql, values) in self.statements {
            let q = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &values);
            rows.extend(q.fetch_all(&mut *conn).await?);
        }
        Ok(rows)
    }
}

/// One statement built from parts (PostgreSQL's data-modifying `WITH`): each part's
/// `$n` numbered from `$1` as written, renumbered past the parts before it. One
/// statement is one round trip, where a [`Batch`] on PostgreSQL is one per statement.
#[derive(Debug, Default)]
pub(super) struct With {
    sql: String,
    values: Vec<Value>,
}

impl With {
    /// Add `name AS (sql)`.
    pub(super) fn part(&mut self, name: &str, sql: &str, values: Vec<Value>) {
        self.sql
            .push_str(if self.sql.is_empty() { "WITH " } else { ", " });
        self.sql.push_str(name);
        self.sql.push_str(" AS (");
        renumber(sql, self.values.len(), &mut self.sql);
        self.sql.push(')');
        self.values.extend(values);
    }

    /// The statement, `main` (its own `$n` from `$1`) after the parts, and its values.
    pub(super) fn finish(mut self, main: &str, values: Vec<Value>) -> (String, Vec<Value>) {
        if !self.sql.is_empty() {
            self.sql.push(' ');
        }
        renumber(main, self.values.len(), &mut self.sql);
        self.values.extend(values);
        (self.sql, self.values)
    }
}

/// The name of a row's first column (how a batch's rows are told apart).
pub(super) fn first_column(row: &AnyRow) -> &str {
    row.columns().first().map_or("", |c| c.name())
}

/// `q` with `values` bound, in order (borrowed: a blob is not copied).
fn bind<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    values: &'q [Value],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for v in values {
        q = match v {
            Value::Text(s) => q.bind(s.as_str()),
            Value::Int(i) => q.bind(*i),
            Value::Null => q.bind(Option::<&str>::None),
            Value::NullInt => q.bind(Option::<i64>::None),
            Value::Blob(b) => q.bind(b.as_slice()),
        };
    }
    q
}

/// `text` with every `$n` written as `$(n + offset)`, appended to `out`.
fn renumber(text: &str, offset: usize, out: &mut String) {
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut n: usize = 0;
        let mut digits = false;
        while let Some(&(_, d)) = chars.peek() {
            let Some(v) = d.to_digit(10) else { break };
            n = n * 10 + v as usize;
            digits = true;
            chars.next();
        }
        if digits {
            out.push_str(&(n + offset).to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_renumbered_past_the_values_before_them() {
        let mut b = Batch::new(Engine::Sqlite);
        b.push(
            "INSERT INTO t (a, b) VALUES ($1, $2)",
            vec!["x".into(), 1.into()],
        );
        b.push("DELETE FROM t WHERE a = $1", vec!["y".into()]);
        b.push("SELECT 1 AS one", vec![]);
        b.push(
            "UPDATE t SET b = $2 WHERE a = $1 AND b <> $2 AND c = $10",
            vec!["z".into(), 2.into()],
        );
        let (sql, values) = b.joined();
        assert_eq!(
            sql,
            "INSERT INTO t (a, b) VALUES ($1, $2);\nDELETE FROM t WHERE a = $3;\nSELECT 1 AS one;\nUPDATE t SET b = $5 WHERE a = $4 AND b <> $5 AND c = $13"
        );
        assert_eq!(
            values,
            vec![
                Value::Text("x".into()),
                Value::Int(1),
                Value::Text("y".into()),
                Value::Text("z".into()),
                Value::Int(2)
            ]
        );
    }

    #[test]
    fn parts_of_one_statement_are_renumbered_past_the_parts_before_them() {
        let mut w = With::default();
        w.part(
            "upd",
            "UPDATE t SET b = $1 WHERE a = $2 RETURNING a",
            vec![1.into(), "x".into()],
        );
        w.part(
            "ins",
            "INSERT INTO u (a, n) SELECT a, $1 FROM upd RETURNING 1",
            vec![None::<i64>.into()],
        );
        let (sql, values) = w.finish("SELECT count(*) AS n FROM ins WHERE $1 > 0", vec![2.into()]);
        assert_eq!(
            sql,
            "WITH upd AS (UPDATE t SET b = $1 WHERE a = $2 RETURNING a), ins AS (INSERT INTO u (a, n) SELECT a, $3 FROM upd RETURNING 1) SELECT count(*) AS n FROM ins WHERE $4 > 0"
        );
        assert_eq!(
            values,
            vec![
                Value::Int(1),
                Value::Text("x".into()),
                Value::NullInt,
                Value::Int(2)
            ]
        );
        let (sql, values) = With::default().finish("SELECT $1", vec![3.into()]);
        assert_eq!((sql.as_str(), values), ("SELECT $1", vec![Value::Int(3)]));
    }

    #[test]
    fn text_without_parameters_is_unchanged() {
        let mut out = String::new();
        renumber("SELECT '$' || x FROM t", 7, &mut out);
        assert_eq!(out, "SELECT '$' || x FROM t");
    }
}
