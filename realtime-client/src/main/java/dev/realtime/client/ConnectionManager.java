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

package dev.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.AuthDetails;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolException;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * The actor that owns one realtime connection: its state machine, timers, transport,
 * pings and resume.
 * <p>
 * Threads: every input (an API call, a timer, a frame) becomes a task on a
 * {@link SerialExecutor}, the actor, that borrows threads from the realtime scheduler.
 * The actor never blocks and never runs application code: it never writes to a socket
 * (the transport buffers and writes on threads of its own), never waits on a future, and
 * hands every result to application code through lanes of its own ({@link Notifier} for
 * listeners and futures, a {@link SubscriberLane} per channel for subscribers). Frames
 * are decoded by the transport's reader and queued for the actor in
 * {@link InboundFrames}, where the reader waits when the actor falls behind: overload
 * slows the reader (TCP back-pressure), it never drops the connection. API calls have a
 * bound of their own, so that frames are never crowded out by the application.
 * <p>
 * Time: protocol timing (idle detection, the TTL, retries, pings, queue expiry) reads the
 * monotonic {@link Ticker}, never the wall clock.
 *
 * @author Realtime team
 */
final class ConnectionManager implements RealtimeConnection, ChannelConnection {

	private static final Log logger = LogFactory.getLog(ConnectionManager.class);

	/** How many API calls may wait for the actor before further calls are refused. */
	static final int REQUEST_CAPACITY = 10_000;

	private static final long NO_ATTEMPT = -1;

	/** The largest message until the server says otherwise [TO3l8]. */
	static final long DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

	/**
	 * The longest duration a server may set in its connection details; a longer one is
	 * not meant and is ignored, so that timer arithmetic cannot overflow.
	 */
	private static final long MAX_SERVER_DURATION_MILLIS = Duration.ofDays(1).toMillis();

	/** The error code of a message larger than the maximum message size [RSL1i]. */
	private static final int MESSAGE_TOO_LARGE = 40009;

	private final RealtimeClientOptions options;

	private final ConnectUri connectUri;

	/** The key or tokens the connection authenticates with. */
	private final Credentials credentials;

	/**
	 * Whether the token was renewed for a token error since the connection last
	 * connected: a second token error is not renewed again [RTN14b, RTN15h2].
	 */
	private boolean renewedForTokenError;

	private final TransportFactory transportFactory;

	private final TaskScheduler scheduler;

	private final Ticker ticker;

	private final Executor subscriberExecutor;

	private final RandomGenerator random;

	private final ProtocolCodec codec = new ProtocolCodec();

	private final SerialExecutor actor;

	private final Notifier notifier;

	private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();

	private final List<SlowSubscriberListener> slowSubscriberListeners = new CopyOnWriteArrayList<>();

	private final ChannelRegistry channels = new ChannelRegistry((name, options) -> new Channel(name, options, this));

	private final AtomicLong malformedFrames = new AtomicLong();

	private final AtomicLong unhandledFrames = new AtomicLong();

	private final Payloads payloads = new Payloads(this.codec);

	/** What other threads may read; replaced whenever the actor changes it. */
	private volatile Snapshot snapshot = new Snapshot(ConnectionState.INITIALIZED, null, null, null);

	// All fields below are confined to the actor: read and written only by its tasks.

	private ConnectionState state = ConnectionState.INITIALIZED;

	private @Nullable ErrorInfo errorReason;

	private @Nullable String connectionId;

	private @Nullable String connectionKey;

	/** The client id the server granted on the latest {@code CONNECTED}, if any. */
	private @Nullable String grantedClientId;

	private Duration connectionStateTtl;

	/** The longest the server may stay silent; zero if it allows any silence [CD2h]. */
	private Duration maxIdleInterval;

	/** The largest message the server accepts, in bytes [TO3l8, CD2c]. */
	private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

	private long attempts;

	private long currentAttempt = NO_ATTEMPT;

	private @Nullable Transport transport;

	/** When the server was last heard from, in {@link Ticker} nanoseconds. */
	private long lastActivity;

	/** The current outage, if any: retry delays and the TTL. */
	private final Outage outage;

	/** Frames on their way from the transport to the actor, and back-pressure. */
	private final InboundFlow inbound;

	/** Timers that belong to the current state; cancelled when it is left. */
	private final ActorTimers stateTimers;

	/** The next check for a silent server, one of the state timers, if any. */
	private ActorTimers.@Nullable Timer idleCheck;

	private final PendingPings pings;

	private final PublishQueue publishes;

	private final List<CloseRequest> closeRequests = new ArrayList<>();

