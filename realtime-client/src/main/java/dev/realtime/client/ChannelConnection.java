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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Channel} needs of its connection, and nothing more: the narrow seam that
 * lets a channel be tested alone.
 *
 * @author Realtime team
 */
interface ChannelConnection {

	// Called on any thread

	/**
	 * Run a task on the connection's actor.
	 * @param task the task
	 * @return whether the task was accepted: {@code false} if too many requests wait
	 */
	boolean submit(Runnable task);

	/**
	 * Encode a payload for publishing, with a fresh message id.
	 * @param name the message name
	 * @param data the payload
	 * @return the message
	 */
	WireMessage encode(@Nullable String name, @Nullable Object data);

	/**
	 * Publish a message of a channel [RTL6c].
	 * @param channel the channel
	 * @param message the message
	 * @param result completes on the server's acknowledgement
	 */
	void publish(Channel channel, WireMessage message, CompletableFuture<Void> result);

	/**
	 * Decode a received payload; called on the subscribers' lane.
	 * @param message the message
	 * @return the data
	 */
	@Nullable Object decode(WireMessage message);

	/**
	 * Encode the data of a presence message for sending.
	 * @param action the presence action
	 * @param data the member's data
	 * @return the presence message
	 */
	WirePresenceMessage encodePresence(PresenceAction action, @Nullable Object data);

	/**
	 * Decode the data of a received presence message; called on the subscribers' lane and
	 * the completion executor.
	 * @param message the presence message
	 * @return the data
	 */
	@Nullable Object decode(WirePresenceMessage message);

	// Called when the channel is created

	RealtimeClientOptions options();

	RandomGenerator random();

	/**
	 * Return a group of timers that fire on the actor.
	 * @return the timers
	 */
	ActorTimers newTimers();

	/**
	 * Create the lane of the channel's subscribers.
	 * @param channel the channel
	 * @return the lane
	 */
	SubscriberLane newSubscriberLane(Channel channel);

	// Called on the actor

	/**
	 * Return the connection's state as the actor sees it.
	 * @return the state
	 */
	ConnectionState actorState();

	/**
	 * Return the id of the current connection, as the actor sees it.
	 * @return the connection id, or {@code null} before the first {@code CONNECTED}
	 */
	@Nullable String connectionId();

	/**
	 * Return the client id of the connection: the one the server granted on
	 * {@code CONNECTED}, or else the configured one.
	 * @return the client id, or {@code null} if the client is anonymous
	 */
	@Nullable String actorClientId();

	/**
	 * Return the current time, to stamp what the client synthesizes (never for protocol
	 * timing).
	 * @return the time
	 */
	Instant now();

	/**
	 * Publish a presence message of a channel, sent at once while connected and queued
	 * while the connection may still connect [RTP16a].
	 * @param channel the channel
	 * @param message the presence message
	 * @param result completes on the server's acknowledgement
	 */
	void publishPresence(Channel channel, WirePresenceMessage message, CompletableFuture<Void> result);

	/**
	 * Send a message on the current transport, if any.
	 * @param message the message
	 * @return whether it was handed to a transport
	 */
	boolean send(ProtocolMessage message);

	/**
	 * Return where futures are completed and listeners notified.
	 * @return the notifier
	 */
	Notifier notifier();

	/**
	 * Tell the channel's own listeners and the client's channel listeners of a change.
	 * @param listeners the channel's own listeners
	 * @param change the change
	 */
	void notifyChannelListeners(List<ChannelStateListener> listeners, ChannelStateChange change);

}
