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

package dev.realtime.test.server;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of a {@link RealtimeServer}.
 *
 * @param host the address to listen on
 * @param port the port to listen on, {@code 0} for a random free port
 * @param keys the API keys that are accepted, as {@code appId.keyId:secret}
 * @param tokens the access tokens that are accepted, which never expire
 * @param authBeforeExpiry how long before an issued token expires the server asks the
 * client to re-authenticate, zero for never
 * @param maxIdleInterval the longest the server stays silent on a healthy connection, as
 * told to clients
 * @param heartbeatInterval how often a HEARTBEAT (or a ping frame) is sent on an idle
 * connection
 * @param connectionStateTtl how long a connection's state is kept after its transport
 * dropped
 * @param maxMessageSize the largest message size told to clients
 * @param maxFrameSize the largest frame size told to clients and accepted
 * @param serverId the server id told to clients
 * @param sendTimeLimit the longest one send may take before the connection is closed
 * @param sendBufferSizeLimit the most bytes buffered for one connection before it is
 * closed
 * @param channelHistorySize how many published MESSAGEs each channel keeps for replay
 * @param presenceSyncPageSize how many presence members each SYNC message carries
 * @author Realtime team
 */
record ServerSettings(String host, int port, List<String> keys, List<String> tokens, Duration authBeforeExpiry,
		Duration maxIdleInterval, Duration heartbeatInterval, Duration connectionStateTtl, long maxMessageSize,
		long maxFrameSize, String serverId, Duration sendTimeLimit, int sendBufferSizeLimit, int channelHistorySize,
		int presenceSyncPageSize) {

	/**
	 * Return whether connections are accepted without credentials, which is the case when
	 * no key and no token is configured.
	 * @return whether any credentials are accepted
	 */
	boolean open() {
		return this.keys.isEmpty() && this.tokens.isEmpty();
	}

	boolean acceptsKey(@Nullable String key) {
		return key != null && this.keys.contains(key);
	}

	boolean acceptsToken(@Nullable String token) {
		return token != null && this.tokens.contains(token);
	}

}