	/**
	 * Create a connection.
	 * @param options the options
	 * @param transportFactory opens transports
	 * @param scheduler runs the actor and its timers
	 * @param ticker the monotonic time of protocol timing
	 * @param random the source of retry jitter and ping ids
	 * @param callbacks where application code runs
	 * @param tokenProvider provides tokens, or {@code null}
	 */
	ConnectionManager(RealtimeClientOptions options, TransportFactory transportFactory, TaskScheduler scheduler,
			Ticker ticker, RandomGenerator random, CallbackExecutors callbacks,
			@Nullable RealtimeTokenProvider tokenProvider) {
		this.options = options;
		this.connectUri = new ConnectUri(options);
		this.transportFactory = transportFactory;
		this.scheduler = scheduler;
		this.ticker = ticker;
		this.random = random;
		this.subscriberExecutor = callbacks.subscribers();
		this.outage = new Outage(new ConnectionRetryBackOff(options.retry(), random), ticker);
		Executor now = (task) -> scheduler.schedule(task, scheduler.getClock().instant());
		this.actor = new SerialExecutor(now, REQUEST_CAPACITY);
		this.notifier = new Notifier(callbacks.listeners(), callbacks.completions());
		this.stateTimers = newTimers();
		this.credentials = new Credentials(options, tokenProvider,
				new SerialExecutor(callbacks.subscribers(), Integer.MAX_VALUE), this.actor, newTimers(),
				scheduler.getClock());
		this.inbound = new InboundFlow(this.actor, newTimers(), options.subscribers().maxPause(), new InboundHandler());
		this.pings = new PendingPings(this::send, this.notifier, newTimers(), ticker, random, options.requestTimeout());
		this.publishes = new PublishQueue(this::send, this.notifier, newTimers(), ticker, options);
		this.connectionStateTtl = options.connectionStateTtl();
		this.maxIdleInterval = options.maxIdleInterval();
		this.lastActivity = ticker.nanoTime();
	}

	// Public API: reads the snapshot or enqueues work

	@Override
	public ConnectionState state() {
		return this.snapshot.state();
	}

	@Override
	public @Nullable String id() {
		return this.snapshot.id();
	}

	@Override
	public @Nullable String key() {
		return this.snapshot.key();
	}

	@Override
	public @Nullable ErrorInfo errorReason() {
		return this.snapshot.errorReason();
	}

	@Override
	public void connect() {
		this.actor.execute(this::doConnect);
	}

	@Override
	public CompletableFuture<Void> close() {
		// A listener cannot wait for the listeners to hear of the change: its own call is
		// one of them
		CloseRequest closed = new CloseRequest(new CompletableFuture<>(), !this.notifier.isListenerLane());
		this.actor.execute(() -> doClose(closed));
		return closed.future();
	}

	@Override
	public CompletableFuture<Duration> ping() {
		CompletableFuture<Duration> result = new CompletableFuture<>();
		if (!this.actor.tryExecute(() -> doPing(result))) {
			result.completeExceptionally(new RealtimeException(busy()));
		}
		return result;
	}

