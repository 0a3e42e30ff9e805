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

/**
 * Hears of timed events of a connection, for metrics: the round trip of each answered
 * ping and the time from publishing each message to its {@code ACK}.
 * <p>
 * Unlike other listeners, these are called on the connection's own thread, right as the
 * event happens, without allocating: they must return at once and never block — record
 * the value in a timer or a histogram (Micrometer's qualify) and do anything slower
 * elsewhere. An exception thrown by a listener is logged and otherwise ignored.
 *
 * @author Realtime team
 * @see RealtimeClient#addTimingListener(ConnectionTimingListener)
 */
public interface ConnectionTimingListener {

	/**
	 * Called when the server acknowledged a published message (a channel or presence
	 * message).
	 * @param latencyNanos the time from the publish to its {@code ACK}, in nanoseconds of
	 * the connection's monotonic ticker; a message that waited for the connection
	 * includes the wait
	 */
	default void onPublishAcknowledged(long latencyNanos) {
	}

	/**
	 * Called when the server answered a ping.
	 * @param roundTripNanos the round-trip time, in nanoseconds of the connection's
	 * monotonic ticker
	 */
	default void onPingRoundTrip(long roundTripNanos) {
	}

}
