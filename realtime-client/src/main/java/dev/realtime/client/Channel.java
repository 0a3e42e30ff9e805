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

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static dev.realtime.client.ChannelState.ATTACHED;
import static dev.realtime.client.ChannelState.ATTACHING;
import static dev.realtime.client.ChannelState.DETACHED;
import static dev.realtime.client.ChannelState.DETACHING;
import static dev.realtime.client.ChannelState.FAILED;
import static dev.realtime.client.ChannelState.INITIALIZED;
import static dev.realtime.client.ChannelState.SUSPENDED;

/**
 * One channel of a connection: its state machine, attach and detach requests, the
 * {@code channelSerial} it resumes from, and its subscribers. Public methods enqueue work
 * on the connection's actor; every field marked so is confined to it.
 *
 * @author Realtime team
 */
final class Channel implements RealtimeChannel {

	private static final Log logger = LogFactory.getLog(Channel.class);

	private final String name;

	private final ChannelConnection connection;

	private final ActorTimers timers;

	private final BackOff retryBackOff;

	private final List<ChannelStateListener> listeners = new CopyOnWriteArrayList<>();

	private final ChannelSubscribers subscribers;

	private final SubscriberLane subscriberLane;

	private final Presence presence;

	private final AtomicLong droppedMessages = new AtomicLong();

	private volatile ChannelState publishedState = INITIALIZED;

	private volatile @Nullable ErrorInfo publishedErrorReason;

	private volatile Set<ChannelMode> grantedModes = Set.of();

	private volatile Map<String, String> grantedParams = Map.of();

	/** The channel serial, for other threads to read; written on the actor only. */
	private volatile @Nullable String publishedChannelSerial;

	/** Set by {@link #release()}: every later operation fails [RTS4]. */
	private volatile boolean released;

	/** What every {@code ATTACH} asks for; replaced on the actor only. */
	private volatile ChannelOptions options;

	// Confined to the actor

	private ChannelState state = INITIALIZED;

	/** Written on the actor only; read by {@link #serialForRecovery()} on any thread. */
	private volatile @Nullable String channelSerial;

	private @Nullable BackOffExecution retries;

	/**
	 * What the channel does with its messages while its subscribers are slow [RTL17],
	 * until they catch up.
	 */
	private @Nullable SlowSubscriberPolicy slowPolicyInEffect;

	private final ChannelRequests requests;

	/** The state to return to if a detach times out [RTL5f]. */
	private ChannelState stateBeforeDetach = ATTACHED;

	Channel(String name, ChannelOptions options, ChannelConnection connection) {
		this.name = name;
		this.options = options;
		this.connection = connection;
		this.timers = connection.newTimers();
		this.subscriberLane = connection.newSubscriberLane(this);
		this.subscribers = new ChannelSubscribers(name, connection::decode);
		this.requests = new ChannelRequests(name, connection.notifier());
		this.presence = new Presence(this, connection, this.subscriberLane);
		RealtimeClientOptions.Retry retry = connection.options().retry();
		this.retryBackOff = new ConnectionRetryBackOff(retry.channelInterval(), retry.channelInterval().multipliedBy(2),
				null, connection.random());
	}

	// Public API: reads published state or enqueues work

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public ChannelState state() {
		return this.publishedState;
	}

	@Override
	public @Nullable ErrorInfo errorReason() {
		return this.publishedErrorReason;
	}

	@Override
	public Set<ChannelMode> modes() {
		return this.grantedModes;
	}

	@Override
	public Map<String, String> params() {
		return this.grantedParams;
	}

	@Override
	public ChannelOptions options() {
		return this.options;
	}

	@Override
	public CompletableFuture<Void> setOptions(ChannelOptions options) {
		Assert.notNull(options, "'options' must not be null");
		return request((future) -> {
			this.options = options;
			if (this.state == ATTACHED || this.state == ATTACHING) {
				// [RTL16a]: attach again with the new options
				this.requests.joinAttach(future);
				if (this.state == ATTACHED) {
					transitionTo(ATTACHING, null, false);
				}
				requestAttach();
			}
			else {
				this.connection.notifier().complete(future);
			}
		});
	}

