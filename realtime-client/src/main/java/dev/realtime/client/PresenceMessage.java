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

import org.jspecify.annotations.Nullable;

/**
 * A presence message of a channel: a member entered, updated its data, left, or was found
 * present when the presence set was synchronized [TP3]. A member is identified by its
 * {@code clientId} and {@code connectionId} together.
 *
 * @param action what happened
 * @param id the unique id of the message, or {@code null} for a
 * {@link PresenceAction#LEAVE LEAVE} the client synthesized for a member that is gone
 * [RTP19]
 * @param clientId the client id of the member
 * @param connectionId the connection id of the member
 * @param data the member's data: a {@code String}, a {@code byte[]}, or the JSON value it
 * was entered with ({@code Map}, {@code List}, number, boolean), or {@code null}
 * @param timestamp when the server received the message, or, for a synthesized
 * {@code LEAVE}, when the client found the member gone
 * @author Realtime team
 */
public record PresenceMessage(PresenceAction action, @Nullable String id, @Nullable String clientId,
		@Nullable String connectionId, @Nullable Object data, @Nullable Instant timestamp) {

}
