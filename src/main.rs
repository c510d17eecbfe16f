use clap::Parser;
use icp_review::cli::{Cli, Command, Lang, OutputFormat};
use icp_review::config::{Config, Language};
use icp_review::{check, rules};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("icp-review: config: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Some(Command::Check {
            format,
            lang,
            no_materials,
            files,
        }) => run_check(&config, format, lang, no_materials, &files),
        Some(Command::Rules { format }) => {
            let mut out = std::io::stdout().lock();
            let r = match format {
                OutputFormat::Json => serde_json::to_writer_pretty(&mut out, rules::CATALOGUE)
                    .map_err(std::io::Error::from)
                    .and_then(|_| writeln!(out)),
                OutputFormat::Text => rules::CATALOGUE.iter().try_for_each(|m| {
                    writeln!(out, "{:<34} {:<10} {}", m.id, m.severity, m.title_en)
                }),
            };
            if r.is_err() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        None => {
            eprintln!(
                "icp-review: the TUI is not part of this build yet; use `icp-review check FILE...`"
            );
            ExitCode::from(2)
        }
    }
}

fn run_check(
    config: &Config,
    format: OutputFormat,
    lang: Option<Lang>,
    no_materials: bool,
    files: &[std::path::PathBuf],
) -> ExitCode {
    let data = match config.rule_data() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("icp-review: rule data: {e}");
            return ExitCode::from(2);
        }
    };
    let provider = match config.provider_settings() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("icp-review: config: {e}");
            return ExitCode::from(2);
        }
    };
    let (orders, bad) = check::read_orders(files);
    for e in &bad {
        eprintln!("icp-review: {e}");
    }
    let checked = check::check_orders(orders, !no_materials, &data, &provider);
    let mut out = std::io::stdout().lock();
    let english = match lang {
        Some(Lang::En) => true,
        Some(Lang::Zh) => false,
        None => config.language == Language::En,
    };
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let written = match format {
        OutputFormat::Json => check::write_json(&mut out, &checked),
        OutputFormat::Text => check::write_text(&mut out, &checked, english, colour),
    };
    if written.is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(check::exit_code(&checked, bad.len()) as u8)
}