	@Override
	public CompletableFuture<Void> attach() {
		return request(this::doAttach);
	}

	@Override
	public RealtimePresence presence() {
		return this.presence;
	}

	/**
	 * Run a request on the actor, unless the channel was released or too many requests
	 * wait.
	 */
	private CompletableFuture<Void> request(Consumer<CompletableFuture<Void>> action) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		if (this.released) {
			result.completeExceptionally(new RealtimeException(releasedError()));
		}
		else if (!this.connection.submit(() -> action.accept(result))) {
			result.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
		}
		return result;
	}

	/**
	 * Return whether this channel was released: every later operation fails [RTS4].
	 * @return whether released
	 */
	boolean isReleased() {
		return this.released;
	}

	/**
	 * Return the error of an operation on a released channel.
	 * @return the error
	 */
	ErrorInfo releasedError() {
		return ErrorInfo.failed("Channel '" + this.name + "' was released; get a new instance with client.channel(\""
				+ this.name + "\")");
	}

	/**
	 * Detach the channel and forget it [RTS4]: every later operation of this instance
	 * fails.
	 * @param forget removes the channel from its registry, once detached
	 * @return a future that completes once the channel is detached and forgotten, and
	 * fails (the channel is forgotten all the same) if the server did not confirm the
	 * detach
	 */
	CompletableFuture<Void> release(Runnable forget) {
		CompletableFuture<Void> detached = new CompletableFuture<>();
		boolean accepted = this.connection.submit(() -> {
			this.released = true;
			if (this.state == FAILED) {
				this.connection.notifier().complete(detached);
			}
			else {
				doDetach(detached);
			}
		});
		if (!accepted) {
			detached.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
			return detached;
		}
		return detached.whenComplete((result, failure) -> forget.run());
	}

	@Override
	public CompletableFuture<Void> detach() {
		return request(this::doDetach);
	}

	@Override
	public CompletableFuture<Void> publish(@Nullable String name, @Nullable Object data) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		if (this.released) {
			result.completeExceptionally(new RealtimeException(releasedError()));
			return result;
		}
		WireMessage message = this.connection.encode(name, data);
		this.connection.publish(this, message, result);
		return result;
	}

	@Override
	public Subscription subscribe(Consumer<Message> subscriber) {
		return addSubscriber(null, subscriber);
	}

	@Override
	public Subscription subscribe(String name, Consumer<Message> subscriber) {
		return addSubscriber(name, subscriber);
	}

	private Subscription addSubscriber(@Nullable String name, Consumer<Message> subscriber) {
		if (this.released) {
			throw new IllegalStateException(releasedError().message());
		}
		Subscription subscription = this.subscribers.add(name, subscriber);
		if (this.connection.options().attachOnSubscribe()) {
			attachOnSubscribe();
		}
		return subscription;
	}

	/**
	 * Attach an initialized, detaching or detached channel for a new subscriber [RTL7g,
	 * RTP6d]. The subscriber is registered whatever the outcome, which is logged.
	 */
	void attachOnSubscribe() {
		CompletableFuture<Void> attached = new CompletableFuture<>();
		boolean accepted = this.connection.submit(() -> {
			if (this.state == INITIALIZED || this.state == DETACHING || this.state == DETACHED) {
				doAttach(attached);
			}
			else {
				attached.complete(null);
			}
		});
		if (accepted) {
			attached.whenComplete((result, failure) -> {
				if (failure != null) {
					logger.warn("Channel '" + this.name + "' could not attach for its new subscriber: "
							+ failure.getMessage());
				}
			});
		}
	}

	@Override
	public void addListener(ChannelStateListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void removeListener(ChannelStateListener listener) {
		this.listeners.remove(listener);
	}

	// attach() [RTL4]

	/**
	 * Return the state as the actor sees it; call on the actor only.
	 */
	ChannelState actorState() {
		return this.state;
	}

	/**
	 * Attach the channel for its presence [RTP8d, RTP11e], as {@link #attach()} does;
	 * call on the actor only.
	 * @param attached completes as the future of {@link #attach()} would
	 */
	void attachImplicitly(CompletableFuture<Void> attached) {
		doAttach(attached);
	}

	private void doAttach(CompletableFuture<Void> attached) {
		switch (this.state) {
			case ATTACHED -> this.connection.notifier().complete(attached); // [RTL4a]
			case ATTACHING -> this.requests.joinAttach(attached);
			case DETACHING -> this.requests.attachAfterDetach(attached); // [RTL4h]
			case INITIALIZED, DETACHED, SUSPENDED, FAILED -> {
				ConnectionState connectionState = this.connection.actorState();
				if (!canAttach(connectionState)) {
					// [RTL4b]
					this.connection.notifier()
						.fail(attached, ErrorInfo.failed("Cannot attach channel '" + this.name
								+ "' while the connection is " + connectionState));
					return;
				}
				this.requests.joinAttach(attached);
				if (this.state == FAILED) {
					this.publishedErrorReason = null; // [RTL4g]
				}
				this.timers.cancelAll();
				transitionTo(ATTACHING, null, false);
				requestAttach();
			}
		}
	}

	/**
	 * Run the calls that waited for the request that just completed [RTL4h, RTL5i].
	 */
	private void runQueued() {
		this.requests.runQueued(this::doAttach, this::doDetach);
	}

	private static boolean canAttach(ConnectionState connectionState) {
		return switch (connectionState) {
			case INITIALIZED, CONNECTING, CONNECTED, DISCONNECTED -> true;
			default -> false;
		};
	}

	/**
	 * Send {@code ATTACH} with the last channel serial [RTL4c1] if the connection is
	 * connected; otherwise it is sent on {@code CONNECTED} [RTL4i].
	 */
	private void requestAttach() {
		this.timers.cancelAll();
		if (this.connection.actorState() == ConnectionState.CONNECTED) {
			sendAttach();
		}
	}

	private void sendAttach() {
		this.timers.cancelAll();
		ChannelOptions options = this.options;
		long modes = 0;
		for (ChannelMode mode : options.modes()) {
			modes |= mode.flag(); // [RTL4l]
		}
		this.connection.send(new ProtocolMessage(Action.ATTACH).setChannel(this.name)
			.setChannelSerial(this.channelSerial)
			.setParams(options.params().isEmpty() ? null : options.params()) // [RTL4k]
			.setFlags((modes != 0) ? modes : null));
		Duration timeout = this.connection.options().requestTimeout();
		this.timers.schedule(timeout, () -> onAttachTimeout(timeout));
	}

	private void onAttachTimeout(Duration timeout) {
		if (this.state == ATTACHING || this.state == ATTACHED) {
			suspend(ErrorInfo
				.timeout("No ATTACHED for channel '" + this.name + "' within " + timeout.toMillis() + " ms"));
		}
	}

	/**
	 * Go {@link ChannelState#SUSPENDED SUSPENDED} and attach again after the channel
	 * retry delay [RTL13b].
	 */
	private void suspend(ErrorInfo reason) {
		this.timers.cancelAll();
		transitionTo(SUSPENDED, reason, false);
		if (this.retries == null) {
			this.retries = this.retryBackOff.start();
		}
		this.requests.attachFailed(reason);
		this.timers.schedule(Duration.ofMillis(this.retries.nextBackOff()), () -> {
			// [RTL13c]: while not connected, the connection's own effects apply
			if (this.state == SUSPENDED && this.connection.actorState() == ConnectionState.CONNECTED) {
				transitionTo(ATTACHING, null, false);
				requestAttach();
			}
		});
		runQueued();
	}

	// detach() [RTL5]

	private void doDetach(CompletableFuture<Void> detached) {
		switch (this.state) {
			case INITIALIZED, DETACHED -> this.connection.notifier().complete(detached); // [RTL5a]
			case FAILED -> this.connection.notifier()
				.fail(detached, ErrorInfo.failed("Cannot detach channel '" + this.name + "': it has failed")); // [RTL5b]
			case ATTACHING -> this.requests.detachAfterAttach(detached); // [RTL5i]
			case DETACHING -> this.requests.joinDetach(detached);
			case SUSPENDED -> {
				// [RTL5j]
				this.timers.cancelAll();
				transitionTo(DETACHED, null, false);
				this.connection.notifier().complete(detached);
			}
			case ATTACHED -> {
				if (this.connection.actorState() != ConnectionState.CONNECTED) {
					// [RTL5l]
					this.timers.cancelAll();
					transitionTo(DETACHED, null, false);
					this.connection.notifier().complete(detached);
					return;
				}
				this.requests.joinDetach(detached);
				this.stateBeforeDetach = ATTACHED;
				transitionTo(DETACHING, null, false);
				sendDetach();
			}
		}
	}

	/**
	 * Send {@code DETACH} and wait for {@code DETACHED} at most the request timeout
	 * [RTL5d, RTL5f]; sent again on a new transport if the connection drops meanwhile
	 * [RTN19b].
	 */
	private void sendDetach() {
		this.timers.cancelAll();
		this.connection.send(new ProtocolMessage(Action.DETACH).setChannel(this.name));
		Duration timeout = this.connection.options().requestTimeout();
		this.timers.schedule(timeout, () -> {
			// [RTL5f]: back to where it was
			ErrorInfo reason = ErrorInfo
				.timeout("No DETACHED for channel '" + this.name + "' within " + timeout.toMillis() + " ms");
			transitionTo(this.stateBeforeDetach, reason, false);
			this.requests.detachFailed(reason);
			runQueued();
		});
	}

	// Protocol messages for this channel

	void onAttached(ProtocolMessage message) {
		boolean resumed = message.hasFlag(Flags.RESUMED);
		if (message.getChannelSerial() != null) {
			setChannelSerial(message.getChannelSerial()); // [RTL15b]
		}
		if (this.state == ATTACHING || this.state == ATTACHED) {
			this.grantedModes = modesOf(message.getFlags()); // [RTL4m]
			this.grantedParams = (message.getParams() != null) ? Map.copyOf(message.getParams()) : Map.of(); // [RTL4k1]
		}
		switch (this.state) {
			case ATTACHING -> {
				this.timers.cancelAll();
				this.retries = null;
				transitionTo(ATTACHED, message.getError(), resumed);
				this.presence.onAttached(message); // [RTP1, RTP17i, RTP5b]
				this.requests.attached();
				runQueued();
			}
			case ATTACHED -> {
				this.timers.cancelAll();
				if (!resumed) {
					// [RTL12]
					notifyListeners(new ChannelStateChange(this.name, ATTACHED, ATTACHED, message.getError(), false));
					this.presence.onAttached(message); // [RTP1, RTP17i]
				}
			}
			case DETACHING -> sendDetach(); // [RTL5k]
			case DETACHED -> {
				// [RTL5k]: the server attached a channel the application detached
				this.stateBeforeDetach = DETACHED;
				transitionTo(DETACHING, null, false);
				sendDetach();
			}
			default -> logger.debug("Ignoring ATTACHED for channel '" + this.name + "' while " + this.state);
		}
	}

	void onDetached(ProtocolMessage message) {
		ErrorInfo error = message.getError();
		switch (this.state) {
			case DETACHING -> {
				this.timers.cancelAll();
				transitionTo(DETACHED, error, false);
				this.requests.detached();
				runQueued();
			}
			case ATTACHED, SUSPENDED -> {
				// Unrequested: attach again at once [RTL13a]
				this.timers.cancelAll();
				transitionTo(ATTACHING,
						(error != null) ? error
								: ErrorInfo.failed("Server detached channel '" + this.name + "'; attaching again"),
						false);
				requestAttach();
			}
			case ATTACHING -> suspend((error != null) ? error
					: ErrorInfo.failed("Server detached channel '" + this.name + "' while attaching")); // [RTL13b]
			default -> {
			}
		}
	}

	void onError(ProtocolMessage message) {
		// [RTL14]
		ErrorInfo error = (message.getError() != null) ? message.getError()
				: ErrorInfo.failed("Server sent ERROR for channel '" + this.name + "' without details");
		if (this.state != FAILED && this.state != INITIALIZED && this.state != DETACHED) {
			fail(error);
		}
	}

	/**
	 * Hand a {@code MESSAGE} to the subscribers' lane, if attached [RTL17]. Its payloads
	 * are decoded there, not on the actor.
	 * @param message the message
	 * @param size the size of the frame that carried it
	 * @return whether the subscribers are now behind, and the connection should stop
	 * reading until they catch up
	 */
	boolean onMessage(ProtocolMessage message, int size) {
		if (this.state != ATTACHED) {
			logger.debug("Ignoring a message for channel '" + this.name + "' while " + this.state);
			return false;
		}
		List<WireMessage> messages = message.getMessages();
		if (messages == null || messages.isEmpty()) {
			return false;
		}
		if (this.slowPolicyInEffect == SlowSubscriberPolicy.REATTACH) {
			// Not taken: the channel serial stays, so that the server sends it again
			// after
			// the channel attaches anew
			return false;
		}
		if (this.slowPolicyInEffect == SlowSubscriberPolicy.DROP) {
			this.droppedMessages.addAndGet(messages.size());
			advanceSerial(message);
			return false;
		}
		boolean behind = this.subscriberLane.offer(() -> this.subscribers.deliver(message, messages), size);
		advanceSerial(message);
		return behind;
	}

	/**
	 * Apply a {@code PRESENCE} message to the presence of the channel, if attached, and
	 * hand what changed to the subscribers' lane [RTP2]. It moves the channel serial
	 * [RTL15b].
	 * @param message the message
	 * @param size the size of the frame that carried it
	 * @return whether the subscribers are now behind
	 */
	boolean onPresence(ProtocolMessage message, int size) {
		if (this.state != ATTACHED) {
			logger.debug("Ignoring a presence message for channel '" + this.name + "' while " + this.state);
			return false;
		}
		if (this.slowPolicyInEffect == SlowSubscriberPolicy.REATTACH) {
			// Not taken, as a MESSAGE would not be: the server sends it again after the
			// channel attaches anew
			return false;
		}
		boolean behind = this.presence.onPresence(message, size, this.slowPolicyInEffect == null);
		advanceSerial(message);
		return behind;
	}

	/**
	 * Apply a {@code SYNC} message to the presence of the channel, if attached [RTP18].
	 * Its {@code channelSerial} is the sync's cursor, not a channel serial.
	 * @param message the message
	 * @param size the size of the frame that carried it
	 * @return whether the subscribers are now behind
	 */
	boolean onSync(ProtocolMessage message, int size) {
		if (this.state != ATTACHED) {
			logger.debug("Ignoring a presence sync for channel '" + this.name + "' while " + this.state);
			return false;
		}
		if (this.slowPolicyInEffect == SlowSubscriberPolicy.REATTACH) {
			// The channel attaches anew once the subscribers caught up, and syncs again
			return false;
		}
		return this.presence.onSync(message, size, this.slowPolicyInEffect == null);
	}

	/**
	 * Tell the listeners of an update of the attached channel that did not change its
	 * state, such as a failure to enter its presence members again [RTP17e].
	 * @param reason what happened
	 */
	void notifyUpdate(ErrorInfo reason) {
		this.publishedErrorReason = reason;
		notifyListeners(new ChannelStateChange(this.name, ATTACHED, ATTACHED, reason, true));
	}

	private void advanceSerial(ProtocolMessage message) {
		if (message.getChannelSerial() != null) {
			setChannelSerial(message.getChannelSerial()); // [RTL15b]
		}
	}

	/**
	 * Take an {@code OBJECT} or an {@code ANNOTATION}. This library has no objects or
	 * annotations: the frame is ignored, but it moves the channel serial [RTL15b].
	 * @param message the message
	 */
	void onObjectOrAnnotation(ProtocolMessage message) {
		advanceSerialIfTaking(message);
	}

	/**
	 * Take an {@code OBJECT_SYNC}. This library has no objects: the frame is ignored. Its
	 * {@code channelSerial} is a cursor into the sync [RTO5a], not a position in the
	 * channel, so the channel serial stays [RTL15b].
	 * @param message the message
	 */
	void onObjectSync(ProtocolMessage message) {
		logger.trace("Ignoring OBJECT_SYNC for channel '" + this.name + "'");
	}

	/**
	 * Move the channel serial past a frame while the channel takes what the server sends:
	 * attached, and not waiting to attach again from where its slow subscribers are.
	 */
	private void advanceSerialIfTaking(ProtocolMessage message) {
		if (this.state == ATTACHED && this.slowPolicyInEffect != SlowSubscriberPolicy.REATTACH) {
			advanceSerial(message);
		}
	}

	/**
	 * The subscribers stayed behind for longer than the connection may wait for them:
	 * apply the slow subscriber policy until they catch up. Called on the actor.
	 * @param policy the policy
	 */
	void onSlowSubscribers(SlowSubscriberPolicy policy) {
		this.slowPolicyInEffect = policy;
		logger.warn("Subscribers of channel '" + this.name + "' are slow: " + this.subscriberLane.pendingBytes()
				+ " bytes of messages wait for them; "
				+ ((policy == SlowSubscriberPolicy.DROP) ? "dropping the channel's messages until they catch up"
						: "attaching the channel again from the last message they were given once they catch up"));
	}

	/**
	 * The subscribers have caught up with what waited for them. Called on the actor.
	 */
	void onSubscribersCaughtUp() {
		SlowSubscriberPolicy policy = this.slowPolicyInEffect;
		this.slowPolicyInEffect = null;
		if (policy == SlowSubscriberPolicy.REATTACH && this.state == ATTACHED) {
			transitionTo(ATTACHING, ErrorInfo.failed("Attaching channel '" + this.name
					+ "' again from the last message its slow subscribers were given"), false);
			requestAttach();
		}
	}

	/**
	 * Start from the serial of a recovered connection [RTN16j]: the first attach asks for
	 * what the channel missed since. Called before the connection starts.
	 * @param serial the channel serial
	 */
	void restoreSerial(String serial) {
		this.channelSerial = serial;
	}

	/**
	 * Return the serial to put in a recovery key [RTN16g]. Called on any thread.
	 * @return the channel serial if the channel is attached, or {@code null}
	 */
	@Nullable String serialForRecovery() {
		return (this.publishedState == ATTACHED) ? this.channelSerial : null;
	}

	/**
	 * Return how many bytes of received messages wait for this channel's subscribers.
	 * @return the bytes
	 */
	long pendingBytes() {
		return this.subscriberLane.pendingBytes();
	}

	@Override
	public long droppedMessages() {
		return this.droppedMessages.get();
	}

	/**
	 * Return a snapshot of this channel for metrics and management. Called on any thread.
	 * @return the snapshot
	 */
	ChannelStatistics statistics() {
		return new ChannelStatistics(this.name, this.publishedState, this.publishedChannelSerial, pendingBytes(),
				droppedMessages());
	}

	private void setChannelSerial(@Nullable String channelSerial) {
		this.channelSerial = channelSerial;
		this.publishedChannelSerial = channelSerial;
	}

	private static Set<ChannelMode> modesOf(@Nullable Long flags) {
		if (flags == null) {
			return Set.of();
		}
		Set<ChannelMode> modes = EnumSet.noneOf(ChannelMode.class);
		for (ChannelMode mode : ChannelMode.values()) {
			if (Flags.isSet(flags, mode.flag())) {
				modes.add(mode);
			}
		}
		return Collections.unmodifiableSet(modes);
	}

	// Connection state effects [RTL3]

	/**
	 * Re-attach on a new transport, before the connection reports {@code CONNECTED}
	 * [RTL3d].
	 */
	void onConnectionConnected() {
		switch (this.state) {
			case ATTACHING, ATTACHED -> sendAttach();
			case SUSPENDED -> {
				this.timers.cancelAll();
				transitionTo(ATTACHING, null, false);
				sendAttach();
			}
			case DETACHING -> sendDetach(); // [RTN19b]
			default -> {
			}
		}
	}

	void onConnectionStateChange(ConnectionStateChange change) {
		ErrorInfo reason = change.reason();
		switch (change.current()) {
			case DISCONNECTED -> {
				// No effect on the channel's state [RTL3e]; requests under way are sent
				// again on the next transport [RTN19b]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING) {
					this.timers.cancelAll();
				}
			}
			case SUSPENDED -> {
				// [RTL3c]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING) {
					this.timers.cancelAll();
					ErrorInfo suspended = (reason != null) ? reason : ErrorInfo.suspended("Connection suspended");
					boolean detaching = this.state == DETACHING;
					transitionTo(detaching ? DETACHED : SUSPENDED, suspended, false);
					this.requests.attachFailed(suspended);
					this.requests.detached();
					runQueued();
				}
			}
			case CLOSED -> {
				// [RTL3b]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING
						|| this.state == SUSPENDED) {
					this.timers.cancelAll();
					transitionTo(DETACHED, null, false);
					this.requests.attachFailed(ErrorInfo.closed("Connection closed"));
					this.requests.detached();
					runQueued();
				}
			}
			case FAILED -> {
				// [RTL3a]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING
						|| this.state == SUSPENDED) {
					fail((reason != null) ? reason : ErrorInfo.failed("Connection failed"));
				}
			}
			default -> {
			}
		}
	}

	private void fail(ErrorInfo reason) {
		this.timers.cancelAll();
		transitionTo(FAILED, reason, false);
		this.requests.attachFailed(reason);
		this.requests.detachFailed(reason);
		runQueued();
	}

	// Transitions

	private void transitionTo(ChannelState next, @Nullable ErrorInfo reason, boolean resumed) {
		ChannelState previous = this.state;
		if (!ChannelStateTransitions.isAllowed(previous, next)) {
			throw new IllegalStateException(
					"Illegal transition of channel '" + this.name + "': " + previous + " -> " + next);
		}
		this.state = next;
		this.publishedState = next;
		if (next == DETACHED || next == FAILED) {
			setChannelSerial(null); // [RTL15b2]
		}
		if (reason != null || next == ATTACHED || next == DETACHED) {
			this.publishedErrorReason = reason;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Channel '" + this.name + "': " + previous + " -> " + next
					+ ((reason != null) ? " (" + reason + ")" : "") + (resumed ? ", resumed" : ""));
		}
		notifyListeners(new ChannelStateChange(this.name, previous, next, reason, resumed));
		this.presence.onChannelStateChange(next, reason); // [RTP5]
	}

	private void notifyListeners(ChannelStateChange change) {
		this.connection.notifyChannelListeners(this.listeners, change);
	}

	@Override
	public String toString() {
		return "RealtimeChannel[" + this.name + ", " + this.publishedState + "]";
	}

}
