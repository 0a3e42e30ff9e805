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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolException;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The actor that owns one realtime connection: its state machine, timers, transport,
 * pings and resume. Every input (an API call, a transport event, a timer) becomes a task
 * on a {@link SerialExecutor}; listeners and futures are completed afterwards on a second
 * serial executor, never inside a transition.
 *
 * @author Realtime team
 */
final class ConnectionManager implements RealtimeConnection {

	private static final Log logger = LogFactory.getLog(ConnectionManager.class);

	/** The protocol version this client speaks. */
	static final int PROTOCOL_VERSION = 6;

	/** How many API calls and inbound frames may wait for the actor. */
	static final int MAILBOX_CAPACITY = 10_000;

	/**
	 * How many received messages may wait for subscribers. Past it the connection drops
	 * its transport and resumes each channel from the last message it took.
	 */
	static final int MAX_PENDING_DELIVERIES = 10_000;

	private static final long NO_ATTEMPT = -1;

	private final RealtimeClientOptions options;

	private final TransportFactory transportFactory;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private final RandomGenerator random;

	private final BackOff retryBackOff;

	private final ProtocolCodec codec = new ProtocolCodec();

	private final SerialExecutor actor;

	private final Notifier notifier;

	private final SerialExecutor deliveries;

	private final AtomicInteger pendingDeliveries = new AtomicInteger();

	private final List<ConnectionStateListener> listeners = new CopyOnWriteArrayList<>();

	private final List<ChannelStateListener> channelListeners = new CopyOnWriteArrayList<>();

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	private final AtomicLong malformedFrames = new AtomicLong();

	private final String messageIdPrefix;

	private final AtomicLong messageIds = new AtomicLong();

	/** What other threads may read; replaced whenever the actor changes it. */
	private volatile Snapshot snapshot = new Snapshot(ConnectionState.INITIALIZED, null, null, null);

	// All fields below are confined to the actor: read and written only by its tasks.

	private ConnectionState state = ConnectionState.INITIALIZED;

	private @Nullable ErrorInfo errorReason;

	private @Nullable String connectionId;

	private @Nullable String connectionKey;

	private Duration connectionStateTtl;

	private Duration maxIdleInterval;

	private long attempts;

	private long currentAttempt = NO_ATTEMPT;

	private @Nullable Transport transport;

	private Instant lastActivity;

	/**
	 * The retry delays of the current outage; {@code null} once the connection is stable.
	 */
	private @Nullable BackOffExecution retries;

	/** When the current outage outlives the connection state TTL. */
	private @Nullable Instant suspendAt;

	/** Timers that belong to the current state; cancelled when it is left. */
	private final ActorTimers stateTimers;

	private final PendingPings pings;

	private final PublishQueue publishes;

	private final List<CompletableFuture<Void>> closeFutures = new ArrayList<>();

	ConnectionManager(RealtimeClientOptions options, TransportFactory transportFactory, TaskScheduler scheduler,
			Clock clock, RandomGenerator random) {
		this.options = options;
		this.transportFactory = transportFactory;
		this.scheduler = scheduler;
		this.clock = clock;
		this.random = random;
		this.retryBackOff = new ConnectionRetryBackOff(options.retry(), random);
		Executor now = (task) -> scheduler.schedule(task, scheduler.getClock().instant());
		this.actor = new SerialExecutor(now, MAILBOX_CAPACITY);
		this.notifier = new Notifier(now);
		this.deliveries = new SerialExecutor(now, Integer.MAX_VALUE);
		this.stateTimers = new ActorTimers(scheduler, this.actor);
		this.pings = new PendingPings(this::send, this.notifier, newTimers(), clock, random, options.requestTimeout());
		this.publishes = new PublishQueue(this::send, this.notifier, newTimers(), clock, options.queueCapacity(),
				options.messageTtl());
		// Not from the injected generator: ids must differ between clients even when
		// tests seed every client alike
		this.messageIdPrefix = UUID.randomUUID().toString();
		this.connectionStateTtl = options.connectionStateTtl();
		this.maxIdleInterval = options.maxIdleInterval();
		this.lastActivity = clock.instant();
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
		CompletableFuture<Void> closed = new CompletableFuture<>();
		this.actor.execute(() -> doClose(closed));
		return closed;
	}

