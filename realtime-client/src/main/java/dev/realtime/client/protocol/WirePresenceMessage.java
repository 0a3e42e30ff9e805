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
 * One presence message inside a {@link ProtocolMessage} of action {@link Action#PRESENCE}
 * or {@link Action#SYNC}, as it travels [TP3]. {@code data} and {@code encoding} are as
 * in a {@link WireMessage}.
 *
 * @param action the presence action: {@code 0} absent, {@code 1} present, {@code 2}
 * enter, {@code 3} leave, {@code 4} update
 * @param id the message id, set by the server as {@code connectionId:msgSerial:index} for
 * what a connection published
 * @param clientId the client id of the member
 * @param connectionId the connection id of the member
 * @param data the member's data
 * @param encoding how {@code data} is encoded, or {@code null} for a plain string
 * @param timestamp when the server received the message, in epoch milliseconds
 * @author Realtime team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record WirePresenceMessage(@Nullable Integer action, @Nullable String id, @Nullable String clientId,
		@Nullable String connectionId, @Nullable Object data, @Nullable String encoding, @Nullable Long timestamp) {

}
