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

package dev.realtime.benchmarks.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A client's connection as the server keeps it across transports: its id and key, and the
 * bursts under way to it. A resume ({@code resume=<connectionKey>}) moves it to a new
 * transport.
 */
final class Session {

	private final String connectionId;

	private final String connectionKey;

	private final boolean echo;

	private final Map<String, Burst> bursts = new ConcurrentHashMap<>();

	private volatile @Nullable ServerConnection connection;

	Session(String connectionId, String connectionKey, boolean echo) {
		this.connectionId = connectionId;
		this.connectionKey = connectionKey;
		this.echo = echo;
	}

	String connectionId() {
		return this.connectionId;
	}

	String connectionKey() {
		return this.connectionKey;
	}

	/**
	 * Return whether the client wants its own messages back.
	 * @return whether to echo
	 */
	boolean echo() {
		return this.echo;
	}

	@Nullable ServerConnection connection() {
		return this.connection;
	}

	/**
	 * Move the session to a new transport.
	 * @param connection the new transport
	 * @return the transport it was on, if any
	 */
	synchronized @Nullable ServerConnection moveTo(ServerConnection connection) {
		ServerConnection previous = this.connection;
		this.connection = connection;
		return previous;
	}

	/**
	 * Forget the given transport if it is still the session's.
	 * @param connection the transport that ended
	 */
	synchronized void ended(ServerConnection connection) {
		if (this.connection == connection) {
			this.connection = null;
		}
	}

	@Nullable Burst burst(String channel) {
		return this.bursts.get(channel);
	}

	void startBurst(String channel, Burst burst) {
		Burst previous = this.bursts.put(channel, burst);
		if (previous != null) {
			previous.cancel();
		}
		Thread thread = new Thread(burst, "push-burst-" + this.connectionId + "-" + channel);
		thread.setDaemon(true);
		thread.start();
	}

	void cancelBursts() {
		this.bursts.values().forEach(Burst::cancel);
		this.bursts.clear();
	}

}
