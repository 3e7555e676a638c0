//! Live updates: a GraphQL subscription over WebSocket (the graphql-transport-ws protocol,
//! served at `/graphql/ws`), reconnecting after a pause when the connection drops (and then
//! telling the caller, which may have missed changes meanwhile). The subscription ends when
//! the component that started it goes away.

use std::{cell::RefCell, rc::Rc};

use graphql_client::GraphQLQuery;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{MessageEvent, WebSocket};

/// Pause before reconnecting, in milliseconds.
const RECONNECT_MS: i32 = 3_000;

struct Connection {
    socket: Option<WebSocket>,
    stopped: bool,
    /// Whether a connection was acknowledged before (the next one is a reconnection).
    acknowledged: bool,
    on_resume: Rc<dyn Fn()>,
    on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    on_close: Option<Closure<dyn FnMut()>>,
}

/// Subscribes to `Q` and calls `on_data` with every result, for as long as the calling
/// component lives; `on_resume` runs after a dropped connection is back.
pub fn subscribe<Q>(
    variables: Q::Variables,
    on_data: impl Fn(Q::ResponseData) + 'static,
    on_resume: impl Fn() + 'static,
) where
    Q: GraphQLQuery + 'static,
{
    let payload = crate::api::request_body::<Q>(variables).unwrap_or_else(|_| "null".to_owned());
    let connection = Rc::new(RefCell::new(Connection {
        socket: None,
        stopped: false,
        acknowledged: false,
        on_resume: Rc::new(on_resume),
        on_message: None,
        on_close: None,
    }));
    let on_data: Rc<dyn Fn(Q::ResponseData)> = Rc::new(on_data);
    connect::<Q>(connection.clone(), payload, on_data);
    let connection = SendWrapper::new(connection);
    on_cleanup(move || {
        let mut connection = connection.borrow_mut();
        connection.stopped = true;
        if let Some(socket) = connection.socket.take() {
            socket.set_onclose(None);
            let _ = socket.close();
        }
    });
}

fn url() -> Option<String> {
    let location = window().location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/graphql/ws", location.host().ok()?))
}

fn connect<Q: GraphQLQuery + 'static>(
    connection: Rc<RefCell<Connection>>,
    payload: String,
    on_data: Rc<dyn Fn(Q::ResponseData)>,
) {
    if connection.borrow().stopped {
        return;
    }
    let Some(socket) = url().and_then(|url| WebSocket::new_with_str(&url, "graphql-transport-ws").ok()) else {
        return;
    };
    let on_message = {
        let (socket, payload, on_data, connection) =
            (socket.clone(), payload.clone(), on_data.clone(), connection.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else { return };
            let Ok(message) = js_sys::JSON::parse(&text) else { return };
            let field = |value: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(value, &key.into()).ok();
            match field(&message, "type").and_then(|kind| kind.as_string()).as_deref() {
                Some("connection_ack") => {
                    let _ = socket.send_with_str(&format!(r#"{{"id":"1","type":"subscribe","payload":{payload}}}"#));
                    let resumed = std::mem::replace(&mut connection.borrow_mut().acknowledged, true);
                    if resumed {
                        let on_resume = connection.borrow().on_resume.clone();
                        on_resume();
                    }
                }
                Some("ping") => {
                    let _ = socket.send_with_str(r#"{"type":"pong"}"#);
                }
                Some("next") => {
                    let data = field(&message, "payload").and_then(|payload| field(&payload, "data"));
                    if let Some(Ok(data)) = data.map(serde_wasm_bindgen::from_value::<Q::ResponseData>) {
                        on_data(data);
                    }
                }
                _ => {}
            }
        })
    };
    let on_open = {
        let socket = socket.clone();
        Closure::once_into_js(move || {
            let _ = socket.send_with_str(r#"{"type":"connection_init","payload":{}}"#);
        })
    };
    let on_close = {
        let connection = connection.clone();
        Closure::<dyn FnMut()>::new(move || {
            let (connection, payload, on_data) = (connection.clone(), payload.clone(), on_data.clone());
            set_timeout(
                move || connect::<Q>(connection, payload, on_data),
                std::time::Duration::from_millis(RECONNECT_MS as u64),
            );
        })
    };
    socket.set_onopen(Some(on_open.unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut connection = connection.borrow_mut();
    connection.socket = Some(socket);
    connection.on_message = Some(on_message);
    connection.on_close = Some(on_close);
}
