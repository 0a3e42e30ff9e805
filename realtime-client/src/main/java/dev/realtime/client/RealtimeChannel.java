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

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A named channel of a {@link RealtimeClient}: attach to receive its messages, publish to
 * it with acknowledgement. Every method returns at once; the work happens on the
 * connection's serial executor.
 *
 * @author Realtime team
 */
public interface RealtimeChannel {

	/**
	 * Return the name of the channel.
	 * @return the name
	 */
	String name();

	/**
	 * Return the current state.
	 * @return the state
	 */
	ChannelState state();

	/**
	 * Return the modes the server granted on the latest {@code ATTACHED} [RTL4m].
	 * @return the modes, empty before the channel first attached
	 */
	Set<ChannelMode> modes();

	/**
	 * Return the channel parameters the server recognised on the latest {@code ATTACHED}
	 * [RTL4k1].
	 * @return the parameters, empty if none
	 */
	Map<String, String> params();

	/**
	 * Return the options every {@code ATTACH} of this channel asks for.
	 * @return the options
	 */
	ChannelOptions options();

	/**
	 * Replace the options of this channel [RTL16]. An attached or attaching channel
	 * attaches again with them.
	 * @param options the new options
	 * @return a future that completes at once if the channel is neither attached nor
	 * attaching, and otherwise on the server's {@code ATTACHED}, as {@link #attach()}
	 * does
	 */
	CompletableFuture<Void> setOptions(ChannelOptions options);

	/**
	 * Return the reason of the latest state change that had one.
	 * @return the error, or {@code null}
	 */
	@Nullable ErrorInfo errorReason();

	/**
	 * Attach the channel, so that its messages reach subscribers. While the connection is
	 * connecting or disconnected, the channel attaches once it is connected. Once
	 * attached, the channel re-attaches by itself after every reconnect. While a detach
	 * is under way, the attach waits for it to complete [RTL4h]; a channel that failed
	 * attaches anew [RTL4g].
	 * @return a future that completes when the channel is attached, and fails if the
	 * server refuses or does not answer within the request timeout, or the connection
	 * cannot attach it
	 */
	CompletableFuture<Void> attach();

	/**
	 * Detach the channel. While an attach is under way, the detach waits for it to
	 * complete [RTL5i]; while the connection is not connected, the channel is detached at
	 * once [RTL5l]; a detach under way when the connection drops is sent again on the
	 * next transport [RTN19b].
	 * @return a future that completes when the channel is detached, and fails if the
	 * server does not answer within the request timeout (the channel then returns to the
	 * state it was in [RTL5f]) or the channel has failed
	 */
	CompletableFuture<Void> detach();

	/**
	 * Publish a message. It is sent at once while connected, and queued (up to the queue
	 * capacity) while the connection is initialized, connecting or disconnected.
	 * @param name the event name, or {@code null}
	 * @param data the payload: a {@code String}, a {@code byte[]}, any value Jackson can
	 * write as JSON, or {@code null}
	 * @return a future that completes when the server acknowledged the message, and fails
	 * when the server refused it or it can no longer be delivered: the queue is full, the
	 * message waited longer than the message TTL, or the connection became suspended,
	 * closed or failed before the acknowledgement
	 */
	CompletableFuture<Void> publish(@Nullable String name, @Nullable Object data);

	/**
	 * Subscribe to every message of the channel. Messages are delivered one at a time, in
	 * order, only while the channel is attached, on the channel's own subscriber lane:
	 * never on the connection's actor, and never held up by another channel's
	 * subscribers. A subscriber may block or wait on any future; it delays only this
	 * channel's later messages. When the messages waiting for a channel's subscribers
	 * exceed their buffer, the connection stops reading until they catch up (TCP
	 * back-pressure); past a bound, the channel's slow subscriber policy applies (see
	 * {@link SlowSubscriberPolicy}). Payloads are decoded on the lane. A subscriber that
	 * throws is logged and keeps its subscription.
	 * <p>
	 * Unless {@code attachOnSubscribe} is off in the client's options, subscribing
	 * attaches an initialized, detaching or detached channel [RTL7g]; the subscriber is
	 * registered whatever the outcome, and a failure is logged.
	 * @param subscriber the subscriber
	 * @return the subscription
	 */
	Subscription subscribe(Consumer<Message> subscriber);

	/**
	 * Subscribe to the messages of the channel with the given event name.
	 * @param name the event name
	 * @param subscriber the subscriber
	 * @return the subscription
	 * @see #subscribe(Consumer)
	 */
	Subscription subscribe(String name, Consumer<Message> subscriber);

	/**
	 * Return the presence of this channel [RTL9]: its members, and this client's
	 * membership.
	 * @return the presence, the same instance on every call
	 */
	RealtimePresence presence();

	/**
	 * Return how many of this channel's messages were dropped because its subscribers
	 * were slow, under {@link SlowSubscriberPolicy#DROP}.
	 * @return the count
	 */
	long droppedMessages();

	/**
	 * Add a listener for state changes of this channel.
	 * @param listener the listener
	 */
	void addListener(ChannelStateListener listener);

	/**
	 * Remove a listener added with {@link #addListener}.
	 * @param listener the listener
	 */
	void removeListener(ChannelStateListener listener);

}
