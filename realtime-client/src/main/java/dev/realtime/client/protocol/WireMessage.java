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

package dev.realtime.client.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One message inside a {@link ProtocolMessage} of action {@link Action#MESSAGE}, as it
 * travels. {@code data} is a JSON value; with {@code encoding} {@code "json"} it is a
 * string that holds JSON, with {@code "base64"} a string that holds bytes.
 *
 * @param id the message id: set by the publisher for idempotent publishing, otherwise by
 * the server as {@code connectionId:msgSerial:index}
 * @param name the event name
 * @param data the payload
 * @param encoding how {@code data} is encoded, or {@code null} for a plain string
 * @param clientId the client id of the publisher
 * @param connectionId the connection id of the publisher, set by the server
 * @param timestamp when the server received the message, in epoch milliseconds
 * @author Realtime team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WireMessage(@Nullable String id, @Nullable String name, @Nullable Object data, @Nullable String encoding,
		@Nullable String clientId, @Nullable String connectionId, @Nullable Long timestamp) {

}
