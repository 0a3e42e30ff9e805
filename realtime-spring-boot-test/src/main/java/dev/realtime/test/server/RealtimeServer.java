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

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeToken;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.Assert;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * An embedded WebSocket server that speaks the server side of the realtime protocol
 * (JSON), for tests and demos. It runs on a bare embedded Tomcat bound to a loopback
 * port, accepts clients that present a configured key or token, sends CONNECTED,
 * heartbeats and CLOSED, lets clients resume their connection within the connection state
 * TTL, lets them attach to channels, publish and receive messages, records what it sees,
 * and injects faults on demand. <pre class="code">
 * try (RealtimeServer server = RealtimeServer.builder().token("secret-token").build().start()) {
 *     connectClientTo(server.url());
 *     server.dropAllConnections();
 *     await().until(() -&gt; server.lastConnectQuery().containsKey("resume"));
 * }
 * </pre> A server keeps its port once it has started, so {@link #restart()} and a later
 * {@link #start()} listen where clients expect it. Thread-safe.
 * <p>
 * Configured keys and tokens never expire. The server also issues tokens that do
 * ({@link #issueToken(Duration)}): a client connected with one is sent AUTH
 * {@link Builder#authBeforeExpiry(Duration) shortly before it expires} (RTN22); an AUTH
 * from the client with a valid token replaces it and is answered with CONNECTED, with the
 * same connection id and details (RTC8a1), an AUTH with a token the server refuses with a
 * connection-level ERROR (RTC8a2); a token that expires unreplaced gets the client
 * DISCONNECTED with error {@code 40142}, its session kept for a resume with a new token
 * (RTN22a).
 * <p>
 * Channels are shared by all connections and live in memory until the server stops. Each
 * keeps a bounded history of what was published on it, in {@code channelSerial} order, so
 * that a client that attaches again with the last {@code channelSerial} it saw — as
 * clients do after every reconnect — gets exactly what it missed (ATTACHED with the
 * RESUMED flag, then the missed messages, then live ones); a client with no serial, or
 * one the channel no longer holds, starts afresh from the latest message. A published
 * MESSAGE is acknowledged once it is in the history, a resend of a {@code msgSerial} the
 * connection already published is acknowledged but not published twice, and a message
 * whose {@code id} is already in the history is dropped (idempotent publishing).
 * <p>
 * Each channel keeps a presence set. A client with a client id (from the {@code clientId}
 * connect parameter) enters, updates and leaves with PRESENCE messages, acknowledged like
 * MESSAGEs; every change goes to every attached connection, the member's own included,
 * and into the channel's history. An ATTACH to a channel with members is answered with
 * the {@code HAS_PRESENCE} flag and the members in SYNC pages of
 * {@link Builder#presenceSyncPageSize(int)}. A connection's members leave when it closes
 * or is not resumed within the connection state TTL.
 * <p>
 * A connection that resumes keeps its attachments, but the server pushes nothing on them
 * over the new WebSocket — neither what the client missed nor live messages — until the
 * client attaches again there, as clients do right after CONNECTED. That ATTACH, naming
 * the client's last {@code channelSerial}, replays everything the client missed,
 * including what was published between CONNECTED and the ATTACH, so nothing is lost and
 * nothing arrives twice; anything pushed before it would either be replayed again or be
 * discarded by a client that is still attaching (RTL17).
 *
 * @author Realtime team
 * @see Builder
 */
public final class RealtimeServer implements AutoCloseable {

	private final ServerSettings settings;

	private final @Nullable ServerSsl ssl;

	private final ServerFaults faults = new ServerFaults();

	private final ServerStatistics statistics = new ServerStatistics();

	private final TokenAuthority tokens;

	/** The current run, {@code null} while stopped. Written under this. */
	private volatile @Nullable Run run;

	/** The port bound by the first start, {@code -1} before. Guarded by this. */
	private int boundPort = -1;

	private RealtimeServer(ServerSettings settings, @Nullable ServerSsl ssl) {
		this.settings = settings;
		this.ssl = ssl;
		this.tokens = new TokenAuthority(settings, Clock.systemUTC());
	}

	/**
	 * Return a builder for a server that listens on a random loopback port.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Start the server; does nothing if it is running.
	 * @return this server
	 * @throws IllegalStateException if the server cannot start, for example because its
	 * port is taken
	 */
	public synchronized RealtimeServer start() {
		if (this.run != null) {
			return this;
		}
		int port = (this.boundPort >= 0) ? this.boundPort : this.settings.port();
		ScheduledExecutorService scheduler = createScheduler();
		ChannelRegistry channels = new ChannelRegistry(this.settings.channelHistorySize(),
				this.settings.presenceSyncPageSize(), Clock.systemUTC());
		SessionRegistry registry = new SessionRegistry(this.settings,
				new ServerContext(this.faults, this.statistics, channels, scheduler));
		RealtimeWebSocketHandler handler = new RealtimeWebSocketHandler(this.settings, this.faults, this.statistics,
				registry, scheduler, this.tokens);
		WebSocketHttpRequestHandler requestHandler = new WebSocketHttpRequestHandler(handler,
				new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()));
		requestHandler.setHandshakeInterceptors(List.of(new ConnectHandshakeInterceptor(this.faults, this.statistics)));
		EmbeddedTomcat tomcat;
		try {
			tomcat = EmbeddedTomcat.start(this.settings.host(), port, requestHandler,
					(int) this.settings.maxFrameSize(), this.ssl);
		}
		catch (RuntimeException ex) {
			scheduler.shutdownNow();
			throw ex;
		}
		this.boundPort = tomcat.port();
		this.run = new Run(tomcat, registry, channels, scheduler);
		return this;
	}

	/**
	 * Stop the server: close every connection, forget every session and release the port.
	 * Does nothing if the server is not running.
	 */
	public synchronized void stop() {
		Run run = this.run;
		if (run == null) {
			return;
		}
		this.run = null;
		try {
			run.tomcat().stop();
		}
		finally {
			run.scheduler().shutdownNow();
		}
	}

	/**
	 * Stop the server and start it again on the same port. Every session is lost, so a
	 * client that resumes afterwards gets a new connection id and error {@code 80008},
	 * and every channel is lost, so a client that attaches again with a
	 * {@code channelSerial} from before starts afresh.
	 * @throws IllegalStateException if the server has never been started
	 */
	public synchronized void restart() {
		Assert.state(this.boundPort >= 0, "The server has never been started");
		stop();
		start();
	}

	/**
	 * Stop the server.
	 * @see #stop()
	 */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Return whether the server is running.
	 * @return whether it is running
	 */
	public boolean isRunning() {
		return this.run != null;
	}

	/**
	 * Return the port the server listens on.
	 * @return the port
	 * @throws IllegalStateException if the server has never been started
	 */
	public synchronized int port() {
		Assert.state(this.boundPort >= 0, "The server has never been started");
		return this.boundPort;
	}

	/**
	 * Return the address the server listens on.
	 * @return the host address
	 */
	public String host() {
		return this.settings.host();
	}

	/**
	 * Return the WebSocket URL to connect to, such as {@code ws://127.0.0.1:54321/}, or
	 * {@code wss://127.0.0.1:54321/} for a server that {@link Builder#ssl(SslBundle)
	 * serves TLS}.
	 * @return the URL
	 * @throws IllegalStateException if the server has never been started
	 */
	public String url() {
		return ((this.ssl != null) ? "wss://" : "ws://") + this.settings.host() + ":" + port() + "/";
	}

	// Tokens

	/**
	 * Issue an access token that the server accepts until it expires, for a
	 * {@code RealtimeTokenProvider} (or the {@code authCallback} of an Ably SDK) to hand
	 * out. A client connected with it is asked to re-authenticate (AUTH)
	 * {@link Builder#authBeforeExpiry(Duration) some time} before it expires, and is sent
	 * DISCONNECTED with error {@code 40142} when it expires unless an AUTH replaced it.
	 * Connecting with it after it expired is refused with error {@code 40142}. Tokens
	 * outlive {@link #restart()}, and are accepted whatever {@link Builder#key(String)
	 * keys} and {@link Builder#token(String) tokens} are configured. Works whether or not
	 * the server is running.
	 * @param ttl how long the token is valid
	 * @return the token, with when it expires
	 */
	public RealtimeToken issueToken(Duration ttl) {
		Assert.isTrue(ttl != null && !ttl.isNegative() && !ttl.isZero(), "'ttl' must be positive");
		return this.tokens.issue(ttl);
	}

	/**
	 * Treat every token issued so far as expired: connections that hold one are sent
	 * DISCONNECTED with error {@code 40142} and closed (their sessions are kept, so
	 * clients can resume with a new token), and connecting or re-authenticating with one
	 * is refused with error {@code 40142}. Tokens issued afterwards are valid; configured
	 * keys and tokens are not affected.
	 * @return how many connections were disconnected
	 */
	public int expireTokens() {
		this.tokens.expireAll();
		int disconnected = 0;
		for (ServerTransport transport : transports()) {
			if (transport.lease().expireIfExpired()) {
				disconnected++;
			}
		}
		return disconnected;
	}

	/**
	 * Ask every connected client to re-authenticate now: send each connection an AUTH
	 * message, whatever its credentials. A client answers with an AUTH carrying a new
	 * token, which the server answers with CONNECTED (or ERROR if it refuses the token).
	 * @return how many connections were sent AUTH
	 */
	public int requestReauthentication() {
		Run run = this.run;
		if (run == null) {
			return 0;
		}
		int sent = 0;
		for (ServerTransport transport : run.registry().transports()) {
			if (run.registry().currentSession(transport) != null && transport.send(new ProtocolMessage(Action.AUTH))) {
				sent++;
			}
		}
		return sent;
	}

	// Observability

	/**
	 * Return how many WebSockets are currently open.
	 * @return the number of open transports
	 */
	public int connectionCount() {
		Run run = this.run;
		return (run != null) ? run.registry().transportCount() : 0;
	}

	/**
	 * Return the connection ids of the sessions the server holds: those connected now and
	 * those that dropped less than the connection state TTL ago.
	 * @return the connection ids, oldest first
	 */
	public List<String> sessionIds() {
		Run run = this.run;
		return (run != null) ? run.registry().sessionIds() : Collections.emptyList();
	}

	/**
	 * Return how many WebSocket upgrades were requested, refused ones included.
	 * @return the number of connect attempts
	 */
	public long connectAttempts() {
		return this.statistics.connectAttempts();
	}

	/**
	 * Return how many WebSocket upgrades were refused by
	 * {@link #refuseConnections(boolean)}.
	 * @return the number of refused connections
	 */
	public long refusedConnections() {
		return this.statistics.refusedConnections();
	}

	/**
	 * Return the query parameters of the last connect attempt, such as {@code resume}.
	 * @return the parameters, first value of each, or an empty map
	 */
	public Map<String, String> lastConnectQuery() {
		return this.statistics.lastConnectQuery();
	}

	/**
	 * Return the query parameters of the last connect attempts, oldest first.
	 * @return the parameters of each attempt
	 */
	public List<Map<String, String>> connectQueries() {
		return this.statistics.connectQueries();
	}

	/**
	 * Return how many messages with the given action the server received.
	 * @param action the action
	 * @return the number of messages
	 */
	public long received(Action action) {
		return this.statistics.received(action);
	}

	/**
	 * Return the actions of the last messages received, oldest first.
	 * @return the actions
	 */
	public List<Action> receivedActions() {
		return this.statistics.receivedActions();
	}

	/**
	 * Return the last messages received, oldest first.
	 * @return the messages
	 */
	public List<ProtocolMessage> receivedMessages() {
		return this.statistics.receivedMessages();
	}

	/**
	 * Return how many messages with the given action the server sent.
	 * @param action the action
	 * @return the number of messages
	 */
	public long sent(Action action) {
		return this.statistics.sent(action);
	}

	/**
	 * Return how many frames could not be read as protocol messages. The connections they
	 * came on stay open.
	 * @return the number of malformed frames
	 */
	public long malformedFrames() {
		return this.statistics.malformedFrames();
	}

	/**
	 * Return how many messages with an action unknown to the server were received and
	 * ignored.
	 * @return the number of messages
	 */
	public long unknownActions() {
		return this.statistics.unknownActions();
	}

	/**
	 * Return how many messages have been published on the given channel since the server
	 * started, counting each entry of a MESSAGE's {@code messages}. Duplicates that were
	 * dropped are not counted.
	 * @param channel the channel name
	 * @return the number of messages
	 */
	public long published(String channel) {
		ServerChannel found = findChannel(channel);
		return (found != null) ? found.published() : 0;
	}

	/**
	 * Return the MESSAGEs the given channel holds for replay, oldest first, as they are
	 * delivered to subscribers: each with its {@code channelSerial}, and its messages
	 * with {@code id}, {@code connectionId} (of the publisher) and {@code timestamp} set.
	 * The history keeps the last {@link Builder#channelHistorySize(int)} MESSAGEs.
	 * @param channel the channel name
	 * @return copies of the MESSAGEs, or an empty list
	 */
	public List<ProtocolMessage> channelHistory(String channel) {
		ServerChannel found = findChannel(channel);
		return (found != null) ? found.history() : Collections.emptyList();
	}

	/**
	 * Return the presence members of the given channel: those that entered and have not
	 * left, each with action PRESENT, its {@code id}, {@code clientId},
	 * {@code connectionId}, data and {@code timestamp}.
	 * @param channel the channel name
	 * @return the members, in the order they entered, or an empty list
	 */
	public List<WirePresenceMessage> presenceMembers(String channel) {
		ServerChannel found = findChannel(channel);
		return (found != null) ? found.members() : Collections.emptyList();
	}

	/**
	 * Return how many connections are attached to the given channel, including those
	 * whose WebSocket has dropped but that may still resume.
	 * @param channel the channel name
	 * @return the number of connections
	 */
	public int attachedConnections(String channel) {
		ServerChannel found = findChannel(channel);
		return (found != null) ? found.attachedConnections() : 0;
	}

	/**
	 * Return how many published messages were not published again because they were
	 * duplicates: every message of a MESSAGE whose {@code msgSerial} the connection had
	 * already published (a resend), and every message whose {@code id} was already in the
	 * channel's history.
	 * @return the number of messages
	 */
	public long duplicatePublishes() {
		return this.statistics.duplicatePublishes();
	}

	/**
	 * Forget everything recorded so far: counters, received messages and connect queries.
	 * Channels and their histories are state, not statistics, and are kept.
	 */
	public void resetStatistics() {
		this.statistics.reset();
	}

	// Channels

	/**
	 * Push a burst of messages to every connection attached to the given channel now, as
	 * fast as the server can write them: frames are encoded before the first is sent,
	 * bypass the channel's history, and are written by a thread of their own that waits
	 * whenever a connection does not read (TCP back-pressure). For load tests. Message
	 * {@code n} (from 0) has data {@code "n"} and the frame that carries it the channel
	 * serial {@code burst:<frame>}.
	 * @param channel the channel name
	 * @param count how many messages
	 * @param perFrame how many messages each frame carries
	 * @return a future with the number of frames written, completed when the burst is
	 * over
	 */
	public CompletableFuture<Long> burst(String channel, int count, int perFrame) {
		Assert.isTrue(count >= 0, "'count' must not be negative");
		Assert.isTrue(perFrame > 0, "'perFrame' must be positive");
		ServerChannel found = findChannel(channel);
		List<ServerTransport> transports = (found != null) ? found.attachedTransports() : List.of();
		ProtocolCodec codec = new ProtocolCodec();
		List<String> frames = new ArrayList<>((count + perFrame - 1) / perFrame);
		for (int first = 0; first < count; first += perFrame) {
			List<WireMessage> messages = new ArrayList<>(perFrame);
			for (int n = first; n < Math.min(first + perFrame, count); n++) {
				messages.add(new WireMessage(null, null, String.valueOf(n), null, null, null, null));
			}
			frames.add(codec.encode(new ProtocolMessage(Action.MESSAGE).setChannel(channel)
				.setChannelSerial("burst:" + frames.size())
				.setMessages(messages)));
		}
		CompletableFuture<Long> written = new CompletableFuture<>();
		Thread pusher = new Thread(() -> {
			long sent = 0;
			for (String frame : frames) {
				for (ServerTransport transport : transports) {
					if (transport.sendEncoded(frame)) {
						sent++;
					}
				}
			}
			written.complete(sent);
		}, "realtime-server-burst");
		pusher.setDaemon(true);
		pusher.start();
		return written;
	}

	/**
	 * Publish a message on the given channel as the server, as if from a client that is
	 * not connected: it goes into the channel's history and to every attached connection.
	 * @param channel the channel name
	 * @param name the message name, or {@code null}
	 * @param data the message data, any value Jackson can write as JSON, or {@code null}
	 * @return the {@code channelSerial} of the message
	 * @throws IllegalStateException if the server is not running
	 */
	public String publish(String channel, @Nullable String name, @Nullable Object data) {
		Assert.hasText(channel, "'channel' must not be empty");
		Run run = this.run;
		Assert.state(run != null, "The server is not running");
		ChannelRegistry channels = run.channels();
		ServerChannel.Appended appended = channels.channel(channel)
			.append(null, null, List.of(new WireMessage(null, name, data, null, null, null, null)), channels.now());
		ProtocolMessage message = appended.message();
		Assert.state(message != null && message.getChannelSerial() != null, "The message was not published");
		return message.getChannelSerial();
	}

	// Faults

	/**
	 * Close every open WebSocket at once, without a protocol message (the WebSocket close
	 * status is 1001, going away). Sessions are kept, so clients can resume.
	 */
	public void dropAllConnections() {
		for (ServerTransport transport : transports()) {
			transport.close(CloseStatus.GOING_AWAY);
		}
	}

	/**
	 * Make every open connection go silent while its WebSocket stays open: no heartbeats,
	 * no replies, and what clients send is recorded but not acted on. Connections opened
	 * afterwards are not affected, so a client that gives up on a frozen connection can
	 * reconnect and resume.
	 */
	public void freeze() {
		for (ServerTransport transport : transports()) {
			transport.freeze(true);
		}
	}

	/**
	 * Undo {@link #freeze()}: heartbeats and replies resume. What clients sent while
	 * frozen stays unanswered.
	 */
	public void unfreeze() {
		for (ServerTransport transport : transports()) {
			transport.freeze(false);
		}
	}

	/**
	 * Reject (or accept again) new WebSocket upgrades with HTTP 503 Service Unavailable.
	 * Open connections are not affected.
	 * @param refuse whether to refuse new connections
	 */
	public void refuseConnections(boolean refuse) {
		this.faults.refuseConnections(refuse);
	}

	/**
	 * Send DISCONNECTED with the given error on every connection, then close their
	 * WebSockets. Sessions are kept, so clients can resume.
	 * @param error the error to send
	 */
	public void sendDisconnected(ErrorInfo error) {
		for (ServerTransport transport : transports()) {
			transport.sendThenClose(new ProtocolMessage(Action.DISCONNECTED).setError(error), CloseStatus.NORMAL);
		}
	}

	/**
	 * Send a connection-level ERROR with the given error on every connection, then close
	 * their WebSockets and forget their sessions.
	 * @param error the error to send
	 */
	public void sendFatalError(ErrorInfo error) {
		Run run = this.run;
		if (run == null) {
			return;
		}
		for (ServerTransport transport : run.registry().transports()) {
			ServerSession session = run.registry().currentSession(transport);
			if (session != null) {
				run.registry().forget(session);
			}
			transport.sendThenClose(new ProtocolMessage(Action.ERROR).setError(error), CloseStatus.NORMAL);
		}
	}

	/**
	 * Stop sending heartbeats (HEARTBEAT messages or ping frames) on every connection,
	 * present and future, until {@link #startHeartbeats()}.
	 */
	public void stopHeartbeats() {
		this.faults.heartbeatsStopped(true);
	}

	/**
	 * Send heartbeats again after {@link #stopHeartbeats()}.
	 */
	public void startHeartbeats() {
		this.faults.heartbeatsStopped(false);
	}

	/**
	 * Wait the given time after a WebSocket opens before sending CONNECTED, so that a
	 * client's connect timeout can fire. {@link Duration#ZERO} answers at once again.
	 * @param delay the delay
	 */
	public void delayConnected(Duration delay) {
		Assert.notNull(delay, "'delay' must not be null");
		this.faults.connectedDelay(delay);
	}

	/**
	 * Answer the next client MESSAGEs and PRESENCE messages with NACK and the given error
	 * instead of publishing them. A later call replaces the earlier one; a count of
	 * {@code 0} stops refusing.
	 * @param count how many MESSAGEs and PRESENCE messages to refuse
	 * @param error the error to send
	 */
	public void nackNextPublishes(int count, ErrorInfo error) {
		Assert.isTrue(count >= 0, "'count' must not be negative");
		Assert.notNull(error, "'error' must not be null");
		this.faults.nackNextPublishes(count, error);
	}

	/**
	 * Send each ACK the given time after its MESSAGE was published; the message itself is
	 * published and delivered at once. Replies stay in order, so a NACK or an ACK sent
	 * after {@code delayAcks(Duration.ZERO)} waits for the delayed ACKs before it.
	 * {@link Duration#ZERO} acknowledges at once again.
	 * @param delay the delay
	 */
	public void delayAcks(Duration delay) {
		Assert.isTrue(delay != null && !delay.isNegative(), "'delay' must not be negative");
		this.faults.ackDelay(delay);
	}

	/**
	 * Detach every connection attached to the given channel, as if the server had lost
	 * the attachment: send each a DETACHED with the given error and stop delivering the
	 * channel's messages to it. Clients are expected to attach again, and get what they
	 * missed if they name their last {@code channelSerial}. Connections whose WebSocket
	 * is down lose their attachment without being told.
	 * @param channel the channel name
	 * @param error the error to send
	 * @return how many connections were sent DETACHED
	 */
	public int sendDetached(String channel, ErrorInfo error) {
		return detachAll(channel, Action.DETACHED, error);
	}

	/**
	 * Fail the given channel for every connection attached to it: send each a
	 * channel-level ERROR with the given error and detach it.
	 * @param channel the channel name
	 * @param error the error to send
	 * @return how many connections were sent ERROR
	 */
	public int sendChannelError(String channel, ErrorInfo error) {
		return detachAll(channel, Action.ERROR, error);
	}

	private int detachAll(String channel, Action action, ErrorInfo error) {
		Assert.notNull(error, "'error' must not be null");
		ServerChannel found = findChannel(channel);
		return (found != null) ? found.detachAll(action, error) : 0;
	}

	/**
	 * Undo every fault: unfreeze open connections, accept new ones, send heartbeats,
	 * answer connects at once, and acknowledge every publish at once.
	 */
	public void resetFaults() {
		this.faults.reset();
		unfreeze();
	}

	private @Nullable ServerChannel findChannel(String channel) {
		Run run = this.run;
		return (run != null) ? run.channels().find(channel) : null;
	}

	private List<ServerTransport> transports() {
		Run run = this.run;
		return (run != null) ? run.registry().transports() : Collections.emptyList();
	}

	private ScheduledExecutorService createScheduler() {
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory threadFactory = (task) -> {
			Thread thread = new Thread(task, "realtime-server-" + threads.incrementAndGet());
			thread.setDaemon(true);
			thread.setContextClassLoader(RealtimeServer.class.getClassLoader());
			return thread;
		};
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, threadFactory);
		scheduler.setRemoveOnCancelPolicy(true);
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return scheduler;
	}

	@Override
	public String toString() {
		Run run = this.run;
		return "RealtimeServer[" + ((run != null) ? url() : "stopped") + "]";
	}

	private record Run(EmbeddedTomcat tomcat, SessionRegistry registry, ChannelRegistry channels,
			ScheduledExecutorService scheduler) {

	}

	/**
	 * Builds a {@link RealtimeServer}. With neither {@link #key(String) keys} nor
	 * {@link #token(String) tokens} configured, the server accepts every client.
	 */
	public static final class Builder {

		private String host = "127.0.0.1";

		private int port;

		private final List<String> keys = new ArrayList<>();

		private final List<String> tokens = new ArrayList<>();

		private Duration authBeforeExpiry = Duration.ofSeconds(1);

		private Duration maxIdleInterval = Duration.ofSeconds(15);

		private @Nullable Duration heartbeatInterval;

		private Duration connectionStateTtl = Duration.ofMinutes(2);

		private long maxMessageSize = 64 * 1024;

		private long maxFrameSize = 512 * 1024;

		private String serverId = "realtime-test-server";

		private Duration sendTimeLimit = Duration.ofSeconds(10);

		private int sendBufferSizeLimit = 1024 * 1024;

		private int channelHistorySize = 10_000;

		private int presenceSyncPageSize = 100;

		private @Nullable SslBundle sslBundle;

		private boolean requireClientCertificate;

		private Builder() {
		}

		/**
		 * Serve TLS ({@code wss://}) with the certificate and key of the given SSL
		 * bundle's key store. Its certificate must name the host that clients connect to
		 * ({@code 127.0.0.1} by default) in its subject alternative names, since clients
		 * verify it.
		 * @param bundle the bundle, for example from
		 * {@link org.springframework.boot.ssl.SslBundles#getBundle(String)} or
		 * {@link SslBundle#of(org.springframework.boot.ssl.SslStoreBundle)}
		 * @return this builder
		 */
		public Builder ssl(SslBundle bundle) {
			Assert.notNull(bundle, "'bundle' must not be null");
			this.sslBundle = bundle;
			return this;
		}

		/**
		 * Accept only clients that present a certificate which the trust store of the
		 * {@link #ssl(SslBundle) SSL bundle} trusts.
		 * @return this builder
		 */
		public Builder requireClientCertificate() {
			this.requireClientCertificate = true;
			return this;
		}

		/**
		 * Set the address to listen on; {@code 127.0.0.1} by default.
		 * @param host the address
		 * @return this builder
		 */
		public Builder host(String host) {
			Assert.hasText(host, "'host' must not be empty");
			this.host = host;
			return this;
		}

		/**
		 * Set the port to listen on; {@code 0}, a random free port, by default.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			Assert.isTrue(port >= 0 && port <= 65535, "'port' must be between 0 and 65535");
			this.port = port;
			return this;
		}

		/**
		 * Accept clients that connect with the given API key ({@code key=} query
		 * parameter). May be called more than once.
		 * @param key the key, as {@code appId.keyId:secret}
		 * @return this builder
		 */
		public Builder key(String key) {
			Assert.isTrue(key != null && key.indexOf(':') > 0, "'key' must have the form appId.keyId:secret");
			this.keys.add(key);
			return this;
		}

		/**
		 * Accept clients that connect with the given access token ({@code accessToken=}
		 * query parameter); it never expires. May be called more than once. Tokens that
		 * expire come from {@link RealtimeServer#issueToken(Duration)}.
		 * @param token the token
		 * @return this builder
		 */
		public Builder token(String token) {
			Assert.hasText(token, "'token' must not be empty");
			this.tokens.add(token);
			return this;
		}

		/**
		 * Set how long before an {@link RealtimeServer#issueToken(Duration) issued token}
		 * expires the server asks the client that holds it to re-authenticate (AUTH); 1 s
		 * by default. {@link Duration#ZERO} never asks: the token just expires, and the
		 * client is sent DISCONNECTED with error {@code 40142}.
		 * @param authBeforeExpiry the time before expiry
		 * @return this builder
		 */
		public Builder authBeforeExpiry(Duration authBeforeExpiry) {
			Assert.isTrue(authBeforeExpiry != null && !authBeforeExpiry.isNegative(),
					"'authBeforeExpiry' must not be negative");
			this.authBeforeExpiry = authBeforeExpiry;
			return this;
		}

		/**
		 * Set the longest the server stays silent on a healthy connection, as told to
		 * clients in {@code connectionDetails.maxIdleInterval}; 15 s by default.
		 * Heartbeats go out at half this interval unless
		 * {@link #heartbeatInterval(Duration)} says otherwise.
		 * @param maxIdleInterval the interval
		 * @return this builder
		 */
		public Builder maxIdleInterval(Duration maxIdleInterval) {
			assertPositive(maxIdleInterval, "maxIdleInterval");
			this.maxIdleInterval = maxIdleInterval;
			return this;
		}

		/**
		 * Set how often a heartbeat goes out on each connection.
		 * @param heartbeatInterval the interval
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			assertPositive(heartbeatInterval, "heartbeatInterval");
			this.heartbeatInterval = heartbeatInterval;
			return this;
		}

		/**
		 * Set how long a connection's state is kept after its WebSocket dropped, as told
		 * to clients in {@code connectionDetails.connectionStateTtl}; 2 min by default.
		 * @param connectionStateTtl the time to live
		 * @return this builder
		 */
		public Builder connectionStateTtl(Duration connectionStateTtl) {
			assertPositive(connectionStateTtl, "connectionStateTtl");
			this.connectionStateTtl = connectionStateTtl;
			return this;
		}

		/**
		 * Set the largest message size told to clients; 64 KiB by default.
		 * @param maxMessageSize the size in bytes
		 * @return this builder
		 */
		public Builder maxMessageSize(long maxMessageSize) {
			Assert.isTrue(maxMessageSize > 0, "'maxMessageSize' must be positive");
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * Set the largest frame size told to clients and accepted from them; 512 KiB by
		 * default.
		 * @param maxFrameSize the size in bytes
		 * @return this builder
		 */
		public Builder maxFrameSize(long maxFrameSize) {
			Assert.isTrue(maxFrameSize > 0 && maxFrameSize <= Integer.MAX_VALUE,
					"'maxFrameSize' must be positive and fit an int");
			this.maxFrameSize = maxFrameSize;
			return this;
		}

		/**
		 * Set the server id told to clients.
		 * @param serverId the server id
		 * @return this builder
		 */
		public Builder serverId(String serverId) {
			Assert.hasText(serverId, "'serverId' must not be empty");
			this.serverId = serverId;
			return this;
		}

		/**
		 * Set the longest one send may take, and the most bytes that may wait to be sent,
		 * before a connection is closed as unreliable; 10 s and 1 MiB by default.
		 * @param sendTimeLimit the time limit
		 * @param sendBufferSizeLimit the buffer limit in bytes
		 * @return this builder
		 */
		public Builder sendLimits(Duration sendTimeLimit, int sendBufferSizeLimit) {
			assertPositive(sendTimeLimit, "sendTimeLimit");
			Assert.isTrue(sendBufferSizeLimit > 0, "'sendBufferSizeLimit' must be positive");
			this.sendTimeLimit = sendTimeLimit;
			this.sendBufferSizeLimit = sendBufferSizeLimit;
			return this;
		}

		/**
		 * Set how many published MESSAGEs each channel keeps, for clients that attach
		 * again with a {@code channelSerial} to get what they missed; 10,000 by default.
		 * @param channelHistorySize the number of MESSAGEs
		 * @return this builder
		 */
		public Builder channelHistorySize(int channelHistorySize) {
			Assert.isTrue(channelHistorySize > 0, "'channelHistorySize' must be positive");
			this.channelHistorySize = channelHistorySize;
			return this;
		}

		/**
		 * Set how many presence members each SYNC message carries when a client attaches
		 * to a channel with members; 100 by default.
		 * @param presenceSyncPageSize the number of members
		 * @return this builder
		 */
		public Builder presenceSyncPageSize(int presenceSyncPageSize) {
			Assert.isTrue(presenceSyncPageSize > 0, "'presenceSyncPageSize' must be positive");
			this.presenceSyncPageSize = presenceSyncPageSize;
			return this;
		}

		/**
		 * Build the server. It is not started.
		 * @return the server
		 */
		public RealtimeServer build() {
			Duration heartbeatInterval = (this.heartbeatInterval != null) ? this.heartbeatInterval
					: this.maxIdleInterval.dividedBy(2);
			Assert.state(!this.requireClientCertificate || this.sslBundle != null,
					"Client certificates can only be required over TLS: set an SSL bundle");
			ServerSsl ssl = (this.sslBundle != null) ? new ServerSsl(this.sslBundle, this.requireClientCertificate)
					: null;
			return new RealtimeServer(new ServerSettings(this.host, this.port, List.copyOf(this.keys),
					List.copyOf(this.tokens), this.authBeforeExpiry, this.maxIdleInterval, heartbeatInterval,
					this.connectionStateTtl, this.maxMessageSize, this.maxFrameSize, this.serverId, this.sendTimeLimit,
					this.sendBufferSizeLimit, this.channelHistorySize, this.presenceSyncPageSize), ssl);
		}

		private static void assertPositive(Duration duration, String name) {
			Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(),
					() -> "'" + name + "' must be positive");
		}

	}

}