	@Override
	public void addListener(ConnectionStateListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void removeListener(ConnectionStateListener listener) {
		this.listeners.remove(listener);
	}

	RealtimeChannel channel(String name, @Nullable ChannelOptions options) {
		Channel channel = this.channels.get(name, (options != null) ? options : ChannelOptions.defaults());
		if (options != null && !options.equals(channel.options())) {
			channel.setOptions(options);
		}
		return channel;
	}

	CompletableFuture<Void> release(String name) {
		Channel channel = this.channels.find(name);
		if (channel == null) {
			return CompletableFuture.completedFuture(null);
		}
		return channel.release(() -> this.channels.remove(channel));
	}

	void addChannelListener(ChannelStateListener listener) {
		this.channels.listeners().add(listener);
	}

	void removeChannelListener(ChannelStateListener listener) {
		this.channels.listeners().remove(listener);
	}

	void addSlowSubscriberListener(SlowSubscriberListener listener) {
		this.slowSubscriberListeners.add(listener);
	}

	void removeSlowSubscriberListener(SlowSubscriberListener listener) {
		this.slowSubscriberListeners.remove(listener);
	}

	long malformedFrames() {
		return this.malformedFrames.get();
	}

	long unhandledFrames() {
		return this.unhandledFrames.get();
	}

	@Override
	public RealtimeClientOptions options() {
		return this.options;
	}

	/**
	 * Return the error for an API call refused because too many wait for the actor.
	 * @return the error
	 */
	static ErrorInfo busy() {
		return ErrorInfo
			.failed("Connection is busy: more than " + REQUEST_CAPACITY + " requests are waiting; try again later");
	}

	// connect() [RTN11]

	private void doConnect() {
		switch (this.state) {
			case CONNECTING, CONNECTED -> {
			}
			case DISCONNECTED, SUSPENDED -> startAttempt();
			case CLOSING -> {
				dropTransport();
				completeCloseFutures(ErrorInfo.failed("close() superseded by connect()"));
				startNewConnection();
			}
			case INITIALIZED, CLOSED, FAILED -> startNewConnection();
		}
	}

	private void startNewConnection() {
		this.connectionId = null;
		this.connectionKey = null;
		this.grantedClientId = null;
		this.errorReason = null; // [RTN11d]
		this.outage.start(this.connectionStateTtl);
		startAttempt();
	}

	private void startAttempt() {
		transitionTo(ConnectionState.CONNECTING, null, null);
		beginAttempt();
	}

	/**
	 * Begin an attempt while {@link ConnectionState#CONNECTING CONNECTING}: get a token
	 * first if one is needed, then open a transport, all within the connect timeout.
	 */
	private void beginAttempt() {
		long attempt = ++this.attempts;
		this.currentAttempt = attempt;
		scheduleStateTimer(this.options.connectTimeout(), this::onConnectTimeout);
		if (this.credentials.needsToken()) {
			this.credentials.fetch((token) -> openTransport(attempt), (failure) -> onAuthFailed(attempt, failure));
		}
		else {
			openTransport(attempt);
		}
	}

	/**
	 * The token provider failed while connecting: the attempt failed [RSA4c2], or, if the
	 * provider refused (403), the connection fails [RSA4d].
	 */
	private void onAuthFailed(long attempt, ErrorInfo failure) {
		if (attempt != this.currentAttempt || this.state != ConnectionState.CONNECTING) {
			return;
		}
		if (failure.statusCode() == 403) {
			fail(failure);
		}
		else {
			onAttemptFailed(failure);
		}
	}

	private void openTransport(long attempt) {
		if (attempt != this.currentAttempt || this.state != ConnectionState.CONNECTING) {
			return;
		}
		URI uri = this.connectUri.build(this.connectionKey, this.credentials.accessToken());
		if (logger.isDebugEnabled()) {
			logger.debug("Connecting to " + this.options.redactedUrl()
					+ ((this.connectionKey != null) ? " (resuming " + this.connectionId + ")" : ""));
		}
		InboundFrames frames = this.inbound.open();
		try {
			this.transport = this.transportFactory.open(uri, new AttemptListener(attempt, frames));
		}
		catch (RuntimeException ex) {
			this.actor.execute(() -> onTransportClosed(attempt, "could not start: " + ex));
		}
	}

	private void onConnectTimeout() {
		if (this.state == ConnectionState.CONNECTING) {
			onAttemptFailed(ErrorInfo.timeout("No CONNECTED from " + this.options.redactedUrl() + " within "
					+ this.options.connectTimeout().toMillis() + " ms"));
		}
	}

	// Opening failures [RTN14] and failures once connected [RTN15]

	private void onAttemptFailed(ErrorInfo reason) {
		dropTransport();
		scheduleRetry(reason);
	}

	private void onConnectionLost(ErrorInfo reason) {
		dropTransport();
		if (this.outage.lost(this.connectionStateTtl)) {
			transitionTo(ConnectionState.DISCONNECTED, reason, Duration.ZERO);
			startAttempt();
		}
		else {
			// Dropped again before the connection was stable: back off, do not hammer
			scheduleRetry(reason);
		}
	}

	private void scheduleRetry(ErrorInfo reason) {
		Outage.Decision next = this.outage.next();
		if (next instanceof Outage.Retry retry) {
			transitionTo(ConnectionState.DISCONNECTED, reason, retry.delay());
			scheduleStateTimer(retry.delay(), this::startAttempt);
			if (retry.untilSuspended().compareTo(retry.delay()) < 0) {
				scheduleStateTimer(retry.untilSuspended(), () -> enterSuspended(reason));
			}
		}
		else if (next instanceof Outage.Suspend) {
			enterSuspended(reason);
		}
		else {
			Integer maxAttempts = this.options.retry().maxAttempts();
			fail(ErrorInfo.failed("Gave up after " + maxAttempts + " connection attempts (realtime.retry.max-attempts="
					+ maxAttempts + "); last error: " + reason.message()));
		}
	}

	private void enterSuspended(ErrorInfo lastError) {
		Duration interval = this.options.retry().suspendedInterval();
		transitionTo(ConnectionState.SUSPENDED,
				ErrorInfo.suspended("Could not connect to " + this.options.redactedUrl()
						+ " for longer than the connection state TTL (" + this.connectionStateTtl + "); retrying every "
						+ interval + "; last error: " + lastError.message()),
				interval);
		scheduleStateTimer(interval, this::startAttempt);
	}

	private void fail(ErrorInfo reason) {
		dropTransport();
		this.outage.end();
		transitionTo(ConnectionState.FAILED, reason, null);
	}

	// Transport events, guarded by the attempt they belong to

	private void onTransportClosed(long attempt, String cause) {
		if (attempt != this.currentAttempt) {
			return;
		}
		String why = this.connectUri.withoutSecrets(cause, this.connectionKey, this.credentials.accessToken());
		this.transport = null;
		this.currentAttempt = NO_ATTEMPT;
		switch (this.state) {
			case CONNECTING -> onAttemptFailed(
					ErrorInfo.disconnected("Connection to " + this.options.redactedUrl() + " failed: " + why));
			case CONNECTED -> onConnectionLost(ErrorInfo.disconnected("Connection lost: " + why));
			case CLOSING -> closeNow(); // [RTN12c]
			default -> {
			}
		}
	}

	/**
	 * Handle a frame from the server. Every action has a deliberate handling: acted on,
	 * routed to its channel, or ignored on purpose; what reaches no handler (an unknown
	 * action [RTF1], an action only clients send, a channel this client does not have) is
	 * ignored and counted in {@link #unhandledFrames()}.
	 */
	private void onMessage(ProtocolMessage message, int size) {
		this.lastActivity = this.ticker.nanoTime();
		Action action = message.getAction();
		if (action == null) {
			unhandled(message, "its action is unknown to this client [RTF1]");
			return;
		}
		switch (action) {
			case HEARTBEAT -> this.pings.onHeartbeat(message.getId());
			case ACK, NACK -> onAcknowledgement(message);
			case CONNECTED -> onConnected(message);
			case DISCONNECTED -> onDisconnected(message);
			case AUTH -> reauthenticate(); // [RTN22]
			case CLOSED -> onClosed();
			case ERROR -> onError(message);
			case ATTACHED -> routeToChannel(message, (channel) -> channel.onAttached(message));
			case DETACHED -> routeToChannel(message, (channel) -> channel.onDetached(message));
			case MESSAGE -> routeToChannel(message, (channel) -> {
				if (channel.onMessage(message, size)) {
					this.inbound.pauseFor(channel);
				}
			});
			case PRESENCE -> routeToChannel(message, (channel) -> {
				if (channel.onPresence(message, size)) {
					this.inbound.pauseFor(channel);
				}
			});
			case SYNC -> routeToChannel(message, (channel) -> {
				if (channel.onSync(message, size)) {
					this.inbound.pauseFor(channel);
				}
			});
			case OBJECT, ANNOTATION -> routeToChannel(message, (channel) -> channel.onObjectOrAnnotation(message));
			case OBJECT_SYNC -> routeToChannel(message, (channel) -> channel.onObjectSync(message));
			case ACTIVATE -> {
				// Deprecated; no server sends it any more
				logger.trace("Ignoring ACTIVATE");
			}
			case CONNECT, DISCONNECT, CLOSE, ATTACH, DETACH -> unhandled(message, "only clients send " + action);
		}
	}

	/**
	 * Hand a frame to the channel it names, if this client has it.
	 */
	private void routeToChannel(ProtocolMessage message, Consumer<Channel> handler) {
		if (message.getChannel() == null) {
			malformed(message + " without a channel");
		}
		else if (!this.channels.route(message, handler)) {
			unhandled(message, "this client has no channel '" + message.getChannel() + "'");
		}
	}

	/**
	 * Count and log a protocol message that reached no handler. The first is logged at
	 * WARN, the others at DEBUG: a server that speaks the protocol sends none, and one
	 * that does not may send many.
	 */
	private void unhandled(ProtocolMessage message, String why) {
		String text = "Ignoring " + message + ": " + why;
		if (this.unhandledFrames.getAndIncrement() == 0) {
			logger.warn(text + " (further ones are counted in unhandledFrames and logged at DEBUG)");
		}
		else {
			logger.debug(text);
		}
	}

	/**
	 * Settle the messages an {@code ACK} or {@code NACK} covers: {@code count} messages
	 * (one if it says nothing) from {@code msgSerial} on [RTN7b]. One without a
	 * {@code msgSerial}, or that covers no message, settles nothing.
	 */
	private void onAcknowledgement(ProtocolMessage message) {
		Long msgSerial = message.getMsgSerial();
		int count = (message.getCount() != null) ? message.getCount() : 1;
		ErrorInfo error = (message.getError() != null) ? message.getError()
				: ErrorInfo.failed("The server refused the message");
		boolean settled = (msgSerial != null) && ((message.getAction() == Action.ACK)
				? this.publishes.onAck(msgSerial, count) : this.publishes.onNack(msgSerial, count, error));
		if (!settled) {
			malformed(message.getAction() + " that covers no message this connection sent (msgSerial " + msgSerial
					+ ", count " + message.getCount() + ")");
		}
		else if (message.getAction() == Action.NACK && logger.isDebugEnabled()) {
			// The publish futures say so; not worth more than DEBUG
			logger.debug("The server refused " + count + " message(s) from msgSerial " + msgSerial + ": " + error);
		}
	}

	/**
	 * Count and log a frame, or part of one, that the client cannot use and ignores.
	 * Called on any thread.
	 * @param what what is wrong with it
	 */
	private void malformed(String what) {
		this.malformedFrames.incrementAndGet();
		logger.warn("Ignoring " + what + " [RTF1]");
	}

	// Back-pressure from subscribers

	private void onSubscribersCaughtUp(Channel channel) {
		channel.onSubscribersCaughtUp();
		this.inbound.onCaughtUp(channel);
	}

	private void onConnected(ProtocolMessage message) {
		switch (this.state) {
			case CONNECTING -> {
				String previousId = this.connectionId;
				ErrorInfo reason = resumeOutcome(message);
				applyConnectionDetails(message, false);
				this.outage.connected();
				// Before the application hears CONNECTED: re-attach [RTL3d], resend
				// [RTN19a]
				this.channels.forEach(Channel::onConnectionConnected);
				this.publishes.onConnected(previousId != null && previousId.equals(this.connectionId));
				transitionTo(ConnectionState.CONNECTED, reason, null);
				this.renewedForTokenError = false;
				this.credentials.scheduleRenewal(this::reauthenticate);
				this.lastActivity = this.ticker.nanoTime();
				scheduleIdleCheck(idleTimeout());
				scheduleStateTimer(this.options.retry().resetAfter(), this.outage::stable);
				this.pings.sendWaiting();
			}
			case CONNECTED -> {
				// [RTN24], and the answer to AUTH [RTC8a1]
				applyConnectionDetails(message, true);
				this.errorReason = message.getError();
				this.credentials.scheduleRenewal(this::reauthenticate);
				scheduleIdleCheck(idleTimeout());
				publishSnapshot();
				notifyListeners(new ConnectionStateChange(ConnectionState.CONNECTED, ConnectionState.CONNECTED,
						message.getError(), null));
			}
			case CLOSING -> {
				// close() while connecting [RTN12f]
				applyConnectionDetails(message, false);
				send(new ProtocolMessage(Action.CLOSE));
				cancelStateTimers();
				scheduleStateTimer(this.options.requestTimeout(), this::onCloseTimeout);
			}
			default -> {
			}
		}
	}

	private @Nullable ErrorInfo resumeOutcome(ProtocolMessage message) {
		String previousId = this.connectionId;
		if (previousId == null || previousId.equals(message.getConnectionId())) {
			return message.getError(); // fresh connection, or resumed [RTN15c6]
		}
		// not resumed [RTN15c7]
		ErrorInfo reason = (message.getError() != null) ? message.getError()
				: new ErrorInfo(ErrorInfo.UNABLE_TO_RESUME, 400, "Connection " + previousId + " could not be resumed");
		logger.info("Connection " + previousId + " was not resumed; new connection " + message.getConnectionId() + ": "
				+ reason);
		return reason;
	}

	/**
	 * Take the connection id and details of a {@code CONNECTED}; they override the
	 * configured defaults [RTN21]. An update [RTN24] overrides what it carries and keeps
	 * what it omits: without the id and key, the next resume would start the connection
	 * anew and renumber what was acknowledged.
	 * @param message the {@code CONNECTED}
	 * @param update whether the connection was connected already
	 */
	private void applyConnectionDetails(ProtocolMessage message, boolean update) {
		String previousId = this.connectionId;
		if (message.getConnectionId() != null || !update) {
			this.connectionId = message.getConnectionId();
		}
		ConnectionDetails details = message.getConnectionDetails();
		String key = (details != null) ? details.connectionKey() : null;
		if (key != null) {
			this.connectionKey = key;
		}
		else if (!update && !Objects.equals(previousId, this.connectionId)) {
			this.connectionKey = null; // the previous key resumes a connection that is
										// gone
		}
		if (details == null) {
			return;
		}
		if (details.clientId() != null || !update) {
			this.grantedClientId = details.clientId();
		}
		Long connectionStateTtl = details.connectionStateTtl();
		if (connectionStateTtl != null) {
			if (connectionStateTtl > 0 && connectionStateTtl <= MAX_SERVER_DURATION_MILLIS) {
				this.connectionStateTtl = Duration.ofMillis(connectionStateTtl);
			}
			else {
				malformed("connectionStateTtl " + connectionStateTtl + " of a CONNECTED");
			}
		}
		Long maxIdleInterval = details.maxIdleInterval();
		if (maxIdleInterval != null) {
			if (maxIdleInterval >= 0 && maxIdleInterval <= MAX_SERVER_DURATION_MILLIS) {
				// 0: the server allows any silence [CD2h]
				this.maxIdleInterval = Duration.ofMillis(maxIdleInterval);
			}
			else {
				malformed("maxIdleInterval " + maxIdleInterval + " of a CONNECTED");
			}
		}
		Long maxMessageSize = details.maxMessageSize();
		if (maxMessageSize != null) {
			if (maxMessageSize > 0) {
				this.maxMessageSize = maxMessageSize;
			}
			else {
				malformed("maxMessageSize " + maxMessageSize + " of a CONNECTED");
			}
		}
	}

	private void onDisconnected(ProtocolMessage message) {
		ErrorInfo error = message.getError();
		if (error != null && error.isTokenError() && onTokenError(error)) {
			return;
		}
		ErrorInfo reason = (error != null) ? error : ErrorInfo.disconnected("Server sent DISCONNECTED");
		switch (this.state) {
			case CONNECTING -> onAttemptFailed(reason);
			case CONNECTED -> onConnectionLost(reason); // [RTN15h3]
			case CLOSING -> closeNow();
			default -> {
			}
		}
	}

	private void onError(ProtocolMessage message) {
		if (message.getChannel() != null) {
			routeToChannel(message, (channel) -> channel.onError(message)); // [RTL14]
			return;
		}
		ErrorInfo error = message.getError();
		if (error != null && error.isTokenError() && this.state == ConnectionState.CONNECTING) {
			if (!onTokenError(error)) {
				onAttemptFailed(error); // [RTN14b]: a second token error in a row
			}
			return;
		}
		// [RTN14g, RTN15j]
		fail((error != null) ? error : ErrorInfo.failed("Server sent ERROR without details"));
	}

	/**
	 * The server rejected the token [RTN14b, RTN15h]. Without a provider, the connection
	 * fails with 40171 [RSA4a2]; with one, it renews the token once and connects again at
	 * once, resuming; a second token error in a row is an ordinary failure.
	 * @param error the server's error
	 * @return whether the error was dealt with here
	 */
	private boolean onTokenError(ErrorInfo error) {
		if (!this.credentials.canRenew()) {
			fail(new ErrorInfo(ErrorInfo.TOKEN_NOT_RENEWABLE, 401,
					"The token was rejected and there is no token provider to renew it", error));
			return true;
		}
		this.credentials.invalidate();
		if (this.renewedForTokenError) {
			return false; // [RTN14b, RTN15h2]: an ordinary failure now
		}
		this.renewedForTokenError = true;
		dropTransport();
		if (this.state == ConnectionState.CONNECTING) {
			cancelStateTimers();
			beginAttempt();
		}
		else {
			this.outage.lost(this.connectionStateTtl);
			transitionTo(ConnectionState.DISCONNECTED, error, Duration.ZERO);
			startAttempt();
		}
		return true;
	}

	// Re-authentication [RTN22, RTC8]

	/**
	 * Get a new token and send it with {@code AUTH}; the server answers with
	 * {@code CONNECTED} (an update) or {@code ERROR}. A provider that fails leaves the
	 * connection connected, with the error reported in an update [RSA4c3].
	 */
	private void reauthenticate() {
		if (this.state != ConnectionState.CONNECTED) {
			return;
		}
		if (!this.credentials.canRenew()) {
			logger.warn("The server asked to re-authenticate, but there is no token provider to renew the token");
			return;
		}
		if (this.credentials.isFetching()) {
			return; // the token under way will be sent
		}
		this.credentials.fetch((token) -> {
			if (this.state == ConnectionState.CONNECTED) {
				send(new ProtocolMessage(Action.AUTH).setAuth(new AuthDetails(token.token())));
			}
		}, (failure) -> {
			if (this.state == ConnectionState.CONNECTED) {
				this.errorReason = failure;
				publishSnapshot();
				notifyListeners(
						new ConnectionStateChange(ConnectionState.CONNECTED, ConnectionState.CONNECTED, failure, null));
			}
		});
	}

	private void onClosed() {
		if (this.state == ConnectionState.CLOSING) {
			closeNow();
		}
		else if (this.state == ConnectionState.CONNECTED) {
			onConnectionLost(ErrorInfo.disconnected("Server closed the connection"));
		}
		else if (this.state == ConnectionState.CONNECTING) {
			onAttemptFailed(ErrorInfo.disconnected("Server closed the connection while connecting"));
		}
	}

	// Idle detection [RTN23a]

	private Duration idleTimeout() {
		return this.maxIdleInterval.plus(this.options.requestTimeout());
	}

	/**
	 * Check for silence after the given delay, unless the server allows any silence
	 * [CD2h]. Replaces the check scheduled before.
	 */
	private void scheduleIdleCheck(Duration delay) {
		if (this.idleCheck != null) {
			this.idleCheck.cancel();
			this.idleCheck = null;
		}
		if (!this.maxIdleInterval.isZero()) {
			this.idleCheck = this.stateTimers.schedule(delay, this::checkIdle);
		}
	}

	private void checkIdle() {
		this.idleCheck = null;
		Duration timeout = idleTimeout();
		if (this.inbound.isPaused()) {
			// The server may be talking: the actor is not reading
			scheduleIdleCheck(timeout);
			return;
		}
		Duration silence = Duration.ofNanos(this.ticker.nanoTime() - this.lastActivity);
		if (silence.compareTo(timeout) >= 0) {
			onConnectionLost(ErrorInfo.idleTimeout("No activity from the server for " + silence.toMillis()
					+ " ms (maxIdleInterval " + this.maxIdleInterval.toMillis() + " ms + request timeout "
					+ this.options.requestTimeout().toMillis() + " ms)"));
		}
		else {
			scheduleIdleCheck(timeout.minus(silence));
		}
	}

	// close() [RTN12]

	private void doClose(CloseRequest closed) {
		switch (this.state) {
			case INITIALIZED, DISCONNECTED, SUSPENDED -> {
				this.closeRequests.add(closed);
				closeNow();
			}
			case CONNECTING -> {
				this.closeRequests.add(closed);
				transitionTo(ConnectionState.CLOSING, null, null);
				scheduleStateTimer(this.options.connectTimeout(), this::onCloseTimeout);
			}
			case CONNECTED -> {
				this.closeRequests.add(closed);
				this.inbound.resume(); // to hear CLOSED
				send(new ProtocolMessage(Action.CLOSE));
				transitionTo(ConnectionState.CLOSING, null, null);
				scheduleStateTimer(this.options.requestTimeout(), this::onCloseTimeout);
			}
			case CLOSING -> this.closeRequests.add(closed);
			case CLOSED, FAILED -> complete(closed, null);
		}
	}

	/**
	 * The scheduler refused a timer: it is shutting down, and the connection can no
	 * longer wait for anything. Close at once, so that no future is left pending.
	 */
	private void onSchedulerGone() {
		if (this.state != ConnectionState.CLOSED && this.state != ConnectionState.FAILED) {
			logger.info("The realtime scheduler is shutting down; closing the connection to "
					+ this.options.redactedUrl() + " at once");
			closeNow();
		}
	}

	private void onCloseTimeout() {
		logger.info("No CLOSED from " + this.options.redactedUrl() + " in time; closing the transport");
		closeNow();
	}

	private void closeNow() {
		dropTransport();
		this.outage.end();
		transitionTo(ConnectionState.CLOSED, null, null);
	}

	// ping() [RTN13]

	private void doPing(CompletableFuture<Duration> result) {
		switch (this.state) {
			case INITIALIZED, SUSPENDED, CLOSING, CLOSED, FAILED ->
				this.notifier.fail(result, cannotPingReason(this.state, this.errorReason));
			case CONNECTING, DISCONNECTED, CONNECTED -> this.pings.add(result, this.state == ConnectionState.CONNECTED);
		}
	}

	private static ErrorInfo cannotPingReason(ConnectionState state, @Nullable ErrorInfo reason) {
		String message = "Cannot ping while " + state + ((reason != null) ? ": " + reason.message() : "");
		return switch (state) {
			case CLOSING, CLOSED -> ErrorInfo.closed(message);
			case SUSPENDED -> ErrorInfo.suspended(message);
			default -> ErrorInfo.failed(message);
		};
	}

	// Transitions

	private void transitionTo(ConnectionState next, @Nullable ErrorInfo reason, @Nullable Duration retryIn) {
		ConnectionState previous = this.state;
		if (!ConnectionStateTransitions.isAllowed(previous, next)) {
			throw new IllegalStateException("Illegal connection state transition " + previous + " -> " + next);
		}
		cancelStateTimers();
		this.state = next;
		if (reason != null || next == ConnectionState.CONNECTED || next == ConnectionState.CLOSED) {
			this.errorReason = reason;
		}
		publishSnapshot();
		ConnectionStateChange change = new ConnectionStateChange(previous, next, reason, retryIn);
		log(change);
		// Futures complete after the listeners heard of the change
		notifyListeners(change);
		settlePendingRequests(change);
		this.channels.forEach((channel) -> channel.onConnectionStateChange(change)); // [RTL3]
	}

	private void settlePendingRequests(ConnectionStateChange change) {
		if (change.current() != ConnectionState.CONNECTED) {
			this.publishes.onDisconnected();
		}
		switch (change.current()) {
			case DISCONNECTED, CONNECTING -> this.pings.unsendAll(); // sent again once
																		// connected
			case SUSPENDED, CLOSING, CLOSED, FAILED -> {
				this.pings.failAll(cannotPingReason(change.current(), change.reason()));
				if (change.current() != ConnectionState.CLOSING) {
					// [RTN7e]
					this.publishes
						.failAll((change.reason() != null) ? change.reason() : cannotPublishReason(change.current()));
				}
				if (change.current() == ConnectionState.CLOSED || change.current() == ConnectionState.FAILED) {
					completeCloseFutures(null);
				}
			}
			default -> {
			}
		}
	}

	private static ErrorInfo cannotPublishReason(ConnectionState state) {
		String message = "Connection is " + state + "; the message was not acknowledged";
		return switch (state) {
			case SUSPENDED -> ErrorInfo.suspended(message);
			case CLOSING, CLOSED -> ErrorInfo.closed(message);
			default -> ErrorInfo.failed(message);
		};
	}

	private void completeCloseFutures(@Nullable ErrorInfo failure) {
		this.closeRequests.forEach((request) -> complete(request, failure));
		this.closeRequests.clear();
	}

	private void complete(CloseRequest request, @Nullable ErrorInfo failure) {
		if (failure != null) {
			this.notifier.fail(request.future(), failure);
		}
		else if (request.afterListeners()) {
			this.notifier.completeAfterListeners(request.future());
		}
		else {
			this.notifier.complete(request.future());
		}
	}

	private void publishSnapshot() {
		boolean identified = this.state != ConnectionState.CLOSING && this.state != ConnectionState.CLOSED
				&& this.state != ConnectionState.FAILED; // [RTN8d, RTN9d]
		this.snapshot = new Snapshot(this.state, identified ? this.connectionId : null,
				identified ? this.connectionKey : null, this.errorReason);
	}

	private void log(ConnectionStateChange change) {
		String message = "Realtime connection to " + this.options.redactedUrl() + ": " + change.previous() + " -> "
				+ change.current() + ((change.reason() != null) ? " (" + change.reason() + ")" : "")
				+ ((change.retryIn() != null) ? ", retry in " + change.retryIn().toMillis() + " ms" : "");
		if (change.current() == ConnectionState.FAILED || change.current() == ConnectionState.SUSPENDED) {
			logger.warn(message);
		}
		else if (change.current() == ConnectionState.CONNECTING) {
			logger.debug(message);
		}
		else {
			logger.info(message);
		}
	}

	private void notifyListeners(ConnectionStateChange change) {
		this.notifier.notify(this.listeners, change, ConnectionStateListener::onStateChange);
	}

	@Override
	public Notifier notifier() {
		return this.notifier;
	}

	// Support for channels, all called on the actor unless said otherwise

	@Override
	public boolean submit(Runnable task) {
		return this.actor.tryExecute(task);
	}

	@Override
	public ConnectionState actorState() {
		return this.state;
	}

	@Override
	public ActorTimers newTimers() {
		return new ActorTimers(this.scheduler, this.actor, this::onSchedulerGone);
	}

	@Override
	public RandomGenerator random() {
		return this.random;
	}

	/**
	 * Encode a payload with a fresh message id, so that the server can drop a duplicate
	 * of a message resent on a new connection. Called on any thread.
	 */
	@Override
	public WireMessage encode(@Nullable String name, @Nullable Object data) {
		return this.payloads.encode(name, data);
	}

	@Override
	public @Nullable Object decode(WireMessage message) {
		return this.payloads.decode(message);
	}

	@Override
	public WirePresenceMessage encodePresence(PresenceAction action, @Nullable Object data) {
		return this.payloads.encodePresence(action, data);
	}

	@Override
	public @Nullable Object decode(WirePresenceMessage message) {
		return this.payloads.decode(message);
	}

	@Override
	public @Nullable String connectionId() {
		return this.connectionId;
	}

	@Override
	public @Nullable String clientId() {
		return (this.grantedClientId != null) ? this.grantedClientId : this.options.clientId();
	}

	@Override
	public Instant now() {
		return this.scheduler.getClock().instant();
	}

	@Override
	public void publishPresence(Channel channel, WirePresenceMessage message, CompletableFuture<Void> result) {
		switch (this.state) {
			case CONNECTED, INITIALIZED, CONNECTING, DISCONNECTED ->
				this.publishes.add(new PublishQueue.Publish(channel.name(), message, this.ticker.nanoTime(), result));
			default -> this.notifier.fail(result, cannotPublishReason(this.state));
		}
	}

	/**
	 * Publish on a channel [RTL6c]: sent at once while connected, queued while the
	 * connection may still connect, refused otherwise. Called on any thread.
	 */
	@Override
	public void publish(Channel channel, WireMessage message, CompletableFuture<Void> result) {
		if (!this.actor.tryExecute(() -> doPublish(channel, message, result))) {
			result.completeExceptionally(new RealtimeException(busy()));
		}
	}

	private void doPublish(Channel channel, WireMessage message, CompletableFuture<Void> result) {
		ChannelState channelState = channel.actorState();
		if (channelState == ChannelState.SUSPENDED || channelState == ChannelState.FAILED) {
			// [RTL6c4]
			this.notifier.fail(result,
					ErrorInfo.failed("Cannot publish on channel '" + channel.name() + "' while it is " + channelState));
			return;
		}
		long size = Payloads.size(message);
		if (size > this.maxMessageSize) {
			// [RSL1i]: the server would refuse it
			this.notifier.fail(result,
					new ErrorInfo(MESSAGE_TOO_LARGE, 400, "Message of " + size + " bytes on channel '" + channel.name()
							+ "' exceeds the maximum message size of " + this.maxMessageSize + " bytes"));
			return;
		}
		switch (this.state) {
			case CONNECTED, INITIALIZED, CONNECTING, DISCONNECTED ->
				this.publishes.add(new PublishQueue.Publish(channel.name(), message, this.ticker.nanoTime(), result));
			default -> this.notifier.fail(result, cannotPublishReason(this.state));
		}
	}

	/**
	 * Create the lane of a channel's subscribers. Called on any thread.
	 */
	@Override
	public SubscriberLane newSubscriberLane(Channel channel) {
		return new SubscriberLane(this.subscriberExecutor, this.options.subscribers().bufferSize().toBytes(),
				() -> this.actor.execute(() -> onSubscribersCaughtUp(channel)));
	}

	@Override
	public void notifyChannelListeners(List<ChannelStateListener> listeners, ChannelStateChange change) {
		this.notifier.notify(listeners, change, ChannelStateListener::onStateChange);
		this.notifier.notify(this.channels.listeners(), change, ChannelStateListener::onStateChange);
	}

	// Transport and timers

	@Override
	public boolean send(ProtocolMessage message) {
		Transport transport = this.transport;
		return transport != null && transport.send(this.codec.encode(message));
	}

	private void dropTransport() {
		this.credentials.cancel();
		Transport transport = this.transport;
		this.transport = null;
		this.currentAttempt = NO_ATTEMPT;
		this.inbound.close();
		if (transport != null) {
			transport.close();
		}
	}

	private void scheduleStateTimer(Duration delay, Runnable task) {
		this.stateTimers.schedule(delay, task);
	}

	private void cancelStateTimers() {
		this.stateTimers.cancelAll();
	}

	/**
	 * Routes one attempt's transport events to the actor, tagged with the attempt so that
	 * events of an abandoned attempt are ignored. Frames are decoded here, on the
	 * transport's reader, and wait in the attempt's {@link InboundFrames}; the reader
	 * waits there while the actor is behind.
	 */
	private final class AttemptListener implements TransportListener {

		private final long attempt;

		private final InboundFrames frames;

		AttemptListener(long attempt, InboundFrames frames) {
			this.attempt = attempt;
			this.frames = frames;
		}

		@Override
		public void onOpen() {
			ConnectionManager.this.actor.execute(() -> {
				if (this.attempt == ConnectionManager.this.currentAttempt) {
					logger.debug("Transport open; waiting for CONNECTED");
				}
			});
		}

		@Override
		public void onFrame(String frame) {
			ProtocolMessage message;
			List<String> dropped = new ArrayList<>(0);
			try {
				message = ConnectionManager.this.codec.decode(frame, dropped::add);
			}
			catch (ProtocolException ex) {
				malformed("a frame that is not a protocol message: " + ex.getMessage());
				return;
			}
			if (!dropped.isEmpty()) {
				malformed("parts of a " + message.getAction() + " frame that are not what the protocol says: "
						+ String.join("; ", dropped));
			}
			try {
				if (this.frames.offer(message, frame.length())) {
					startDrain();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void onFrameRejected(String reason) {
			malformed("a frame the transport rejected: " + reason);
		}

		@Override
		public void onClosed(String reason) {
			if (this.frames.end(reason)) {
				// Even if a drain is under way: it may be paused, and the end must be
				// heard
				startDrain();
			}
		}

		private void startDrain() {
			ConnectionManager.this.inbound.startDrain(this.frames);
		}

	}

	/**
	 * Takes what the inbound flow hands to the actor.
	 */
	private final class InboundHandler implements InboundFlow.Handler {

		@Override
		public void onMessage(ProtocolMessage message, int size) {
			try {
				ConnectionManager.this.onMessage(message, size);
			}
			catch (RuntimeException ex) {
				// Whatever the server sends, the flow of frames carries on
				malformed(message + " that the client failed to handle: " + ex);
				logger.debug("Failure handling " + message, ex);
			}
		}

		@Override
		public void onEnd(String reason) {
			onTransportClosed(ConnectionManager.this.currentAttempt, reason);
		}

		@Override
		public void onSlowSubscribers(Channel channel) {
			SlowSubscriberPolicy policy = ConnectionManager.this.options.subscribers().slowPolicy();
			long pendingBytes = channel.pendingBytes();
			channel.onSlowSubscribers(policy);
			ConnectionManager.this.notifier.notify(ConnectionManager.this.slowSubscriberListeners,
					new SlowSubscribers(channel.name(), pendingBytes, policy),
					SlowSubscriberListener::onSlowSubscribers);
		}

		@Override
		public void onResumed() {
			// Not reading was our choice, not the server's silence
			ConnectionManager.this.lastActivity = ConnectionManager.this.ticker.nanoTime();
		}

	}

	/**
	 * A call to {@link #close()}.
	 *
	 * @param future completes when the connection is closed
	 * @param afterListeners whether it completes only after the listeners have heard of
	 * the change, which a call made by a listener cannot wait for
	 */
	private record CloseRequest(CompletableFuture<Void> future, boolean afterListeners) {

	}

	private record Snapshot(ConnectionState state, @Nullable String id, @Nullable String key,
			@Nullable ErrorInfo errorReason) {

	}

}
