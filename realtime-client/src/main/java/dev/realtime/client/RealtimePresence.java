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

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The presence of a {@link RealtimeChannel}: the set of members present on the channel,
 * kept in sync with the server, and this client's own membership [RTP]. Every method
 * returns at once; the work happens on the connection's serial executor.
 * <p>
 * Entering, updating and leaving need a client id: the configured one, or the one the
 * server granted on {@code CONNECTED}. They attach an initialized, detaching or detached
 * channel first and are sent once it is attached; they fail at once on a failed or
 * suspended channel. Members this client entered are entered again whenever the channel
 * attaches anew without continuity [RTP17i]; if that fails, the channel reports an update
 * with error {@code 91004} [RTP17e].
 *
 * @author Realtime team
 * @see RealtimeChannel#presence()
 */
public interface RealtimePresence {

	/**
	 * Enter this client into the channel's presence set [RTP8].
	 * @param data the member's data: a {@code String}, a {@code byte[]}, any value
	 * Jackson can write as JSON, or {@code null}
	 * @return a future that completes when the server acknowledged the enter, and fails
	 * when the client has no client id ({@code 40012}), the channel is failed or
	 * suspended or cannot attach, or the server refused it
	 */
	CompletableFuture<Void> enter(@Nullable Object data);

	/**
	 * Update this client's data in the channel's presence set, entering it if it was not
	 * present [RTP9].
	 * @param data the new data
	 * @return a future that completes when the server acknowledged the update
	 * @see #enter(Object)
	 */
	CompletableFuture<Void> update(@Nullable Object data);

	/**
	 * Leave the channel's presence set [RTP10]. Leaving when not present succeeds.
	 * @param data the data to leave with
	 * @return a future that completes when the server acknowledged the leave
	 * @see #enter(Object)
	 */
	CompletableFuture<Void> leave(@Nullable Object data);

	/**
	 * Return the members present on the channel, once the presence set is in sync
	 * [RTP11]: an initialized, detaching or detached channel is attached first, and a
	 * sync in progress is waited for.
	 * @return a future with the members, each with action {@link PresenceAction#PRESENT
	 * PRESENT}, that fails when the channel is failed, is suspended ({@code 91005}: the
	 * set may be out of date), or cannot attach
	 */
	CompletableFuture<List<PresenceMessage>> get();

	/**
	 * Subscribe to the channel's presence messages: every {@code ENTER}, {@code UPDATE},
	 * {@code LEAVE}, and {@code PRESENT} of a sync that changes the set [RTP6]. They are
	 * delivered in order on the channel's subscriber lane, with the channel's messages
	 * (see {@link RealtimeChannel#subscribe(Consumer)}). Unless {@code attachOnSubscribe}
	 * is off in the client's options, subscribing attaches an initialized, detaching or
	 * detached channel [RTP6d]; the subscriber is registered whatever the outcome, and a
	 * failure is logged.
	 * @param subscriber the subscriber
	 * @return the subscription
	 */
	Subscription subscribe(Consumer<PresenceMessage> subscriber);

}