	@Override
	public CompletableFuture<Duration> ping() {
		CompletableFuture<Duration> result = new CompletableFuture<>();
		if (!this.actor.tryExecute(() -> doPing(result))) {
			result.completeExceptionally(
					new RealtimeException(ErrorInfo.failed("Connection is busy: too many requests waiting")));
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

	RealtimeChannel channel(String name) {
		return this.channels.computeIfAbsent(name, (key) -> new Channel(key, this));
	}

	void addChannelListener(ChannelStateListener listener) {
		this.channelListeners.add(listener);
	}

	void removeChannelListener(ChannelStateListener listener) {
		this.channelListeners.remove(listener);
	}

	long malformedFrames() {
		return this.malformedFrames.get();
	}

	RealtimeClientOptions options() {
		return this.options;
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
		this.errorReason = null; // [RTN11d]
		beginOutage();
		startAttempt();
	}

	private void beginOutage() {
		this.retries = this.retryBackOff.start();
		this.suspendAt = this.clock.instant().plus(this.connectionStateTtl);
	}

	private void startAttempt() {
		transitionTo(ConnectionState.CONNECTING, null, null);
		long attempt = ++this.attempts;
		this.currentAttempt = attempt;
		URI uri = connectUri();
		if (logger.isDebugEnabled()) {
			logger.debug("Connecting to " + this.options.redactedUrl()
					+ ((this.connectionKey != null) ? " (resuming " + this.connectionId + ")" : ""));
		}
		try {
			this.transport = this.transportFactory.open(uri, new AttemptListener(attempt));
		}
		catch (RuntimeException ex) {
			this.actor.execute(() -> onTransportClosed(attempt, "could not start: " + ex));
		}
		scheduleStateTimer(this.options.connectTimeout(), this::onConnectTimeout);
	}

	URI connectUri() {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUri(this.options.url());
		if (this.options.key() != null) {
			uri.queryParam("key", this.options.key());
		}
		else if (this.options.token() != null) {
			uri.queryParam("accessToken", this.options.token());
		}
		uri.queryParam("v", PROTOCOL_VERSION).queryParam("format", "json").queryParam("heartbeats", true);
		if (this.options.clientId() != null) {
			uri.queryParam("clientId", this.options.clientId());
		}
		uri.queryParam("echo", this.options.echoMessages());
		if (this.connectionKey != null) {
			uri.queryParam("resume", this.connectionKey);
		}
		return uri.encode().build().toUri();
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
		this.suspendAt = this.clock.instant().plus(this.connectionStateTtl);
		if (this.retries == null) {
			this.retries = this.retryBackOff.start();
			transitionTo(ConnectionState.DISCONNECTED, reason, Duration.ZERO);
			startAttempt();
		}
		else {
			// Dropped again before the connection was stable: back off, do not hammer
			scheduleRetry(reason);
		}
	}

	private void scheduleRetry(ErrorInfo reason) {
		BackOffExecution retries = this.retries;
		long delayMillis = (retries != null) ? retries.nextBackOff() : 0;
		if (delayMillis == BackOffExecution.STOP) {
			Integer maxAttempts = this.options.retry().maxAttempts();
			fail(ErrorInfo.failed("Gave up after " + maxAttempts + " connection attempts (realtime.retry.max-attempts="
					+ maxAttempts + "); last error: " + reason.message()));
			return;
		}
		Instant now = this.clock.instant();
		Instant suspendAt = (this.suspendAt != null) ? this.suspendAt : now;
		if (!now.isBefore(suspendAt)) {
			enterSuspended(reason);
			return;
		}
		Duration delay = Duration.ofMillis(delayMillis);
		transitionTo(ConnectionState.DISCONNECTED, reason, delay);
		scheduleStateTimer(delay, this::startAttempt);
		Duration untilSuspended = Duration.between(now, suspendAt);
		if (untilSuspended.compareTo(delay) < 0) {
			scheduleStateTimer(untilSuspended, () -> enterSuspended(reason));
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
		this.retries = null;
		this.suspendAt = null;
		transitionTo(ConnectionState.FAILED, reason, null);
	}

	// Transport events, guarded by the attempt they belong to

	private void onTransportClosed(long attempt, String cause) {
		if (attempt != this.currentAttempt) {
			return;
		}
		String why = withoutSecrets(cause);
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
	 * Remove the key and token from a description that a transport or the network wrote,
	 * which may quote the connect URI.
	 */
	private String withoutSecrets(String description) {
		String result = description;
		for (String secret : new String[] { this.options.key(), this.options.token(), this.connectionKey }) {
			if (secret != null && !secret.isEmpty()) {
				result = result.replace(secret, "******")
					.replace(UriUtils.encodeQueryParam(secret, StandardCharsets.UTF_8), "******");
			}
		}
		return result;
	}

	private void onMailboxOverflow(long attempt) {
		if (attempt == this.currentAttempt && this.state == ConnectionState.CONNECTED) {
			logger.warn("More than " + MAILBOX_CAPACITY + " inbound frames waiting; dropping the transport to resume");
			onConnectionLost(ErrorInfo.disconnected("Inbound frames arrived faster than they could be processed"));
		}
	}

	private void onFrame(long attempt, String frame) {
		if (attempt != this.currentAttempt) {
			return;
		}
		this.lastActivity = this.clock.instant();
		ProtocolMessage message;
		try {
			message = this.codec.decode(frame);
		}
		catch (ProtocolException ex) {
			this.malformedFrames.incrementAndGet();
			logger.warn("Ignoring a frame that is not a protocol message: " + ex.getMessage());
			return;
		}
		Action action = message.getAction();
		if (action == null) {
			logger.debug("Ignoring a message with an unknown action [RTF1]: " + message);
			return;
		}
		switch (action) {
			case HEARTBEAT -> this.pings.onHeartbeat(message.getId());
			case CONNECTED -> onConnected(message);
			case DISCONNECTED -> onDisconnected(message);
			case ERROR -> onError(message);
			case CLOSED -> onClosed();
			case ACK -> this.publishes.onAck(serialOf(message), countOf(message));
			case NACK -> this.publishes.onNack(serialOf(message), countOf(message), (message.getError() != null)
					? message.getError() : ErrorInfo.failed("The server refused the message"));
			case ATTACHED -> withChannel(message, (channel) -> channel.onAttached(message));
			case DETACHED -> withChannel(message, (channel) -> channel.onDetached(message));
			case MESSAGE -> withChannel(message, (channel) -> {
				if (!channel.onMessage(message)) {
					onDeliveryOverflow(channel);
				}
			});
			default -> logger.trace("Ignoring " + message);
		}
	}

	private static long serialOf(ProtocolMessage message) {
		return (message.getMsgSerial() != null) ? message.getMsgSerial() : 0;
	}

	private static int countOf(ProtocolMessage message) {
		return (message.getCount() != null) ? message.getCount() : 1;
	}

	private void withChannel(ProtocolMessage message, Consumer<Channel> action) {
		Channel channel = (message.getChannel() != null) ? this.channels.get(message.getChannel()) : null;
		if (channel != null) {
			action.accept(channel);
		}
		else {
			logger.debug("Ignoring a message for a channel this client does not have: " + message);
		}
	}

	private void onDeliveryOverflow(Channel channel) {
		if (this.state == ConnectionState.CONNECTED) {
			logger.warn("Subscribers are " + MAX_PENDING_DELIVERIES + " messages behind on channel '" + channel.name()
					+ "'; dropping the transport to resume from the last message taken");
			onConnectionLost(ErrorInfo.disconnected("Subscribers fell too far behind on channel '" + channel.name()
					+ "'; resuming from the last message taken"));
		}
	}

	private void onConnected(ProtocolMessage message) {
		switch (this.state) {
			case CONNECTING -> {
				String previousId = this.connectionId;
				ErrorInfo reason = resumeOutcome(message);
				applyConnectionDetails(message);
				this.suspendAt = null;
				// Before the application hears CONNECTED: re-attach [RTL3d], resend
				// [RTN19a]
				this.channels.values().forEach(Channel::onConnectionConnected);
				this.publishes.onConnected(previousId != null && previousId.equals(this.connectionId));
				transitionTo(ConnectionState.CONNECTED, reason, null);
				this.lastActivity = this.clock.instant();
				scheduleStateTimer(idleTimeout(), this::checkIdle);
				scheduleStateTimer(this.options.retry().resetAfter(), () -> this.retries = null);
				this.pings.sendWaiting();
			}
			case CONNECTED -> {
				// [RTN24]
				applyConnectionDetails(message);
				publishSnapshot();
				notifyListeners(new ConnectionStateChange(ConnectionState.CONNECTED, ConnectionState.CONNECTED,
						message.getError(), null));
			}
			case CLOSING -> {
				// close() while connecting [RTN12f]
				applyConnectionDetails(message);
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

	private void applyConnectionDetails(ProtocolMessage message) {
		this.connectionId = message.getConnectionId();
		ConnectionDetails details = message.getConnectionDetails();
		if (details == null) {
			return;
		}
		if (details.connectionKey() != null) {
			this.connectionKey = details.connectionKey();
		}
		if (details.connectionStateTtl() != null && details.connectionStateTtl() > 0) {
			this.connectionStateTtl = Duration.ofMillis(details.connectionStateTtl());
		}
		if (details.maxIdleInterval() != null && details.maxIdleInterval() > 0) {
			this.maxIdleInterval = Duration.ofMillis(details.maxIdleInterval());
		}
	}

	private void onDisconnected(ProtocolMessage message) {
		ErrorInfo error = message.getError();
		if (error != null && error.isTokenError()) {
			// No way to renew a token yet [RTN15h1]
			fail(error);
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
			withChannel(message, (channel) -> channel.onError(message));
			return;
		}
		ErrorInfo error = message.getError();
		// [RTN14g, RTN15j]
		fail((error != null) ? error : ErrorInfo.failed("Server sent ERROR without details"));
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

	private void checkIdle() {
		Duration timeout = idleTimeout();
		Duration silence = Duration.between(this.lastActivity, this.clock.instant());
		if (silence.compareTo(timeout) >= 0) {
			onConnectionLost(ErrorInfo.idleTimeout("No activity from the server for " + silence.toMillis()
					+ " ms (maxIdleInterval " + this.maxIdleInterval.toMillis() + " ms + request timeout "
					+ this.options.requestTimeout().toMillis() + " ms)"));
		}
		else {
			scheduleStateTimer(timeout.minus(silence), this::checkIdle);
		}
	}

	// close() [RTN12]

	private void doClose(CompletableFuture<Void> closed) {
		switch (this.state) {
			case INITIALIZED, DISCONNECTED, SUSPENDED -> {
				this.closeFutures.add(closed);
				closeNow();
			}
			case CONNECTING -> {
				this.closeFutures.add(closed);
				transitionTo(ConnectionState.CLOSING, null, null);
				scheduleStateTimer(this.options.connectTimeout(), this::onCloseTimeout);
			}
			case CONNECTED -> {
				this.closeFutures.add(closed);
				send(new ProtocolMessage(Action.CLOSE));
				transitionTo(ConnectionState.CLOSING, null, null);
				scheduleStateTimer(this.options.requestTimeout(), this::onCloseTimeout);
			}
			case CLOSING -> this.closeFutures.add(closed);
			case CLOSED, FAILED -> this.notifier.complete(closed, null);
		}
	}

	private void onCloseTimeout() {
		logger.info("No CLOSED from " + this.options.redactedUrl() + " in time; closing the transport");
		closeNow();
	}

	private void closeNow() {
		dropTransport();
		this.retries = null;
		this.suspendAt = null;
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
		this.channels.values().forEach((channel) -> channel.onConnectionStateChange(change)); // [RTL3]
	}

	private void settlePendingRequests(ConnectionStateChange change) {
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
		for (CompletableFuture<Void> future : this.closeFutures) {
			if (failure != null) {
				this.notifier.fail(future, failure);
			}
			else {
				this.notifier.complete(future, null);
			}
		}
		this.closeFutures.clear();
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

	Notifier notifier() {
		return this.notifier;
	}

	// Support for channels, all called on the actor unless said otherwise

	void submit(Runnable task) {
		this.actor.execute(task);
	}

	ConnectionState actorState() {
		return this.state;
	}

	ActorTimers newTimers() {
		return new ActorTimers(this.scheduler, this.actor);
	}

	RandomGenerator random() {
		return this.random;
	}

	/**
	 * Encode a payload with a fresh message id, so that the server can drop a duplicate
	 * of a message resent on a new connection. Called on any thread.
	 */
	WireMessage encode(@Nullable String name, @Nullable Object data) {
		String id = this.messageIdPrefix + ":" + this.messageIds.getAndIncrement();
		return this.codec.encodeMessage(id, name, data);
	}

	@Nullable Object decode(WireMessage message) {
		try {
			return this.codec.decodeData(message);
		}
		catch (RuntimeException ex) {
			logger.warn("Delivering message " + message.id() + " undecoded: its data does not match its encoding '"
					+ message.encoding() + "'");
			return message.data();
		}
	}

	/**
	 * Publish on a channel [RTL6c]: sent at once while connected, queued while the
	 * connection may still connect, refused otherwise. Called on any thread.
	 */
	void publish(Channel channel, WireMessage message, CompletableFuture<Void> result) {
		if (!this.actor.tryExecute(() -> doPublish(channel, message, result))) {
			result.completeExceptionally(
					new RealtimeException(ErrorInfo.failed("Connection is busy: too many requests waiting")));
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
		switch (this.state) {
			case CONNECTED, INITIALIZED, CONNECTING, DISCONNECTED ->
				this.publishes.add(new PublishQueue.Publish(channel.name(), message, this.clock.instant(), result),
						this.state == ConnectionState.CONNECTED);
			default -> this.notifier.fail(result, cannotPublishReason(this.state));
		}
	}

	/**
	 * Hand received messages to the subscribers' executor, unless they are too far
	 * behind.
	 * @return whether the messages were taken
	 */
	boolean deliver(Runnable delivery, int count) {
		if (this.pendingDeliveries.get() + count > MAX_PENDING_DELIVERIES) {
			return false;
		}
		this.pendingDeliveries.addAndGet(count);
		this.deliveries.execute(() -> {
			try {
				delivery.run();
			}
			finally {
				this.pendingDeliveries.addAndGet(-count);
			}
		});
		return true;
	}

	void notifyChannelListeners(List<ChannelStateListener> listeners, ChannelStateChange change) {
		this.notifier.notify(listeners, change, ChannelStateListener::onStateChange);
		this.notifier.notify(this.channelListeners, change, ChannelStateListener::onStateChange);
	}

	// Transport and timers

	boolean send(ProtocolMessage message) {
		Transport transport = this.transport;
		return transport != null && transport.send(this.codec.encode(message));
	}

	private void dropTransport() {
		Transport transport = this.transport;
		this.transport = null;
		this.currentAttempt = NO_ATTEMPT;
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
	 * events of an abandoned attempt are ignored.
	 */
	private final class AttemptListener implements TransportListener {

		private final long attempt;

		AttemptListener(long attempt) {
			this.attempt = attempt;
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
			if (!ConnectionManager.this.actor.tryExecute(() -> ConnectionManager.this.onFrame(this.attempt, frame))) {
				ConnectionManager.this.actor.execute(() -> onMailboxOverflow(this.attempt));
			}
		}

		@Override
		public void onClosed(String reason) {
			ConnectionManager.this.actor.execute(() -> onTransportClosed(this.attempt, reason));
		}

	}

	private record Snapshot(ConnectionState state, @Nullable String id, @Nullable String key,
			@Nullable ErrorInfo errorReason) {

	}

}
