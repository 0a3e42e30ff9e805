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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

	private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

	private final SubscriberLane subscriberLane;

	private final AtomicLong droppedMessages = new AtomicLong();

	private volatile ChannelState publishedState = INITIALIZED;

	private volatile @Nullable ErrorInfo publishedErrorReason;

	// Confined to the actor

	private ChannelState state = INITIALIZED;

	private @Nullable String channelSerial;

	private @Nullable BackOffExecution retries;

	/**
	 * What the channel does with its messages while its subscribers are slow [RTL17],
	 * until they catch up.
	 */
	private @Nullable SlowSubscriberPolicy slowPolicyInEffect;

	private final List<CompletableFuture<Void>> attachFutures = new ArrayList<>();

	private final List<CompletableFuture<Void>> detachFutures = new ArrayList<>();

	Channel(String name, ChannelConnection connection) {
		this.name = name;
		this.connection = connection;
		this.timers = connection.newTimers();
		this.subscriberLane = connection.newSubscriberLane(this);
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
	public CompletableFuture<Void> attach() {
		CompletableFuture<Void> attached = new CompletableFuture<>();
		if (!this.connection.submit(() -> doAttach(attached))) {
			attached.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
		}
		return attached;
	}

	@Override
	public CompletableFuture<Void> detach() {
		CompletableFuture<Void> detached = new CompletableFuture<>();
		if (!this.connection.submit(() -> doDetach(detached))) {
			detached.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
		}
		return detached;
	}

	@Override
	public CompletableFuture<Void> publish(@Nullable String name, @Nullable Object data) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		WireMessage message = this.connection.encode(name, data);
		this.connection.publish(this, message, result);
		return result;
	}

	@Override
	public Subscription subscribe(Consumer<Message> subscriber) {
		return addSubscriber(new Subscriber(null, subscriber));
	}

	@Override
	public Subscription subscribe(String name, Consumer<Message> subscriber) {
		return addSubscriber(new Subscriber(name, subscriber));
	}

	private Subscription addSubscriber(Subscriber subscriber) {
		this.subscribers.add(subscriber);
		return () -> this.subscribers.remove(subscriber);
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

	private void doAttach(CompletableFuture<Void> attached) {
		if (this.state == ATTACHED) {
			this.connection.notifier().complete(attached);
			return;
		}
		ConnectionState connectionState = this.connection.actorState();
		if (!canAttach(connectionState)) {
			// [RTL4b]
			this.connection.notifier()
				.fail(attached, ErrorInfo
					.failed("Cannot attach channel '" + this.name + "' while the connection is " + connectionState));
			return;
		}
		this.attachFutures.add(attached);
		if (this.state != ATTACHING) {
			failAll(this.detachFutures,
					ErrorInfo.failed("Detaching channel '" + this.name + "' was superseded by attach()"));
			transitionTo(ATTACHING, null, false);
			requestAttach();
		}
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
		this.connection
			.send(new ProtocolMessage(Action.ATTACH).setChannel(this.name).setChannelSerial(this.channelSerial));
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
		if (this.retries == null) {
			this.retries = this.retryBackOff.start();
		}
		transitionTo(SUSPENDED, reason, false);
		failAll(this.attachFutures, reason);
		this.timers.schedule(Duration.ofMillis(this.retries.nextBackOff()), () -> {
			if (this.connection.actorState() == ConnectionState.CONNECTED) {
				transitionTo(ATTACHING, null, false);
				requestAttach();
			}
		});
	}

	// detach() [RTL5]

	private void doDetach(CompletableFuture<Void> detached) {
		switch (this.state) {
			case INITIALIZED, DETACHED -> this.connection.notifier().complete(detached);
			case FAILED -> this.connection.notifier()
				.fail(detached, ErrorInfo.failed("Cannot detach channel '" + this.name + "': it has failed")); // [RTL5b]
			case SUSPENDED -> {
				// [RTL5j]
				this.timers.cancelAll();
				transitionTo(DETACHED, null, false);
				this.connection.notifier().complete(detached);
			}
			case DETACHING -> this.detachFutures.add(detached);
			case ATTACHING, ATTACHED -> {
				failAll(this.attachFutures,
						ErrorInfo.failed("Attaching channel '" + this.name + "' was superseded by detach()"));
				if (this.connection.actorState() != ConnectionState.CONNECTED) {
					this.timers.cancelAll();
					transitionTo(DETACHED, null, false);
					this.connection.notifier().complete(detached);
					return;
				}
				ChannelState previous = this.state;
				this.detachFutures.add(detached);
				transitionTo(DETACHING, null, false);
				this.timers.cancelAll();
				this.connection.send(new ProtocolMessage(Action.DETACH).setChannel(this.name));
				Duration timeout = this.connection.options().requestTimeout();
				this.timers.schedule(timeout, () -> {
					// [RTL5f]
					ErrorInfo reason = ErrorInfo
						.timeout("No DETACHED for channel '" + this.name + "' within " + timeout.toMillis() + " ms");
					transitionTo(previous, reason, false);
					failAll(this.detachFutures, reason);
				});
			}
		}
	}

	// Protocol messages for this channel

	void onAttached(ProtocolMessage message) {
		boolean resumed = message.hasFlag(Flags.RESUMED);
		if (message.getChannelSerial() != null) {
			this.channelSerial = message.getChannelSerial(); // [RTL15b]
		}
		switch (this.state) {
			case ATTACHING -> {
				this.timers.cancelAll();
				this.retries = null;
				transitionTo(ATTACHED, message.getError(), resumed);
				completeAll(this.attachFutures);
			}
			case ATTACHED -> {
				this.timers.cancelAll();
				if (!resumed) {
					// [RTL12]
					notifyListeners(new ChannelStateChange(this.name, ATTACHED, ATTACHED, message.getError(), false));
				}
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
				completeAll(this.detachFutures);
			}
			case ATTACHED -> {
				// Unrequested: attach again at once [RTL13a]
				transitionTo(ATTACHING, error, false);
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
		boolean behind = this.subscriberLane.offer(() -> deliver(message, messages), size);
		advanceSerial(message);
		return behind;
	}

	private void advanceSerial(ProtocolMessage message) {
		if (message.getChannelSerial() != null) {
			this.channelSerial = message.getChannelSerial(); // [RTL15b]
		}
	}

	/**
	 * Take a {@code PRESENCE}. Presence is not handled yet: the frame is ignored, but it
	 * moves the channel serial [RTL15b] so that a re-attach does not ask for it again.
	 * @param message the message
	 */
	void onPresence(ProtocolMessage message) {
		advanceSerialIfTaking(message);
	}

	/**
	 * Take a {@code SYNC}. Presence is not handled yet: the frame is ignored. Its
	 * {@code channelSerial} is a cursor into the sync [RTP18a], not a position in the
	 * channel, so the channel serial stays [RTL15b].
	 * @param message the message
	 */
	void onSync(ProtocolMessage message) {
		logger.trace("Ignoring SYNC for channel '" + this.name + "'");
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

	private void deliver(ProtocolMessage envelope, List<WireMessage> messages) {
		for (int i = 0; i < messages.size(); i++) {
			dispatch(toMessage(envelope, messages.get(i), i));
		}
	}

	private Message toMessage(ProtocolMessage envelope, WireMessage message, int index) {
		String id = (message.id() != null) ? message.id()
				: Objects.requireNonNullElse(envelope.getId(), Objects.toString(envelope.getChannelSerial())) + ":"
						+ index;
		Long timestamp = (message.timestamp() != null) ? message.timestamp() : envelope.getTimestamp();
		return new Message(id, message.name(), this.connection.decode(message), message.clientId(),
				(message.connectionId() != null) ? message.connectionId() : envelope.getConnectionId(),
				(timestamp != null) ? Instant.ofEpochMilli(timestamp) : null);
	}

	private void dispatch(Message message) {
		for (Subscriber subscriber : this.subscribers) {
			if (subscriber.name == null || subscriber.name.equals(message.name())) {
				try {
					subscriber.consumer.accept(message);
				}
				catch (RuntimeException ex) {
					logger.warn("Subscriber of channel '" + this.name + "' failed on message " + message.id(), ex);
				}
			}
		}
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
				transitionTo(ATTACHING, null, false);
				sendAttach();
			}
			default -> {
			}
		}
	}

	void onConnectionStateChange(ConnectionStateChange change) {
		ErrorInfo reason = change.reason();
		switch (change.current()) {
			case DISCONNECTED -> {
				// Requests in flight are sent again on the next transport [RTL3e]
				if (this.state == ATTACHING || this.state == ATTACHED) {
					this.timers.cancelAll();
				}
				else if (this.state == DETACHING) {
					this.timers.cancelAll();
					transitionTo(DETACHED, null, false);
					completeAll(this.detachFutures);
				}
			}
			case SUSPENDED -> {
				// [RTL3c]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING) {
					this.timers.cancelAll();
					ErrorInfo suspended = (reason != null) ? reason : ErrorInfo.suspended("Connection suspended");
					transitionTo((this.state == DETACHING) ? DETACHED : SUSPENDED, suspended, false);
					failAll(this.attachFutures, suspended);
					completeAll(this.detachFutures);
				}
			}
			case CLOSED -> {
				// [RTL3b]
				if (this.state == ATTACHING || this.state == ATTACHED || this.state == DETACHING
						|| this.state == SUSPENDED) {
					this.timers.cancelAll();
					transitionTo(DETACHED, null, false);
					failAll(this.attachFutures, ErrorInfo.closed("Connection closed"));
					completeAll(this.detachFutures);
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
		failAll(this.attachFutures, reason);
		failAll(this.detachFutures, reason);
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
		if (reason != null || next == ATTACHED || next == DETACHED) {
			this.publishedErrorReason = reason;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Channel '" + this.name + "': " + previous + " -> " + next
					+ ((reason != null) ? " (" + reason + ")" : "") + (resumed ? ", resumed" : ""));
		}
		notifyListeners(new ChannelStateChange(this.name, previous, next, reason, resumed));
	}

	private void notifyListeners(ChannelStateChange change) {
		this.connection.notifyChannelListeners(this.listeners, change);
	}

	private void completeAll(List<CompletableFuture<Void>> futures) {
		futures.forEach(this.connection.notifier()::complete);
		futures.clear();
	}

	private void failAll(List<CompletableFuture<Void>> futures, ErrorInfo reason) {
		futures.forEach((future) -> this.connection.notifier().fail(future, reason));
		futures.clear();
	}

	@Override
	public String toString() {
		return "RealtimeChannel[" + this.name + ", " + this.publishedState + "]";
	}

	private record Subscriber(@Nullable String name, Consumer<Message> consumer) {

	}

}
