/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.client.transport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.WebSocketContainer;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * A {@link StandardWebSocketClient} that can connect without logging the URI: Spring's
 * {@code execute} logs "Connecting to" the whole URI at DEBUG, and the realtime protocol
 * carries the key or token in its query.
 *
 * @author Realtime team
 */
class CredentialSafeWebSocketClient extends StandardWebSocketClient {

	private final WebSocketContainer container;

	CredentialSafeWebSocketClient(WebSocketContainer container) {
		super(container);
		this.container = container;
	}

	/**
	 * Return the JSR-356 container this client connects with.
	 * @return the container
	 */
	WebSocketContainer container() {
		return this.container;
	}

	/**
	 * Open a WebSocket as {@link #execute(WebSocketHandler, WebSocketHttpHeaders, URI)}
	 * does, without logging the URI.
	 * @param handler the handler of the session
	 * @param headers the handshake headers
	 * @param uri the URI, with credentials in its query
	 * @return the future session
	 */
	CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, WebSocketHttpHeaders headers, URI uri) {
		assertUri(uri);
		return executeInternal(handler, headers, uri, List.of(), List.of(), Map.of());
	}

}
