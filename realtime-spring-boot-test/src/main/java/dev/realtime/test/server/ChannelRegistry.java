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

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The channels of one run of a {@link RealtimeServer}, shared by all its connections and
 * created on first use. Nothing here survives the run. Thread-safe.
 *
 * @author Realtime team
 */
final class ChannelRegistry {

	private final SecureRandom random = new SecureRandom();

	private final Map<String, ServerChannel> channels = new ConcurrentHashMap<>();

	private final int historyLimit;

	private final int syncPageSize;

	private final Clock clock;

	ChannelRegistry(int historyLimit, int syncPageSize, Clock clock) {
		this.historyLimit = historyLimit;
		this.syncPageSize = syncPageSize;
		this.clock = clock;
	}

	/**
	 * Return the channel with the given name, creating it if needed.
	 * @param name the name
	 * @return the channel
	 */
	ServerChannel channel(String name) {
		return this.channels.computeIfAbsent(name,
				(key) -> new ServerChannel(key, newEpoch(), this.historyLimit, this.syncPageSize));
	}

	/**
	 * Return the channel with the given name if it has been used.
	 * @param name the name
	 * @return the channel or {@code null}
	 */
	@Nullable ServerChannel find(String name) {
		return this.channels.get(name);
	}

	/**
	 * Make every presence member of a connection that is gone for good leave every
	 * channel.
	 * @param session the connection
	 */
	void leaveAll(ServerSession session) {
		long now = now();
		this.channels.values().forEach((channel) -> channel.leaveAll(session, now));
	}

	/**
	 * Return the current time to stamp published messages with.
	 * @return the time in epoch milliseconds
	 */
	long now() {
		return this.clock.millis();
	}

	private String newEpoch() {
		byte[] bytes = new byte[6];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
