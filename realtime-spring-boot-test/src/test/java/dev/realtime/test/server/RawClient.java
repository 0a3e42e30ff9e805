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

package dev.realtime.test.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;

import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A raw WebSocket client for driving a {@link RealtimeServer} frame by frame.
 *
 * @author Realtime team
 */
final class RawClient implements WebSocket.Listener, AutoCloseable {

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private static final ProtocolCodec codec = new ProtocolCodec();

	private final BlockingQueue<ProtocolMessage> received = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final AtomicInteger pings = new AtomicInteger();

	private final AtomicInteger syncs = new AtomicInteger();

	private final StringBuilder partial = new StringBuilder();

	private volatile WebSocket webSocket;

	private RawClient() {
	}

	/**
	 * Open a WebSocket to the given server with the given query parameters.
	 * @param server the server
	 * @param query the query parameters
	 * @return a future for the connected client, failed if the handshake fails
	 */
	static CompletableFuture<RawClient> open(RealtimeServer server, Map<String, String> query) {
		return open(server, "", query);
	}

	/**
	 * Open a WebSocket to the given path of the given server.
	 * @param server the server
	 * @param path the path, relative to the server's root
	 * @param query the query parameters
	 * @return a future for the connected client, failed if the handshake fails
	 */
	static CompletableFuture<RawClient> open(RealtimeServer server, String path, Map<String, String> query) {
		return open(httpClient, server, path, query);
	}

	/**
	 * Open a WebSocket to a server that serves TLS, trusting what the given TLS context
	 * trusts; the connection must succeed.
	 * @param server the server
	 * @param query the query parameters
	 * @param sslContext the TLS context
	 * @return the connected client
	 */
	static RawClient connect(RealtimeServer server, Map<String, String> query, SSLContext sslContext) {
		return open(HttpClient.newBuilder().sslContext(sslContext).build(), server, "", query)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
	}

	private static CompletableFuture<RawClient> open(HttpClient httpClient, RealtimeServer server, String path,
			Map<String, String> query) {
		String queryString = query.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + UriUtils.encodeQueryParam(entry.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		RawClient client = new RawClient();
		return httpClient.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create(server.url() + path + "?" + queryString), client)
			.thenApply((webSocket) -> {
				client.webSocket = webSocket;
				return client;
			});
	}

	/**
	 * Open a WebSocket to the given server, which must succeed.
	 * @param server the server
	 * @param query the query parameters
	 * @return the connected client
	 */
	static RawClient connect(RealtimeServer server, Map<String, String> query) {
		return open(server, query).orTimeout(10, TimeUnit.SECONDS).join();
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			this.received.add(codec.decode(this.partial.toString()));
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
		this.pings.incrementAndGet();
		return WebSocket.Listener.super.onPing(webSocket, message);
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.completeExceptionally(error);
	}

	/**
	 * Wait for the next message from the server.
	 * @return the message
	 */
	ProtocolMessage next() {
		try {
			ProtocolMessage message = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(message).as("message from the server within 10 s").isNotNull();
			return message;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a message", ex);
		}
	}

	/**
	 * Wait for the next message from the server, skipping heartbeats.
	 * @return the message
	 */
	ProtocolMessage nextIgnoringHeartbeats() {
		ProtocolMessage message = next();
		while (message.getAction() == Action.HEARTBEAT && message.getId() == null) {
			message = next();
		}
		return message;
	}

	/**
	 * Wait for the next message from the server, which must have the given action.
	 * @param action the expected action
	 * @return the message
	 */
	ProtocolMessage next(Action action) {
		ProtocolMessage message = next();
		assertThat(message.getAction()).as("action of %s", message).isEqualTo(action);
		return message;
	}

	/**
	 * Wait for CONNECTED, which must be the first message.
	 * @return the message
	 */
	ProtocolMessage connected() {
		return next(Action.CONNECTED);
	}

	/**
	 * Send a HEARTBEAT with a fresh id and wait for the server's answer. The server
	 * answers in order, so whatever it sent before it read the HEARTBEAT arrives first.
	 * @return the messages other than heartbeats that arrived before the answer
	 */
	List<ProtocolMessage> sync() {
		String id = "sync-" + this.syncs.incrementAndGet();
		send(new ProtocolMessage(Action.HEARTBEAT).setId(id));
		List<ProtocolMessage> before = new ArrayList<>();
		ProtocolMessage message = nextIgnoringHeartbeats();
		while (message.getAction() != Action.HEARTBEAT || !id.equals(message.getId())) {
			before.add(message);
			message = nextIgnoringHeartbeats();
		}
		return before;
	}

	boolean hasReceivedNothing() {
		return this.received.isEmpty();
	}

	void clearReceived() {
		this.received.clear();
	}

	int pings() {
		return this.pings.get();
	}

	void send(ProtocolMessage message) {
		sendText(codec.encode(message));
	}

	void sendText(String text) {
		this.webSocket.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
	}

	void sendBinary(String text) {
		this.webSocket.sendBinary(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true)
			.orTimeout(5, TimeUnit.SECONDS)
			.join();
	}

	boolean isClosed() {
		return this.closed.isDone();
	}

	/**
	 * Wait until the server has closed the WebSocket.
	 * @return the close status code
	 */
	int awaitClosed() {
		await().atMost(Duration.ofSeconds(10)).until(this.closed::isDone);
		return this.closed.join();
	}

	@Override
	public void close() {
		WebSocket webSocket = this.webSocket;
		if (webSocket != null) {
			webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((ignored, ex) -> webSocket.abort());
		}
	}

}
