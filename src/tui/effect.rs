//! Work the update asks for: queue calls that run on tokio tasks and come back as
//! [`Action`]s. Every effect carries a request number; the answer carries it back.

use super::action::Action;
use crate::queue::{Decision, ListQuery, Queue};
use std::sync::Arc;
use tokio::sync::mpsc;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadPage {
        req: u64,
        query: ListQuery,
        append: bool,
    },
    LoadDetail {
        req: u64,
        id: String,
    },
    Decide {
        req: u64,
        order: String,
        decision: Decision,
        key: String,
    },
    Claim {
        req: u64,
        order: String,
    },
    /// A lead takes the claim back from whoever holds it, then claims the order.
    TakeOver {
        req: u64,
        order: String,
    },
    /// Give a claim back (the reviewer left the order); nothing comes back.
    Release {
        order: String,
    },
    /// Follow the queue's changes for as long as the app runs; each comes back as
    /// `Action::Queue`. Reconnects by itself, resuming after the last change seen.
    Subscribe,
    /// An audit note (`reveal_personal_data`); its answer comes back as `Noted`.
    Note {
        req: u64,
        order: String,
        action: String,
        note: String,
    },
    LoadStats {
        req: u64,
    },
    /// Write to the journal of pending decisions (the decision survives a crash).
    Journal(JournalOp),
    /// Fetch a material's bytes and decode a small picture of them.
    LoadPreview {
        req: u64,
        order: String,
        material: String,
    },
    /// Fetch a material's bytes and open them in the desktop's viewer.
    OpenMaterial {
        order: String,
        material: String,
    },
    /// The leads' triage list.
    LoadTriage {
        req: u64,
    },
    /// Calls between two instants (the agenda, and the overdue flags of the list).
    LoadCalls {
        req: u64,
        from_ms: i64,
        to_ms: i64,
    },
    /// The stats screen's report of the Shanghai days `from` to `to`.
    LoadReport {
        req: u64,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
        review_days: u32,
    },
    Reopen {
        req: u64,
        order: String,
        note: String,
    },
    Reassign {
        req: u64,
        order: String,
        to: String,
        note: String,
    },
    CloseCall {
        req: u64,
        order: String,
        outcome: crate::domain::CallOutcome,
    },
    /// Report what this client shows (presence); nothing comes back.
    Publish(crate::queue::presence::Viewing),
    /// Who is online now (at start and after the connection comes back).
    LoadPresence {
        req: u64,
    },
    /// Write an export file (a new file: an existing one is never overwritten).
    WriteFile {
        path: std::path::PathBuf,
        contents: String,
    },
    Exit,
}

/// What the journal of pending decisions is told.
#[derive(Debug, Clone, PartialEq)]
pub enum JournalOp {
    /// A decision was made (written and synced before anything else happens to it).
    Record(crate::queue::journal::JournalEntry),
    /// The queue answered it (stored, or refused for good): not to be offered again.
    Sent(String),
    /// The reviewer took it back.
    Discarded(String),
}

/// Where a viewer can be opened: a desktop session (or macOS), never over SSH. `local`:
/// the TUI runs on the reviewer's own terminal (a session served over SSH by
/// `serve --ssh` is not: a viewer would open on the server's screen).
pub fn desktop_opener(local: bool) -> Option<&'static str> {
    opener_for(local, cfg!(target_os = "macos"), |v| {
        std::env::var_os(v).is_some_and(|x| !x.is_empty())
    })
}

