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

package dev.realtime.benchmarks.contenders;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.websocket.ContainerProvider;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The ceiling: Spring's {@link StandardWebSocketClient} (the stack this project builds
 * on) with Jackson reading every frame into a tree, and just enough protocol to take
 * part: CONNECTED, ATTACH/ATTACHED, MESSAGE, ACK by {@code msgSerial}, an immediate
 * resume when the socket closes, and the protocol's idle timeout (the server's
 * {@code maxIdleInterval} plus the request timeout, from the last frame received, on a
 * timer of its own) after which it drops the socket and resumes on a new one. No queue,
 * no state machine, no thread hand-off.
 */
public final class RawContender implements Contender {

	/** The protocol's default request timeout, which extends the idle timeout. */
	static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

	/** The attribute that marks a session given up for idle; its close is not news. */
	private static final String ABANDONED = "raw.abandoned";

	/** Room for the unacknowledged publishes; far more than any window measured. */
	private static final int PENDING_CAPACITY = 1 << 16;

	private final StandardWebSocketClient client = new StandardWebSocketClient(
			ContainerProvider.getWebSocketContainer());

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Handler handler = new Handler();

	private final ConnectionEvents events = new ConnectionEvents();

	private final String baseUri;

	private final Map<String, CompletableFuture<Void>> attaching = new ConcurrentHashMap<>();

	private final Map<String, MessageListener> listeners = new ConcurrentHashMap<>();

	private final AtomicLong msgSerial = new AtomicLong();

	private final AtomicReferenceArray<@Nullable PublishCallback> pending = new AtomicReferenceArray<>(
			PENDING_CAPACITY);

	private final Object sendLock = new Object();

	private final Duration requestTimeout;

