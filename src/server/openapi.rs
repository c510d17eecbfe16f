//! The API's routes, registered together with their OpenAPI descriptions (utoipa-axum),
//! so the document at `GET /v1/openapi.json` is generated from the handlers themselves
//! and cannot list a route the server does not have, or miss one it has.

use super::AppState;
use super::auth::Caller;
use super::{events, orders, presence};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "icp-review queue API",
        version = "1.1",
        description = "The review queue of ICP filing first review (spec/api.md). Every route but /v1/health needs `Authorization: Bearer <token>`."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "server", description = "Health and the caller"),
        (name = "orders", description = "The queue's orders"),
        (name = "claims", description = "Leases on orders"),
        (name = "decisions", description = "Approve, reject, call, reopen"),
        (name = "calls", description = "The call agenda"),
        (name = "triage", description = "The leads' triage list and report"),
        (name = "audit", description = "The append-only audit log"),
        (name = "events", description = "Live changes (server-sent events)"),
        (name = "presence", description = "Who is online and what each has open"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every route of the API with its description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(orders::health))
        .routes(routes!(orders::me))
        .routes(routes!(orders::list_orders, orders::intake))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::claim, orders::release))
        .routes(routes!(orders::decide))
        .routes(routes!(orders::call_outcome))
        .routes(routes!(orders::reopen))
        .routes(routes!(orders::reassign))
        .routes(routes!(orders::triage))
        .routes(routes!(orders::report))
        .routes(routes!(orders::calls_ics))
        .routes(routes!(orders::note))
        .routes(routes!(orders::material))
        .routes(routes!(orders::reasons))
        .routes(routes!(orders::calls))
        .routes(routes!(orders::audit))
        .routes(routes!(orders::stats))
        .routes(routes!(events::events))
        .routes(routes!(
            presence::put_presence,
            presence::get_presence,
            presence::delete_presence
        ))
        .routes(routes!(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/v1/openapi.json", tag = "server",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")),
    security(("bearer" = [])))]
pub async fn openapi_json(_caller: Caller, State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.as_str().to_string(),
    )
}
