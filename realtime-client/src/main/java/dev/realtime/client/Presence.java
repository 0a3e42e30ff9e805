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

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The presence of one {@link Channel} [RTP]: the members present on it, kept in sync with
 * the server's {@code PRESENCE} and {@code SYNC} messages; the members this connection
 * entered, to enter them again when the channel attaches anew [RTP17]; enter, update and
 * leave requests that wait for the channel to attach [RTP16b]; and {@link #get()} calls
 * that wait for a sync to end [RTP11]. Public methods enqueue work on the connection's
 * actor; every field marked so is confined to it. Subscribers run on the channel's
 * subscriber lane, where payloads are decoded.
 *
 * @author Realtime team
 */
final class Presence implements RealtimePresence {

	private static final Log logger = LogFactory.getLog(Presence.class);

	private static final int LEAVE = PresenceAction.LEAVE.code();

	private final Channel channel;

	private final ChannelConnection connection;

	private final SubscriberLane lane;

	private final List<Consumer<PresenceMessage>> subscribers = new CopyOnWriteArrayList<>();

	// Confined to the actor

	private final PresenceMap members = new PresenceMap();

	/**
	 * The members this connection entered, by client id [RTP17, RTP17h]: what it enters
	 * again after an attach without continuity.
	 */
	private final Map<String, WirePresenceMessage> ownMembers = new LinkedHashMap<>();

	/** Whether the members reflect the channel: no sync is under way or expected. */
	private boolean inSync;

	/** The sequence id of the sync under way, once its first {@code SYNC} came. */
	private @Nullable String syncSequence;

	/** Requests that wait for the channel to attach [RTP16b]. */
	private final List<Request> waitingForAttach = new ArrayList<>();

	/** {@link #get()} calls that wait for the members to be in sync [RTP11c1]. */
	private final List<CompletableFuture<List<PresenceMessage>>> waitingForSync = new ArrayList<>();

	Presence(Channel channel, ChannelConnection connection, SubscriberLane lane) {
		this.channel = channel;
		this.connection = connection;
		this.lane = lane;
	}

	// Public API: enqueues work

	@Override
	public CompletableFuture<Void> enter(@Nullable Object data) {
		return request(PresenceAction.ENTER, data);
	}

	@Override
	public CompletableFuture<Void> update(@Nullable Object data) {
		return request(PresenceAction.UPDATE, data);
	}

	@Override
	public CompletableFuture<Void> leave(@Nullable Object data) {
		return request(PresenceAction.LEAVE, data);
	}

	private CompletableFuture<Void> request(PresenceAction action, @Nullable Object data) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		if (this.channel.isReleased()) {
			result.completeExceptionally(new RealtimeException(this.channel.releasedError()));
			return result;
		}
		Request request = new Request(action, this.connection.encodePresence(action, data), result);
		if (!this.connection.submit(() -> doRequest(request))) {
			result.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
		}
		return result;
	}

	@Override
	public CompletableFuture<List<PresenceMessage>> get() {
		CompletableFuture<List<PresenceMessage>> result = new CompletableFuture<>();
		if (this.channel.isReleased()) {
			result.completeExceptionally(new RealtimeException(this.channel.releasedError()));
		}
		else if (!this.connection.submit(() -> doGet(result))) {
			result.completeExceptionally(new RealtimeException(ConnectionManager.busy()));
		}
		return result;
	}

	@Override
	public Subscription subscribe(Consumer<PresenceMessage> subscriber) {
		if (this.channel.isReleased()) {
			throw new IllegalStateException(this.channel.releasedError().message());
		}
		this.subscribers.add(subscriber);
		if (this.connection.options().attachOnSubscribe()) {
			this.channel.attachOnSubscribe(); // [RTP6d]
		}
		return () -> this.subscribers.remove(subscriber);
	}

	// enter(), update(), leave() [RTP8, RTP9, RTP10]

	private void doRequest(Request request) {
		ErrorInfo noClientId = missingClientId(request.action);
		if (noClientId != null) {
			fail(request.result, noClientId);
			return;
		}
		ChannelState state = this.channel.actorState();
		switch (state) {
			case ATTACHED -> this.connection.publishPresence(this.channel, request.message, request.result);
			case ATTACHING -> this.waitingForAttach.add(request); // [RTP16b]
			case INITIALIZED, DETACHING, DETACHED -> {
				// [RTP8d]
				this.waitingForAttach.add(request);
				attachImplicitly();
			}
			case SUSPENDED,
					FAILED ->
				fail(request.result,
						new ErrorInfo(ErrorInfo.CHANNEL_OPERATION_FAILED, 400, "Cannot " + verb(request.action)
								+ " presence on channel '" + this.channel.name() + "' while it is " + state)); // [RTP8g,
																												// RTP16c]
		}
	}

	/**
	 * Return why this client cannot enter, update or leave as itself: it has no client id
	 * of its own [RTP8j]. Until the connection is connected the client id the server will
	 * grant is not known, and the check waits until the request is sent.
	 */
	private @Nullable ErrorInfo missingClientId(PresenceAction action) {
		String clientId = this.connection.actorClientId();
		boolean known = clientId != null || this.connection.actorState() == ConnectionState.CONNECTED;
		if (known && (clientId == null || "*".equals(clientId))) {
			return new ErrorInfo(ErrorInfo.INVALID_CLIENT_ID, 400,
					"Cannot " + verb(action) + " presence on channel '" + this.channel.name() + "' without a client id"
							+ (("*".equals(clientId)) ? " of its own (the connection's client id is the wildcard '*')"
									: ": the connection has no client id")
							+ "; set realtime.client-id, or use a token that carries one");
		}
		return null;
	}

	private static String verb(PresenceAction action) {
		return switch (action) {
			case LEAVE -> "leave";
			case UPDATE -> "update";
			default -> "enter";
		};
	}

	// get() [RTP11]

	private void doGet(CompletableFuture<List<PresenceMessage>> result) {
		ChannelState state = this.channel.actorState();
		switch (state) {
			case ATTACHED -> {
				if (this.inSync) {
					completeGet(result);
				}
				else {
					this.waitingForSync.add(result);
				}
			}
			case SUSPENDED -> fail(result, outOfSync()); // [RTP11d]
			case FAILED -> fail(result, new ErrorInfo(ErrorInfo.CHANNEL_OPERATION_FAILED, 400,
					"Cannot get the presence of channel '" + this.channel.name() + "': it has failed")); // [RTL33c]
			case INITIALIZED, ATTACHING, DETACHING, DETACHED -> {
				// [RTP11e, RTL33b]
				this.waitingForSync.add(result);
				attachImplicitly();
			}
		}
	}

	private ErrorInfo outOfSync() {
		return new ErrorInfo(ErrorInfo.PRESENCE_OUT_OF_SYNC, 400, "The presence of channel '" + this.channel.name()
				+ "' may be out of date: the channel is " + ChannelState.SUSPENDED);
	}

	private void completeGet(CompletableFuture<List<PresenceMessage>> result) {
		List<WirePresenceMessage> present = this.members.present();
		this.connection.notifier().completeWith(result, () -> present.stream().map(this::toPresenceMessage).toList());
	}

	/**
	 * Attach the channel for requests and {@code get()} calls that wait for it. If the
	 * attach fails and leaves the channel neither attaching nor attached (the connection
	 * cannot attach it), they fail with its error; otherwise the channel's state changes
	 * settle them.
	 */
	private void attachImplicitly() {
		CompletableFuture<Void> attached = new CompletableFuture<>();
		attached.whenComplete((result, failure) -> {
			if (failure != null) {
				ErrorInfo error = errorOf(failure);
				this.connection.submit(() -> {
					ChannelState state = this.channel.actorState();
					if (state != ChannelState.ATTACHING && state != ChannelState.ATTACHED) {
						failWaiting(error, error);
					}
				});
			}
		});
		this.channel.attachImplicitly(attached);
	}

	// Channel state effects [RTP5]

	/**
	 * The channel attached, or attached again without continuity: a sync follows if the
	 * server says it has members [RTP1]; otherwise nobody is present [RTP19a]. This
	 * connection's members are entered again [RTP17i] and waiting requests sent [RTP5b].
	 * @param attached the {@code ATTACHED} message
	 */
	void onAttached(ProtocolMessage attached) {
		this.syncSequence = null;
		if (attached.hasFlag(Flags.HAS_PRESENCE)) {
			this.inSync = false;
			this.members.startSync();
		}
		else {
			List<WirePresenceMessage> gone = this.members.clear();
			emit(synthesizeLeaves(gone), 0);
			syncEnded();
		}
		enterOwnMembersAgain();
		List<Request> waiting = new ArrayList<>(this.waitingForAttach);
		this.waitingForAttach.clear();
		waiting.forEach(this::doRequest);
	}

	/**
	 * The channel became detached, failed or suspended.
	 * @param state the new state
	 * @param reason why, if known
	 */
	void onChannelStateChange(ChannelState state, @Nullable ErrorInfo reason) {
		switch (state) {
			case DETACHED, FAILED -> {
				// [RTP5a]: nothing is known of the members any more; no LEAVE
				this.members.clear();
				this.ownMembers.clear();
				this.inSync = false;
				this.syncSequence = null;
				ErrorInfo error = (reason != null) ? reason
						: ErrorInfo.failed("Channel '" + this.channel.name() + "' became " + state);
				failWaiting(error, error);
			}
			case SUSPENDED -> {
				// [RTP5f]: the members are kept
				ErrorInfo error = (reason != null) ? reason
						: ErrorInfo.suspended("Channel '" + this.channel.name() + "' is suspended");
				failWaiting(error, outOfSync());
			}
			default -> {
			}
		}
	}

	private void failWaiting(ErrorInfo requests, ErrorInfo gets) {
		this.waitingForAttach.forEach((request) -> fail(request.result, requests));
		this.waitingForAttach.clear();
		this.waitingForSync.forEach((get) -> fail(get, gets));
		this.waitingForSync.clear();
	}

	// Re-entering this connection's members [RTP17]

	private void enterOwnMembersAgain() {
		String connectionId = this.connection.connectionId();
		for (WirePresenceMessage member : new ArrayList<>(this.ownMembers.values())) {
			// [RTP17g, RTP17g1]
			String id = (connectionId != null && connectionId.equals(member.connectionId())) ? member.id() : null;
			WirePresenceMessage enter = new WirePresenceMessage(PresenceAction.ENTER.code(), id, member.clientId(),
					null, member.data(), member.encoding(), null);
			CompletableFuture<Void> entered = new CompletableFuture<>();
			entered.whenComplete((result, failure) -> {
				if (failure != null) {
					ErrorInfo error = errorOf(failure);
					this.connection.submit(() -> onEnterAgainFailed(member.clientId(), error));
				}
			});
			this.connection.publishPresence(this.channel, enter, entered);
		}
	}

	/**
	 * Report that a member could not be entered again [RTP17e].
	 */
	private void onEnterAgainFailed(@Nullable String clientId, ErrorInfo cause) {
		ErrorInfo reason = new ErrorInfo(ErrorInfo.PRESENCE_REENTRY_FAILED, 400,
				"Presence member '" + clientId + "' of channel '" + this.channel.name()
						+ "' could not be entered again after the channel attached anew: " + cause.message(),
				cause);
		logger.warn(reason);
		if (this.channel.actorState() == ChannelState.ATTACHED) {
			this.channel.notifyUpdate(reason);
		}
	}

	// Presence messages from the server

	/**
	 * Apply a {@code PRESENCE} message [RTP2] and hand what changed to the subscribers.
	 * @param message the message
	 * @param size the size of the frame that carried it
	 * @param deliver whether to hand the changes to the subscribers
	 * @return whether the subscribers are now behind
	 */
	boolean onPresence(ProtocolMessage message, int size, boolean deliver) {
		List<WirePresenceMessage> changes = apply(message);
		return deliver && emit(changes, size);
	}

	/**
	 * Apply a {@code SYNC} message [RTP18]: its {@code channelSerial} is the cursor
	 * {@code <sequence id>:<cursor>}; a new sequence id starts the sync afresh, an empty
	 * cursor ends it, and a {@code SYNC} without one is a whole sync.
	 * @param message the message
	 * @param size the size of the frame that carried it
	 * @param deliver whether to hand the changes to the subscribers
	 * @return whether the subscribers are now behind
	 */
	boolean onSync(ProtocolMessage message, int size, boolean deliver) {
		String serial = message.getChannelSerial();
		int separator = (serial != null) ? serial.indexOf(':') : -1;
		String sequence = (separator >= 0) ? serial.substring(0, separator) : serial;
		boolean last = serial == null || separator < 0 || separator == serial.length() - 1;
		if (!this.members.isSyncing() || (this.syncSequence != null && !this.syncSequence.equals(sequence))) {
			this.members.startSync(); // [RTP18a]
		}
		this.inSync = false;
		this.syncSequence = sequence;
		List<WirePresenceMessage> changes = apply(message);
		if (last) {
			// [RTP18b, RTP18c, RTP19]
			changes.addAll(synthesizeLeaves(this.members.endSync()));
			this.syncSequence = null;
			syncEnded();
		}
		return deliver && emit(changes, size);
	}

	private void syncEnded() {
		this.inSync = true;
		this.waitingForSync.forEach(this::completeGet);
		this.waitingForSync.clear();
	}

	/**
	 * Apply the presence messages of a {@code PRESENCE} or {@code SYNC}.
	 * @return the changes to hand to the subscribers
	 */
	private List<WirePresenceMessage> apply(ProtocolMessage message) {
		List<WirePresenceMessage> presence = message.getPresence();
		List<WirePresenceMessage> changes = new ArrayList<>();
		if (presence == null) {
			return changes;
		}
		String connectionId = this.connection.connectionId();
		for (int i = 0; i < presence.size(); i++) {
			WirePresenceMessage received = complete(message, presence.get(i), i);
			if (received == null) {
				continue;
			}
			PresenceAction action = PresenceAction.fromCode(received.action());
			boolean changed = switch (action) {
				case ENTER, UPDATE, PRESENT -> this.members.put(received);
				case LEAVE -> this.members.remove(received);
				default -> false;
			};
			if (changed) {
				changes.add(received);
			}
			if (connectionId != null && connectionId.equals(received.connectionId())) {
				applyOwn(action, received);
			}
		}
		return changes;
	}

	/**
	 * Fill in what a presence message leaves to its protocol message [TP3a, TP3d, TP3g].
	 * @return the message, or {@code null} if it names no member or no known action
	 */
	private @Nullable WirePresenceMessage complete(ProtocolMessage envelope, @Nullable WirePresenceMessage message,
			int index) {
		if (message == null || message.action() == null || PresenceAction.fromCode(message.action()) == null
				|| message.clientId() == null) {
			logger.debug("Ignoring a presence message without a known action or a client id on channel '"
					+ this.channel.name() + "': " + message);
			return null;
		}
		String id = (message.id() != null) ? message.id()
				: (envelope.getId() != null) ? envelope.getId() + ":" + index : null;
		String connectionId = (message.connectionId() != null) ? message.connectionId() : envelope.getConnectionId();
		Long timestamp = (message.timestamp() != null) ? message.timestamp() : envelope.getTimestamp();
		if (connectionId == null) {
			logger.debug("Ignoring a presence message without a connection id on channel '" + this.channel.name()
					+ "': " + message);
			return null;
		}
		return new WirePresenceMessage(message.action(), id, message.clientId(), connectionId, message.data(),
				message.encoding(), timestamp);
	}

	/**
	 * Keep track of this connection's own members [RTP17b], by client id; a member from
	 * an earlier connection is replaced by one from this connection whatever their ids.
	 */
	private void applyOwn(PresenceAction action, WirePresenceMessage received) {
		String clientId = received.clientId();
		WirePresenceMessage existing = this.ownMembers.get(clientId);
		boolean sameConnection = existing != null && received.connectionId().equals(existing.connectionId());
		if (sameConnection && !PresenceMap.isNewer(received, existing)) {
			return;
		}
		switch (action) {
			case ENTER, UPDATE, PRESENT -> this.ownMembers.put(clientId, received);
			case LEAVE -> {
				if (!PresenceMap.isSynthesized(received)) {
					this.ownMembers.remove(clientId);
				}
			}
			default -> {
			}
		}
	}

	/**
	 * Return a {@code LEAVE} for each member that is gone without one [RTP19, RTP19a]:
	 * the member as it was, without an id, stamped now.
	 */
	private List<WirePresenceMessage> synthesizeLeaves(List<WirePresenceMessage> gone) {
		if (gone.isEmpty()) {
			return new ArrayList<>();
		}
		long now = this.connection.now().toEpochMilli();
		List<WirePresenceMessage> leaves = new ArrayList<>(gone.size());
		for (WirePresenceMessage member : gone) {
			leaves.add(new WirePresenceMessage(LEAVE, null, member.clientId(), member.connectionId(), member.data(),
					member.encoding(), now));
		}
		return leaves;
	}

	// Subscribers

	/**
	 * Hand changes to the subscribers' lane.
	 * @return whether the subscribers are now behind
	 */
	private boolean emit(List<WirePresenceMessage> changes, int size) {
		if (changes.isEmpty() || this.subscribers.isEmpty()) {
			return false;
		}
		return this.lane.offer(() -> {
			for (WirePresenceMessage change : changes) {
				dispatch(toPresenceMessage(change));
			}
		}, size);
	}

	private void dispatch(PresenceMessage message) {
		for (Consumer<PresenceMessage> subscriber : this.subscribers) {
			try {
				subscriber.accept(message);
			}
			catch (RuntimeException ex) {
				logger.warn("Presence subscriber of channel '" + this.channel.name() + "' failed on " + message.action()
						+ " of '" + message.clientId() + "'", ex);
			}
		}
	}

	private PresenceMessage toPresenceMessage(WirePresenceMessage message) {
		PresenceAction action = PresenceAction.fromCode(message.action());
		return new PresenceMessage((action != null) ? action : PresenceAction.PRESENT, message.id(), message.clientId(),
				message.connectionId(), this.connection.decode(message),
				(message.timestamp() != null) ? Instant.ofEpochMilli(message.timestamp()) : null);
	}

	private void fail(CompletableFuture<?> future, ErrorInfo reason) {
		this.connection.notifier().fail(future, reason);
	}

	private static ErrorInfo errorOf(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		return (cause instanceof RealtimeException realtime) ? realtime.getErrorInfo()
				: ErrorInfo.failed(String.valueOf(cause.getMessage()));
	}

	/**
	 * An enter, update or leave and its caller.
	 */
	private record Request(PresenceAction action, WirePresenceMessage message, CompletableFuture<Void> result) {

	}

}
