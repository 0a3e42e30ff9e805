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

package dev.realtime.benchmarks.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.benchmarks.Arguments;

/**
 * A minimal server of the Ably realtime protocol (JSON), built to push frames faster than
 * any client can take them, so that it is never the bottleneck of a benchmark: blocking
 * sockets with a thread each, no framework, frames pre-encoded and written in 64 KiB
 * chunks, and inbound messages read with a streaming parser that decodes only what the
 * server acts on.
 * <p>
 * It accepts any credentials; answers CONNECT with CONNECTED (connection key, max idle
 * interval, connection state TTL), ATTACH with ATTACHED, DETACH with DETACHED, HEARTBEAT
 * with HEARTBEAT, CLOSE with CLOSED; acknowledges every MESSAGE (one ACK per
 * {@code msgSerial}) and delivers it to the connections attached to its channel
 * (including the publisher, unless it connected with {@code echo=false}); resumes a
 * connection given {@code resume=<connectionKey>}; and sends HEARTBEAT on a connection
 * idle for half the max idle interval.
 * <p>
 * It is told what to do over plain HTTP on the same port:
 * <ul>
 * <li>{@code GET /burst?connectionId=&channel=&count=&perFrame=1&rate=0&payload=100}
 * pushes {@code count} messages on the channel (which the connection must have attached),
 * {@code perFrame} to a frame, unpaced or at {@code rate} messages per second;</li>
 * <li>{@code GET /burst-status?connectionId=&channel=} describes that burst, and
 * {@code GET /burst-cancel?connectionId=&channel=} stops it;</li>
 * <li>{@code GET /drop?connectionId=&mode=close} drops the connection's socket:
 * {@code close} (a close frame, then the socket closed), {@code fin} (no close frame) or
 * {@code rst} (reset);</li>
 * <li>{@code GET /freeze?connectionId=} freezes the connection's socket without closing
 * it: one last HEARTBEAT, then the server writes nothing more on it and reads nothing
 * more from it, so that only the client's idle detection can notice;</li>
 * <li>{@code GET /max-idle-interval?millis=} sets the max idle interval given to clients
 * that connect from now on (and the heartbeat pace of all), and answers the previous
 * one;</li>
 * <li>{@code GET /ping} answers {@code pong}.</li>
 * </ul>
 * <p>
 * Every connection has a thread of its own and buffers that start at a few KiB and grow
 * only for a busy socket, so that ten thousand idle connections fit in a heap of 512 MB.
 */
public final class PushServer implements AutoCloseable {

	private static final long CONNECTION_STATE_TTL_MILLIS = 120_000;

	private final ServerSocket serverSocket;

	private volatile long maxIdleIntervalMillis;

	private final Map<String, Session> sessionsById = new ConcurrentHashMap<>();

	private final Map<String, Session> sessionsByKey = new ConcurrentHashMap<>();

	private final Map<String, Set<Session>> channels = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> channelSerials = new ConcurrentHashMap<>();

	private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong connectionIds = new AtomicLong();

	private final ScheduledExecutorService ticker;

	private volatile boolean closed;