	private final ScheduledExecutorService idleTimer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "raw-idle");
		thread.setDaemon(true);
		return thread;
	});

	/** When the last frame arrived, in {@link System#nanoTime()}. */
	private volatile long lastFrameAt;

	private volatile @Nullable WebSocketSession session;

	private volatile @Nullable String connectionId;

	private volatile @Nullable String connectionKey;

	private volatile boolean closing;

	private volatile boolean echo;

	/**
	 * Create a contender for the server at the given address.
	 * @param host the host
	 * @param port the port
	 * @param requestTimeout the request timeout, added to the server's max idle interval
	 */
	public RawContender(String host, int port, Duration requestTimeout) {
		this.baseUri = "ws://" + host + ":" + port + "/?v=6&format=json&accessToken=bench";
		this.requestTimeout = requestTimeout;
	}

	@Override
	public String name() {
		return "raw";
	}

	@Override
	public void connect(boolean echo, Duration timeout) throws Exception {
		this.echo = echo;
		int before = this.events.connectedCount();
		open(null);
		if (this.events.awaitConnected(before, timeout) < 0) {
			throw new IllegalStateException("Not connected within " + timeout);
		}
	}

	private void open(@Nullable String resumeKey) {
		String uri = this.baseUri + "&echo=" + this.echo + ((resumeKey != null) ? "&resume=" + resumeKey : "");
		this.client.execute(this.handler, new WebSocketHttpHeaders(), URI.create(uri))
			.whenComplete((session, failure) -> {
				if (failure != null) {
					System.err.println("raw: connect failed: " + failure);
				}
			});
	}

	@Override
	public String connectionId() {
		String id = this.connectionId;
		if (id == null) {
			throw new IllegalStateException("Not connected");
		}
		return id;
	}

	@Override
	public void subscribe(String channel, MessageListener listener, Duration timeout) throws Exception {
		this.listeners.put(channel, listener);
		attach(channel, timeout);
	}

	@Override
	public void attach(String channel, Duration timeout) throws Exception {
		CompletableFuture<Void> attached = new CompletableFuture<>();
		this.attaching.put(channel, attached);
		send(this.mapper.writeValueAsString(Map.of("action", 10, "channel", channel)));
		attached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void publish(String channel, String name, String data, PublishCallback callback) {
		long serial = this.msgSerial.getAndIncrement();
		this.pending.set((int) (serial & (PENDING_CAPACITY - 1)), callback);
		try {
			send(this.mapper.writeValueAsString(new Publish(15, channel, serial, List.of(new Outgoing(name, data)))));
		}
		catch (Exception ex) {
			this.pending.set((int) (serial & (PENDING_CAPACITY - 1)), null);
			callback.done(ex);
		}
	}

	private void send(String json) throws Exception {
		WebSocketSession session = this.session;
		if (session == null) {
			throw new IllegalStateException("Not connected");
		}
		synchronized (this.sendLock) {
			session.sendMessage(new TextMessage(json));
		}
	}

	@Override
	public ConnectionEvents events() {
		return this.events;
	}

	@Override
	public String idleTimeout(Duration maxIdleInterval) {
		return Contenders.seconds(maxIdleInterval.plus(this.requestTimeout)) + ": maxIdleInterval "
				+ Contenders.seconds(maxIdleInterval) + " + request timeout " + Contenders.seconds(this.requestTimeout)
				+ ", from the last frame received, on a timer due exactly then";
	}

	@Override
	public void close() {
		this.closing = true;
		this.idleTimer.shutdownNow();
		WebSocketSession session = this.session;
		if (session != null) {
			try {
				send("{\"action\":7}");
				session.close();
			}
			catch (Exception ex) {
				// Closing anyway
			}
		}
	}

	private void onFrame(WebSocketSession session, String json) {
		this.lastFrameAt = System.nanoTime();
		JsonNode root = this.mapper.readTree(json);
		switch (root.path("action").asInt(-1)) {
			case 1 -> acknowledge(root.path("msgSerial").asLong(), root.path("count").asInt(1), null);
			case 2 -> acknowledge(root.path("msgSerial").asLong(), root.path("count").asInt(1),
					new IllegalStateException("NACK: " + root.path("error")));
			case 4 -> {
				String id = root.path("connectionId").asString();
				this.connectionId = id;
				this.connectionKey = root.path("connectionDetails").path("connectionKey").asString();
				long maxIdleInterval = root.path("connectionDetails").path("maxIdleInterval").asLong(0);
				if (maxIdleInterval > 0) {
					long timeout = TimeUnit.MILLISECONDS.toNanos(maxIdleInterval) + this.requestTimeout.toNanos();
					watchIdle(session, timeout, timeout);
				}
				this.events.connected(id);
			}
			case 11 -> {
				CompletableFuture<Void> attached = this.attaching.remove(root.path("channel").asString());
				if (attached != null) {
					attached.complete(null);
				}
			}
			case 15 -> {
				MessageListener listener = this.listeners.get(root.path("channel").asString());
				if (listener != null) {
					for (JsonNode message : root.path("messages")) {
						listener.onMessage(message.path("name").asString(), message.path("data").asString());
					}
				}
			}
			default -> {
			}
		}
	}

	private void watchIdle(WebSocketSession session, long timeout, long delay) {
		try {
			this.idleTimer.schedule(() -> checkIdle(session, timeout), delay, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Closed
		}
	}

	private void checkIdle(WebSocketSession session, long timeout) {
		if (this.session != session || this.closing) {
			return;
		}
		long silence = System.nanoTime() - this.lastFrameAt;
		if (silence < timeout) {
			watchIdle(session, timeout, timeout - silence);
			return;
		}
		// Give the socket up and resume on a new one; its close, whenever it comes, is
		// old
		session.getAttributes().put(ABANDONED, Boolean.TRUE);
		this.session = null;
		this.events.disconnected();
		open(this.connectionKey);
		try {
			session.close(CloseStatus.SESSION_NOT_RELIABLE);
		}
		catch (Exception ex) {
			// Given up anyway
		}
	}

	private void acknowledge(long msgSerial, int count, @Nullable Throwable failure) {
		for (long serial = msgSerial; serial < msgSerial + count; serial++) {
			PublishCallback callback = this.pending.getAndSet((int) (serial & (PENDING_CAPACITY - 1)), null);
			if (callback != null) {
				callback.done(failure);
			}
		}
	}

	record Publish(int action, String channel, long msgSerial, List<Outgoing> messages) {
	}

	record Outgoing(String name, String data) {
	}

	private final class Handler extends AbstractWebSocketHandler {

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			RawContender.this.session = session;
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) {
			onFrame(session, message.getPayload());
		}

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
			onFrame(session, StandardCharsets.UTF_8.decode(message.getPayload()).toString());
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			if (session.getAttributes().containsKey(ABANDONED)) {
				return;
			}
			if (RawContender.this.session == session) {
				RawContender.this.session = null;
			}
			if (!RawContender.this.closing) {
				RawContender.this.events.disconnected();
				open(RawContender.this.connectionKey);
			}
		}

	}

}
