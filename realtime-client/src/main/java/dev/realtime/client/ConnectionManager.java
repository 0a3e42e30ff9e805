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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.AuthDetails;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.Utf8;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
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
 * {@link InboundFrames}, which pauses reading when the actor falls behind: overload slows
 * the reader (TCP back-pressure), it never drops the connection. API calls have a bound
 * of their own, so that frames are never crowded out by the application.
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

	/**
	 * How long the actor, between the frames of a burst, waits for the next before it
	 * gives its thread back (see {@link SerialExecutor}): the time a few frames take to
	 * read and decode, and short enough that a linger in vain, which ends the lingering,
	 * costs little.
	 */
	static final Duration ACTOR_LINGER = Duration.ofNanos(20_000);

	private static final long NO_ATTEMPT = -1;

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

	/** Shared by every connection: Jackson's metadata is kept once per JVM. */
	private final ProtocolCodec codec = ProtocolCodec.shared();

	private final SerialExecutor actor;

	private final Notifier notifier;

	private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();

	private final List<SlowSubscriberListener> slowSubscriberListeners = new CopyOnWriteArrayList<>();

	private final ChannelRegistry channels = new ChannelRegistry((name, options) -> new Channel(name, options, this));

	private final IgnoredFrames ignored = new IgnoredFrames();

	private final Payloads payloads = new Payloads(this.codec);

	private final ConnectionStatistics statistics;

	/** What other threads may read; replaced whenever the actor changes it. */
	private volatile Snapshot snapshot;

	// All fields below are confined to the actor: read and written only by its tasks.

	private ConnectionState state = ConnectionState.INITIALIZED;

	private @Nullable ErrorInfo errorReason;

	/** What the server granted the connection: its id, key and details. */
	private final ConnectionSession session;

	private long attempts;

	private long currentAttempt = NO_ATTEMPT;

	/** Whether the next attempt is the first of a new connection. */
	private boolean initialAttempt;

	private @Nullable Transport transport;

	/** The current outage, if any: retry delays and the TTL. */
	private final Outage outage;

	/** Frames on their way from the transport to the actor, and back-pressure. */
	private final InboundFlow inbound;

	/** Timers that belong to the current state; cancelled when it is left. */
	private final ActorTimers stateTimers;

	private final IdleMonitor idle;

	private final FrameRouter router;

	private final PendingPings pings;

	private final PublishQueue publishes;

	private final CloseRequests closeRequests;

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
		this.statistics = new ConnectionStatistics(this.ignored, this.channels, callbacks.listeners());
		this.outage = new Outage(new ConnectionRetryBackOff(options.retry(), random), ticker);
		Executor now = (task) -> scheduler.schedule(task, scheduler.getClock().instant());
		this.actor = new SerialExecutor(now, REQUEST_CAPACITY, ACTOR_LINGER);
		this.notifier = new Notifier(callbacks.listeners(), callbacks.completions());
		this.stateTimers = newTimers();
		this.credentials = new Credentials(options, tokenProvider,
				new SerialExecutor(callbacks.subscribers(), Integer.MAX_VALUE), this.actor, newTimers(),
				scheduler.getClock());
		this.inbound = new InboundFlow(this.actor, newTimers(), options.subscribers().maxPause(), new InboundHandler(),
				this.statistics::onInboundPause);
		this.pings = new PendingPings(this::send, this.notifier, newTimers(), ticker, random, options.requestTimeout(),
				this.statistics);
		this.session = new ConnectionSession(options, this.ignored);
		this.publishes = new PublishQueue(this::send, this.actor, this::bundleLimits, this.notifier, newTimers(),
				ticker, options, this.statistics);
		this.idle = new IdleMonitor(ticker, this.stateTimers, options.requestTimeout(), this.inbound::isPaused,
				this::onConnectionLost);
		this.router = new FrameRouter(new ConnectionFramesHandler(), this.channels, this.pings, this.publishes,
				this.inbound, this.ignored);
		this.closeRequests = new CloseRequests(this.notifier);
		this.snapshot = new Snapshot(ConnectionState.INITIALIZED, null, null, null, options.clientId());
		String recover = options.recover();
		if (recover != null) {
			recover(recover);
		}
	}

	/**
	 * Prepare to recover a connection on the first connect [RTN16i]: its channels are
	 * created with their serials [RTN16j] and publishing continues its {@code msgSerial}
	 * [RTN16f]. A key that cannot be read is ignored [RTN16f1].
	 */
	private void recover(String recover) {
		RecoveryKey key;
		try {
			key = RecoveryKey.decode(recover);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring the recovery key of connection '" + this.options.name() + "': " + ex.getMessage()
					+ "; connecting as a new connection [RTN16f1]");
			return;
		}
		this.session.recoverFrom(key);
		this.publishes.continueFrom(key.msgSerial());
		key.channelSerials()
			.forEach((name, serial) -> this.channels.get(name, ChannelOptions.defaults()).restoreSerial(serial));
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
	public @Nullable String clientId() {
		return this.snapshot.clientId();
	}

	@Override
	public @Nullable String recoveryKey() {
		Snapshot snapshot = this.snapshot;
		String key = snapshot.key();
		if (key == null || snapshot.state() == ConnectionState.SUSPENDED) {
			return null; // [RTN16g2]
		}
		Map<String, String> channelSerials = new LinkedHashMap<>();
		this.channels.forEach((channel) -> {
			String serial = channel.serialForRecovery();
			if (serial != null) {
				channelSerials.put(channel.name(), serial);
			}
		});
		return new RecoveryKey(key, snapshot.id(), this.publishes.nextMsgSerial(), channelSerials).encode();
	}

	@Override
	public void connect() {
		this.actor.execute(this::doConnect);
	}

	@Override
	public CompletableFuture<Void> close() {
		CloseRequests.Request closed = this.closeRequests.newRequest();
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
		return this.ignored.malformedCount();
	}

	long unhandledFrames() {
		return this.ignored.unhandledCount();
	}

	RealtimeStatistics statistics() {
		return this.statistics;
	}

	void addTimingListener(ConnectionTimingListener listener) {
		this.statistics.addTimingListener(listener);
	}

	void removeTimingListener(ConnectionTimingListener listener) {
		this.statistics.removeTimingListener(listener);
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
				this.closeRequests.completeAll(ErrorInfo.failed("close() superseded by connect()"));
				startNewConnection();
			}
			case INITIALIZED, CLOSED, FAILED -> startNewConnection();
		}
	}

	private void startNewConnection() {
		this.session.forget();
		this.errorReason = null; // [RTN11d]
		this.outage.start(this.session.connectionStateTtl());
		this.initialAttempt = true;
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
		this.statistics.onAttempt(!this.initialAttempt);
		this.initialAttempt = false;
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
		URI uri = this.connectUri.build(this.session.key(), this.session.recoverKey(), this.credentials.accessToken());
		if (logger.isDebugEnabled()) {
			logger.debug("Connection '" + this.options.name() + "' connecting to " + this.options.redactedUrl()
					+ ((this.session.key() != null) ? " (resuming " + this.session.id() + ")" : ""));
		}
		InboundFrames frames = this.inbound.open();
		try {
			this.transport = this.transportFactory.open(uri,
					new FrameDecoder(this.codec, frames, this.inbound, this.ignored, this.statistics));
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
		if (this.outage.lost(this.session.connectionStateTtl())) {
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
						+ " for longer than the connection state TTL (" + this.session.connectionStateTtl()
						+ "); retrying every " + interval + "; last error: " + lastError.message()),
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
		String why = this.connectUri.withoutSecrets(cause, this.session.key(), this.session.recoverKey(),
				this.credentials.accessToken());
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

	private void onMessage(ProtocolMessage message, int size) {
		this.idle.onActivity();
		this.router.route(message, size);
	}

	// Back-pressure from subscribers

	private void onSubscribersCaughtUp(Channel channel) {
		channel.onSubscribersCaughtUp();
		this.inbound.onCaughtUp(channel);
	}

	private void onConnected(ProtocolMessage message) {
		switch (this.state) {
			case CONNECTING -> {
				boolean continuationRequested = this.session.id() != null || this.session.recoverKey() != null;
				ConnectionSession.Outcome outcome = this.session.connected(message);
				this.statistics.onConnected(continuationRequested, outcome.continued());
				this.outage.connected();
				// Before the application hears CONNECTED: re-attach [RTL3d], resend
				// [RTN19a]
				this.channels.forEach(Channel::onConnectionConnected);
				this.publishes.onConnected(outcome.continued());
				transitionTo(ConnectionState.CONNECTED, outcome.reason(), null);
				this.renewedForTokenError = false;
				this.credentials.scheduleRenewal(this::reauthenticate);
				this.idle.watch(this.session.maxIdleInterval());
				scheduleStateTimer(this.options.retry().resetAfter(), this.outage::stable);
				this.pings.sendWaiting();
			}
			case CONNECTED -> {
				// [RTN24], and the answer to AUTH [RTC8a1]
				this.session.updated(message);
				this.errorReason = message.getError();
				this.credentials.scheduleRenewal(this::reauthenticate);
				this.idle.watch(this.session.maxIdleInterval());
				publishSnapshot();
				notifyListeners(new ConnectionStateChange(ConnectionState.CONNECTED, ConnectionState.CONNECTED,
						message.getError(), null));
			}
			case CLOSING -> {
				// close() while connecting [RTN12f]
				this.session.connected(message);
				send(new ProtocolMessage(Action.CLOSE));
				cancelStateTimers();
				scheduleStateTimer(this.options.requestTimeout(), this::onCloseTimeout);
			}
			default -> {
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
			this.outage.lost(this.session.connectionStateTtl());
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

	// close() [RTN12]

	private void doClose(CloseRequests.Request closed) {
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
			case CLOSED, FAILED -> this.closeRequests.complete(closed, null);
		}
	}

	/**
	 * The scheduler refused a timer: it is shutting down, and the connection can no
	 * longer wait for anything. Close at once, so that no future is left pending.
	 */
	private void onSchedulerGone() {
		if (this.state != ConnectionState.CLOSED && this.state != ConnectionState.FAILED) {
			logger.info("The realtime scheduler is shutting down; closing connection '" + this.options.name() + "' to "
					+ this.options.redactedUrl() + " at once");
			closeNow();
		}
	}

	private void onCloseTimeout() {
		logger.info("No CLOSED from " + this.options.redactedUrl() + " in time; closing the transport of connection '"
				+ this.options.name() + "'");
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
					this.closeRequests.completeAll(null);
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

	private void publishSnapshot() {
		boolean identified = this.state != ConnectionState.CLOSING && this.state != ConnectionState.CLOSED
				&& this.state != ConnectionState.FAILED; // [RTN8d, RTN9d]
		this.snapshot = new Snapshot(this.state, identified ? this.session.id() : null,
				identified ? this.session.key() : null, this.errorReason, actorClientId());
	}

	private void log(ConnectionStateChange change) {
		String message = "Realtime connection '" + this.options.name() + "' to " + this.options.redactedUrl() + ": "
				+ change.previous() + " -> " + change.current()
				+ ((change.reason() != null) ? " (" + change.reason() + ")" : "")
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
		return this.session.id();
	}

	@Override
	public @Nullable String actorClientId() {
		String granted = this.session.grantedClientId();
		return (granted != null) ? granted : this.options.clientId();
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
		long maxMessageSize = this.session.maxMessageSize();
		if (size > maxMessageSize) {
			// [RSL1i]: the server would refuse it
			this.notifier.fail(result,
					new ErrorInfo(MESSAGE_TOO_LARGE, 400, "Message of " + size + " bytes on channel '" + channel.name()
							+ "' exceeds the maximum message size of " + maxMessageSize + " bytes"));
			return;
		}
		switch (this.state) {
			case CONNECTED, INITIALIZED, CONNECTING, DISCONNECTED -> this.publishes
				.add(new PublishQueue.Publish(channel.name(), message, size, this.ticker.nanoTime(), result));
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
		if (transport == null) {
			return false;
		}
		String frame = this.codec.encode(message);
		long bytes = Utf8.encodedLength(frame);
		if (!transport.send(frame, bytes)) {
			return false;
		}
		List<WireMessage> messages = (message.getAction() == Action.MESSAGE) ? message.getMessages() : null;
		this.statistics.onSent(bytes, (messages != null) ? messages.size() : 0);
		return true;
	}

	/**
	 * Return how large a bundle of published messages may be: within the server's maximum
	 * message size, and within one socket write of the transport.
	 */
	private PublishQueue.BundleLimits bundleLimits() {
		Transport transport = this.transport;
		long frameBytes = (transport != null) ? transport.singleWriteFrameSize() : 0;
		return new PublishQueue.BundleLimits(this.session.maxMessageSize(),
				(frameBytes > 0) ? frameBytes : Long.MAX_VALUE);
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
				ConnectionManager.this.ignored.malformed(message + " that the client failed to handle: " + ex);
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
			ConnectionManager.this.statistics.onSlowSubscribers();
			channel.onSlowSubscribers(policy);
			ConnectionManager.this.notifier.notify(ConnectionManager.this.slowSubscriberListeners,
					new SlowSubscribers(channel.name(), pendingBytes, policy),
					SlowSubscriberListener::onSlowSubscribers);
		}

		@Override
		public void onResumed() {
			// Not reading was our choice, not the server's silence
			ConnectionManager.this.idle.onActivity();
		}

	}

	/**
	 * Takes the frames that concern the connection itself.
	 */
	private final class ConnectionFramesHandler implements FrameRouter.ConnectionFrames {

		@Override
		public void onConnected(ProtocolMessage message) {
			ConnectionManager.this.onConnected(message);
		}

		@Override
		public void onDisconnected(ProtocolMessage message) {
			ConnectionManager.this.onDisconnected(message);
		}

		@Override
		public void onAuth() {
			reauthenticate();
		}

		@Override
		public void onClosed() {
			ConnectionManager.this.onClosed();
		}

		@Override
		public void onError(ProtocolMessage message) {
			ConnectionManager.this.onError(message);
		}

	}

	private record Snapshot(ConnectionState state, @Nullable String id, @Nullable String key,
			@Nullable ErrorInfo errorReason, @Nullable String clientId) {

	}

}
