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

package dev.realtime.benchmarks.contenders;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Creates contenders by name.
 */
public final class Contenders {

	/** The clients compared, the raw ceiling first. */
	public static final List<String> ALL = List.of("raw", "realtime", "ably");

	/**
	 * This client with {@code bundleMessages} on, which publishing benchmarks run beside
	 * {@code realtime}.
	 */
	public static final String BUNDLED = "realtime-bundled";

	private Contenders() {
	}

	/**
	 * Create a contender.
	 * @param name {@code raw}, {@code realtime}, {@code ably} or {@code wire}
	 * @param host the server's host
	 * @param port the server's port
	 * @param retryResetAfter for {@code realtime}: how long a connection must stay up
	 * before a drop counts as a new outage, {@code null} for the default
	 * @return the contender
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static Contender create(String name, String host, int port, @Nullable Duration retryResetAfter) {
		return create(name, host, port, retryResetAfter, null);
	}

	/**
	 * Create a contender.
	 * @param name {@code raw}, {@code realtime}, {@code realtime-bundled}, {@code ably}
	 * or {@code wire}
	 * @param host the server's host
	 * @param port the server's port
	 * @param retryResetAfter for {@code realtime}: how long a connection must stay up
	 * before a drop counts as a new outage, {@code null} for the default
	 * @param requestTimeout how long a client waits for the answer to a request, which
	 * also extends its idle timeout; {@code null} for each client's default (10 s)
	 * @return the contender
	 * @throws IllegalArgumentException for an unknown name
	 */
	public static Contender create(String name, String host, int port, @Nullable Duration retryResetAfter,
			@Nullable Duration requestTimeout) {
		return switch (name) {
			case "raw" -> new RawContender(host, port,
					(requestTimeout != null) ? requestTimeout : RawContender.DEFAULT_REQUEST_TIMEOUT);
			case "realtime" -> new RealtimeClientContender(host, port, retryResetAfter, requestTimeout, false);
			case BUNDLED -> new RealtimeClientContender(host, port, retryResetAfter, requestTimeout, true);
			case "ably" -> new AblyContender(host, port, requestTimeout);
			case "wire" -> new WireContender(host, port);
			default -> throw new IllegalArgumentException("Unknown contender '" + name + "'");
		};
	}

	/**
	 * Write a duration in seconds, for a description.
	 * @param duration the duration
	 * @return such as {@code 15.0 s}
	 */
	static String seconds(Duration duration) {
		return String.format("%.1f s", duration.toMillis() / 1000.0);
	}

	/**
	 * Describe a contender for a table.
	 * @param name the contender's name
	 * @return the description
	 */
	public static String label(String name) {
		return switch (name) {
			case "raw" -> "raw client";
			case "realtime" -> "this client";
			case BUNDLED -> "this client, bundling";
			case "ably" -> "ably-java";
			case "wire" -> "wire (no JSON)";
			default -> name;
		};
	}

}
