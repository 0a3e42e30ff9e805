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
 * A message received on a channel.
 *
 * @param id the unique id of the message
 * @param name the event name, or {@code null}
 * @param data the payload: a {@code String}, a {@code byte[]}, or the JSON value it was
 * published as ({@code Map}, {@code List}, number, boolean), or {@code null}
 * @param clientId the client id of the publisher, or {@code null}
 * @param connectionId the connection id of the publisher
 * @param timestamp when the server received the message
 * @author Realtime team
 */
public record Message(String id, @Nullable String name, @Nullable Object data, @Nullable String clientId,
		@Nullable String connectionId, @Nullable Instant timestamp) {

}