	private PushServer(ServerSocket serverSocket, Duration maxIdleInterval) {
		this.serverSocket = serverSocket;
		this.maxIdleIntervalMillis = maxIdleInterval.toMillis();
		this.ticker = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "push-heartbeats"));
		this.ticker.scheduleWithFixedDelay(this::sendHeartbeats, 100, 100, TimeUnit.MILLISECONDS);
		daemon(this::accept, "push-acceptor").start();
	}

	/**
	 * Start a server.
	 * @param host the address to listen on
	 * @param port the port, {@code 0} for any free one
	 * @param maxIdleInterval the max idle interval given to clients in CONNECTED
	 * @return the running server
	 * @throws IOException if the port cannot be bound
	 */
	public static PushServer start(String host, int port, Duration maxIdleInterval) throws IOException {
		ServerSocket serverSocket = new ServerSocket();
		serverSocket.setReuseAddress(true);
		// Room for thousands of clients connecting at once (Linux caps it at somaxconn)
		serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 8192);
		return new PushServer(serverSocket, maxIdleInterval);
	}

	/**
	 * Run a server until its standard input ends (when the process that started it
	 * exits). Prints {@code LISTENING <port>} once it accepts connections.
	 * @param args {@code --host=127.0.0.1 --port=0 --max-idle-interval=15s}
	 * @throws Exception if the server cannot start
	 */
	public static void main(String[] args) throws Exception {
		Arguments arguments = Arguments.parse(args);
		try (PushServer server = start(arguments.string("host", "127.0.0.1"), arguments.integer("port", 0),
				arguments.duration("max-idle-interval", Duration.ofSeconds(15)))) {
			PrintStream out = System.out;
			out.println("LISTENING " + server.port());
			out.flush();
			InputStream in = System.in;
			while (in.read() != -1) {
				// Wait for the end of input
			}
		}
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.serverSocket.getLocalPort();
	}

	boolean isClosed() {
		return this.closed;
	}

	long maxIdleIntervalMillis() {
		return this.maxIdleIntervalMillis;
	}

	long connectionStateTtlMillis() {
		return CONNECTION_STATE_TTL_MILLIS;
	}

	@Override
	public void close() {
		this.closed = true;
		this.ticker.shutdownNow();
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// Closing anyway
		}
		this.connections.forEach(ServerConnection::closeQuietly);
		this.sessionsById.values().forEach(Session::cancelBursts);
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket socket = this.serverSocket.accept();
				ServerConnection connection = new ServerConnection(this, socket);
				this.connections.add(connection);
				daemon(connection, "push-connection-" + socket.getPort()).start();
			}
			catch (IOException ex) {
				if (!this.closed) {
					System.err.println("Accept failed: " + ex);
				}
			}
		}
	}

	/**
	 * Send HEARTBEAT on every connection idle for half the max idle interval.
	 */
	private void sendHeartbeats() {
		long idleNanos = TimeUnit.MILLISECONDS.toNanos(this.maxIdleIntervalMillis) / 2;
		for (ServerConnection connection : this.connections) {
			if (connection.session() != null && connection.heartbeats()) {
				try {
					connection.outbound().sendIfIdle(ServerFrames.HEARTBEAT_FRAME, idleNanos);
				}
				catch (IOException ex) {
					connection.closeQuietly();
				}
			}
		}
	}

	/**
	 * The session a WebSocket serves.
	 *
	 * @param session the session
	 * @param resumed whether the client resumed it
	 */
	record Opened(Session session, boolean resumed) {
	}

	Opened open(Map<String, String> query, ServerConnection connection) {
		String resume = query.get("resume");
		Session resumed = (resume != null) ? this.sessionsByKey.get(resume) : null;
		if (resumed != null) {
			ServerConnection previous = resumed.moveTo(connection);
			if (previous != null && previous != connection) {
				previous.closeQuietly();
			}
			return new Opened(resumed, true);
		}
		String connectionId = "conn-" + this.connectionIds.incrementAndGet();
		String connectionKey = connectionId + "!" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
		Session session = new Session(connectionId, connectionKey, !"false".equals(query.get("echo")));
		session.moveTo(connection);
		this.sessionsById.put(connectionId, session);
		this.sessionsByKey.put(connectionKey, session);
		return new Opened(session, false);
	}

	void ended(ServerConnection connection) {
		this.connections.remove(connection);
	}

	void forget(Session session) {
		this.sessionsById.remove(session.connectionId());
		this.sessionsByKey.remove(session.connectionKey());
		this.channels.values().forEach((sessions) -> sessions.remove(session));
		session.cancelBursts();
	}

	void attach(Session session, String channel) {
		this.channels.computeIfAbsent(channel, (name) -> new CopyOnWriteArraySet<>()).add(session);
	}

	void detach(Session session, String channel) {
		Set<Session> sessions = this.channels.get(channel);
		if (sessions != null) {
			sessions.remove(session);
		}
	}

	/**
	 * Deliver a published message to the sessions attached to its channel.
	 * @param publisher the publishing session
	 * @param via the connection it came on
	 * @param message the message
	 * @param payload the buffer it was read from
	 */
	void deliver(Session publisher, ServerConnection via, InboundMessage message, byte[] payload) {
		String channel = message.channel();
		Set<Session> sessions = (channel != null) ? this.channels.get(channel) : null;
		if (channel == null || sessions == null || sessions.isEmpty()) {
			return;
		}
		long sequence = this.channelSerials.computeIfAbsent(channel, (name) -> new AtomicLong()).incrementAndGet();
		byte[] frame = null;
		for (Session session : sessions) {
			ServerConnection connection = session.connection();
			if (connection == null || (session == publisher && !publisher.echo())) {
				continue;
			}
			if (frame == null) {
				frame = ServerFrames.delivery(publisher.connectionId(), message.msgSerial(), channel,
						channel + ":" + String.format("%010d", sequence), payload, message.messagesOffset(),
						message.messagesLength());
			}
			try {
				if (connection == via) {
					connection.outbound().write(frame);
				}
				else {
					connection.outbound().send(frame);
				}
			}
			catch (IOException ex) {
				connection.closeQuietly();
			}
		}
	}

	/**
	 * Run a control command.
	 * @param path the command
	 * @param query its parameters
	 * @return the answer
	 * @throws IllegalArgumentException if the command or its parameters are wrong
	 */
	String control(String path, Map<String, String> query) {
		return switch (path) {
			case "/ping" -> "pong";
			case "/burst" -> {
				Session session = session(query);
				String channel = required(query, "channel");
				ServerConnection connection = session.connection();
				if (connection == null) {
					throw new IllegalArgumentException("Connection " + session.connectionId() + " is not connected");
				}
				long count = Long.parseLong(required(query, "count"));
				int perFrame = Integer.parseInt(query.getOrDefault("perFrame", "1"));
				long rate = Long.parseLong(query.getOrDefault("rate", "0"));
				int payload = Integer.parseInt(query.getOrDefault("payload", "100"));
				if (count <= 0 || perFrame <= 0 || rate < 0 || payload < 0) {
					throw new IllegalArgumentException("count and perFrame must be positive");
				}
				session.startBurst(channel,
						new Burst("publisher", channel, count, perFrame, rate, payload, connection));
				yield "started";
			}
			case "/burst-cancel" -> {
				Burst burst = session(query).burst(required(query, "channel"));
				if (burst != null) {
					burst.cancel();
				}
				yield "cancelled";
			}
			case "/burst-status" -> {
				Burst burst = session(query).burst(required(query, "channel"));
				if (burst == null) {
					throw new IllegalArgumentException("No burst on that channel");
				}
				yield burst.status();
			}
			case "/freeze" -> {
				ServerConnection connection = session(query).connection();
				if (connection == null) {
					throw new IllegalArgumentException("Not connected");
				}
				connection.freeze();
				yield "frozen";
			}
			case "/max-idle-interval" -> {
				long millis = Long.parseLong(required(query, "millis"));
				if (millis < 0) {
					throw new IllegalArgumentException("millis must not be negative");
				}
				long previous = this.maxIdleIntervalMillis;
				this.maxIdleIntervalMillis = millis;
				yield String.valueOf(previous);
			}
			case "/drop" -> {
				ServerConnection connection = session(query).connection();
				if (connection == null) {
					throw new IllegalArgumentException("Not connected");
				}
				connection.drop(query.getOrDefault("mode", "close"));
				yield "dropped";
			}
			default -> throw new IllegalArgumentException("Unknown command " + path);
		};
	}

	private Session session(Map<String, String> query) {
		String connectionId = required(query, "connectionId");
		Session session = this.sessionsById.get(connectionId);
		if (session == null) {
			throw new IllegalArgumentException("No connection " + connectionId);
		}
		return session;
	}

	private static String required(Map<String, String> query, String name) {
		String value = query.get(name);
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException("Parameter '" + name + "' is required");
		}
		return value;
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