fn opener_for(local: bool, macos: bool, has: impl Fn(&str) -> bool) -> Option<&'static str> {
    if !local {
        return None;
    }
    if macos {
        return Some("open");
    }
    if has("SSH_CONNECTION") || !(has("DISPLAY") || has("WAYLAND_DISPLAY")) {
        return None;
    }
    Some("xdg-open")
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// Run one effect on a tokio task; its answer comes back as an action.
pub fn spawn(
    queue: Arc<dyn Queue>,
    journal: Option<Arc<crate::queue::journal::Journal>>,
    effect: Effect,
    tx: mpsc::UnboundedSender<Action>,
) {
    if let Effect::Journal(op) = effect {
        // Here, in order, before anything else happens to the decision: a record is on
        // disk (synced) when this returns; a sent or discarded mark is a plain append.
        if let Some(j) = journal {
            let written = match &op {
                JournalOp::Record(e) => j.record(e),
                JournalOp::Sent(k) => j.mark_sent(k),
                JournalOp::Discarded(k) => j.mark_discarded(k),
            };
            if let Err(e) = written {
                tracing::error!(error = %e, "the pending-decision journal could not be written");
            }
        }
        return;
    }
    if let Effect::Subscribe = effect {
        tokio::spawn(follow_changes(queue, tx));
        return;
    }
    tokio::spawn(async move {
        let action = match effect {
            Effect::LoadPage { req, query, append } => Action::PageLoaded {
                req,
                append,
                result: queue.list(&query).await,
            },
            Effect::LoadDetail { req, id } => Action::DetailLoaded {
                req,
                result: queue.get(&id).await,
            },
            Effect::Decide {
                req,
                order,
                decision,
                key,
            } => {
                let result = queue.decide(&order, &decision, &key).await;
                Action::Decided { req, order, result }
            }
            Effect::Claim { req, order } => {
                let result = queue.claim(&order, crate::queue::DEFAULT_LEASE_SECS).await;
                Action::Claimed { req, order, result }
            }
            Effect::TakeOver { req, order } => {
                let result = async {
                    let from = queue.force_release(&order).await?;
                    let mine = queue
                        .claim(&order, crate::queue::DEFAULT_LEASE_SECS)
                        .await?;
                    Ok((from, mine))
                }
                .await;
                Action::TookOver { req, order, result }
            }
            Effect::Note {
                req,
                order,
                action,
                note,
            } => {
                let result = queue.note_action(&order, &action, &note).await;
                if let Err(e) = &result {
                    tracing::warn!(%order, %action, error = %e, "audit note failed");
                }
                Action::Noted { req, order, result }
            }
            Effect::Publish(viewing) => {
                if let Err(e) = queue.set_presence(&viewing).await {
                    tracing::debug!(error = %e, "presence not reported");
                }
                return;
            }
            Effect::LoadPresence { req } => Action::PresenceLoaded {
                req,
                result: queue.presence().await,
            },
            Effect::LoadStats { req } => Action::StatsLoaded {
                req,
                result: queue.stats().await,
            },
            Effect::LoadPreview {
                req,
                order,
                material,
            } => {
                let result = match queue.material(&order, &material).await {
                    Ok(m) => tokio::task::spawn_blocking(move || {
                        crate::material::preview::preview(
                            &m.bytes,
                            crate::material::preview::PREVIEW_MAX_SIDE,
                        )
                        .map(Arc::new)
                    })
                    .await
                    .unwrap_or_else(|e| Err(e.to_string())),
                    Err(e) => Err(e.to_string()),
                };
                Action::PreviewLoaded {
                    req,
                    order,
                    material,
                    result,
                }
            }
            Effect::OpenMaterial { order, material } => {
                let result = async {
                    let opener = desktop_opener(true).ok_or("no desktop")?;
                    let m = queue
                        .material(&order, &material)
                        .await
                        .map_err(|e| e.to_string())?;
                    let path = std::env::temp_dir().join(format!(
                        "icp-review-{}.{}",
                        uuid::Uuid::new_v4(),
                        extension(&m.media_type)
                    ));
                    std::fs::write(&path, &m.bytes).map_err(|e| e.to_string())?;
                    std::process::Command::new(opener)
                        .arg(&path)
                        .stdin(std::process::Stdio::null())
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .spawn()
                        .map(|_| ())
                        .map_err(|e| format!("{opener}: {e}"))
                }
                .await;
                Action::Opened { result }
            }
            Effect::Release { order } => {
                if let Err(e) = queue.release(&order).await {
                    tracing::warn!(order = %crate::domain::safe::excerpt(&order), error = %e, "releasing a claim failed (its lease runs out by itself)");
                }
                return;
            }

            Effect::LoadTriage { req } => Action::TriageLoaded {
                req,
                result: queue.triage().await,
            },
            Effect::LoadCalls {
                req,
                from_ms,
                to_ms,
            } => Action::CallsLoaded {
                req,
                result: queue.calls(from_ms, to_ms).await,
            },
            Effect::LoadReport {
                req,
                from,
                to,
                review_days,
            } => Action::ReportLoaded {
                req,
                result: queue.report(from, to, review_days).await,
            },
            Effect::Reopen { req, order, note } => {
                let result = queue.reopen(&order, &note).await;
                Action::LeadDone { req, order, result }
            }
            Effect::Reassign {
                req,
                order,
                to,
                note,
            } => {
                let result = queue.reassign(&order, &to, &note).await;
                Action::LeadDone { req, order, result }
            }
            Effect::CloseCall {
                req,
                order,
                outcome,
            } => {
                let result = queue.close_call(&order, outcome, None).await;
                Action::CallClosed { req, order, result }
            }
            Effect::WriteFile { path, contents } => {
                let shown = path.display().to_string();
                let result = tokio::task::spawn_blocking(move || {
                    use std::io::Write;
                    std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .and_then(|mut f| f.write_all(contents.as_bytes()))
                        .map_err(|e| format!("{}: {e}", path.display()))
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                Action::Written {
                    path: shown,
                    result,
                }
            }
            Effect::Exit | Effect::Journal(_) | Effect::Subscribe => return,
        };
        let _ = tx.send(action);
    });
}

/// Forward the queue's changes as actions until the app is gone, reconnecting with a
/// growing pause (1 s to 30 s) and resuming after the last change delivered.
async fn follow_changes(queue: Arc<dyn Queue>, tx: mpsc::UnboundedSender<Action>) {
    use crate::queue::QueueEvent;
    use futures::StreamExt;
    let mut last: Option<i64> = None;
    let mut pause = std::time::Duration::from_secs(1);
    loop {
        match queue.subscribe(last).await {
            Ok(mut changes) => {
                pause = std::time::Duration::from_secs(1);
                if tx
                    .send(Action::Queue(QueueEvent::Connection(true)))
                    .is_err()
                {
                    return;
                }
                while let Some(ev) = changes.next().await {
                    if let QueueEvent::Change(c) = &ev {
                        last = Some(c.id);
                    }
                    if tx.send(Action::Queue(ev)).is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot follow the queue's changes");
                if tx
                    .send(Action::Queue(QueueEvent::Connection(false)))
                    .is_err()
                {
                    return;
                }
            }
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_secs(30));
    }
}

#[cfg(test)]
mod opener_tests {
    use super::opener_for;

    #[test]
    fn a_viewer_opens_on_a_local_desktop_only() {
        let desktop = |v: &str| v == "DISPLAY";
        assert_eq!(opener_for(true, false, desktop), Some("xdg-open"));
        assert_eq!(opener_for(true, true, |_| false), Some("open"));
        // Logged in over SSH to the reviewer's machine, or no display.
        assert_eq!(
            opener_for(true, false, |v| v == "DISPLAY" || v == "SSH_CONNECTION"),
            None
        );
        assert_eq!(opener_for(true, false, |_| false), None);
        // A session served by `serve --ssh`: never the server's desktop.
        assert_eq!(opener_for(false, false, desktop), None);
        assert_eq!(opener_for(false, true, desktop), None);
    }
}
