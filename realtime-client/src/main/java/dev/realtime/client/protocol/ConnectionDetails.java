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
 * The details of a connection that the server sends with every {@link Action#CONNECTED}.
 * Durations are in milliseconds, as on the wire; values the server sends override the
 * client's configured defaults.
 *
 * @param clientId the client id the connection is bound to
 * @param connectionKey the private key that resumes this connection
 * @param connectionStateTtl how long the server keeps the connection's state after a
 * drop, in milliseconds
 * @param maxIdleInterval the longest the server stays silent on a healthy connection, in
 * milliseconds
 * @param maxMessageSize the largest message the server accepts, in bytes
 * @param maxFrameSize the largest frame the server accepts, in bytes
 * @param serverId an identifier of the server
 * @author Realtime team
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectionDetails(@Nullable String clientId, @Nullable String connectionKey,
		@Nullable Long connectionStateTtl, @Nullable Long maxIdleInterval, @Nullable Long maxMessageSize,
		@Nullable Long maxFrameSize, @Nullable String serverId) {

}
